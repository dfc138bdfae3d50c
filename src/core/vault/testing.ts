/**
 * Test support: timers on a manual clock. `advance` moves the clock and runs
 * every timer that falls due, in order, waiting for the promise each
 * callback returns (a renewal's HTTP round trip) before the next, so a test
 * can jump an hour ahead and then assert on what happened on the way.
 */
import type { Timers } from './timers';

interface Pending {
  id: number;
  at: number;
  fn: () => unknown;
}

export class ManualTimers implements Timers {
  private t: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start: number) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => unknown, ms: number): unknown {
    const p = { id: ++this.seq, at: this.t + Math.max(0, ms), fn };
    this.pending.push(p);
    return p.id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Due times of the timers still pending, earliest first. */
  due(): number[] {
    return this.pending.map((p) => p.at).sort((a, b) => a - b);
  }

  /** Moves the clock by `ms`, running due timers in time order (and those they set, if due). */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.t + ms);
  }

  async advanceTo(end: number): Promise<void> {
    for (;;) {
      const next = [...this.pending].sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next || next.at > end) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.t = Math.max(this.t, next.at);
      await next.fn();
      // Let promise chains the callback started but did not return settle too.
      await new Promise((r) => setImmediate(r));
    }
    this.t = Math.max(this.t, end);
  }
}
