/** A replayed container's log answers as the kubelet's would: timestamps, since, tail, byte limit. */
import { describe, expect, it } from 'vitest';
import { parseLogOptions } from '../api/logs';
import { replayedLogBody } from './logs';

const T0 = Date.parse('2026-11-28T10:00:00Z');
const lines = [
  { at: T0 + 200, line: 'starting' },
  { at: T0 + 1_500, line: 'listening on :8080' },
  { at: T0 + 2_100, line: 'panic: nil map' },
];

function body(query: string, now = T0 + 5_000): string {
  const q = parseLogOptions(new URLSearchParams(query), 'web-1');
  if (!q.ok) throw new Error(q.message);
  return replayedLogBody(lines, q.options, now).toString();
}

describe('replayed log lines', () => {
  it('carry the time they were played with timestamps=true, so a client can resume from it', () => {
    expect(body('timestamps=true')).toBe('2026-11-28T10:00:00.200000000Z starting\n2026-11-28T10:00:01.500000000Z listening on :8080\n2026-11-28T10:00:02.100000000Z panic: nil map\n');
    expect(body('')).toBe('starting\nlistening on :8080\npanic: nil map\n');
  });

  it('honour sinceTime (whole seconds, as the apiserver passes it on), sinceSeconds, tailLines and limitBytes', () => {
    expect(body('sinceTime=2026-11-28T10:00:01.900Z')).toBe('listening on :8080\npanic: nil map\n');
    expect(body('sinceSeconds=3', T0 + 4_000)).toBe('listening on :8080\npanic: nil map\n');
    expect(body('tailLines=1')).toBe('panic: nil map\n');
    expect(body('tailLines=2&sinceTime=2026-11-28T10:00:02Z')).toBe('panic: nil map\n');
    expect(body('limitBytes=5')).toBe('start');
  });
});
