import { describe, expect, it } from 'vitest';
import { formatAge, formatCount, formatRtt, formatSince } from './format';

describe('format', () => {
  it('ages', () => {
    expect(formatAge(-5)).toBe('0 s');
    expect(formatAge(42_400)).toBe('42 s');
    expect(formatAge(89_999)).toBe('89 s');
    expect(formatAge(120_000)).toBe('2 min');
    expect(formatAge(3 * 3_600_000)).toBe('3 h');
    expect(formatAge(72 * 3_600_000)).toBe('3 d');
  });
  it('counts and round trips', () => {
    expect(formatCount(150000)).toBe('150\u202f000');
    expect(formatCount(999)).toBe('999');
    expect(formatRtt(undefined)).toBe('–');
    expect(formatRtt(12.4)).toBe('12 ms');
  });
  it('since', () => {
    expect(formatSince('2025-01-01T00:00:30Z', Date.parse('2025-01-01T00:01:00Z'))).toBe('30 s ago');
    expect(formatSince('garbage', 0)).toBe('garbage');
    expect(formatSince(undefined, 0)).toBe('–');
  });
});
