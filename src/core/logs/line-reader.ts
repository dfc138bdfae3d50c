/**
 * Splits a log response body (bytes) into lines: bounded, decoded, with the
 * kubelet's timestamp taken off the front.
 *
 * - A line longer than `maxLineBytes` keeps its first bytes (cut on a UTF-8
 *   character boundary) and counts the rest, which is read and thrown away:
 *   a 1 GB line without a newline never costs more than the bound.
 * - Bytes are decoded with a non-fatal `TextDecoder`: invalid UTF-8 becomes
 *   U+FFFD instead of an exception or a lost line.
 * - With `timestamps=true` the kubelet prefixes each line with
 *   `2006-01-02T15:04:05.000000000Z ` (RFC3339NanoFixed, in the node's zone).
 *   We keep it as text for display and as the whole second for resuming.
 */

/** One line of a log stream. */
export interface RawLine {
  /** The kubelet's timestamp as sent, or undefined when the line has none. */
  ts: string | undefined;
  /** Epoch second of `ts` (whole seconds: what `sinceTime` can express), NaN without one. */
  second: number;
  /** The line's text after the timestamp, decoded, not yet sanitised. */
  text: string;
  /** Bytes cut off the end of an over-long line. */
  cutBytes: number;
}

const NL = 0x0a;
/** `2024-05-01T12:00:00` (+ fraction) + `Z` or `+02:00`, then one space. */
const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
/** Longest timestamp we look for: 19 + 10 + 6. */
const MAX_TS = 40;

export class LineReader {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  /** Bytes of the current line so far (at most maxLineBytes). */
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Bytes of the current line beyond the bound, discarded. */
  private over = 0;
  /** Cache: the last seconds prefix parsed, and its epoch second. */
  private lastBase = '';
  private lastSecond = NaN;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: RawLine) => void,
  ) {}

  push(chunk: Buffer): void {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, from);
      if (nl < 0) {
        this.keep(chunk, from, chunk.length);
        return;
      }
      if (this.partBytes === 0 && this.over === 0) {
        this.emit(chunk.subarray(from, Math.min(nl, from + this.maxLineBytes)), nl - from);
      } else {
        this.keep(chunk, from, nl);
        const line = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.partBytes);
        this.emit(line, this.partBytes + this.over);
      }
      this.parts = [];
      this.partBytes = 0;
      this.over = 0;
      from = nl + 1;
    }
  }

  /**
   * The stream ended. A last line without a newline is emitted only when the
   * stream ended cleanly: after a broken connection it is incomplete, and the
   * resumed stream sends it again in full.
   */
  end(clean: boolean): void {
    if (clean && (this.partBytes > 0 || this.over > 0)) {
      const line = Buffer.concat(this.parts, this.partBytes);
      this.emit(line, this.partBytes + this.over);
    }
    this.parts = [];
    this.partBytes = 0;
    this.over = 0;
  }

  /** Adds bytes [from, to) of chunk to the current line, within the bound. */
  private keep(chunk: Buffer, from: number, to: number): void {
    const room = this.maxLineBytes - this.partBytes;
    const take = Math.min(room, to - from);
    if (take > 0) {
      // A copy: a subarray would keep the whole (maybe large) chunk alive.
      this.parts.push(Buffer.from(chunk.subarray(from, from + take)));
      this.partBytes += take;
    }
    this.over += to - from - Math.max(0, take);
  }

  /** `bytes` holds at most maxLineBytes of a line that had `total` bytes. */
  private emit(bytes: Buffer, total: number): void {
    let end = bytes.length;
    // Cut on a character boundary: step back over continuation bytes, then drop the lead byte
    // if its character is incomplete (it would decode to U+FFFD, which is not in the log).
    if (total > end) {
      let i = end;
      while (i > 0 && ((bytes[i - 1] as number) & 0xc0) === 0x80 && end - i < 3) i--;
      const lead = i > 0 ? (bytes[i - 1] as number) : 0;
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      if (need > 1 && end - (i - 1) < need) end = i - 1;
    }
    // A CRLF line ending (Windows containers) loses its CR with the newline.
    if (total === end && end > 0 && bytes[end - 1] === 0x0d) end--;
    let ts: string | undefined;
    let second = NaN;
    let start = 0;
    const space = bytes.indexOf(0x20, 0);
    if (space > 18 && space <= MAX_TS) {
      const candidate = bytes.toString('latin1', 0, space);
      const m = TS.exec(candidate);
      if (m) {
        ts = candidate;
        second = this.secondOf(m[1] as string, m[2] as string);
        start = space + 1;
      }
    }
    const text = this.decoder.decode(bytes.subarray(start, end));
    this.onLine({ ts, second, text, cutBytes: total - end });
  }

  private secondOf(base: string, zone: string): number {
    const key = base + zone;
    if (key !== this.lastBase) {
      this.lastBase = key;
      this.lastSecond = Date.parse(`${base}${zone}`) / 1000;
    }
    return this.lastSecond;
  }
}

/** RFC 3339 (whole seconds, UTC) for `sinceTime`: what the API server passes on to the kubelet anyway. */
export function rfc3339Second(epochSecond: number): string {
  return new Date(epochSecond * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
