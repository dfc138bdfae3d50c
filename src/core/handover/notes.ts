/**
 * Notes for the next shift: the admin's new ones, and the previous
 * handover's open ones carried over until someone closes them. A note
 * closed in this handover appears once more, closed, so the next admin sees
 * it was dealt with; after that it is dropped.
 */
import { text } from '../kube/projections';
import { NOTE_MAX_CHARS } from '../../shared/handover';
import type { HandoverNote, HandoverReport } from './types';

/** A new note: its text, open unless said otherwise. */
export type NoteInput = string | { text: string; open?: boolean };

/** A note is an admin's paragraph or two, not a log file. */
export const MAX_NOTE_CHARS = NOTE_MAX_CHARS;
/** Notes in one report, carried-over ones included (the contract caps the new ones at NEW_NOTES_MAX). */
export const MAX_NOTES = 100;

/**
 * The notes of a new handover `id`: the previous report's open notes (those
 * whose id is in `close` now closed by `by`), then the new ones. Throws when
 * `close` names a note that is not open in the previous report, so a typo
 * does not silently leave a note open.
 */
export function handoverNotes(o: { id: string; by: string; createdAt: string; previous?: HandoverReport; notes?: readonly NoteInput[]; close?: readonly string[] }): HandoverNote[] {
  const close = new Set(o.close ?? []);
  const out: HandoverNote[] = [];
  for (const n of o.previous?.notes ?? []) {
    if (!n.open) continue;
    if (close.delete(n.id)) out.push({ id: n.id, text: n.text, open: false, by: n.by, since: n.since, closedBy: o.by });
    else out.push({ id: n.id, text: n.text, open: true, by: n.by, since: n.since });
  }
  if (close.size > 0) throw new RangeError(`no open note ${[...close].join(', ')} in the previous handover`);
  let i = 0;
  for (const input of o.notes ?? []) {
    const raw = typeof input === 'string' ? input : input.text;
    const t = cleanNote(raw);
    if (t === '') continue;
    i++;
    out.push({ id: `${o.id}/${i}`, text: t, open: typeof input === 'string' ? true : input.open !== false, by: o.by, since: o.createdAt });
  }
  if (out.length > MAX_NOTES) throw new RangeError(`a handover holds at most ${MAX_NOTES} notes (this one would have ${out.length}); close some`);
  return out;
}

/** Line by line through the projections' cleaner (control and bidi characters out), blank runs collapsed, capped. */
function cleanNote(s: string): string {
  const lines = s.replace(/\r\n?|[\u2028\u2029]/g, '\n').split('\n').map((l) => text(l, MAX_NOTE_CHARS));
  return text(lines.join('\n').replace(/\n{3,}/g, '\n\n'), MAX_NOTE_CHARS);
}
