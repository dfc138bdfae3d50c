import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import {
  LABEL_CONTROL_PLANE,
  LABEL_HOSTNAME,
  LABEL_INSTANCE_TYPE,
  LABEL_RACK,
  LABEL_RACK_UNIT,
  LABEL_REGION,
  LABEL_ZONE,
  MAX_NODES_PER_RACK,
  MAX_RACKS_PER_ROOM,
  SITE_NAMES,
  buildTopology,
  nodeHostname,
  nodeLabels,
  podCidrFor,
  rackId,
  roomName,
  type SiteTopology,
} from './topology';

const HOSTNAME = /^[a-z]+-[a-z]+-r\d{2}-u\d{2}$/;

function checkInvariants(t: SiteTopology): void {
  const names = new Set(t.nodes.map((n) => n.name));
  expect(names.size).toBe(t.nodes.length);
  // Every node sits inside its rack's usable 40U, without overlapping another.
  for (const room of t.rooms) {
    expect(room.racks.length).toBeLessThanOrEqual(MAX_RACKS_PER_ROOM);
    for (const rack of room.racks) {
      expect(rack.nodes.length).toBeLessThanOrEqual(MAX_NODES_PER_RACK);
      const used = new Set<number>();
      for (const name of rack.nodes) {
        const n = t.nodes.find((x) => x.name === name);
        expect(n).toBeDefined();
        for (let u = n!.rackUnit; u < n!.rackUnit + n!.heightU; u++) {
          expect(used.has(u)).toBe(false);
          used.add(u);
        }
        expect(n!.rackUnit + n!.heightU - 1).toBeLessThanOrEqual(40);
      }
    }
  }
  for (const n of t.nodes) {
    expect(n.name).toMatch(HOSTNAME);
    expect(n.name).toBe(nodeHostname(t.site, n.room, Number(n.rack.slice(-2)), n.rackUnit));
    expect(n.zone).toBe(`${t.site}-${n.room}`);
    expect(n.rack).toBe(rackId(n.room, Number(n.rack.slice(-2))));
  }
  // spreadOrder is a permutation of the node indexes.
  expect([...t.spreadOrder].sort((a, b) => a - b)).toEqual(t.nodes.map((n) => n.index));
  // IPs and pod CIDRs are unique.
  expect(new Set(t.nodes.map((n) => n.internalIP)).size).toBe(t.nodes.length);
  expect(new Set(t.nodes.map((n) => n.podCIDR)).size).toBe(t.nodes.length);
}

describe('topology', () => {
  it('exports three site names', () => {
    expect(SITE_NAMES).toHaveLength(3);
    expect(new Set(SITE_NAMES).size).toBe(3);
  });

  it('defaults to 3 rooms × 4 racks × 8–12 nodes', () => {
    const t = buildTopology({ site: 'fra', index: 0 }, new Rng('t'));
    expect(t.rooms.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    for (const room of t.rooms) {
      expect(room.racks).toHaveLength(4);
      for (const rack of room.racks) {
        expect(rack.nodes.length).toBeGreaterThanOrEqual(8);
        expect(rack.nodes.length).toBeLessThanOrEqual(12);
      }
    }
    expect(t.nodes.length).toBeGreaterThanOrEqual(96);
    expect(t.nodes.length).toBeLessThanOrEqual(144);
    checkInvariants(t);
  });

  it('has three tainted control planes, one per room', () => {
    const t = buildTopology({ site: 'ams', index: 1 }, new Rng('t'));
    const cps = t.nodes.filter((n) => n.role === 'control-plane');
    expect(cps).toHaveLength(3);
    expect(new Set(cps.map((n) => n.room)).size).toBe(3);
    expect(cps.every((n) => n.tainted)).toBe(true);
    expect(t.nodes.filter((n) => n.role === 'worker').every((n) => !n.tainted)).toBe(true);
  });

  it('lays out 5,000 nodes in ≤40-node racks and ≤20-rack rooms', () => {
    const t = buildTopology({ site: 'dub', index: 2, nodes: 5000 }, new Rng('big'));
    expect(t.nodes).toHaveLength(5000);
    const racks = t.rooms.flatMap((r) => r.racks);
    for (const r of racks) {
      expect(r.nodes.length).toBeGreaterThanOrEqual(20);
      expect(r.nodes.length).toBeLessThanOrEqual(40);
    }
    expect(t.rooms.length).toBeGreaterThanOrEqual(Math.ceil(racks.length / 20));
    checkInvariants(t);
    // Consecutive spread-order entries are in different rooms.
    for (let i = 1; i < 100; i++) {
      expect(t.nodes[t.spreadOrder[i]!]!.room).not.toBe(t.nodes[t.spreadOrder[i - 1]!]!.room);
    }
  });

  it.each([1, 3, 4, 10, 33, 100, 641])('handles an explicit count of %i nodes', (n) => {
    const t = buildTopology({ site: 'fra', index: 0, nodes: n }, new Rng(n));
    expect(t.nodes).toHaveLength(n);
    expect(t.nodes.filter((x) => x.role === 'control-plane')).toHaveLength(Math.min(3, n));
    // Without workers, control planes stay schedulable (as on a tiny kubeadm cluster).
    expect(t.nodes.some((x) => !x.tainted)).toBe(true);
    checkInvariants(t);
  });

  it('rejects impossible sizes', () => {
    expect(() => buildTopology({ site: 'fra', index: 0, nodes: 0 }, new Rng(1))).toThrow(RangeError);
    expect(() => buildTopology({ site: 'fra', index: 0, nodes: 100_000 }, new Rng(1))).toThrow(RangeError);
  });

  it('names rooms a…z, aa…', () => {
    expect(roomName(0)).toBe('a');
    expect(roomName(25)).toBe('z');
    expect(roomName(26)).toBe('aa');
    expect(roomName(27)).toBe('ab');
  });

  it('gives each site its own pod CIDR range', () => {
    expect(podCidrFor(0, 0)).toBe('10.128.0.0/24');
    expect(podCidrFor(0, 257)).toBe('10.129.1.0/24');
    expect(podCidrFor(1, 0)).toBe('10.160.0.0/24');
    expect(podCidrFor(2, 4999)).toBe('10.211.135.0/24');
  });

  it('labels nodes with the exported keys, keys sorted like the apiserver', () => {
    const t = buildTopology({ site: 'fra', index: 0 }, new Rng('labels'));
    const cp = t.nodes.find((n) => n.role === 'control-plane')!;
    const w = t.nodes.find((n) => n.role === 'worker')!;
    const l = nodeLabels(w);
    expect(l[LABEL_REGION]).toBe('fra');
    expect(l[LABEL_ZONE]).toBe(w.zone);
    expect(l[LABEL_RACK]).toBe(w.rack);
    expect(l[LABEL_RACK_UNIT]).toBe(String(w.rackUnit));
    expect(l[LABEL_HOSTNAME]).toBe(w.name);
    expect(l[LABEL_INSTANCE_TYPE]).toBe(w.model.name);
    expect(l['kubernetes.io/os']).toBe('linux');
    expect(l['kubernetes.io/arch']).toBe('amd64');
    expect(LABEL_CONTROL_PLANE in l).toBe(false);
    expect(nodeLabels(cp)[LABEL_CONTROL_PLANE]).toBe('');
    for (const labels of [l, nodeLabels(cp)]) {
      const keys = Object.keys(labels);
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('is deterministic', () => {
    const a = buildTopology({ site: 'fra', index: 0 }, new Rng('same'));
    const b = buildTopology({ site: 'fra', index: 0 }, new Rng('same'));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
