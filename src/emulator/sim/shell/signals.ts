/**
 * Signals and control flow shared by every program in the container: the
 * signals a process can die of, the `exit` builtin's unwinding, and an
 * abortable sleep.
 */

/** A signal delivered to a process, used as an AbortSignal reason. */
export class Signal extends Error {
  constructor(
    readonly sig: 'INT' | 'KILL',
    readonly num: number,
  ) {
    super(`SIG${sig}`);
  }
}
/** Ctrl-C: the foreground job dies with 130, an interactive shell carries on. */
export const SIGINT = new Signal('INT', 2);
/** The pod went away: the exec dies with 137. */
export const SIGKILL = new Signal('KILL', 9);

/** Thrown by the `exit` builtin; the shell that runs it returns the code. */
export class ExitRequest {
  constructor(readonly code: number) {}
}

/** Waits `ms`, or rejects with the signal's reason as soon as `sig` aborts. */
export function delay(ms: number, sig: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sig.aborted) return reject(sig.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(sig.reason as Error);
    };
    const timer = setTimeout(() => {
      sig.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    sig.addEventListener('abort', onAbort, { once: true });
  });
}
