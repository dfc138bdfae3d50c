import { describe, expect, it } from 'vitest';
import { search } from '../../../shared/derive';
import { node, pod, workload } from '../../../shared/derive/test-fleet';
import { mirrorFromSnapshot } from '../store/mirror';
import { emptySnapshot, siteInfo } from '../store/testing';
import { indexFor, needsRebuild, REBUILD_EVERY_MS, searchItems } from './items';
import { rackMap } from '../../../shared/derive';
import type { Derived } from '../store/initialState';

describe('searchItems', () => {
  const fraNodes = [node('fra-a-r01-u01', { room: 'a', rack: 'A-01', unit: 1 })];
  const fra = mirrorFromSnapshot(emptySnapshot('fra', 0, { nodes: fraNodes, pods: [pod('checkout-7d9-x1', { namespace: 'checkout' })], workloads: [workload('checkout', { namespace: 'checkout' })] }));
  const ams = mirrorFromSnapshot(emptySnapshot('ams', 0, { nodes: [node('ams-a-r01-u01')] }));
  const derived = { fra: { rack: rackMap(fraNodes, new Map()) } as Derived };
  const items = searchItems([siteInfo('fra'), siteInfo('ams'), siteInfo('dub')], { fra, ams }, derived);

  it('lists racks, nodes, workloads and pods of every loaded site', () => {
    expect(items).toEqual([
      { kind: 'rack', site: 'fra', name: 'A-01' },
      { kind: 'node', site: 'fra', name: 'fra-a-r01-u01' },
      { kind: 'workload', site: 'fra', name: 'checkout', namespace: 'checkout' },
      { kind: 'pod', site: 'fra', name: 'checkout-7d9-x1', namespace: 'checkout' },
      { kind: 'node', site: 'ams', name: 'ams-a-r01-u01' },
    ]);
  });

  it('feeds the shared search (site prefix and namespace syntax included)', () => {
    const cache = indexFor(undefined, 'k', 0, () => items);
    expect(search(cache.index, 'checkout').map((h) => h.item.kind)).toEqual(['workload', 'pod']);
    expect(search(cache.index, 'ams: u01').map((h) => h.item.name)).toEqual(['ams-a-r01-u01']);
  });
});

describe('rebuild policy', () => {
  it('rebuilds at most every interval, and only when the data changed', () => {
    let builds = 0;
    const build = () => (builds++, []);
    const a = indexFor(undefined, 'v1', 0, build);
    expect(indexFor(a, 'v2', REBUILD_EVERY_MS - 1, build)).toBe(a);
    expect(indexFor(a, 'v1', 60_000, build)).toBe(a);
    const b = indexFor(a, 'v2', REBUILD_EVERY_MS, build);
    expect(b).not.toBe(a);
    expect(builds).toBe(2);
    expect(needsRebuild(b, 'v2', 1e9)).toBe(false);
  });
});
