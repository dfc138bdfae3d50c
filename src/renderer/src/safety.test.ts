/**
 * Guards the renderer's rules that a review could miss: untrusted text is
 * only ever rendered as React text, nothing evaluates strings, and only
 * src/api touches the transport.
 */
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob(['./**/*.ts', './**/*.tsx', '!./**/*.test.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const html = import.meta.glob('../index.html', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

describe('renderer sources', () => {
  it('are all checked', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(30);
    expect(Object.keys(sources)).toContain('./main.tsx');
  });

  it.each(Object.entries(sources))('%s sets no HTML from strings and evaluates nothing', (_file, text) => {
    expect(text).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/);
  });

  it.each(Object.entries(sources).filter(([f]) => !f.startsWith('./api/')))('%s reaches the host only through src/api', (_file, text) => {
    expect(text).not.toMatch(/\bnew WebSocket\(|contract\/rpc|contract\/memory|ipcRenderer/);
  });

  it('index.html has no inline script (the CSP would block it)', () => {
    const page = Object.values(html)[0] ?? '';
    expect(page).toMatch(/<script type="module" src="[^"]+"><\/script>/);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/\son[a-z]+=/i);
  });
});
