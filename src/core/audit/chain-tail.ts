/**
 * Where the chain in an existing file ends, read from the end of the file so
 * that opening a years-long trail does not read all of it. A last line
 * without its newline is a write the app did not finish (a crash, a full
 * disk): it stays in the file for verify() to report, and the chain goes on
 * from the last whole entry before it.
 */
import { readSync } from 'node:fs';
import type { AuditEntry } from '../../shared/audit';
import { parseEntry } from './chain';

const CHUNK = 64 * 1024;

/** A line of the file, read backwards; `terminated` is false only for bytes after the last newline. */
interface TailLine {
  text: string;
  /** Byte offset of the line's first byte. */
  offset: number;
  terminated: boolean;
}

/** Lines of the file from the last to the first (blank lines included, the empty rest after a final newline not). */
function* linesFromEnd(fd: number, size: number): Generator<TailLine> {
  let pos = size;
  // Bytes [pos, pos + buf.length) of the file not yet yielded.
  let buf = Buffer.alloc(0);
  let terminated = false;
  for (;;) {
    const nl = buf.lastIndexOf(0x0a);
    if (nl < 0) {
      if (pos === 0) {
        if (buf.length > 0 || terminated) yield { text: buf.toString('utf8'), offset: 0, terminated };
        return;
      }
      const n = Math.min(CHUNK, pos);
      pos -= n;
      const chunk = Buffer.alloc(n);
      readSync(fd, chunk, 0, n, pos);
      buf = Buffer.concat([chunk, buf]);
      continue;
    }
    const seg = buf.subarray(nl + 1);
    // A newline never occurs inside a UTF-8 sequence, so each line decodes on its own.
    if (seg.length > 0 || terminated) yield { text: seg.toString('utf8'), offset: pos + nl + 1, terminated };
    buf = buf.subarray(0, nl);
    terminated = true;
  }
}

/** A last line the app did not finish writing. */
export interface TornTail {
  /** Byte offset where the torn line starts. */
  offset: number;
  /** How many bytes of it reached the disk. */
  bytes: number;
}

export interface ChainTail {
  /** The last whole entry (undefined: none yet, the chain starts at seq 1). */
  last?: AuditEntry;
  /** The file does not end with a newline: the next append must start a new line first. */
  needsNewline: boolean;
  torn?: TornTail;
}

/** The end of the chain in the open file `fd` of `size` bytes. */
export function readChainTail(fd: number, size: number): ChainTail {
  let needsNewline = false;
  let torn: TornTail | undefined;
  for (const line of linesFromEnd(fd, size)) {
    const entry = parseEntry(line.text);
    if (!line.terminated) {
      needsNewline = true;
      // A whole entry that only lacks its newline lost nothing; anything else is torn.
      if (!entry) torn = { offset: line.offset, bytes: size - line.offset };
    }
    // Lines that are not entries (damaged, or from an older format) are skipped here and reported by verify().
    if (entry) return { last: entry, needsNewline, torn };
  }
  return { needsNewline, torn };
}
