import { describe, expect, it } from 'vitest';
import { STREAM_PALETTE, streamColour, streamPrefix } from './colour';

describe('stream colours', () => {
  it('are stable per (site, pod, container) and spread over the palette', () => {
    expect(streamColour('fra', 'web-1', 'app')).toBe(streamColour('fra', 'web-1', 'app'));
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(streamColour('fra', `web-${i}`, 'app'));
    expect(seen.size).toBe(STREAM_PALETTE.length);
  });

  it('prefix names are sanitised: an API server cannot smuggle escapes through a pod name', () => {
    const p = streamPrefix('fra', 'evil\x1b]52;c;QUJD\x07pod', 'app\x1b[2J');
    expect(p.replace(/\x1b\[[0-9;:]*m/g, '')).toBe('fra evilpod/app '); // eslint-disable-line no-control-regex
  });
});
