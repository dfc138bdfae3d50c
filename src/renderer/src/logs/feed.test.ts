import { describe, expect, it } from 'vitest';
import type { LogEntry, LogLineEntry, LogMarkerEntry } from '../../../shared/logs';
import { LogFeed } from './feed';

const line = (n: number): LogLineEntry => ({ kind: 'line', n, site: 'fra', namespace: 'ns', pod: 'p', container: 'c', colour: 0, text: `line ${n}` });
const marker = (text: string): LogMarkerEntry => ({ kind: 'marker', n: -1, type: 'dropped', at: '2026-11-28T00:00:00Z', count: 5, text });
const lines = (from: number, count: number): LogEntry[] => Array.from({ length: count }, (_, i) => line(from + i));

/**
 * A terminal that takes a write in `costMs` of the fake clock and calls back when
 * told to (as xterm does, later); frames are run by hand.
 */
function rig(o: { groupSize?: number; budgetMs?: number; costMs?: number } = {}) {
  let clock = 0;
  const writes: string[] = [];
  const callbacks: (() => void)[] = [];
  const frames: (() => void)[] = [];
  const done: number[] = [];
  const feed = new LogFeed(
    {
      write(data, cb) {
        writes.push(data);
        callbacks.push(() => {
          clock += o.costMs ?? 1;
          cb();
        });
      },
    },
    { groupSize: o.groupSize ?? 3, budgetMs: o.budgetMs ?? 100, format: (e) => `${e.kind === 'line' ? e.text : `-- ${e.text}`}\n`, afterFrame: (fn) => frames.push(fn), now: () => clock },
  );
  /** The terminal takes in what it was given, until it has nothing (or a frame is awaited). */
  const drain = (): void => {
    while (callbacks.length > 0) (callbacks.shift() as () => void)();
  };
  return { feed, writes, callbacks, frames, done, drain, push: (seq: number, entries: LogEntry[]) => feed.push(entries, () => done.push(seq)) };
}

describe('LogFeed', () => {
  it('writes every entry in order, a group at a time, one write outstanding; a batch is done once all of it is in', () => {
    const r = rig({ groupSize: 3 });
    r.push(1, lines(0, 7));
    r.push(2, [marker('5 lines skipped'), ...lines(7, 2)]);
    // One group out, the rest waits for its callback.
    expect(r.writes).toEqual(['line 0\nline 1\nline 2\n']);
    expect(r.callbacks).toHaveLength(1);
    expect(r.feed.queued).toBe(9);
    r.callbacks.shift()?.();
    expect(r.feed.written).toBe(3);
    expect(r.done).toEqual([]);
    r.drain();
    expect(r.writes.join('')).toBe(`${[...Array(7).keys()].map((i) => `line ${i}\n`).join('')}-- 5 lines skipped\nline 7\nline 8\n`);
    // Batch 1 in three groups (3 + 3 + 1), batch 2 in one: markers are written but not counted as lines.
    expect(r.writes).toHaveLength(4);
    expect(r.done).toEqual([1, 2]);
    expect([r.feed.written, r.feed.queued]).toEqual([9, 0]);
  });

  it('an empty batch is done at once, or after the batches ahead of it', () => {
    const r = rig();
    r.push(1, []);
    expect(r.done).toEqual([1]);
    r.push(2, lines(0, 2));
    r.push(3, []);
    expect(r.done).toEqual([1]);
    r.drain();
    expect(r.done).toEqual([1, 2, 3]);
  });

  it('stops for a painted frame once a frame’s budget went on writing, and goes on after it', () => {
    // Each group costs 3 ms; 8 ms a frame: three groups, then the frame.
    const r = rig({ groupSize: 1, budgetMs: 8, costMs: 3 });
    r.push(1, lines(0, 10));
    r.drain();
    expect(r.writes).toHaveLength(3);
    expect(r.frames).toHaveLength(1);
    expect(r.done).toEqual([]);
    (r.frames.shift() as () => void)();
    r.drain();
    expect(r.writes).toHaveLength(6);
    (r.frames.shift() as () => void)();
    r.drain();
    (r.frames.shift() as () => void)();
    r.drain();
    expect(r.writes).toHaveLength(10);
    expect(r.done).toEqual([1]);
    expect(r.frames).toHaveLength(0);
  });

  it('a new stretch of writing after running out of work gets a whole budget', () => {
    const r = rig({ groupSize: 1, budgetMs: 8, costMs: 3 });
    r.push(1, lines(0, 2));
    r.drain();
    r.push(2, lines(2, 3));
    r.drain();
    expect(r.writes).toHaveLength(5);
    expect(r.frames).toHaveLength(0);
    expect(r.done).toEqual([1, 2]);
  });

  it('writes nothing more and finishes nothing once closed', () => {
    const r = rig({ groupSize: 2 });
    r.push(1, lines(0, 4));
    r.feed.close();
    r.drain();
    r.push(2, lines(4, 2));
    expect(r.writes).toHaveLength(1);
    expect(r.done).toEqual([]);
    expect([r.feed.written, r.feed.queued]).toEqual([0, 0]);
  });
});
