/**
 * Keeps one site's firing alerts current. Alertmanager has no watch API, so
 * the watcher polls `/api/v2/alerts` (every 30 s by default) and compares
 * each answer with the last one by fingerprint: new fingerprints are
 * `added`, vanished ones `resolved` (Alertmanager drops an alert from the
 * list once its endsAt has passed), and the rest `updated` when their state,
 * silences or text changed.
 *
 * When a poll fails the last known alerts are kept (marked stale in the
 * status), not reported resolved: an unreachable Alertmanager says nothing
 * about whether the problems it knew of are over. Polls are then retried
 * with exponential backoff up to maxBackoffMs, and the status says why
 * (unreachable, unauthorized or error, with a message that says what to do).
 */
import { EventEmitter } from 'node:events';
import { realTimers, type Random, type Timers } from '../vault/timers';
import type { AlertQuery } from './client';
import { AlertmanagerError } from './errors';
import type { Alert, Parsed } from './normalize';
import type { AlertWatchStatus } from '../../shared/alerts';

export type { AlertWatchStatus };

/** What changed between two polls. `alerts` is the complete list after the change. */
export interface AlertChange {
  site: string;
  added: Alert[];
  resolved: Alert[];
  updated: Alert[];
  alerts: Alert[];
}

/** The events an AlertWatcher emits. */
export interface AlertWatcherEvents {
  /** Alerts were added, resolved or updated (not emitted for polls that changed nothing). */
  change: [AlertChange];
  /** The status changed (state, message, or staleness). */
  status: [AlertWatchStatus];
}

/** What the watcher needs of a client: AlertmanagerClient fits. */
export interface AlertSource {
  alerts(query?: AlertQuery): Promise<Parsed<Alert>>;
}

export interface AlertWatcherOptions {
  /** The site id, carried in every change. */
  site: string;
  source: AlertSource;
  /** Between successful polls, ms; default 30 s. */
  intervalMs?: number;
  /** Longest wait between failed polls, ms; default 5 min. */
  maxBackoffMs?: number;
  query?: AlertQuery;
  timers?: Timers;
  random?: Random;
}

/** Polls one site's Alertmanager and reports what changed. */
export class AlertWatcher extends EventEmitter<AlertWatcherEvents> {
  readonly site: string;
  private readonly o: Required<Omit<AlertWatcherOptions, 'query'>> & { query: AlertQuery };
  private current = new Map<string, Alert>();
  private st: AlertWatchStatus = { state: 'starting', stale: false, failures: 0, skipped: 0 };
  private timer: unknown;
  private running = false;
  private inFlight: Promise<void> | undefined;

  constructor(opts: AlertWatcherOptions) {
    super();
    this.site = opts.site;
    this.o = {
      intervalMs: 30_000,
      maxBackoffMs: 5 * 60_000,
      timers: realTimers,
      random: Math.random,
      ...opts,
      query: opts.query ?? {},
    };
  }

  /** The alerts as of the last successful poll, oldest first. */
  get alerts(): Alert[] {
    return [...this.current.values()];
  }

  get status(): AlertWatchStatus {
    return { ...this.st };
  }

  /** Polls now and then on schedule. Idempotent. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.poll();
  }

  /** Stops polling; the last alerts stay readable. */
  stop(): void {
    this.running = false;
    this.o.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Polls now (joining a poll already under way) and resolves once its
   * result has been applied and its events emitted. For a "refresh" button,
   * and for tests to wait on instead of sleeping.
   */
  refresh(): Promise<void> {
    return this.poll();
  }

  private poll(): Promise<void> {
    this.inFlight ??= this.pollOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async pollOnce(): Promise<void> {
    this.o.timers.clearTimeout(this.timer);
    let delay: number;
    try {
      const { items, skipped } = await this.o.source.alerts(this.o.query);
      this.apply(items);
      this.setStatus({ state: 'ok', stale: false, lastSuccessAt: this.o.timers.now(), failures: 0, skipped });
      delay = this.o.intervalMs;
    } catch (err) {
      const failures = this.st.failures + 1;
      // Doubling from the interval, ±10 % so that consoles restarted together do not poll in step.
      const base = Math.min(this.o.intervalMs * 2 ** Math.min(failures - 1, 20), this.o.maxBackoffMs);
      delay = Math.max(this.o.intervalMs, base * (0.9 + 0.2 * this.o.random()));
      const { state, message } = describeFailure(err);
      const { lastSuccessAt } = this.st;
      this.setStatus({ state, message, stale: this.current.size > 0, failures, skipped: this.st.skipped, ...(lastSuccessAt !== undefined ? { lastSuccessAt } : {}) });
    }
    if (!this.running) return;
    this.st.nextPollAt = this.o.timers.now() + delay;
    this.timer = this.o.timers.setTimeout(() => this.poll(), delay);
  }

  private apply(items: Alert[]): void {
    const next = new Map(items.map((a) => [a.fingerprint, a]));
    const added: Alert[] = [];
    const updated: Alert[] = [];
    const resolved: Alert[] = [];
    for (const [fp, a] of next) {
      const before = this.current.get(fp);
      if (!before) added.push(a);
      else if (differs(before, a)) updated.push(a);
    }
    for (const [fp, a] of this.current) if (!next.has(fp)) resolved.push(a);
    this.current = next;
    if (added.length || updated.length || resolved.length) this.emit('change', { site: this.site, added, resolved, updated, alerts: items });
  }

  private setStatus(s: AlertWatchStatus): void {
    const before = this.st;
    this.st = s;
    if (before.state !== s.state || before.message !== s.message || before.stale !== s.stale || before.skipped !== s.skipped) this.emit('status', { ...s });
  }
}

/**
 * Whether an alert changed in a way worth showing: state, silences,
 * inhibitions, text. updatedAt and endsAt are left out: Prometheus re-sends
 * firing alerts every minute or so with a later endsAt, which is not news.
 */
function differs(a: Alert, b: Alert): boolean {
  const strip = ({ updatedAt: _u, endsAt: _e, ...rest }: Alert) => rest;
  return JSON.stringify(strip(a)) !== JSON.stringify(strip(b));
}

function describeFailure(err: unknown): { state: AlertWatchStatus['state']; message: string } {
  if (err instanceof AlertmanagerError) {
    if (err.kind === 'unreachable' || err.kind === 'timeout') return { state: 'unreachable', message: err.message };
    if (err.kind === 'unauthorized' || err.kind === 'forbidden') return { state: 'unauthorized', message: err.message };
    return { state: 'error', message: err.message };
  }
  return { state: 'error', message: `Reading alerts failed: ${err instanceof Error ? err.message : String(err)}` };
}
