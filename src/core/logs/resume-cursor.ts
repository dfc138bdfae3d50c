/**
 * Where a container's log stream got to, so that a broken stream can resume
 * with `sinceTime` and show every line exactly once.
 *
 * `sinceTime` reaches the kubelet with whole-second precision (the API server
 * re-encodes it as RFC 3339), so a resumed stream starts again at the
 * beginning of the last second we saw and repeats what we already have of
 * it. The cursor therefore remembers the timestamps of the lines seen in that
 * last second (a count per timestamp), and on resume skips exactly those:
 * older seconds are skipped entirely, lines of the last second whose
 * timestamp we saw are skipped as many times as we saw it, the rest is new.
 *
 * This does not depend on timestamps increasing strictly within a second
 * (stdout and stderr are timestamped by separate writers in the runtime and
 * may interleave out of order), nor on where our first read started (a
 * `tailLines` read may begin in the middle of a second).
 *
 * If the server cannot send part of what we saw in that second any more
 * (the log file was rotated while we were away), lines may have been lost in
 * between; {@link ResumeCursor.finishResume} says so, and the tail marks it.
 */

/** More timestamps than this in one second are not remembered (a pathological writer). */
const MAX_SEEN = 100_000;

export type Verdict = 'new' | 'duplicate';

export class ResumeCursor {
  /** Epoch second of the newest line accepted; undefined before the first. */
  private second: number | undefined;
  /** Timestamps seen in `second`, with their counts. */
  private seen = new Map<string, number>();
  /** While resuming: what the server will send again and we skip. */
  private replay: Map<string, number> | undefined;
  private replayLeft = 0;
  /** What a resume that ended inside offer() found missing, until finishResume() reads it. */
  private missing = 0;
  /** Lines skipped as duplicates, in total. */
  duplicates = 0;

  /** Whether any line has been seen: a resume can use sinceTime. */
  get started(): boolean {
    return this.second !== undefined;
  }

  /** The epoch second to resume from, when there is one. */
  get since(): number | undefined {
    return this.second;
  }

  get resuming(): boolean {
    return this.replay !== undefined;
  }

  /**
   * A line arrived with this timestamp (`second` is its whole epoch second).
   * Lines without a timestamp are always new: there is nothing to compare.
   */
  offer(ts: string | undefined, second: number): Verdict {
    if (ts === undefined || Number.isNaN(second)) return 'new';
    if (this.replay && this.second !== undefined) {
      if (second < this.second) {
        this.duplicates++;
        return 'duplicate';
      }
      if (second === this.second) {
        const left = this.replay.get(ts) ?? 0;
        if (left > 0) {
          this.replay.set(ts, left - 1);
          this.replayLeft--;
          this.duplicates++;
          return 'duplicate';
        }
      } else {
        // Past the repeated second: the resume is over.
        this.missing = this.replayLeft;
        this.replay = undefined;
      }
    }
    this.record(ts, second);
    return 'new';
  }

  private record(ts: string, second: number): void {
    if (this.second === undefined || second > this.second) {
      this.second = second;
      this.seen = new Map();
    } else if (second < this.second) {
      // Out of order across a second boundary: a resume from `this.second` will not repeat it.
      return;
    }
    if (this.seen.size < MAX_SEEN || this.seen.has(ts)) this.seen.set(ts, (this.seen.get(ts) ?? 0) + 1);
  }

  /**
   * The stream broke (or ended) and will be opened again from `since`: from
   * now on, lines the server repeats are skipped.
   */
  beginResume(): void {
    this.missing = 0;
    if (this.second === undefined) return;
    this.replay = new Map(this.seen);
    this.replayLeft = 0;
    for (const n of this.seen.values()) this.replayLeft += n;
  }

  /**
   * How the last resume went: the number of lines we had seen in the repeated
   * second that the server did not send again. More than zero means it no
   * longer has them (the log was rotated while we were away), so lines after
   * them may be missing too. Ends a resume still in progress.
   */
  finishResume(): number {
    const missing = this.replay ? this.replayLeft : this.missing;
    this.replay = undefined;
    this.missing = 0;
    return missing;
  }
}
