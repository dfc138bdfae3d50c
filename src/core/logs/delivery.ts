/**
 * From the scrollback to the consumer: batches at a steady pace, pause and
 * resume, and back-pressure — and an exact account of every line.
 *
 * The consumer (the renderer, through the contract) gets a batch every
 * `flushMs`, or sooner once `maxBatch` entries wait. A consumer that returns a
 * promise holds its batch "in flight" until it settles; with `maxInFlight`
 * batches out, nothing more is sent and lines wait in the scrollback.
 *
 * Lines are never lost silently. Each line stored is, in the end, either
 * delivered or counted in a 'dropped' marker the consumer receives:
 * - the view fell more than `maxLagLines` behind because the consumer held
 *   batches unsettled (not while paused, not for a mere burst of input): it
 *   skips ahead to near the newest line; the skipped lines stay in the
 *   scrollback, searchable, and markers among them still go out;
 * - lines waited so long (paused, or a stuck consumer) that the scrollback
 *   dropped them before they could be delivered.
 * While paused, batches carry no entries, only the counters, so the view can
 * say how many lines have come in meanwhile.
 */
import type { Scrollback } from './scrollback';
import type { BatchSink, LogEntry, LogMarkerEntry, LogTailStats } from './types';

export interface DeliveryOptions {
  sink: BatchSink;
  flushMs: number;
  maxBatch: number;
  maxInFlight: number;
  maxLagLines: number;
  /** Counters for each batch (delivered/dropped/pending are filled in here). */
  stats: () => LogTailStats;
  now?: () => number;
}

/** While paused, counters go out at most this often. */
const PAUSED_STATS_MS = 250;

export class Delivery {
  /** Number of the next entry to deliver. */
  private cursor = 0;
  private paused = false;
  private inFlight = 0;
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** Set when a batch had to wait for the consumer to settle earlier ones; cleared once caught up. */
  private consumerBound = false;
  /** Entries below this were buffered during a pause: delivered in full, never skipped for lag. */
  private catchUpUntil = 0;
  private lastPausedStats = '';
  /** 'dropped' markers made while paused, sent first on resume. */
  private readonly deferred: LogEntry[] = [];
  private stopped = false;
  /** Lines handed to the consumer. */
  delivered = 0;
  /** Lines counted in 'dropped' markers. */
  dropped = 0;

  constructor(
    private readonly scrollback: Scrollback,
    private readonly o: DeliveryOptions,
  ) {}

  get isPaused(): boolean {
    return this.paused;
  }

  /** Lines stored and not yet delivered or dropped. */
  get pending(): number {
    return this.scrollback.linesBefore(this.scrollback.next) - this.delivered - this.dropped;
  }

  /** Something was appended: make sure a flush is coming. Cheap; called per line. */
  notify(): void {
    if (this.stopped) return;
    if (!this.paused && this.scrollback.next - this.cursor >= this.o.maxBatch && this.inFlight < this.o.maxInFlight) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.flush();
      });
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.paused ? PAUSED_STATS_MS : this.o.flushMs);
  }

  /**
   * A marker about the tail itself that must reach the view whatever it
   * skips (in the scrollback it could be evicted before a slow view got to
   * it): it goes out with the next batch.
   */
  announce(marker: LogEntry): void {
    this.deferred.push(marker);
    this.notify();
  }

  pause(): void {
    this.paused = true;
    this.notify();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    // What came in during the pause is shown in full (as far as the scrollback still has it).
    this.catchUpUntil = this.scrollback.next;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /** Sends what is due now. `final` ignores the in-flight limit (the last batch of a stopped tail). */
  flush(final = false): void {
    if (this.stopped && !final) return;
    if (!final && this.inFlight >= this.o.maxInFlight) {
      // Lines wait for the consumer, not for us: from now on, falling behind is its doing.
      this.consumerBound = true;
      return;
    }
    const sb = this.scrollback;
    // Markers held back while paused go first.
    const entries: LogEntry[] = this.paused ? [] : this.deferred.splice(0);
    // Lines the scrollback dropped before we could deliver them.
    if (this.cursor < sb.first) {
      const lost = sb.linesBefore(sb.first) - this.delivered - this.dropped;
      const whilePaused = this.paused || this.cursor < this.catchUpUntil;
      this.cursor = sb.first;
      if (lost > 0) {
        this.dropped += lost;
        const marker = this.droppedMarker(lost, whilePaused
          ? `${count(lost)} not shown: they came in while the view was paused, and the scrollback (${count(sb.maxEntries)}) dropped them first`
          : `${count(lost)} not shown: the view fell behind, and the scrollback (${count(sb.maxEntries)}) dropped them first`);
        // A paused view takes no entries: the marker waits for the resume.
        if (this.paused) this.deferred.push(marker);
        else entries.push(marker);
      }
    }
    if (!this.paused) {
      // Too far behind: skip ahead to near the newest line, keeping the markers.
      const behind = sb.linesBefore(sb.next) - sb.linesBefore(this.cursor);
      // Only a consumer that holds us up is skipped ahead of: a burst of input (the first reads
      // of many containers) with a consumer that keeps taking batches is delivered in full.
      if (behind > this.o.maxLagLines && this.consumerBound && this.cursor >= this.catchUpUntil && !final) {
        const to = Math.max(this.cursor, sb.next - Math.min(this.o.maxBatch, this.o.maxLagLines));
        const skipped = sb.linesBefore(to) - sb.linesBefore(this.cursor);
        for (const e of sb.range(this.cursor, to)) if (e.kind === 'marker') entries.push(e);
        this.cursor = to;
        this.dropped += skipped;
        entries.push(this.droppedMarker(skipped, `${count(skipped)} skipped: the view could not keep up (they are in the scrollback and can be searched)`));
      }
      const end = final ? sb.next : Math.min(sb.next, this.cursor + this.o.maxBatch);
      for (const e of sb.range(this.cursor, end)) entries.push(e);
      this.delivered += sb.linesBefore(end) - sb.linesBefore(this.cursor);
      this.cursor = end;
      if (this.cursor === sb.next) this.consumerBound = false;
    }
    const stats = this.o.stats();
    if (entries.length === 0) {
      // Paused (or idle): counters only, and only when they changed.
      const key = `${stats.pending}/${stats.received}/${stats.paused}/${stats.streams.following}/${stats.streams.retrying}`;
      if (!final && key === this.lastPausedStats) return;
      this.lastPausedStats = key;
    } else {
      this.lastPausedStats = '';
    }
    this.send(entries, stats);
    // More waiting than one batch: go on soon.
    if (!this.paused && sb.next > this.cursor) this.notify();
  }

  private send(entries: LogEntry[], stats: LogTailStats): void {
    const batch = { seq: ++this.seq, entries, stats };
    this.inFlight++;
    let result: void | Promise<void>;
    try {
      result = this.o.sink(batch);
    } catch {
      // A failing consumer must not stop the tail; its batch counts as delivered.
      result = undefined;
    }
    if (result && typeof (result as Promise<void>).then === 'function') {
      (result as Promise<void>).then(
        () => this.settled(),
        () => this.settled(),
      );
    } else {
      this.inFlight--;
    }
  }

  private settled(): void {
    this.inFlight--;
    if (this.scrollback.next > this.cursor || this.paused) this.notify();
  }

  private droppedMarker(n: number, text: string): LogMarkerEntry {
    return { kind: 'marker', n: -1, type: 'dropped', at: new Date(this.o.now?.() ?? Date.now()).toISOString(), count: n, text };
  }

  /** Stops pacing; a final batch carries whatever is still undelivered (unless paused). */
  stop(): void {
    clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.flush(true);
    this.stopped = true;
  }
}

function count(n: number): string {
  return `${n.toLocaleString('en-US')} line${n === 1 ? '' : 's'}`;
}
