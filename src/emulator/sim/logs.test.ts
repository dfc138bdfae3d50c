import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../rng';
import {
  GROUP,
  ROTATE_BYTES,
  LOG_STYLES,
  crashRuntimeMs,
  instanceEnd,
  kubeletTimestamp,
  lastLines,
  lineAt,
  lineCount,
  lineIndexAt,
  linesBetween,
  nextLineTime,
  parseSeq,
  pickStyle,
  retainedFromIndex,
  type LogSource,
  type LogStyle,
} from './logs';

const START = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;

function source(style: LogStyle, extra: Partial<LogSource> = {}): LogSource {
  return { seed: 'fleet-1', podUid: `uid-${style}`, container: style === 'access' ? 'nginx' : 'orders-api', style, startedAt: START, ...extra };
}

/** Every style at the seeded rate and at the extremes of the clamp. */
const VARIANTS: [LogStyle, number | undefined][] = LOG_STYLES.flatMap((s) => [[s, undefined], [s, 0.01], [s, 200], [s, 5000]] as [LogStyle, number | undefined][]);

describe('determinism', () => {
  it('the same source gives the same lines, even from a fresh module (no cache)', async () => {
    const src = source('json');
    const first = linesBetween(src, START, START + 600_000);
    vi.resetModules();
    const fresh = await import('./logs');
    expect(fresh.linesBetween(src, START, START + 600_000)).toEqual(first);
    expect(first.length).toBeGreaterThan(50);
    // Random access agrees with sequential generation.
    expect(lineAt(src, 37)).toEqual(first[37]);
  });

  it('a different seed, pod, container or restart gives different output', () => {
    const base = source('plain');
    const text = (s: LogSource): string => linesBetween(s, START, START + 120_000).map((l) => l.text).join('\n');
    const ref = text(base);
    expect(text({ ...base, seed: 'fleet-2' })).not.toBe(ref);
    expect(text({ ...base, podUid: 'other' })).not.toBe(ref);
    expect(text({ ...base, container: 'billing' })).not.toBe(ref);
    expect(text({ ...base, startedAt: START + 1 })).not.toBe(ref);
  });
});

describe('line invariants', () => {
  it.each(VARIANTS)('%s at %s lines/s: strictly increasing times, seq = index, no gaps, one line each', (style, lps) => {
    const src = source(style, lps === undefined ? {} : { linesPerSecond: lps });
    let prevTime = -Infinity;
    // Cover several layout groups, including start-up bursts and stack traces.
    for (let k = 0; k < 6 * GROUP; k++) {
      const line = lineAt(src, k);
      expect(line).toBeDefined();
      if (!line) return;
      expect(line.seq).toBe(k);
      expect(parseSeq(line.text)).toBe(k);
      expect(line.time).toBeGreaterThan(prevTime);
      expect(Number.isInteger(line.time)).toBe(true);
      expect(line.nanos).toBeGreaterThanOrEqual(0);
      expect(line.nanos).toBeLessThan(1_000_000);
      expect(line.text).not.toMatch(/[\r\n]/);
      prevTime = line.time;
    }
    expect(lineAt(src, 0)?.time).toBeGreaterThanOrEqual(START);
  });

  it.each(LOG_STYLES)('%s: lineIndexAt is the first line at or after a time', (style) => {
    const src = source(style, { linesPerSecond: 4 });
    const times = Array.from({ length: 400 }, (_, k) => lineAt(src, k)?.time ?? NaN);
    const rng = new Rng(`probe-${style}`);
    for (let i = 0; i < 300; i++) {
      const ms = START - 10 + rng.int(0, (times[399] as number) - START);
      const expected = times.findIndex((t) => t >= ms);
      expect(lineIndexAt(src, ms)).toBe(expected);
    }
    // Exactly on a line's time includes that line.
    expect(lineIndexAt(src, times[123] as number)).toBe(123);
    expect(lineIndexAt(src, (times[123] as number) + 1)).toBe(124);
  });

  it('linesBetween is [from, to) with consecutive seqs', () => {
    const src = source('java', { linesPerSecond: 20 });
    const all = linesBetween(src, START, START + 60_000);
    const from = all[100]?.time as number;
    const to = all[200]?.time as number;
    const mid = linesBetween(src, from, to);
    expect(mid.map((l) => l.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i));
    expect(linesBetween(src, to, to)).toEqual([]);
  });

  it('nextLineTime is strictly after the given time', () => {
    const src = source('ansi', { linesPerSecond: 2 });
    const l5 = lineAt(src, 5)?.time as number;
    expect(nextLineTime(src, l5)).toBe(lineAt(src, 6)?.time);
    expect(nextLineTime(src, l5 - 1)).toBe(l5);
    expect(nextLineTime(src, START - 1000)).toBe(lineAt(src, 0)?.time);
  });

  it('renders kubelet timestamps as RFC3339 with nine fixed fraction digits', () => {
    expect(kubeletTimestamp({ time: Date.parse('2025-01-02T03:04:05.006Z'), nanos: 7 })).toBe('2025-01-02T03:04:05.006000007Z');
    expect(kubeletTimestamp({ time: START, nanos: 0 })).toBe('2025-01-01T00:00:00.000000000Z');
    const line = lineAt(source('json'), 3);
    expect(line && kubeletTimestamp(line)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });
});

describe('tails', () => {
  it('lastLines is the last n lines written by now, consecutive', () => {
    const src = source('plain', { linesPerSecond: 3 });
    const now = START + 3_600_000 + 123;
    const tail = lastLines(src, 25, now);
    expect(tail).toHaveLength(25);
    const seqs = tail.map((l) => l.seq);
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => (seqs[0] as number) + i));
    expect((tail[24]?.time as number) <= now).toBe(true);
    expect((nextLineTime(src, now) as number) > now).toBe(true);
    expect(lineIndexAt(src, now + 1)).toBe((tail[24]?.seq as number) + 1);
    expect(lastLines(src, 0, now)).toEqual([]);
    // Asking for more than was written gives everything.
    expect(lastLines(src, 1000, START + 5_000).map((l) => l.seq)[0]).toBe(0);
    expect(lastLines(src, 10, START - 1)).toEqual([]);
  });

  it('is O(n): a tail ten years into a 200 lines/s stream is instant', () => {
    const src = source('json', { linesPerSecond: 200 });
    const now = START + 3650 * DAY;
    const t0 = performance.now();
    const tail = lastLines(src, 100, now);
    const elapsed = performance.now() - t0;
    expect(tail).toHaveLength(100);
    expect(tail[0]?.seq).toBeGreaterThan(60_000_000_000);
    expect(parseSeq(tail[99]?.text ?? '')).toBe(tail[99]?.seq);
    expect(elapsed).toBeLessThan(250);
    // And it is consistent with random access.
    expect(lineAt(src, tail[50]?.seq as number)).toEqual(tail[50]);
  });

  it('serves only the current log file after rotation', () => {
    const src = source('json', { linesPerSecond: 200 });
    const now = START + DAY;
    const written = lineIndexAt(src, now + 1);
    const retained = retainedFromIndex(src, now);
    expect(retained).toBeGreaterThan(0);
    expect(retained).toBeLessThanOrEqual(written);
    // What is left is one file's worth (10 MiB by default), not the whole history.
    let bytes = 0;
    for (let k = retained; k < written; k++) bytes += Buffer.byteLength(lineAt(src, k)?.text ?? '') + 1;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(ROTATE_BYTES * 1.5);
    expect(written - retained).toBeLessThan(written / 10);
    // A quiet container has not rotated yet.
    expect(retainedFromIndex(source('json', { linesPerSecond: 0.2 }), now)).toBe(0);
  });
});

describe('instance ends', () => {
  it('an ended instance writes nothing at or after its end', () => {
    const end = START + 90_000;
    const src = source('access', { linesPerSecond: 5, endedAt: end });
    const n = lineCount(src);
    expect(Number.isFinite(n)).toBe(true);
    expect((lineAt(src, n - 1)?.time as number) < end).toBe(true);
    expect(lineAt(src, n)).toBeUndefined();
    expect(nextLineTime(src, end - 1)).toBeUndefined();
    expect(instanceEnd(src)).toBe(end);
    expect(linesBetween(src, START, Infinity)).toHaveLength(n);
    expect(lineCount(source('access'))).toBe(Infinity);
    expect(instanceEnd(source('access'))).toBeUndefined();
  });

  it.each(LOG_STYLES)('%s: a crash-looping instance writes a short start-up and a fatal error, then ends', (style) => {
    const src = source(style, { crashLoop: true });
    const lines = linesBetween(src, START, Infinity);
    expect(lines.length).toBe(lineCount(src));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThan(40);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i));
    for (let i = 1; i < lines.length; i++) expect(lines[i]?.time).toBeGreaterThan(lines[i - 1]?.time as number);
    const last = lines[lines.length - 1]?.text ?? '';
    // (pino writes fatal as level 60)
    expect(last).toMatch(/fatal|FATAL|^F\d{4}|CRITICAL|ERROR|emerg|critical|common frames omitted|"level":60/);
    const end = instanceEnd(src) as number;
    expect(end).toBe(START + crashRuntimeMs(src));
    expect(end).toBeGreaterThan(lines[lines.length - 1]?.time as number);
    expect(nextLineTime(src, end)).toBeUndefined();
    // Every restart of the container takes as long to die.
    expect(crashRuntimeMs({ ...src, startedAt: START + 777_777 })).toBe(crashRuntimeMs(src));
  });

  it('a crash-looping instance stopped early loses its last lines', () => {
    const src = source('plain', { crashLoop: true });
    const all = linesBetween(src, START, Infinity);
    const cut = all[1]?.time as number;
    const stopped = { ...src, endedAt: cut };
    expect(lineCount(stopped)).toBe(1);
    expect(instanceEnd(stopped)).toBe(cut);
  });
});

describe('pickStyle', () => {
  it('follows the image, and the seed for application images', () => {
    const rng = new Rng('x');
    expect(pickStyle('nginx:1.27', rng)).toBe('access');
    expect(pickStyle('docker.io/envoyproxy/envoy:v1.32', rng)).toBe('access');
    expect(pickStyle('eclipse-temurin:21-jre', rng)).toBe('java');
    expect(pickStyle('quay.io/prometheus/prometheus:v3.1.0', rng)).toBe('json');
    expect(pickStyle('redis:7.4.1', rng)).toBe('plain');
    const a = Array.from({ length: 20 }, () => pickStyle('registry.example/shop/api:1.0', new Rng('same')));
    expect(new Set(a).size).toBe(1);
  });
});
