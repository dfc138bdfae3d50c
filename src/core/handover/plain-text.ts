/**
 * Untrusted text reduced to what both renderers can show safely: no control
 * characters (terminal escapes such as ANSI colours lose their ESC and
 * become visible, harmless text), no bidirectional overrides or invisible
 * marks (no text that reads backwards or hides characters), one kind of
 * line break. Escaping for Markdown or HTML happens after this, in the renderer.
 */

/** Line breaks in all their spellings, NEL (U+0085) and the Unicode separators included. */
const BREAKS = /\r\n?|[\u0085\u2028\u2029\v\f]/g;
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** The text cleaned, with `\n` as its only line break and tabs as spaces. */
export function plainText(s: string): string {
  return s.replace(BREAKS, '\n').replace(INVISIBLE, '').replace(/\t/g, ' ');
}

/** The text cleaned and on one line: breaks shown as ` ⏎ ` so a table row or heading stays one line. */
export function oneLine(s: string): string {
  return plainText(s)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ⏎ ');
}
