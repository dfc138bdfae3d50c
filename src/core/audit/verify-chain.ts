/**
 * Walks a whole trail and names the first line where the chain does not
 * hold, with the most likely cause in words: an edited entry (its hash no
 * longer matches), a deleted one (a seq missing), a reordering (a seq out of
 * place), a rewritten chain (a link that does not match), or a line that is
 * not a complete entry (a torn write). Lines after a break are still checked
 * against each other, so `entries` counts every entry in the file.
 *
 * Cutting entries off the end cannot show in a chain by itself; compare
 * AuditLog.head with a copy kept elsewhere (the mirrored Events carry seq).
 */
import type { AuditEntry, AuditVerification } from '../../shared/audit';
import { entryHash, GENESIS, parseEntry } from './chain';

/** Checks the trail in `text` (the file's whole content). */
export function verifyChain(text: string): AuditVerification {
  const lines = text.split('\n');
  // The empty rest after the final newline is not a line; anything else there is unfinished.
  const unterminated = lines.pop() ?? '';
  if (unterminated !== '') lines.push(unterminated);
  const lastIsTorn = unterminated !== '';

  const parsed = lines.map(parseEntry);
  // Where each seq occurs, to tell a deleted entry from one that was moved.
  const lineOfSeq = new Map<number, number>();
  parsed.forEach((e, i) => {
    if (e && !lineOfSeq.has(e.seq)) lineOfSeq.set(e.seq, i);
  });

  let entries = 0;
  let brokenAt: AuditVerification['brokenAt'];
  const broken = (line: number, reason: string): void => {
    brokenAt ??= { line, reason };
  };
  let expectSeq = 1;
  let prevHash = GENESIS;
  parsed.forEach((e, i) => {
    const line = i + 1;
    if (!e) {
      if (lastIsTorn && i === lines.length - 1) broken(line, 'torn write: the last line is incomplete (the app stopped while writing it)');
      else if (lines[i] === '') broken(line, 'a blank line where an entry should be');
      else broken(line, 'not a complete entry: a torn write (the app stopped while writing it) or a damaged line');
      return;
    }
    entries++;
    const reason = linkProblem(e, expectSeq, prevHash, i, lineOfSeq);
    if (reason) broken(line, reason);
    // Carry on from this entry, so that one break is not reported again at every later line.
    expectSeq = e.seq + 1;
    prevHash = e.hash;
  });
  return brokenAt ? { ok: false, entries, brokenAt } : { ok: true, entries };
}

function linkProblem(e: AuditEntry, expectSeq: number, prevHash: string, index: number, lineOfSeq: Map<number, number>): string | undefined {
  if (entryHash(e) !== e.hash) return `entry ${e.seq} was edited: its hash does not match its content`;
  if (e.seq > expectSeq) {
    const moved = lineOfSeq.get(expectSeq);
    if (moved !== undefined && moved > index) return `entries out of order: seq ${e.seq} comes before seq ${expectSeq} (line ${moved + 1}); lines were swapped or moved`;
    const gap = e.seq - expectSeq === 1 ? `entry ${expectSeq} is` : `entries ${expectSeq}–${e.seq - 1} are`;
    return `${gap} missing: deleted from the trail`;
  }
  if (e.seq < expectSeq) return `entries out of order: seq ${e.seq} comes after seq ${expectSeq - 1}; lines were swapped, moved or repeated`;
  if (e.prev !== prevHash) return `entry ${e.seq} does not link to the entry before it: that entry was replaced, or the chain was rewritten`;
  return undefined;
}
