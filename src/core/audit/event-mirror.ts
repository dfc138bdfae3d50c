/**
 * Mirrors audit entries into the clusters as Events on the objects they
 * acted on. The trail on disk is the record; the Event is a courtesy to
 * everyone else looking at the cluster, so mirroring never blocks or fails
 * the action: it runs in the background, retries a few times with backoff
 * when the site is unreachable or overloaded, and counts what it could not
 * deliver instead of throwing.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { AuditEntry } from '../../shared/audit';
import { Backoff, type BackoffOptions } from '../kube/backoff';
import { KubeHttpError, type KubeHttp } from '../kube/http';
import { consoleInstance } from '../coordination/console-instance';
import { auditEvent, objectPath } from './kube-event';

export interface EventMirrorOptions {
  /** Attempts per Event in all (default 4). */
  attempts?: number;
  /** Delays between attempts (default 500 ms doubling, with jitter). */
  backoff?: BackoffOptions;
  /** This console's id for reportingInstance (default consoleInstance()). */
  instance?: string;
  /** Called when an attempt failed and another follows after `delayMs`. */
  onRetry?: (entry: AuditEntry, error: unknown, delayMs: number) => void;
  /** Called when an entry could not be mirrored at all. */
  onFailure?: (entry: AuditEntry, error: unknown) => void;
}

export interface MirrorStats {
  /** Events created. */
  mirrored: number;
  /** Entries given up on (refused, or still unreachable after every attempt). */
  failed: number;
  /** Entries being mirrored now (including those waiting to retry). */
  pending: number;
  /** The latest failure, in words. */
  lastError?: { seq: number; site: string; message: string; at: string };
}

/** Statuses worth another attempt: the request may succeed later unchanged. */
const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

function transient(err: unknown): boolean {
  // Anything but a server's answer is the network (refused, reset, timed out).
  return err instanceof KubeHttpError ? TRANSIENT.has(err.status) : !(err instanceof Error && err.name === 'AbortError');
}

export class EventMirror {
  private readonly counts = { mirrored: 0, failed: 0 };
  private lastError: MirrorStats['lastError'];
  private readonly inflight = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private readonly attempts: number;
  private readonly instance: string;

  /** `httpFor` gives the connection to a site (with the identity that acted there), undefined for an unknown site. */
  constructor(
    private readonly httpFor: (site: string) => KubeHttp | undefined,
    private readonly o: EventMirrorOptions = {},
  ) {
    this.attempts = Math.max(1, o.attempts ?? 4);
    this.instance = o.instance ?? consoleInstance();
  }

  /** Starts mirroring `entry` in the background; entries without a site or object are not mirrored. Never throws. */
  mirror(entry: AuditEntry): void {
    if (!entry.site || !entry.object) return;
    if (this.stop.signal.aborted) {
      this.failed(entry, new Error('not mirrored: the console is closing'));
      return;
    }
    const http = this.httpFor(entry.site);
    if (!http) {
      this.failed(entry, new Error(`no connection to site "${entry.site}"`));
      return;
    }
    const p = this.deliver(http, entry).then(
      () => void this.counts.mirrored++,
      (err: unknown) => this.failed(entry, err),
    );
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  get stats(): MirrorStats {
    return { ...this.counts, pending: this.inflight.size, lastError: this.lastError };
  }

  /** Resolves once every entry handed over so far is mirrored or given up on (for shutdown and tests). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /**
   * For shutdown: waits up to `graceMs` for what is pending, then gives up on
   * the rest (requests in flight are aborted, retries not made) and resolves
   * once nothing is left. Entries mirrored after this fail at once.
   */
  async close(graceMs = 2_000): Promise<void> {
    const grace = new AbortController();
    await Promise.race([this.settled(), delay(graceMs, undefined, { signal: grace.signal }).catch(() => undefined)]);
    grace.abort();
    this.stop.abort();
    await this.settled();
  }

  private async deliver(http: KubeHttp, entry: AuditEntry): Promise<void> {
    const uid = await this.uidOf(http, entry);
    const event = auditEvent(entry, this.instance, uid);
    if (!event) return;
    const path = `/api/v1/namespaces/${encodeURIComponent(event.metadata.namespace)}/events`;
    const backoff = new Backoff({ initialMs: 500, maxMs: 8_000, ...this.o.backoff });
    for (let attempt = 1; ; attempt++) {
      try {
        await http.send('POST', path, { body: event, signal: this.stop.signal, timeoutMs: 15_000 });
        return;
      } catch (err) {
        if (attempt >= this.attempts || !transient(err) || this.stop.signal.aborted) throw err;
        // A server that says when to come back is believed, within reason.
        const wait = err instanceof KubeHttpError && err.retryAfterSeconds ? Math.min(err.retryAfterSeconds * 1000, 30_000) : backoff.next();
        this.o.onRetry?.(entry, err, wait);
        await delay(wait, undefined, { signal: this.stop.signal });
      }
    }
  }

  /** The object's uid, which `kubectl describe` matches Events on; none when it is gone or unreadable. */
  private async uidOf(http: KubeHttp, entry: AuditEntry): Promise<string | undefined> {
    const path = entry.object && objectPath(entry.object);
    if (!path) return undefined;
    try {
      const obj = await http.getJson<{ metadata?: { uid?: unknown } }>(path, {}, this.stop.signal, 15_000);
      return typeof obj.metadata?.uid === 'string' ? obj.metadata.uid : undefined;
    } catch {
      // Still worth an Event: a deleted pod's events are how others learn what happened to it.
      return undefined;
    }
  }

  private failed(entry: AuditEntry, err: unknown): void {
    this.counts.failed++;
    const message = err instanceof Error ? err.message : String(err);
    this.lastError = { seq: entry.seq, site: entry.site ?? '', message, at: new Date().toISOString() };
    try {
      this.o.onFailure?.(entry, err);
    } catch {
      // A failing observer must not turn into an unhandled rejection.
    }
  }
}
