/**
 * Saves text as a file through the browser's download (the Electron window
 * and the browser host alike): the text never leaves the page as HTML,
 * only as a Blob of the given type. Used by the log dock, the handover and
 * the audit view.
 */

/**
 * How long the Blob URL stays valid after the click. Chromium starts the
 * download asynchronously and offers no event for "read", so revoking at
 * once could cut it off.
 */
const REVOKE_AFTER_MS = 10_000;

/** Offers `parts` (joined) as a download named `name`. */
export function saveTextFile(name: string, parts: readonly string[], type: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([...parts], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), REVOKE_AFTER_MS);
}

/** The byte order mark: Excel reads a CSV without it in the machine's legacy code page, garbling accents (Zürich, Łódź). */
export const UTF8_BOM = '\uFEFF';

/** `triptych-logs-2025-06-01T18-04-05-123Z.log`: sortable, and no characters a file system refuses. */
export function stampedName(prefix: string, ext: string): string {
  return `${prefix}-${new Date().toISOString().replace(/[:.]/g, '-')}.${ext}`;
}
