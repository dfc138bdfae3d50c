/**
 * Retry delays as client-go's reflector uses them: 800 ms doubling to 30 s,
 * with jitter so that three consoles do not hammer a recovering site in step,
 * reset once the connection has been healthy for two minutes.
 */
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  resetAfterMs?: number;
  /** Fraction of random extra delay, 0–1. */
  jitter?: number;
  random?: () => number;
  now?: () => number;
}

export class Backoff {
  private attempt = 0;
  private healthySince: number | undefined;
  private readonly o: Required<BackoffOptions>;

  constructor(opts: BackoffOptions = {}) {
    this.o = { initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000, jitter: 0.5, random: Math.random, now: Date.now, ...opts };
  }

  /** The connection works (again): start counting healthy time. */
  healthy(): void {
    this.healthySince ??= this.o.now();
  }

  /** The delay before the next attempt after a failure. */
  next(): number {
    const now = this.o.now();
    if (this.healthySince !== undefined && now - this.healthySince >= this.o.resetAfterMs) this.attempt = 0;
    this.healthySince = undefined;
    const base = Math.min(this.o.maxMs, this.o.initialMs * 2 ** this.attempt);
    this.attempt++;
    return Math.min(this.o.maxMs, base * (1 + this.o.jitter * this.o.random()));
  }

  get attempts(): number {
    return this.attempt;
  }
}
