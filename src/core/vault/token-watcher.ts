/**
 * Keeps the Vault token alive on the schedule of Vault's own LifetimeWatcher
 * (api/lifetime_watcher.go):
 *
 * - a grace period of 10–20 % of the lease (random, so that many consoles do
 *   not renew in step), recomputed while renewals still extend the lease;
 * - renew after 2/3 of what remains plus 1/3 of the grace;
 * - once what remains is within the grace, or the next sleep would end there
 *   (the max TTL has stopped renewals from extending), stop and report
 *   `expiring`: only a new sign-in helps then;
 * - a failed renewal is retried with exponential backoff from 10 s (×2, ±50 %)
 *   up to 5 min between tries, and given up once the next try would fall
 *   after the token's end.
 *
 * Two differences: the first renewal waits for that schedule instead of
 * renewing at once (the token was just issued or looked up), and a 403 stops
 * at once as `revoked` (no retry can make Vault accept a revoked token).
 */
import type { VaultError } from './errors';
import type { Random, Timers } from './timers';

/** What renew-self granted. */
export interface Renewal {
  /** Seconds from now. */
  ttl: number;
  renewable: boolean;
}

export type WatcherEvent =
  | { type: 'renewed'; ttl: number; expiresAt: number }
  | { type: 'renew-failed'; error: VaultError; retryAt: number; expiresAt: number }
  /** Renewal stopped extending (max TTL) or is not possible: sign in again before `expiresAt`. */
  | { type: 'expiring'; expiresAt: number; reason: 'max-ttl' | 'not-renewable' }
  /** Vault refused the token (403): it was revoked or has expired. */
  | { type: 'revoked'; error: VaultError }
  /** Renewals kept failing until the token's end came too close to try again. */
  | { type: 'gave-up'; error: VaultError; expiresAt: number };

export interface TokenWatcherOptions {
  /** Calls renew-self. */
  renew: (incrementSeconds?: number) => Promise<Renewal>;
  /** Seconds left on the token now; 0 = never expires (nothing to watch). */
  ttl: number;
  renewable: boolean;
  /** Seconds to ask for at each renewal; default: none (Vault grants the token's own TTL again). */
  increment?: number;
  timers: Timers;
  random: Random;
  onEvent: (e: WatcherEvent) => void;
  /** First retry after a failed renewal, ms; default 10 s as in Vault. */
  initialRetryMs?: number;
  /** Longest wait between retries, ms; default 5 min. */
  maxRetryMs?: number;
}

export class TokenWatcher {
  private timer: unknown;
  private stopped = false;
  private grace = 0;
  /** Start of the current lease and its length (ms): what remains is computed from these. */
  private leaseStart: number;
  private leaseMs: number;
  private priorMs: number;
  /** Exponential backoff state while renewals fail. */
  private backoff: { startedAt: number; maxElapsedMs: number; intervalMs: number } | undefined;

  constructor(private readonly o: TokenWatcherOptions) {
    this.leaseStart = o.timers.now();
    this.leaseMs = o.ttl * 1000;
    this.priorMs = this.leaseMs;
    this.calculateGrace(this.leaseMs);
  }

  /** Grace in ms (exposed for tests: it must lie in 10–20 % of the lease). */
  get graceMs(): number {
    return this.grace;
  }

  start(): void {
    if (this.o.ttl <= 0) return;
    this.plan(this.leaseMs, !this.o.renewable);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private remaining(): number {
    return this.leaseStart + this.leaseMs - this.o.timers.now();
  }

  /** Vault's grace: 10 % of the lease plus a random 0–10 % (the increment, if smaller, is the basis). */
  private calculateGrace(leaseMs: number): void {
    const inc = (this.o.increment ?? 0) * 1000;
    const basis = inc > 0 && inc < leaseMs ? inc : leaseMs;
    if (basis <= 0) {
      this.grace = 0;
      return;
    }
    const jitterMax = 0.1 * basis;
    this.grace = jitterMax + Math.floor(this.o.random() * jitterMax);
  }

  /** Sleeps until the next renewal, or reports `expiring` when that would land inside the grace. */
  private plan(remainingMs: number, notRenewable: boolean): void {
    if (remainingMs > this.priorMs) this.calculateGrace(remainingMs);
    const sleep = (remainingMs * 2) / 3 + this.grace / 3;
    this.priorMs = remainingMs;
    const now = this.o.timers.now();
    if (notRenewable || remainingMs <= this.grace || remainingMs - sleep <= this.grace) {
      this.stopped = true;
      this.o.onEvent({ type: 'expiring', expiresAt: now + remainingMs, reason: notRenewable ? 'not-renewable' : 'max-ttl' });
      return;
    }
    this.schedule(sleep);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.o.timers.setTimeout(() => this.renew(), ms);
  }

  private async renew(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    let renewal: Renewal;
    try {
      renewal = await this.o.renew(this.o.increment);
    } catch (err) {
      if (this.stopped) return;
      this.failed(err as VaultError);
      return;
    }
    if (this.stopped) return;
    this.backoff = undefined;
    this.leaseStart = this.o.timers.now();
    this.leaseMs = renewal.ttl * 1000;
    this.o.onEvent({ type: 'renewed', ttl: renewal.ttl, expiresAt: this.leaseStart + this.leaseMs });
    this.plan(this.leaseMs, !renewal.renewable);
  }

  private failed(error: VaultError): void {
    const now = this.o.timers.now();
    if (error.kind === 'permission-denied') {
      this.stopped = true;
      this.o.onEvent({ type: 'revoked', error });
      return;
    }
    const remaining = this.remaining();
    if (!this.backoff) this.backoff = { startedAt: now, maxElapsedMs: remaining, intervalMs: this.o.initialRetryMs ?? 10_000 };
    const b = this.backoff;
    // cenkalti/backoff as Vault configures it: ±50 % around the interval, which doubles up to the maximum.
    const next = b.intervalMs * (0.5 + this.o.random());
    b.intervalMs = Math.min(b.intervalMs * 2, this.o.maxRetryMs ?? 300_000);
    const expiresAt = this.leaseStart + this.leaseMs;
    if (now - b.startedAt + next > b.maxElapsedMs) {
      this.stopped = true;
      this.o.onEvent({ type: 'gave-up', error, expiresAt });
      return;
    }
    this.o.onEvent({ type: 'renew-failed', error, retryAt: now + next, expiresAt });
    this.schedule(next);
  }
}
