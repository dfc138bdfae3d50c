import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSnapshot } from '../../shared/contract/snapshot';
import type { SiteSnapshot } from '../../shared/contract/triptych';
import { MAX_OPEN, SnapshotPages } from './snapshot-pages';

function snapshot(pods: number, seq = 7): SiteSnapshot {
  return {
    site: 'fra',
    seq,
    items: {
      nodes: Array.from({ length: 5 }, (_, i) => ({ name: `n${i}` })),
      pods: Array.from({ length: pods }, (_, i) => ({ namespace: 'a', name: `p${i}` })),
      events: [],
      namespaces: [{ name: 'a' }],
      workloads: [],
      pdbs: [],
    },
  } as unknown as SiteSnapshot;
}

afterEach(() => vi.useRealTimers());

describe('SnapshotPages', () => {
  it('a small snapshot is one page without a token', () => {
    const pages = new SnapshotPages(100);
    const s = pages.page(() => snapshot(10));
    expect(s.continue).toBeUndefined();
    expect(s.items.pods).toHaveLength(10);
  });

  it('pages hold at most pageItems, share the seq, and join into the whole snapshot', async () => {
    const pages = new SnapshotPages(4);
    const whole = snapshot(9);
    const seen: SiteSnapshot[] = [];
    const joined = await readSnapshot(async (t) => {
      const p = pages.page(() => whole, t);
      seen.push(p);
      return p;
    });
    // 5 nodes + 1 namespace + 9 pods = 15 items → 4 pages.
    expect(seen).toHaveLength(4);
    for (const p of seen) {
      expect(p.seq).toBe(7);
      expect(Object.values(p.items).reduce((n, xs) => n + xs.length, 0)).toBeLessThanOrEqual(4);
    }
    expect(joined.items).toEqual(whole.items);
    expect(joined.continue).toBeUndefined();
  });

  it('later pages come from the frozen snapshot, not the live mirror', () => {
    const pages = new SnapshotPages(5);
    let live = snapshot(10, 1);
    const first = pages.page(() => live);
    live = snapshot(50, 2);
    const second = pages.page(() => live, first.continue);
    expect(second.seq).toBe(1);
  });

  it('a finished, unknown or malformed token is not-found with what to do', () => {
    const pages = new SnapshotPages(10);
    // 5 nodes + 1 namespace + 9 pods = 15 items → 2 pages.
    const first = pages.page(() => snapshot(9));
    const last = pages.page(() => snapshot(9), first.continue);
    expect(last.continue).toBeUndefined();
    for (const token of [first.continue, 'AAAAAAAAAAAA:10', '../../etc', '']) {
      expect(() => pages.page(() => snapshot(15), token)).toThrow(/expired .*ask for a new snapshot/);
    }
  });

  it('an abandoned snapshot expires; clients that never finish cannot pile them up', () => {
    vi.useFakeTimers();
    const pages = new SnapshotPages(10, 1000);
    const a = pages.page(() => snapshot(50));
    vi.advanceTimersByTime(999);
    const b = pages.page(() => snapshot(50), a.continue);
    vi.advanceTimersByTime(1000);
    expect(() => pages.page(() => snapshot(50), b.continue)).toThrow(/expired/);
    const tokens = Array.from({ length: MAX_OPEN + 1 }, () => pages.page(() => snapshot(50)).continue);
    expect(() => pages.page(() => snapshot(50), tokens[0])).toThrow(/expired/);
    expect(pages.page(() => snapshot(50), tokens[MAX_OPEN]).items.pods.length).toBeGreaterThan(0);
  });
});

describe('readSnapshot', () => {
  it('refuses pages of different snapshots', async () => {
    const pages = [
      { ...snapshot(1, 3), continue: 'x' },
      { ...snapshot(1, 4) },
    ];
    await expect(readSnapshot(async () => pages.shift() as SiteSnapshot)).rejects.toThrow(/disagree \(seq 3 then 4\)/);
  });
});
