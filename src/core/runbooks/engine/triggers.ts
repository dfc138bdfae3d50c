/**
 * Waiting the engine's way: on the watch caches' change signal, with a poll
 * as a floor for what the caches cannot see, a deadline, and the run's abort
 * signal. Nothing here sleeps a fixed time to let something happen.
 */
import type { ClusterCache } from './cluster-cache';

/** A wait that ran out of time; `missing` says what was still not there. */
export class WaitTimeout extends Error {
  constructor(readonly missing: string) {
    super(missing);
  }
}

/** The run was aborted while a step waited. */
export class Aborted extends Error {
  constructor() {
    super('aborted');
  }
}

export interface TriggerOptions {
  cache: ClusterCache;
  site: string;
  signal: AbortSignal;
  /** Wake up after this long even if nothing changed. */
  ms: number;
  /**
   * After a change, wait this long for more before waking: a busy site sends
   * several batches a second, and every wake-up may cost a LIST or a pass
   * over 150,000 pod views.
   */
  settleMs: number;
}

/**
 * Resolves after the next change at `site` (coalesced over `settleMs`), after
 * `ms`, or at once when the signal is aborted (the caller checks it).
 */
export function nextTrigger(o: TriggerOptions): Promise<void> {
  return new Promise((resolve) => {
    let settle: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(floor);
      clearTimeout(settle);
      off();
      o.signal.removeEventListener('abort', finish);
      resolve();
    };
    // setTimeout takes at most 2^31-1 ms; longer waits just wake once early.
    const floor = setTimeout(finish, Math.max(0, Math.min(o.ms, 2 ** 31 - 1)));
    const off = o.cache.onChange((site) => {
      if (site === o.site) settle ??= setTimeout(finish, o.settleMs);
    });
    o.signal.addEventListener('abort', finish, { once: true });
    if (o.signal.aborted) finish();
  });
}

export interface WaitOptions {
  cache: ClusterCache;
  site: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Re-check at least this often (for state read from the API rather than the caches). */
  pollMs: number;
  settleMs: number;
  /** Undefined when the condition holds; else what is still missing, in words. */
  check: () => Promise<string | undefined> | string | undefined;
  /** Told each time the condition is found not to hold yet (for progress). */
  onMissing?: (missing: string) => void;
}

/**
 * Resolves once `check` holds, re-evaluating it whenever the site's caches
 * change and at least every `pollMs`; throws WaitTimeout with the last
 * `missing` at the deadline, or Aborted.
 */
export async function waitUntil(o: WaitOptions): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    if (o.signal.aborted) throw new Aborted();
    const missing = await o.check();
    if (missing === undefined) return;
    o.onMissing?.(missing);
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeout(missing);
    await nextTrigger({ cache: o.cache, site: o.site, signal: o.signal, ms: Math.min(left, o.pollMs), settleMs: o.settleMs });
  }
}
