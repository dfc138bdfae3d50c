import { describe, expect, it } from 'vitest';
import { event, node, pod, workload } from '../../../shared/derive/test-fleet';
import { applyQueued, keyOf, mirrorFromSnapshot } from './mirror';
import { emptySnapshot, nodeDeltas, podDeltas } from './testing';

describe('keyOf', () => {
  it('keys views as the contract does', () => {
    expect(keyOf('nodes', node('n1'))).toBe('n1');
    expect(keyOf('namespaces', { name: 'shop', phase: 'Active' })).toBe('shop');
    expect(keyOf('pods', pod('web-1'))).toBe('shop/web-1');
    expect(keyOf('events', event('e1'))).toBe('shop/e1');
    expect(keyOf('workloads', workload('web', { kind: 'StatefulSet' }))).toBe('StatefulSet/shop/web');
    expect(keyOf('pdbs', { namespace: 'shop', name: 'web', disruptionsAllowed: 1, expectedPods: 3, currentHealthy: 3, desiredHealthy: 2 })).toBe('shop/web');
  });
});

describe('mirrorFromSnapshot + applyQueued', () => {
  it('applies only batches newer than the snapshot, in seq order', () => {
    const m = mirrorFromSnapshot(emptySnapshot('fra', 5, { nodes: [node('n1'), node('n2')] }));
    const queue = [
      nodeDeltas('fra', 7, [node('n4')]),
      nodeDeltas('fra', 4, [node('old')]),
      nodeDeltas('fra', 5, [node('also-old')]),
      nodeDeltas('fra', 6, [node('n3')], ['n1']),
    ];
    const r = applyQueued(m, queue);
    expect(r).toEqual({ applied: 2, skipped: 2, gap: false });
    expect([...m.nodes.keys()].sort()).toEqual(['n2', 'n3', 'n4']);
    expect(m.seq).toBe(7);
    expect(queue).toEqual([]);
  });

  it('ignores batches of another site', () => {
    const m = mirrorFromSnapshot(emptySnapshot('fra', 0));
    const r = applyQueued(m, [nodeDeltas('ams', 1, [node('ams-1')]), nodeDeltas('fra', 1, [node('fra-1')])]);
    expect(r.applied).toBe(1);
    expect([...m.nodes.keys()]).toEqual(['fra-1']);
  });

  it('stops at a gap and keeps the rest queued', () => {
    const m = mirrorFromSnapshot(emptySnapshot('fra', 1));
    const queue = [nodeDeltas('fra', 2, [node('a')]), nodeDeltas('fra', 4, [node('c')])];
    const r = applyQueued(m, queue);
    expect(r).toEqual({ applied: 1, skipped: 0, gap: true });
    expect(m.seq).toBe(2);
    expect(queue.map((d) => d.seq)).toEqual([4]);
  });

  it('replaces upserted views and deletes by key', () => {
    const m = mirrorFromSnapshot(emptySnapshot('fra', 0, { pods: [pod('p1'), pod('p2')] }));
    applyQueued(m, [podDeltas('fra', 1, [pod('p1', { status: 'CrashLoopBackOff' })], ['shop/p2'])]);
    expect(m.pods.get('shop/p1')?.status).toBe('CrashLoopBackOff');
    expect(m.pods.has('shop/p2')).toBe(false);
  });

  it('skips a kind it does not know without failing the batch', () => {
    const m = mirrorFromSnapshot(emptySnapshot('fra', 0));
    const bogus = { site: 'fra', kind: 'version', seq: 1, upserts: [['x', {}]], deletes: [] } as never;
    expect(applyQueued(m, [bogus, nodeDeltas('fra', 2, [node('n1')])]).applied).toBe(2);
    expect(m.version).toBe(0);
    expect(m.nodes.size).toBe(1);
  });
});
