import { describe, expect, it } from 'vitest';
import type { LogLineEntry, LogMarkerEntry } from '../../../shared/logs';
import { visibleText } from '../../../shared/terminal/sanitize';
import { cutSgr, formatEntry } from './format';

const line = (text: string, extra: Partial<LogLineEntry> = {}): LogLineEntry => ({ kind: 'line', n: 1, site: 'fra', namespace: 'shop', pod: 'cart-1', container: 'app', colour: 3, text, ...extra });

describe('formatEntry', () => {
  it('prefixes site, pod and container in the stream colour, and ends the line', () => {
    const out = formatEntry(line('hello'));
    expect(visibleText(out)).toBe('fra cart-1/app hello\r\n');
    expect(out).toContain('\x1b[38;5;');
    expect(out.endsWith('\x1b[0m\r\n')).toBe(true);
  });

  it('shows the timestamp only when the entry has one', () => {
    expect(visibleText(formatEntry(line('x', { ts: '2026-11-28T07:00:00.123Z' })))).toBe('fra cart-1/app 2026-11-28T07:00:00.123Z x\r\n');
  });

  it('cuts long lines without breaking colour sequences when wrap is off', () => {
    const long = `\x1b[31m${'a'.repeat(200)}\x1b[0m`;
    const out = formatEntry(line(long), { cutAt: 60 });
    expect(visibleText(out).trimEnd().length).toBeLessThanOrEqual(60);
    expect(visibleText(out)).toContain('…');
    expect(out).toContain('\x1b[31m');
    expect(cutSgr('\x1b[1mabc\x1b[0m', 10)).toBe('\x1b[1mabc\x1b[0m');
  });

  it('markers stand out and name their stream', () => {
    const m: LogMarkerEntry = { kind: 'marker', n: 2, type: 'gap', at: '2026-11-28T07:00:00Z', site: 'ams', pod: 'cart-2', container: 'app', text: 'resumed after 4.2 s', gapMs: 4200 };
    expect(visibleText(formatEntry(m))).toBe('── ams cart-2/app: resumed after 4.2 s\r\n');
    expect(formatEntry(m)).toContain('\x1b[33m');
  });
});
