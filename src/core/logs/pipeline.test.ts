/**
 * The log pipeline's pure parts: reading lines off the wire, the resume
 * cursor, the scrollback and delivery accounting, search, highlighting and
 * selectors. (The parts that talk to API servers are tested against the
 * training fleet in log-tail.test.ts.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highlight } from '../../shared/terminal/highlight';
import { sanitizeLine } from '../../shared/terminal/sanitize';
import { Delivery } from './delivery';
import { LineReader, rfc3339Second, type RawLine } from './line-reader';
import { ResumeCursor } from './resume-cursor';
import { Scrollback } from './scrollback';
import { searchEntries } from './search';
import { selectorString } from './target';
import type { LogBatch, LogLineEntry, LogTailStats } from './types';

function read(chunks: (string | Buffer)[], max = 64, clean = true): RawLine[] {
  const out: RawLine[] = [];
  const r = new LineReader(max, (l) => out.push(l));
  for (const c of chunks) r.push(typeof c === 'string' ? Buffer.from(c) : c);
  r.end(clean);
  return out;
}

describe('LineReader', () => {
  it('splits lines across chunks and takes the kubelet timestamp off the front', () => {
    const lines = read(['2025-01-02T03:04:05.123456789Z hel', 'lo\n2025-01-02T03:04:06.000000001+02:00 next\nno timestamp here\n']);
    expect(lines).toEqual([
      { ts: '2025-01-02T03:04:05.123456789Z', second: Date.UTC(2025, 0, 2, 3, 4, 5) / 1000, text: 'hello', cutBytes: 0 },
      { ts: '2025-01-02T03:04:06.000000001+02:00', second: Date.UTC(2025, 0, 2, 1, 4, 6) / 1000, text: 'next', cutBytes: 0 },
      { ts: undefined, second: NaN, text: 'no timestamp here', cutBytes: 0 },
    ]);
  });

  it('decodes invalid UTF-8 to U+FFFD, also when a character is split across chunks', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    const lines = read([Buffer.from([0x61, 0xff, 0x62, 0xc3, 0x0a]), Buffer.concat([Buffer.from('x'), euro.subarray(0, 2)]), Buffer.concat([euro.subarray(2), Buffer.from('\n')])]);
    expect(lines.map((l) => l.text)).toEqual(['a\ufffdb\ufffd', 'x€']);
  });

  it('bounds a 1 MB line without a newline: keeps the first bytes on a character boundary, counts the rest', () => {
    const big = Buffer.from(`${'é'.repeat(600_000)}\n`); // 1.2 MB, two bytes per character
    const chunks: Buffer[] = [];
    for (let i = 0; i < big.length; i += 16_381) chunks.push(big.subarray(i, i + 16_381));
    // 64 KiB with the 31-byte timestamp leaves 65,505 bytes: an odd number, so the last 'é' would be split.
    const [line, next] = read([Buffer.from('2025-01-02T03:04:05.000000000Z '), ...chunks, Buffer.from('after\n')], 65_536);
    expect(line?.ts).toBe('2025-01-02T03:04:05.000000000Z');
    expect(line?.text).toBe('é'.repeat(32_752));
    expect(line?.cutBytes).toBe(1_200_000 - 65_504);
    expect(next?.text).toBe('after');
    expect(sanitizeLine(line?.text ?? '', { cutBytes: line?.cutBytes }).endsWith(` … [${(1_200_000 - 65_504).toLocaleString('en-US')} bytes cut]`)).toBe(true);
  });

  it('drops CR of CRLF, and a partial last line of a broken stream (it comes again on resume)', () => {
    expect(read(['a\r\nb'], 64, true).map((l) => l.text)).toEqual(['a', 'b']);
    expect(read(['a\r\nb'], 64, false).map((l) => l.text)).toEqual(['a']);
  });

  it('gives the same lines however the bytes are chunked', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300), { maxLength: 6 }), (bytes, cuts) => {
        const buf = Buffer.from(bytes);
        const whole = read([buf], 40);
        const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
        const parts: Buffer[] = [];
        let from = 0;
        for (const p of points) {
          parts.push(buf.subarray(from, p));
          from = p;
        }
        parts.push(buf.subarray(from));
        expect(read(parts, 40)).toEqual(whole);
      }),
    );
  });

  it('formats sinceTime as whole-second RFC 3339', () => {
    expect(rfc3339Second(Date.UTC(2025, 0, 2, 3, 4, 5) / 1000)).toBe('2025-01-02T03:04:05Z');
  });
});

describe('ResumeCursor', () => {
  const sec = 1_700_000_000;
  const ts = (s: number, ns: number): string => `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(ns).padStart(9, '0')}Z`;

  it('skips exactly what the server repeats from the start of the last second, nothing more', () => {
    const c = new ResumeCursor();
    // Seen: two lines in second 0, three in second 1 (one timestamp twice), then the stream broke.
    for (const [s, ns] of [[0, 1], [0, 2], [1, 5], [1, 5], [1, 3]] as const) expect(c.offer(ts(sec + s, ns), sec + s)).toBe('new');
    c.beginResume();
    expect(c.since).toBe(sec + 1);
    // The server resends second 1 in full (out of order by nanoseconds is fine) and goes on.
    const verdicts = [[1, 5], [1, 5], [1, 3], [1, 7], [1, 5], [2, 0]].map(([s, ns]) => c.offer(ts(sec + (s as number), ns as number), sec + (s as number)));
    expect(verdicts).toEqual(['duplicate', 'duplicate', 'duplicate', 'new', 'new', 'new']);
    expect(c.duplicates).toBe(3);
    expect(c.finishResume()).toBe(0);
  });

  it('says how many seen lines the server no longer had (rotated away)', () => {
    const c = new ResumeCursor();
    for (const ns of [1, 2, 3]) c.offer(ts(sec, ns), sec);
    c.beginResume();
    expect(c.offer(ts(sec, 3), sec)).toBe('duplicate');
    expect(c.offer(ts(sec + 1, 0), sec + 1)).toBe('new');
    expect(c.finishResume()).toBe(2);
  });

  it('treats lines without timestamps as new, and a fresh cursor has nothing to resume', () => {
    const c = new ResumeCursor();
    expect(c.started).toBe(false);
    c.beginResume();
    expect(c.resuming).toBe(false);
    expect(c.offer(undefined, NaN)).toBe('new');
  });

  it('property: a resume at any point delivers each line of the log exactly once', () => {
    // A log: non-decreasing seconds, nanos in any order within a second, occasional equal stamps.
    const logArb = fc.array(fc.tuple(fc.nat(3), fc.nat(5)), { minLength: 1, maxLength: 60 }).map((steps) => {
      let s = sec;
      return steps.map(([ds, ns]) => {
        s += ds === 0 ? 1 : 0;
        return { s, ts: ts(s, ns) };
      });
    });
    fc.assert(
      fc.property(logArb, fc.array(fc.nat(60), { maxLength: 4 }), (log, breaks) => {
        const c = new ResumeCursor();
        const got: number[] = [];
        let pos = 0;
        const cuts = [...new Set(breaks.map((b) => b % (log.length + 1)))].sort((a, b) => a - b);
        for (const cut of [...cuts, log.length]) {
          for (; pos < cut; pos++) {
            const l = log[pos] as { s: number; ts: string };
            if (c.offer(l.ts, l.s) === 'new') got.push(pos);
          }
          if (cut === log.length) break;
          // Break: the server resends from the start of the cursor's second (sinceTime semantics).
          c.beginResume();
          const since = c.since ?? -Infinity;
          pos = log.findIndex((l) => l.s >= since);
          if (pos < 0) pos = log.length;
        }
        expect(got).toEqual(log.map((_, i) => i));
      }),
      { numRuns: 2000 },
    );
  });
});

function line(text: string, extra: Partial<LogLineEntry> = {}): LogLineEntry {
  return { kind: 'line', n: 0, site: 'fra', namespace: 'ns', pod: 'p', container: 'c', colour: 0, text, ...extra };
}

describe('Scrollback', () => {
  it('keeps the newest entries within count and bytes, numbering and counting exactly', () => {
    const sb = new Scrollback(5, 1_000_000);
    for (let i = 0; i < 12; i++) sb.append(line(`l${i}`));
    expect([sb.first, sb.next, sb.size, sb.evictedLines, sb.lines]).toEqual([7, 12, 5, 7, 5]);
    expect([...sb.range()].map((e) => e.text)).toEqual(['l7', 'l8', 'l9', 'l10', 'l11']);
    expect(sb.linesBefore(9)).toBe(9);
    const small = new Scrollback(100, 1000);
    small.append(line('x'.repeat(300)));
    small.append(line('y'.repeat(300)));
    expect(small.size).toBe(1);
    expect(small.bytes).toBeLessThanOrEqual(1000);
  });
});

describe('Delivery', () => {
  function rig(o: Partial<{ maxBatch: number; maxInFlight: number; maxLagLines: number; entries: number }> = {}): { sb: Scrollback; d: Delivery; batches: LogBatch[] } {
    const sb = new Scrollback(o.entries ?? 1000, 1e9);
    const batches: LogBatch[] = [];
    const d: Delivery = new Delivery(sb, {
      sink: (b) => void batches.push(b),
      flushMs: 5,
      maxBatch: o.maxBatch ?? 100,
      maxInFlight: o.maxInFlight ?? 1,
      maxLagLines: o.maxLagLines ?? 10_000,
      stats: () => ({ pending: d.pending, paused: d.isPaused, received: 0, streams: { following: 0, retrying: 0, waiting: 0 } }) as LogTailStats,
    });
    return { sb, d, batches };
  }
  const lines = (bs: LogBatch[]): string[] => bs.flatMap((b) => b.entries.filter((e) => e.kind === 'line').map((e) => e.text));
  const dropped = (bs: LogBatch[]): number => bs.flatMap((b) => b.entries).reduce((n, e) => n + (e.kind === 'marker' && e.type === 'dropped' ? (e.count ?? 0) : 0), 0);

  it('batches in order', async () => {
    const { sb, d, batches } = rig({ maxBatch: 7 });
    for (let i = 0; i < 30; i++) {
      sb.append(line(`${i}`));
      d.notify();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(lines(batches)).toEqual(Array.from({ length: 30 }, (_, i) => `${i}`));
    expect(batches.every((b) => b.entries.length <= 7)).toBe(true);
    expect(d.delivered).toBe(30);
  });

  it('while paused, sends counters only; on resume, everything in order; overflow is counted', async () => {
    const { sb, d, batches } = rig({ entries: 50 });
    d.pause();
    for (let i = 0; i < 80; i++) {
      sb.append(line(`${i}`));
      d.notify();
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(lines(batches)).toEqual([]);
    expect(batches.at(-1)?.stats.pending).toBe(50);
    d.resume();
    await new Promise((r) => setTimeout(r, 50));
    expect(lines(batches)).toEqual(Array.from({ length: 50 }, (_, i) => `${i + 30}`));
    expect(dropped(batches)).toBe(30);
    expect(d.delivered + d.dropped).toBe(80);
  });

  it('a consumer that holds batches back is skipped ahead with a count; markers in the skipped part still go out', async () => {
    const sb = new Scrollback(1000, 1e9);
    const batches: LogBatch[] = [];
    let release: () => void = () => {};
    const d: Delivery = new Delivery(sb, {
      sink: (b) => {
        batches.push(b);
        return new Promise<void>((r) => (release = r));
      },
      flushMs: 5,
      maxBatch: 10,
      maxInFlight: 1,
      maxLagLines: 20,
      stats: () => ({ pending: d.pending, paused: false, received: 0, streams: { following: 0, retrying: 0, waiting: 0 } }) as LogTailStats,
    });
    sb.append(line('first'));
    d.flush();
    for (let i = 0; i < 100; i++) sb.append(i === 40 ? { kind: 'marker', n: 0, type: 'gap', at: '', text: 'gap!' } : line(`${i}`));
    d.flush(); // held back: the first batch is not settled
    release();
    await new Promise((r) => setTimeout(r, 20));
    release();
    d.stop();
    const texts = batches.flatMap((b) => b.entries.map((e) => e.text));
    expect(texts).toContain('gap!');
    expect(d.dropped).toBeGreaterThan(0);
    expect(dropped(batches)).toBe(d.dropped);
    expect(d.delivered + d.dropped).toBe(100);
  });

  it('a burst of input to a consumer that keeps up is delivered in full', () => {
    const { sb, d, batches } = rig({ maxBatch: 10, maxLagLines: 20 });
    for (let i = 0; i < 100; i++) sb.append(line(`${i}`));
    for (let i = 0; i < 10; i++) d.flush();
    d.stop();
    expect(lines(batches)).toEqual(Array.from({ length: 100 }, (_, i) => `${i}`));
    expect(d.dropped).toBe(0);
  });
});

describe('search and highlight', () => {
  it('finds substrings (case-insensitive by default) and regexes in the visible text, newest within the limit', () => {
    const entries = ['alpha GET /x', '\x1b[31mERROR\x1b[0m get /y', 'beta', 'gamma GET'].map((t, n) => ({ ...line(t), n }));
    const r = searchEntries([...entries].reverse(), { text: 'get' });
    expect(r.hits).toEqual([{ n: 0, ranges: [[6, 9]] }, { n: 1, ranges: [[6, 9]] }, { n: 3, ranges: [[6, 9]] }]);
    expect(searchEntries([...entries].reverse(), { text: 'get' }, 2).hits.map((h) => h.n)).toEqual([1, 3]);
    expect(searchEntries([...entries].reverse(), { text: '^[ab]', regex: true }).hits.map((h) => h.n)).toEqual([0, 2]);
    // Colour codes are not text: "31m" is not found.
    expect(searchEntries(entries, { text: '31m' }).hits).toEqual([]);
  });

  it('highlights matches between existing colour codes', () => {
    expect(highlight('\x1b[31mERROR\x1b[0m at GET /x', [/ERR|GET/])).toBe('\x1b[31m\x1b[7mERR\x1b[27mOR\x1b[0m at \x1b[7mGET\x1b[27m /x');
    expect(highlight('no match', [/zzz/])).toBe('no match');
  });
});

describe('selectorString', () => {
  it('renders a LabelSelector as the apiserver parses it', () => {
    expect(selectorString({ matchLabels: { b: '2', a: '1' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }, { key: 'x', operator: 'Exists' }, { key: 'y', operator: 'DoesNotExist' }, { key: 'z', operator: 'NotIn', values: ['q'] }] }))
      .toBe('a=1,b=2,tier in (api,web),x,!y,z notin (q)');
  });
});
