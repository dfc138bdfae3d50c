/**
 * Triptych's own reflector: keeps a local copy of one resource of one site,
 * with client-go's semantics (see NOTES §2) rather than client-node's
 * informer, which stops for good on errors and never recycles hung watches.
 *
 * - Sync by streaming list (WatchList, KEP-3157) where the server supports it:
 *   one watch request sends the current state as ADDED events, then a bookmark
 *   annotated `k8s.io/initial-events-end`, and goes on as a normal watch. Far
 *   less memory on both sides than a LIST of 150,000 pods.
 * - Otherwise list in pages (`limit`), all pages at the list's resourceVersion;
 *   an expired continue token falls back to one unpaginated list.
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
import { KubeHttpError, type KubeHttp, type Query } from './http';

/** The minimum of an object the reflector reads itself. */
export interface KubeObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string };
}

export type Delta<T> = { type: 'upsert'; key: string; value: T } | { type: 'delete'; key: string };

export type ReflectorPhase = 'listing' | 'watching' | 'retrying' | 'stopped';

/** How a sync got the site's state: a streaming list or a paginated LIST. */
export type SyncMode = 'watch-list' | 'list';

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
  /** How the last sync was done. */
  syncMode?: SyncMode;
  /** Why this reflector lists instead of streaming, once the server has shown it cannot. */
  watchListFallback?: string;
}

export interface ReflectorOptions<T> {
  http: KubeHttp;
  /** Collection path, e.g. `/api/v1/pods` or `/apis/apps/v1/deployments`. */
  path: string;
  /** The slim projection kept in the store; never the whole object. */
  project: (obj: KubeObject & Record<string, unknown>) => T;
  /** A coalesced batch; `receivedAt` is when its oldest change reached us (epoch ms, from `now`). */
  onDeltas: (deltas: Delta<T>[], receivedAt: number) => void;
  onStatus?: (s: ReflectorStatus) => void;
  pageSize?: number;
  /** Cut a watch that delivers nothing for this long (bookmarks count). */
  stallMs?: number;
  /** Coalescing window for deltas. */
  flushMs?: number;
  /** Sync by streaming list when the server supports it (default true); false forces LIST. */
  watchList?: boolean;
  /**
   * During a streaming list, how long to wait for the initial-events-end bookmark after the
   * last initial ADDED (or the response's headers) before deciding that the server ignores
   * sendInitialEvents. A server that does support it sends the bookmark about a second after
   * its last initial event. (Before the headers, a slow server is a matter for `stallMs`.)
   */
  initialEventsQuietMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => number;
}

class Expired extends Error {
  /** Events the watch delivered (and the store took) before it expired. */
  eventsBefore = -1;
}

/** The server cannot do streaming lists: this reflector lists from now on. */
class WatchListUnsupported extends Error {}

/** A streaming list failed in a way that says nothing about support: list this time, stream next time. */
class WatchListFailed extends Error {}

/**
 * Statuses by which a server refuses the streaming list's parameters: 422 from an apiserver
 * with the WatchList gate off or before 1.27 (resourceVersionMatch on a watch), 400/404/405/415
 * from proxies and aggregated servers that do not know them, 403 from policies that forbid them.
 */
const WATCH_LIST_REJECTED = new Set([400, 403, 404, 405, 415, 422]);

const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

type WatchEvent = {
  type: string;
  object: KubeObject & {
    metadata: { annotations?: Record<string, string> };
    code?: number;
    reason?: string;
    message?: string;
  } & Record<string, unknown>;
};

export function keyOf(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

export class Reflector<T> {
  private readonly store = new Map<string, T>();
  private rv: string | undefined;
  private stopped = false;
  private abort: AbortController | undefined;
  /** Why the request in flight was cut from outside (see interrupt). */
  private interruption: Error | undefined;
  private readonly backoff: Backoff;
  private pending = new Map<string, Delta<T>>();
  private pendingSince = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly status: ReflectorStatus = { phase: 'listing', synced: false, relists: 0 };
  private readonly random: () => number;
  private readonly now: () => number;
  private loop: Promise<void> | undefined;
  /** False once the server has shown it cannot do streaming lists, or when the caller forbids them. */
  private watchListOk: boolean;
  /** The next sync lists, after a streaming list that failed for no telling reason. */
  private listOnce = false;
  /** The next LIST takes over from a streaming list that failed just now: the same sync, not one more relist. */
  private fallingBack = false;
  /** A streaming list's state until its initial-events-end bookmark; never seen by consumers. */
  private initial: Map<string, T> | undefined;

  constructor(private readonly o: ReflectorOptions<T>) {
    this.watchListOk = o.watchList ?? true;
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

  /** Ends a wait between retries at once (new credentials arrived: no reason to wait out the backoff). */
  retryNow(): void {
    if (this.status.phase === 'retrying') this.wake?.();
  }

  /**
   * Ends the request in flight (the credentials it was made with are withdrawn: signed out of
   * Vault). A watch would otherwise run on until its timeout, minutes later, as if nothing
   * happened; the next request carries the credentials there are now, or fails saying there are none.
   */
  interrupt(why: string): void {
    if (this.status.phase === 'retrying') return this.retryNow();
    this.interruption = new Error(why);
    this.abort?.abort();
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
        if (this.rv !== undefined) await this.watch();
        else if (this.watchListOk && !this.listOnce) await this.watchList();
        else {
          this.listOnce = false;
          await this.relist();
          await this.watch();
        }
      } catch (e) {
        if (this.stopped) break;
        // Both fall back to a LIST at once, without backoff: the server answered, just not usefully.
        if (e instanceof WatchListUnsupported) {
          this.watchListOk = false;
          this.fallingBack = true;
          this.setStatus({ watchListFallback: e.message });
          continue;
        }
        if (e instanceof WatchListFailed) {
          this.listOnce = true;
          this.fallingBack = true;
          continue;
        }
        if (e instanceof Expired) {
          this.rv = undefined;
          // A watch that expires before delivering anything, again and again, would relist
          // in a hot loop against the API server; back off as for any failure.
          if (e.eventsBefore === 0) await this.sleep(this.backoff.next());
          continue;
        }
        // A request cut by interrupt() failed for that reason, whatever the abort looked like.
        const err = this.interruption ?? (e as Error);
        this.interruption = undefined;
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
    this.setStatus({ phase: 'listing', relists: this.status.relists + (this.fallingBack ? 0 : 1) });
    this.fallingBack = false;
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
    this.replaceStore(items, rv, 'list');
  }

  /**
   * Syncs by streaming list: the state arrives as ADDED events into `initial`, then the
   * initial-events-end bookmark replaces the store and the same stream goes on as a watch.
   */
  private async watchList(): Promise<void> {
    this.setStatus({ phase: 'listing', relists: this.status.relists + 1 });
    this.initial = new Map();
    try {
      // No resourceVersion: the most recent state, as a consistent read (client-go sends "", which
      // its encoder omits). Sync after a 410 must not ask for the expired version again anyway.
      await this.stream({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan' });
    } finally {
      this.initial = undefined;
    }
  }

  /** Replaces the store as one diff (deletes for keys gone, upserts for the rest, one flush), so consumers never see a half-built state. */
  private replaceStore(items: ReadonlyMap<string, T>, rv: string, mode: SyncMode): void {
    for (const key of this.store.keys()) if (!items.has(key)) this.queue({ type: 'delete', key });
    for (const [key, value] of items) this.queue({ type: 'upsert', key, value });
    this.store.clear();
    for (const [k, v] of items) this.store.set(k, v);
    this.rv = rv;
    this.flush();
    this.setStatus({ synced: true, syncMode: mode, lastSyncAt: this.now(), resourceVersion: rv });
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
    await this.stream({ resourceVersion: this.rv });
  }

  /**
   * One watch request, its events applied to the store, or collected into `initial` while a
   * streaming list has not reached its initial-events-end bookmark.
   */
  private async stream(query: Query): Promise<void> {
    const abort = (this.abort = new AbortController());
    const started = this.now();
    let events = 0;
    /** Events the store took: a streaming list's initial events and bookmark are not among them. */
    let applied = 0;
    /** Why we cut the request ourselves, if we did. */
    let cut: Error | undefined;
    const cutAfter = (ms: number, why: () => Error): Deadline =>
      deadline(ms, () => {
        cut ??= why();
        abort.abort();
      });
    const stallMs = this.o.stallMs ?? 90_000;
    const stall = cutAfter(stallMs, () => new Error(`watch stalled: nothing received for ${duration(stallMs)}`));
    // A server that ignores sendInitialEvents sends the state as ADDEDs (an old-style watch from
    // "now") and then never the end bookmark: without this, the reflector would wait forever.
    // Armed once the server accepts the request: an apiserver may take its time before that
    // (waiting for its watch cache), which is no sign of anything.
    const quietMs = this.o.initialEventsQuietMs ?? 10_000;
    let quiet: Deadline | undefined;
    const armQuiet = (): void => {
      quiet = cutAfter(quietMs, () => new WatchListUnsupported(`no ${INITIAL_EVENTS_END} bookmark ${duration(quietMs)} after the last initial event: the server ignores sendInitialEvents`));
    };
    try {
      await this.o.http.watch(
        this.o.path,
        { ...query, allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(this.random() * 300) },
        {
          onResponse: () => {
            if (this.initial) armQuiet();
          },
          onData: () => {
            stall.push();
            this.backoff.healthy();
          },
          onLine: (line) => {
            events++;
            const collecting = this.initial !== undefined;
            const type = this.handle(line);
            if (!collecting) applied++;
            else if (this.initial === undefined) quiet?.clear();
            else if (type === 'ADDED') quiet?.push();
          },
        },
        abort.signal,
      );
    } catch (e) {
      if (cut) cut.cause = e;
      throw this.failure(cut ?? e, applied);
    } finally {
      stall.clear();
      quiet?.clear();
    }
    if (this.stopped) return;
    // An old server's watch, or an apiserver restarting (which ends watches cleanly), or a proxy's
    // timeout: no telling which, so list this time only.
    if (this.initial) throw new WatchListFailed(`the stream ended before the ${INITIAL_EVENTS_END} bookmark`);
    // A watch the server closes at once, with nothing in it, is not a success.
    if (events === 0 && this.now() - started < 1000) throw new Error('watch closed immediately by the server');
  }

  /** What a failed stream means for the run loop. */
  private failure(e: unknown, applied: number): unknown {
    const expired = e instanceof Expired ? e : e instanceof KubeHttpError && e.status === 410 ? new Expired(e.message, { cause: e }) : undefined;
    if (expired) {
      // What matters for backoff is whether the store took anything before the 410.
      expired.eventsBefore = applied;
      return expired;
    }
    if (!this.initial || e instanceof WatchListUnsupported) return e;
    // Still before the initial-events-end bookmark: is it the streaming list that fails?
    if (e instanceof KubeHttpError && WATCH_LIST_REJECTED.has(e.status)) return new WatchListUnsupported(`the server rejected the streaming list: ${describe(e)}`, { cause: e });
    // Client-go lists after any such failure too: making progress beats waiting on a feature.
    if (e instanceof KubeHttpError && e.status >= 500) return new WatchListFailed(`streaming list failed: ${describe(e)}`, { cause: e });
    // Stalls, 429, network errors: retried with backoff, as for any watch.
    return e;
  }

  /** Parses one event and applies it, or collects it during a streaming list; returns its type. */
  private handle(line: string): string {
    const ev = JSON.parse(line) as WatchEvent;
    const obj = ev.object;
    if (ev.type === 'ERROR') {
      if (obj.code === 410) throw new Expired(obj.message ?? 'Expired');
      throw new KubeHttpError(obj.code ?? 500, obj.reason ?? '', obj.message ?? 'watch error');
    }
    if (this.initial) this.collect(ev, this.initial);
    else this.apply(ev);
    return ev.type;
  }

  private apply({ type, object: obj }: WatchEvent): void {
    switch (type) {
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
      default:
        return;
    }
    if (obj.metadata?.resourceVersion) this.rv = obj.metadata.resourceVersion;
    this.status.resourceVersion = this.rv;
    this.status.lastSyncAt = this.now();
  }

  /**
   * A streaming list's initial phase. Besides the synthetic ADDEDs, changes made meanwhile may
   * come before the end bookmark; all of them only build the next state.
   */
  private collect({ type, object: obj }: WatchEvent, items: Map<string, T>): void {
    switch (type) {
      case 'ADDED':
      case 'MODIFIED':
        items.set(keyOf(obj), this.o.project(obj));
        return;
      case 'DELETED':
        items.delete(keyOf(obj));
        return;
      case 'BOOKMARK':
        // The apiserver holds back every bookmark until it can send the annotated one; a plain
        // bookmark first means an old-style watch: the server ignored sendInitialEvents.
        if (obj.metadata.annotations?.[INITIAL_EVENTS_END] !== 'true') {
          throw new WatchListUnsupported(`a bookmark without ${INITIAL_EVENTS_END} came first: the server ignores sendInitialEvents`);
        }
        this.initial = undefined;
        this.replaceStore(items, obj.metadata.resourceVersion ?? '', 'watch-list');
        this.setStatus({ phase: 'watching' });
        return;
    }
  }

  /** Later deltas for a key replace earlier ones, so a burst reaches consumers once. */
  private queue(d: Delta<T>): void {
    if (this.pending.size === 0) this.pendingSince = this.now();
    this.pending.set(d.key, d);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.o.flushMs ?? 50);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.o.onDeltas(batch, this.pendingSince);
  }
}

interface Deadline {
  push(): void;
  clear(): void;
}

/** A timeout that can be pushed back or cleared; it fires at most once. */
function deadline(ms: number, fire: () => void): Deadline {
  let timer = setTimeout(fire, ms);
  return {
    push: () => {
      clearTimeout(timer);
      timer = setTimeout(fire, ms);
    },
    clear: () => clearTimeout(timer),
  };
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function describe(e: Error): string {
  const code = (e as { code?: string }).code;
  if (code === 'ECONNREFUSED') return 'connection refused: the API server is not reachable';
  if (code === 'ECONNRESET') return 'connection reset by the API server';
  if (e instanceof KubeHttpError) return `${e.status} ${e.reason || ''}: ${e.message}`.replace(/ {2}/, ' ');
  return e.message;
}
