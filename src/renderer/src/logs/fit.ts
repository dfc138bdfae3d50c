import type { Terminal } from '@xterm/xterm';

/**
 * Keeps a terminal's grid the size of its element, as xterm's fit add-on
 * does, estimating a cell from the font size. Returns the function that
 * stops following the element.
 */
export function fitToElement(term: Terminal, host: HTMLElement, fontSize: number): () => void {
  const fit = (): void => {
    const cols = Math.max(20, Math.floor(host.clientWidth / (fontSize * 0.6)));
    const rows = Math.max(5, Math.floor(host.clientHeight / (fontSize * 1.2)));
    if (cols !== term.cols || rows !== term.rows) term.resize(cols, rows);
  };
  fit();
  const ro = new ResizeObserver(fit);
  ro.observe(host);
  return () => ro.disconnect();
}
