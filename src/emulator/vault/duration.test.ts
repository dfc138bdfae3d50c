import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseDurationSeconds } from './duration';

describe('parseDurationSeconds', () => {
  it('accepts seconds as numbers and digit strings', () => {
    expect(parseDurationSeconds(3600)).toBe(3600);
    expect(parseDurationSeconds('3600')).toBe(3600);
    expect(parseDurationSeconds(90.7)).toBe(90);
  });

  it('accepts Go duration strings, including Vault\'s "d"', () => {
    expect(parseDurationSeconds('1h')).toBe(3600);
    expect(parseDurationSeconds('1h30m')).toBe(5400);
    expect(parseDurationSeconds('90s')).toBe(90);
    expect(parseDurationSeconds('1.5h')).toBe(5400);
    expect(parseDurationSeconds('2d')).toBe(172_800);
    expect(parseDurationSeconds('1500ms')).toBe(1);
  });

  it('rejects everything else', () => {
    for (const bad of ['', 'abc', '1x', '-5', '1h-', 'h', -1, Number.NaN, null, {}, true]) {
      expect(parseDurationSeconds(bad)).toBeUndefined();
    }
  });
});

describe('formatGoDuration', () => {
  it('prints like Go time.Duration.String()', () => {
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(45)).toBe('45s');
    expect(formatGoDuration(90)).toBe('1m30s');
    expect(formatGoDuration(3600)).toBe('1h0m0s');
    expect(formatGoDuration(27 * 3600 + 61)).toBe('27h1m1s');
  });
});
