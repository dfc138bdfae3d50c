/**
 * Untrusted text made safe to show: alert labels, event messages, notes,
 * scenario text. Everything that came from a cluster, an Alertmanager or a
 * person passes here before a view, a file or a wall screen shows it.
 */

/** Longest text kept by default; the rest is cut, ending in '…'. */
export const MAX_TEXT_CHARS = 4096;
// C0 controls except tab and newline, DEL, C1 controls (ESC and CSI start terminal sequences),
// and the bidi overrides and isolates that can make displayed text read differently from what it is.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g; // eslint-disable-line no-control-regex -- matching control characters is the point
const LINE_BREAKS = /[\t\n]/g;

/**
 * Control characters become U+FFFD (visible, so a reader sees something was
 * there) and long text is cut. `multiline` keeps newlines and tabs
 * (descriptions, notes); otherwise they become spaces (names, one-line entries).
 */
export function sanitizeText(value: string, opts: { multiline?: boolean; max?: number } = {}): string {
  const max = opts.max ?? MAX_TEXT_CHARS;
  // Cut first, so a 100 MB string costs no more than a short one; cut on a code point boundary.
  let s = value.length > max ? `${Array.from(value.slice(0, max + 1)).slice(0, max - 1).join('')}…` : value;
  s = s.replace(CONTROL, '\uFFFD');
  if (!opts.multiline) s = s.replace(LINE_BREAKS, ' ');
  return s;
}
