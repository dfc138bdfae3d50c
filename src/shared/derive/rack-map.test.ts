import { describe, expect, it } from 'vitest';
import { nodeState, podCountsByNode, rackMap } from './rack-map';
import { node, pod, syntheticSite } from './test-fleet';

describe('nodeState', () => {
  it('ranks NotReady over Unknown over cordoned over pressure', () => {
    expect(nodeState(node('n'))).toBe('ready');
    expect(nodeState(node('n', { pressure: ['DiskPressure'] }))).toBe('pressure');
    expect(nodeState(node('n', { pressure: ['DiskPressure'], unschedulable: true }))).toBe('cordoned');
    expect(nodeState(node('n', { ready: 'Unknown', unschedulable: true }))).toBe('unknown');
    expect(nodeState(node('n', { ready: 'False', unschedulable: true, pressure: ['MemoryPressure'] }))).toBe('notready');
  });
});

describe('rackMap', () => {
  it('groups by room and rack in natural order, nodes bottom-up with pod counts', () => {
    const nodes = [
      node('x-u05', { room: 'fra-b', rack: 'B-10', unit: 5 }),
      node('x-u01', { room: 'fra-b', rack: 'B-10', unit: 1, ready: 'False' }),
      node('y-u03', { room: 'fra-b', rack: 'B-2', unit: 3, unschedulable: true, podsAllocatable: 250 }),
      node('z-u01', { room: 'fra-a', rack: 'A-1', unit: 1, pressure: ['PIDPressure'] }),
      node('w-u01', { room: 'fra-aa', rack: 'AA-1', unit: 1, ready: 'Unknown' }),
    ];
    const map = rackMap(nodes, new Map([['x-u05', 17], ['y-u03', 3]]));
    expect(map.unplaced).toEqual([]);
    expect(map.rooms.map((r) => r.name)).toEqual(['fra-a', 'fra-aa', 'fra-b']);
    const b = map.rooms[2]!;
    expect(b.racks.map((r) => r.name)).toEqual(['B-2', 'B-10']);
    expect(b.racks[1]).toEqual({
      name: 'B-10',
      units: 42,
      nodes: [
        { name: 'x-u01', unit: 1, state: 'notready', podCount: 0, podCapacity: 110 },
        { name: 'x-u05', unit: 5, state: 'ready', podCount: 17, podCapacity: 110 },
      ],
    });
    expect(b.racks[0]!.nodes[0]).toEqual({ name: 'y-u03', unit: 3, state: 'cordoned', podCount: 3, podCapacity: 250 });
    expect(map.rooms[0]!.racks[0]!.nodes[0]!.state).toBe('pressure');
    expect(map.rooms[1]!.racks[0]!.nodes[0]!.state).toBe('unknown');
  });

  it('makes a rack at least 42U, taller when a node sits higher', () => {
    const map = rackMap([node('a', { room: 'r', rack: 'R-01', unit: 3 }), node('b', { room: 'r', rack: 'R-01', unit: 47 })], new Map());
    expect(map.rooms[0]!.racks[0]!.units).toBe(47);
  });

  it('lists nodes without room, rack or unit apart, naturally sorted', () => {
    const map = rackMap(
      [node('n-10', { rack: 'A-01', unit: 1 }), node('n-9', { room: 'r', unit: 2 }), node('n-2'), node('n-1', { room: 'r', rack: 'A-01' }), node('ok', { room: 'r', rack: 'A-01', unit: 1 })],
      new Map(),
    );
    expect(map.unplaced.map((n) => n.name)).toEqual(['n-1', 'n-2', 'n-9', 'n-10']);
    expect(map.rooms).toHaveLength(1);
  });

  it('keeps two nodes claiming one unit (a labelling mistake the operator must see)', () => {
    const map = rackMap([node('b', { room: 'r', rack: 'R', unit: 4 }), node('a', { room: 'r', rack: 'R', unit: 4 })], new Map());
    expect(map.rooms[0]!.racks[0]!.nodes.map((n) => n.name)).toEqual(['a', 'b']);
  });

  it('lays out a 5,000-node site quickly', () => {
    const s = syntheticSite('fra', 5000, 30);
    const t0 = performance.now();
    const counts = podCountsByNode(s.pods);
    const map = rackMap(s.nodes, counts);
    const ms = performance.now() - t0;
    expect(map.rooms).toHaveLength(3);
    expect(map.rooms.flatMap((r) => r.racks).reduce((n, r) => n + r.nodes.length, 0)).toBe(5000);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(150_000);
    // Goal ~10 ms; the bound is generous for slow CI machines.
    expect(ms).toBeLessThan(1000);
  });
});

describe('podCountsByNode', () => {
  it('counts bound pods that hold a slot', () => {
    const counts = podCountsByNode([
      pod('a', { node: 'n1' }),
      pod('b', { node: 'n1', phase: 'Pending', status: 'ContainerCreating' }),
      pod('c', { node: 'n1', phase: 'Succeeded', status: 'Completed' }),
      pod('d', { node: 'n2', phase: 'Failed', status: 'Error' }),
      pod('e', { node: '', phase: 'Pending' }),
      pod('f', { node: 'n2', terminating: true, status: 'Terminating' }),
    ]);
    expect([...counts]).toEqual([
      ['n1', 2],
      ['n2', 1],
    ]);
  });
});
