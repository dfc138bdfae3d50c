/**
 * The notes field of the handover dialog: one note per paragraph (a blank
 * line starts the next note), so a note can run over several lines — a
 * procedure, a list of nodes — the way the report keeps its line breaks.
 */
import { NEW_NOTES_MAX, NOTE_MAX_CHARS, type HandoverNote, type HandoverReport } from '../../../shared/handover';

/** What `handover.create` accepts (the contract's limits). */
export const MAX_NOTES = NEW_NOTES_MAX;
export const MAX_NOTE_CHARS = NOTE_MAX_CHARS;

/** The notes in the field's text: paragraphs, trimmed, empty ones dropped; line ends normalised to `\n`. */
export function splitNotes(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\s+|\s+$/g, ''))
    .filter((p) => p !== '');
}

/** Why these notes cannot be sent, in words; undefined when they can. */
export function notesProblem(notes: readonly string[]): string | undefined {
  if (notes.length > MAX_NOTES) return `At most ${MAX_NOTES} notes per handover (this has ${notes.length}).`;
  const i = notes.findIndex((n) => n.length > MAX_NOTE_CHARS);
  if (i >= 0) return `Note ${i + 1} is ${notes[i]?.length} characters long; a note holds at most ${MAX_NOTE_CHARS}.`;
  return undefined;
}

/** The notes the previous handover left open: what this shift may close. */
export function openNotes(previous: HandoverReport | null | undefined): HandoverNote[] {
  return previous?.notes.filter((n) => n.open) ?? [];
}
