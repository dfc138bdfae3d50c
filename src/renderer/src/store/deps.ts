/**
 * What the store needs from the outside world, injected so the loading and
 * batching logic runs under Vitest (node) with a fake client and a manual
 * frame clock.
 */
import type { TriptychClient } from '../api';

export interface StoreDeps {
  /** The contract client (see src/renderer/src/api). */
  client(): Promise<TriptychClient>;
  /** Runs `fn` once before the next paint; returns a cancel function. */
  frame(fn: () => void): () => void;
  /** Runs `fn` once after `ms`; returns a cancel function. */
  timer(fn: () => void, ms: number): () => void;
  /** Runs `fn` every `ms`; returns a cancel function. */
  every(fn: () => void, ms: number): () => void;
  /** Wall-clock epoch ms (compared with the API's timestamps). */
  now(): number;
  /**
   * A performance mark. Benchmarks read `triptych:delta-applied`, whose
   * detail maps each site changed to the delta `seq` now applied.
   */
  mark(name: string, detail?: Record<string, number>): void;
}

/**
 * How long a batch may wait for an animation frame. Hidden or occluded
 * windows get no frames at all; without this the queue would grow for as
 * long as a war-room screen sits behind another window.
 */
export const FRAME_FALLBACK_MS = 250;

/** The real thing: requestAnimationFrame with a timer fallback, window timers, performance marks. */
export function browserDeps(client: () => Promise<TriptychClient>): StoreDeps {
  return {
    client,
    frame(fn) {
      let done = false;
      const run = (): void => {
        if (done) return;
        done = true;
        cancelAnimationFrame(raf);
        clearTimeout(fallback);
        fn();
      };
      const raf = requestAnimationFrame(run);
      const fallback = setTimeout(run, FRAME_FALLBACK_MS);
      return () => {
        done = true;
        cancelAnimationFrame(raf);
        clearTimeout(fallback);
      };
    },
    timer(fn, ms) {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    every(fn, ms) {
      const t = setInterval(fn, ms);
      return () => clearInterval(t);
    },
    now: () => Date.now(),
    mark(name, detail) {
      performance.mark(name, { detail });
    },
  };
}
