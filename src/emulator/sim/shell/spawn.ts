/** Running a binary as a child process of an exec. */
import type { Binary, Box, Io } from './types';

/** Removes the last occurrence of item (if any) from list. */
export function removeItem<T>(list: T[], item: T | undefined): void {
  const i = item === undefined ? -1 : list.lastIndexOf(item);
  if (i >= 0) list.splice(i, 1);
}

/**
 * Runs a binary as a child, listed by `ps` and the foreground job for Ctrl-C.
 * A signal that kills it propagates: a script dies of it, an interactive REPL absorbs it.
 */
export async function spawn(parent: { box: Box; sig: AbortSignal }, bin: Binary, argv: string[], env: Map<string, string>, cwd: string, io: Io): Promise<number> {
  const box = parent.box;
  const job = new AbortController();
  box.fg.push(job);
  const pid = box.nextPid();
  box.procs.push({ pid, cmd: argv.join(' ') });
  try {
    return (await bin({ box, argv, env, cwd, io, sig: AbortSignal.any([parent.sig, job.signal]), pid })) & 255;
  } finally {
    removeItem(box.fg, job);
    removeItem(box.procs, box.procs.find((p) => p.pid === pid));
  }
}
