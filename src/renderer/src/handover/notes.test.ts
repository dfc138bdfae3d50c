import { describe, expect, it } from 'vitest';
import { MAX_NOTE_CHARS, MAX_NOTES, notesProblem, openNotes, splitNotes } from './notes';
import { handoverReport } from './testing';

describe('splitNotes', () => {
  it('makes one note per paragraph, keeping the line breaks inside one', () => {
    expect(splitNotes('fan noise in rack A\ncheck tomorrow\n\n  \nPSU of fra-a-r01-u04 ordered\r\n\r\nlast one  ')).toEqual(['fan noise in rack A\ncheck tomorrow', 'PSU of fra-a-r01-u04 ordered', 'last one']);
  });

  it('gives no notes for an empty or blank field', () => {
    expect(splitNotes('')).toEqual([]);
    expect(splitNotes(' \n\n \n')).toEqual([]);
  });
});

describe('notesProblem', () => {
  it('accepts what handover.create accepts and says what is too much', () => {
    expect(notesProblem(['a', 'b'])).toBeUndefined();
    expect(notesProblem(Array.from({ length: MAX_NOTES + 1 }, () => 'x'))).toMatch(/At most 50 notes/);
    expect(notesProblem(['ok', 'x'.repeat(MAX_NOTE_CHARS + 1)])).toMatch(/^Note 2 is 2001 characters long/);
  });
});

describe('openNotes', () => {
  it('lists the notes the previous handover left open', () => {
    const r = handoverReport(undefined, {
      notes: [
        { id: 'h1/1', text: 'open one', open: true, by: 'a', since: '2025-06-01T06:00:00.000Z' },
        { id: 'h1/2', text: 'closed one', open: false, by: 'a', since: '2025-06-01T06:00:00.000Z', closedBy: 'b' },
      ],
    });
    expect(openNotes(r).map((n) => n.id)).toEqual(['h1/1']);
    expect(openNotes(null)).toEqual([]);
    expect(openNotes(undefined)).toEqual([]);
  });
});
