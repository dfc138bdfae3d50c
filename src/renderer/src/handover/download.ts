/**
 * Saves text as a file through the browser's download (the Electron window
 * and the browser host alike), as the log dock does: the text never leaves
 * the page as HTML, only as a Blob of the given type.
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
