/**
 * Batches of log entries into the terminal, a group of lines at a time and
 * a few milliseconds at a time.
 *
 * xterm parses what one `write` hands it in one go, and goes on with the
 * next write for ~12 ms before it yields: a whole batch written at once —
 * thousands of lines, a megabyte or more — is one long task, and a flood
 * keeps the page busy from one frame to the next. Keystrokes then wait. Here
 * each group is formatted and written when the terminal has taken in the
 * previous one (its write callback), and once `budgetMs` have gone on
 * writing, the rest waits until the page has painted (`afterFrame`).
 *
 * A batch is `done` once all its entries are in the terminal: the view then
 * acknowledges it. The core holds at most two batches unacknowledged and
 * counts the lines it skips for a view that cannot keep up as dropped (in a
 * marker the view shows), so what waits here is bounded and nothing is lost
 * without a count. The view itself drops nothing.
 */
import type { LogEntry } from '../../../shared/logs';

/** What the feed needs of a terminal. */
export interface FeedTerminal {
  write(data: string, callback: () => void): void;
}

export interface FeedOptions {
  /** Entries formatted and written at a time. */
  groupSize: number;
  /** Milliseconds spent writing before the page gets to paint, at most (give or take one group). */
  budgetMs: number;
  /** Terminal text for one entry. */
  format: (e: LogEntry) => string;
  /** Runs `fn` once the page has painted (and handled input) in between. */
  afterFrame: (fn: () => void) => void;
  now: () => number;
}

interface Pending {
  entries: LogEntry[];
  /** Next entry to write. */
  at: number;
  done: () => void;
}

export class LogFeed {
  private readonly queue: Pending[] = [];
  private writing = false;
  private waitingForFrame = false;
  private closed = false;
  /** When the current stretch of writing began (since the last paint, or since there was nothing to write). */
  private busySince: number | undefined;
  /** Lines (not markers) in the terminal. */
  written = 0;
  /** Lines waiting to be written. */
  queued = 0;

  constructor(
    private readonly term: FeedTerminal,
    private readonly o: FeedOptions,
  ) {}

  /** Queues a batch's entries; `done` runs once they are all in the terminal (at once for an empty batch with nothing ahead of it). */
  push(entries: LogEntry[], done: () => void): void {
    if (this.closed) return;
    this.queued += lines(entries, 0, entries.length);
    this.queue.push({ entries, at: 0, done });
    this.pump();
  }

  /** Stops writing; batches still queued are never done. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.queued = 0;
  }

  private pump(): void {
    while (!this.writing && !this.waitingForFrame && !this.closed) {
      const head = this.queue[0];
      if (!head) {
        this.busySince = undefined;
        return;
      }
      if (head.at >= head.entries.length) {
        this.queue.shift();
        head.done();
        continue;
      }
      const t = this.o.now();
      if (this.busySince === undefined) {
        this.busySince = t;
      } else if (t - this.busySince >= this.o.budgetMs) {
        // This frame's share is spent: let it paint (and input be handled) first.
        this.waitingForFrame = true;
        this.o.afterFrame(() => {
          this.waitingForFrame = false;
          this.busySince = this.o.now();
          this.pump();
        });
        return;
      }
      const from = head.at;
      const to = Math.min(head.entries.length, from + this.o.groupSize);
      head.at = to;
      let text = '';
      for (let i = from; i < to; i++) text += this.o.format(head.entries[i] as LogEntry);
      const n = lines(head.entries, from, to);
      this.writing = true;
      this.term.write(text, () => {
        this.writing = false;
        if (this.closed) return;
        this.written += n;
        this.queued -= n;
        this.pump();
      });
    }
  }
}

function lines(entries: LogEntry[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if ((entries[i] as LogEntry).kind === 'line') n++;
  return n;
}

/** How long the feed waits for a frame that does not come (a hidden window gets none). */
const FRAME_FALLBACK_MS = 250;

/** After `frames` paints: tasks queued from animation frames, or a timer when frames stop coming. */
export function afterFrames(frames: number, fn: () => void): void {
  let done = false;
  const run = (): void => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    fn();
  };
  const next = (left: number): void => {
    requestAnimationFrame(() => setTimeout(() => (left > 1 ? next(left - 1) : run())));
  };
  next(frames);
  const fallback = setTimeout(run, FRAME_FALLBACK_MS);
}
