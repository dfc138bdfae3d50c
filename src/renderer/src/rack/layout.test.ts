import { describe, expect, it } from 'vitest';
import { podCountsByNode, rackMap } from '../../../shared/derive';
import { node, syntheticSite } from '../../../shared/derive/test-fleet';
import { findRack, hitTest, layoutRackMap, rackLabel, SCALES } from './layout';

function overlaps(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('layoutRackMap', () => {
  const nodes = [
    node('a1', { room: 'fra-a', rack: 'A-01', unit: 1 }),
    node('a2', { room: 'fra-a', rack: 'A-01', unit: 2, ready: 'False' }),
    node('a3', { room: 'fra-a', rack: 'A-02', unit: 40, ready: 'Unknown' }),
    node('b1', { room: 'fra-b', rack: 'B-01', unit: 12, unschedulable: true }),
    node('loose', { ready: 'False' }),
  ];
  const map = rackMap(nodes, new Map([['a1', 55]]));

  it('draws every node once, placed or not, and counts the not-ready ones', () => {
    const l = layoutRackMap(map, { width: 400 });
    expect(l.nodes.map((n) => n.name).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'loose']);
    expect(l.notReady).toBe(3);
    expect(l.unplacedFrom).toBe(4);
    expect(l.labels.map((x) => x.text)).toEqual(['fra-a', 'fra-b', 'No rack position (1)']);
  });

  it('stacks units bottom-up inside their rack and carries the pod load', () => {
    const l = layoutRackMap(map, { width: 400 });
    const a1 = l.nodes.find((n) => n.name === 'a1')!;
    const a2 = l.nodes.find((n) => n.name === 'a2')!;
    expect(a2.y).toBe(a1.y - l.scale.unitH);
    expect(a1.load).toBeCloseTo(55 / 110);
    const rack = findRack(l, 'A-01')!;
    expect(a1.y + a1.h).toBeLessThanOrEqual(rack.y + rack.h);
    expect(a2.y).toBeGreaterThanOrEqual(rack.y);
  });

  it('uses the roomiest scale for a small site', () => {
    expect(layoutRackMap(map, { width: 400 }).scale).toEqual(SCALES[0]);
  });

  it('fits 5,000 nodes in a narrow column without overlaps, quickly', () => {
    const site = syntheticSite('fra', 5000, 30);
    const m = rackMap(site.nodes, podCountsByNode(site.pods));
    const t0 = performance.now();
    const l = layoutRackMap(m, { width: 420 });
    const ms = performance.now() - t0;
    expect(l.nodes).toHaveLength(5000);
    expect(l.notReady).toBe(0);
    expect(ms).toBeLessThan(50);
    for (const r of l.racks) {
      expect(r.x + r.w).toBeLessThanOrEqual(420);
    }
    expect(l.racks.reduce((n, r) => n + r.count, 0)).toBe(5000);
    // Racks never overlap one another.
    const racks = [...l.racks].sort((a, b) => a.y - b.y || a.x - b.x);
    for (let i = 0; i < racks.length; i++) for (let j = i + 1; j < racks.length && racks[j]!.y < racks[i]!.y + racks[i]!.h; j++) expect(overlaps(racks[i]!, racks[j]!)).toBe(false);
  });

  it('keeps a room that wraps away from the next room', () => {
    const many = Array.from({ length: 30 }, (_, i) => node(`a${i}`, { room: 'a', rack: `A-${String(i + 1).padStart(2, '0')}`, unit: 1 }));
    many.push(node('b0', { room: 'b', rack: 'B-01', unit: 1 }));
    const l = layoutRackMap(rackMap(many, new Map()), { width: 200 });
    const b = findRack(l, 'B-01')!;
    const lowestA = Math.max(...l.racks.filter((r) => r.room === 'a').map((r) => r.y + r.h));
    expect(b.y).toBeGreaterThan(lowestA);
    expect(l.height).toBeGreaterThanOrEqual(b.y + b.h);
  });
});

describe('hitTest', () => {
  const map = rackMap([node('n1', { room: 'r', rack: 'R-01', unit: 1 }), node('n2', { room: 'r', rack: 'R-01', unit: 3 }), node('x')], new Map());
  const l = layoutRackMap(map, { width: 300 });

  it('finds the node under the pointer, the rack around empty units, and unplaced nodes', () => {
    const n1 = l.nodes.find((n) => n.name === 'n1')!;
    expect(hitTest(l, n1.x + 1, n1.y + 1)).toEqual({ kind: 'node', node: n1 });
    const n2 = l.nodes.find((n) => n.name === 'n2')!;
    // Unit 2, between n1 and n2, is empty.
    expect(hitTest(l, n1.x + 1, n2.y + l.scale.unitH + 1)).toMatchObject({ kind: 'rack', rack: { name: 'R-01' } });
    const x = l.nodes.find((n) => n.name === 'x')!;
    expect(hitTest(l, x.x + 1, x.y + 1)).toMatchObject({ kind: 'node', node: { name: 'x' } });
    expect(hitTest(l, l.width - 1, 1)).toBeUndefined();
  });
});

describe('rackLabel', () => {
  it('shortens to the last part when the name does not fit', () => {
    expect(rackLabel('B-07', 28)).toBe('B-07');
    expect(rackLabel('B-07', 10)).toBe('07');
    expect(rackLabel('very-long-rack-name-0000017', 10)).toBe('');
  });
});
