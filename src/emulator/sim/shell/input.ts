/**
 * Standard input: a queue the client feeds and processes read, fixed-text
 * readers for pipes and `<` redirections, and line reading on top of both.
 */

/** Something a process can read its stdin from. */
export interface Reader {
  /** The next chunk, or undefined at end of input. Rejects with the signal's reason on abort. */
  read(sig: AbortSignal): Promise<string | undefined>;
  /** Gives back what a line reader took beyond its newline, for the next reader. */
  unread(text: string): void;
}

const EOF = Symbol('eof');

/** The exec's stdin. A tty can send a one-shot EOF (Ctrl-D) without closing it. */
export class InputQueue implements Reader {
  private readonly items: (string | typeof EOF)[] = [];
  private closed = false;
  private readonly waiters = new Set<() => void>();

  push(text: string): void {
    if (text === '' || this.closed) return;
    this.items.push(text);
    this.wake();
  }

  /** A single end-of-file for the current reader (tty Ctrl-D on an empty line). */
  eof(): void {
    this.items.push(EOF);
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  unread(text: string): void {
    if (text !== '') this.items.unshift(text);
  }

  async read(sig: AbortSignal): Promise<string | undefined> {
    for (;;) {
      if (sig.aborted) throw sig.reason as Error;
      const item = this.items.shift();
      if (item === EOF) return undefined;
      if (item !== undefined) return item;
      if (this.closed) return undefined;
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          this.waiters.delete(done);
          reject(sig.reason as Error);
        };
        const done = (): void => {
          sig.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiters.add(done);
        sig.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  private wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }
}

/** A fixed text as stdin: pipes (buffered) and `<` redirections. */
export function textReader(text: string): Reader {
  const chunks = text === '' ? [] : [text];
  return {
    read: (sig) => {
      if (sig.aborted) return Promise.reject(sig.reason as Error);
      return Promise.resolve(chunks.shift());
    },
    unread: (t) => {
      if (t !== '') chunks.unshift(t);
    },
  };
}

/** Reads one line (with its newline), or what is left before EOF, or undefined at EOF. */
export async function readLine(r: Reader, sig: AbortSignal): Promise<string | undefined> {
  let acc = '';
  for (;;) {
    const chunk = await r.read(sig);
    if (chunk === undefined) return acc === '' ? undefined : acc;
    const nl = chunk.indexOf('\n');
    if (nl >= 0) {
      r.unread(chunk.slice(nl + 1));
      return acc + chunk.slice(0, nl + 1);
    }
    acc += chunk;
  }
}
