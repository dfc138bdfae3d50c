/**
 * The tail's memory: a ring of the newest entries, bounded by count and by
 * (approximate) bytes. Entries are numbered in arrival order; the ring keeps
 * a contiguous range [first, next) of those numbers, so the view and search
 * can address entries by number and know exactly what has been dropped.
 */
import type { LogEntry } from './types';

/** Bytes an entry costs besides its text (object, strings' headers, names shared with others). */
const ENTRY_OVERHEAD = 120;

export function entryBytes(e: LogEntry): number {
  // UTF-16 in memory: two bytes per code unit.
  return ENTRY_OVERHEAD + 2 * e.text.length + (e.kind === 'line' && e.ts ? 2 * e.ts.length : 0);
}

export class Scrollback {
  private readonly ring: (LogEntry | undefined)[];
  private readonly sizes: Float64Array;
  /** For each held entry: how many lines came before it (so lines in any range are a subtraction). */
  private readonly linesBeforeAt: Float64Array;
  private totalLines = 0;
  /** Number of the oldest entry held. */
  private firstN = 0;
  /** Number the next entry gets. */
  private nextN = 0;
  private bytesHeld = 0;
  /** Lines (not markers) dropped to stay within bounds. */
  evictedLines = 0;
  /** Lines held (markers not counted). */
  lines = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {
    this.ring = new Array<LogEntry | undefined>(Math.max(1, maxEntries));
    this.sizes = new Float64Array(Math.max(1, maxEntries));
    this.linesBeforeAt = new Float64Array(Math.max(1, maxEntries));
  }

  /**
   * Lines appended before entry n, for n in [first, next]; with it, the lines of
   * any held range [a, b) are linesBefore(b) − linesBefore(a).
   */
  linesBefore(n: number): number {
    if (n >= this.nextN) return this.totalLines;
    return this.linesBeforeAt[Math.max(n, this.firstN) % this.ring.length] as number;
  }

  get first(): number {
    return this.firstN;
  }

  get next(): number {
    return this.nextN;
  }

  get size(): number {
    return this.nextN - this.firstN;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  /** Appends an entry (its `n` is set here) and evicts the oldest beyond the bounds; returns lines evicted. */
  append(e: LogEntry): number {
    e.n = this.nextN;
    const cap = this.ring.length;
    let evicted = 0;
    if (this.size === cap) evicted += this.evictOne();
    const size = entryBytes(e);
    const slot = this.nextN % cap;
    this.ring[slot] = e;
    this.sizes[slot] = size;
    this.linesBeforeAt[slot] = this.totalLines;
    this.bytesHeld += size;
    this.nextN++;
    if (e.kind === 'line') {
      this.lines++;
      this.totalLines++;
    }
    // Keep at least the newest entry, however large.
    while (this.bytesHeld > this.maxBytes && this.size > 1) evicted += this.evictOne();
    return evicted;
  }

  private evictOne(): number {
    const slot = this.firstN % this.ring.length;
    const e = this.ring[slot];
    this.ring[slot] = undefined;
    this.bytesHeld -= this.sizes[slot] as number;
    this.firstN++;
    if (e?.kind === 'line') {
      this.lines--;
      this.evictedLines++;
      return 1;
    }
    return 0;
  }

  /** Entry number n, if still held. */
  get(n: number): LogEntry | undefined {
    if (n < this.firstN || n >= this.nextN) return undefined;
    return this.ring[n % this.ring.length];
  }

  /** Entries with numbers in [from, to), clamped to what is held, oldest first. */
  *range(from = this.firstN, to = this.nextN): IterableIterator<LogEntry> {
    for (let n = Math.max(from, this.firstN); n < Math.min(to, this.nextN); n++) yield this.ring[n % this.ring.length] as LogEntry;
  }

  /** Entries from newest to oldest, starting below `before`. */
  *backwards(before = this.nextN): IterableIterator<LogEntry> {
    for (let n = Math.min(before, this.nextN) - 1; n >= this.firstN; n--) yield this.ring[n % this.ring.length] as LogEntry;
  }
}
