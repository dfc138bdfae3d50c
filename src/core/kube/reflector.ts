/**
 * Triptych's own reflector: keeps a local copy of one resource of one site,
 * with client-go's semantics (see NOTES §2) rather than client-node's
 * informer, which stops for good on errors and never recycles hung watches.
 *
 * - List in pages (`limit`), all pages at the list's resourceVersion; an
 *   expired continue token falls back to one unpaginated list.
 * - Watch from that resourceVersion with bookmarks and a random 5–10 minute
 *   timeout, then watch again from the last resourceVersion seen.
 * - 410 Expired (HTTP or an in-stream ERROR) → relist, and replace the store
 *   as one diff, so consumers never see a half-built state.
 * - Failures back off with jitter; a watch that delivers no bytes for
 *   `stallMs` is cut and retried (half-open connections, stuck proxies); a
 *   watch that ends in under a second without events counts as a failure.
 * - Consumers get coalesced batches of deltas, never whole snapshots.
 */
import { Backoff, type BackoffOptions } from './backoff';
import { KubeHttpError, type KubeHttp } from './http';

/** The minimum of an object the reflector reads itself. */
export interface KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
}

export type Delta<T> = { type: 'upsert'; key: string; value: T } | { type: 'delete'; key: string };

export type ReflectorPhase = 'listing' | 'watching' | 'retrying' | 'stopped';

export interface ReflectorStatus {
  phase: ReflectorPhase;
  /** True once a list has completed: the store holds the site's state. */
  synced: boolean;
  /** Epoch ms of the last list or watch event received. */
  lastSyncAt?: number;
  /** The last failure, when retrying. */
  error?: string;
  /** Milliseconds until the next attempt, when retrying. */
  retryInMs?: number;
  resourceVersion?: string;
  relists: number;
}

export interface ReflectorOptions<T> {
  http: KubeHttp;
  /** Collection path, e.g. `/api/v1/pods` or `/apis/apps/v1/deployments`. */
  path: string;
  /** The slim projection kept in the store; never the whole object. */
  project: (obj: KubeObject & Record<string, unknown>) => T;
  onDeltas: (deltas: Delta<T>[]) => void;
  onStatus?: (s: ReflectorStatus) => void;
  pageSize?: number;
  /** Cut a watch that delivers nothing for this long (bookmarks count). */
  stallMs?: number;
  /** Coalescing window for deltas. */
  flushMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => number;
}

class Expired extends Error {
  /** Events the watch delivered before it expired. */
  eventsBefore = -1;
}

export function keyOf(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

export class Reflector<T> {
  private readonly store = new Map<string, T>();
  private rv: string | undefined;
  private stopped = false;
  private abort: AbortController | undefined;
  private readonly backoff: Backoff;
  private pending = new Map<string, Delta<T>>();
  private flushTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly status: ReflectorStatus = { phase: 'listing', synced: false, relists: 0 };
  private readonly random: () => number;
  private readonly now: () => number;
  private loop: Promise<void> | undefined;

  constructor(private readonly o: ReflectorOptions<T>) {
    this.random = o.random ?? Math.random;
    this.now = o.now ?? Date.now;
    this.backoff = new Backoff({ random: this.random, now: this.now, ...o.backoff });
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
    await this.loop;
    this.flush();
    this.setStatus({ phase: 'stopped' });
  }

  /** A read-only view of the store (for tests and snapshots on connect). */
  get items(): ReadonlyMap<string, T> {
    return this.store;
  }

  get state(): Readonly<ReflectorStatus> {
    return this.status;
  }

  private setStatus(patch: Partial<ReflectorStatus>): void {
    Object.assign(this.status, patch);
    if (patch.phase && patch.phase !== 'retrying') {
      delete this.status.error;
      delete this.status.retryInMs;
    }
    this.o.onStatus?.({ ...this.status });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.rv === undefined) await this.relist();
        await this.watch();
      } catch (e) {
        if (this.stopped) break;
        if (e instanceof Expired) {
          this.rv = undefined;
          // A watch that expires before delivering anything, again and again, would relist
          // in a hot loop against the API server; back off as for any failure.
          if (e.eventsBefore === 0) await this.sleep(this.backoff.next());
          continue;
        }
        const err = e as Error;
        let delay = this.backoff.next();
        if (err instanceof KubeHttpError && err.status === 429 && err.retryAfterSeconds) delay = Math.max(delay, err.retryAfterSeconds * 1000);
        this.setStatus({ phase: 'retrying', error: describe(err), retryInMs: Math.round(delay) });
        await this.sleep(delay);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async relist(): Promise<void> {
    this.setStatus({ phase: 'listing', relists: this.status.relists + 1 });
    this.abort = new AbortController();
    const items = new Map<string, T>();
    let rv: string;
    const limit = this.o.pageSize ?? 500;
    try {
      rv = await this.pages(limit, items);
    } catch (e) {
      // The continue token expired mid-list: one unpaginated list instead, as client-go does.
      if (!(e instanceof KubeHttpError && e.status === 410)) throw e;
      items.clear();
      rv = await this.pages(0, items);
    }
    // Replace the store as one diff.
    for (const key of this.store.keys()) if (!items.has(key)) this.queue({ type: 'delete', key });
    for (const [key, value] of items) this.queue({ type: 'upsert', key, value });
    this.store.clear();
    for (const [k, v] of items) this.store.set(k, v);
    this.rv = rv;
    this.flush();
    this.setStatus({ synced: true, lastSyncAt: this.now(), resourceVersion: rv });
  }

  private async pages(limit: number, into: Map<string, T>): Promise<string> {
    let cont: string | undefined;
    let rv: string;
    do {
      const page = await this.o.http.getJson<{ metadata: { resourceVersion: string; continue?: string }; items: (KubeObject & Record<string, unknown>)[] }>(
        this.o.path,
        { limit: limit || undefined, continue: cont },
        this.abort?.signal,
      );
      for (const item of page.items) into.set(keyOf(item), this.o.project(item));
      rv = page.metadata.resourceVersion;
      cont = page.metadata.continue || undefined;
    } while (cont && !this.stopped);
    return rv;
  }

  private async watch(): Promise<void> {
    this.setStatus({ phase: 'watching' });
    const abort = (this.abort = new AbortController());
    const started = this.now();
    let events = 0;
    let stalled = false;
    const stallMs = this.o.stallMs ?? 90_000;
    let stallTimer: NodeJS.Timeout | undefined;
    const armStall = (): void => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        stalled = true;
        abort.abort();
      }, stallMs);
    };
    armStall();
    try {
      await this.o.http.watch(
        this.o.path,
        { resourceVersion: this.rv, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(this.random() * 300) },
        {
          onData: () => {
            armStall();
            this.backoff.healthy();
          },
          onLine: (line) => {
            events++;
            this.handle(line);
          },
        },
        abort.signal,
      );
    } catch (e) {
      if (stalled) throw new Error(`watch stalled: nothing received for ${Math.round(stallMs / 1000)} s`, { cause: e });
      const expired = e instanceof Expired ? e : e instanceof KubeHttpError && e.status === 410 ? new Expired(e.message, { cause: e }) : undefined;
      if (expired) {
        // The ERROR event itself is counted as an event; what matters is whether anything useful came first.
        expired.eventsBefore = Math.max(0, events - (e instanceof Expired ? 1 : 0));
        throw expired;
      }
      throw e;
    } finally {
      clearTimeout(stallTimer);
    }
    // A watch the server closes at once, with nothing in it, is not a success.
    if (events === 0 && this.now() - started < 1000 && !this.stopped) throw new Error('watch closed immediately by the server');
  }

  private handle(line: string): void {
    const ev = JSON.parse(line) as { type: string; object: KubeObject & { code?: number; reason?: string; message?: string } & Record<string, unknown> };
    const obj = ev.object;
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const key = keyOf(obj);
        const value = this.o.project(obj);
        this.store.set(key, value);
        this.queue({ type: 'upsert', key, value });
        break;
      }
      case 'DELETED': {
        const key = keyOf(obj);
        this.store.delete(key);
        this.queue({ type: 'delete', key });
        break;
      }
      case 'BOOKMARK':
        break;
      case 'ERROR':
        if (obj.code === 410) throw new Expired(obj.message ?? 'Expired');
        throw new KubeHttpError(obj.code ?? 500, obj.reason ?? '', obj.message ?? 'watch error');
      default:
        return;
    }
    if (obj.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion;
    this.status.resourceVersion = this.rv;
    this.status.lastSyncAt = this.now();
  }

  /** Later deltas for a key replace earlier ones, so a burst reaches consumers once. */
  private queue(d: Delta<T>): void {
    this.pending.set(d.key, d);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.o.flushMs ?? 50);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.o.onDeltas(batch);
  }
}

function describe(e: Error): string {
  const code = (e as { code?: string }).code;
  if (code === 'ECONNREFUSED') return 'connection refused: the API server is not reachable';
  if (code === 'ECONNRESET') return 'connection reset by the API server';
  if (e instanceof KubeHttpError) return `${e.status} ${e.reason || ''}: ${e.message}`.replace(/ {2}/, ' ');
  return e.message;
}
