/**
 * Time as the Vault code sees it: a clock and one-shot timers, injected so
 * that tests move time instead of sleeping, and a random source for the
 * jitter that keeps 80 consoles from renewing in the same second.
 */

/** A clock in epoch ms and one-shot timers. A callback may return a promise (tests wait for it). */
export interface Timers {
  now(): number;
  setTimeout(fn: () => unknown, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** setTimeout's longest delay (about 24.8 days); longer ones fire at once in Node, so they are capped. */
const MAX_DELAY = 2 ** 31 - 1;

/** The process's clock and timers. Timers are unref'd: a pending renewal must not keep a finished process alive. */
export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(() => void fn(), Math.min(Math.max(0, ms), MAX_DELAY));
    t.unref();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Uniform in [0, 1). */
export type Random = () => number;
