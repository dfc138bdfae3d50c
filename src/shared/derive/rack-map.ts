/**
 * The rack map: a site's nodes laid out as the operator sees them on the
 * floor, room by room and rack by rack, each node at its rack unit with one
 * colour-coded state. Nodes whose placement is unknown are listed apart, so
 * a missing label shows up as a visible gap rather than a silent omission.
 */
import type { NodeView, PodView } from '../model';
import { naturalCompare } from './natural';

/**
 * One state per node, for its colour. Worst first: NotReady, then a node
 * not reporting (Ready Unknown), then cordoned, then pressure. Cordoned
 * ranks above pressure because someone has already taken the node out of
 * scheduling: its pressure no longer affects new work, and "in
 * maintenance" is what the operator on the floor needs to see.
 */
export type RackNodeState = 'ready' | 'notready' | 'unknown' | 'cordoned' | 'pressure';

/** A node drawn in a rack. */
export interface RackSlot {
  name: string;
  /** Lowest rack unit the chassis occupies; U1 is the bottom. */
  unit: number;
  state: RackNodeState;
  podCount: number;
  podCapacity: number;
}

/** One rack, its nodes by unit (bottom first). */
export interface RackView {
  name: string;
  /** Height in units: the highest unit used, at least a standard 42U rack. */
  units: number;
  nodes: RackSlot[];
}

export interface RoomView {
  name: string;
  racks: RackView[];
}

export interface RackMap {
  /** Rooms, and racks within them, in natural order (A-2 before A-10). */
  rooms: RoomView[];
  /** Nodes lacking a room, rack or unit, in natural order by name. */
  unplaced: NodeView[];
}

const STANDARD_RACK_UNITS = 42;

/** The state a node is drawn in; see {@link RackNodeState} for the precedence. */
export function nodeState(node: NodeView): RackNodeState {
  if (node.ready === 'False') return 'notready';
  if (node.ready !== 'True') return 'unknown';
  if (node.unschedulable) return 'cordoned';
  if (node.pressure.length > 0) return 'pressure';
  return 'ready';
}

/**
 * Lays out a site's nodes by room and rack. `podsByNode` counts pods per
 * node name (see {@link podCountsByNode}); a node missing from it has 0.
 * A node is placed when its room, rack and unit are all known.
 */
export function rackMap(nodes: readonly NodeView[], podsByNode: ReadonlyMap<string, number>): RackMap {
  const rooms = new Map<string, Map<string, RackSlot[]>>();
  const unplaced: NodeView[] = [];
  for (const n of nodes) {
    if (!n.room || !n.rack || n.unit === undefined) {
      unplaced.push(n);
      continue;
    }
    let racks = rooms.get(n.room);
    if (racks === undefined) rooms.set(n.room, (racks = new Map()));
    let slots = racks.get(n.rack);
    if (slots === undefined) racks.set(n.rack, (slots = []));
    slots.push({ name: n.name, unit: n.unit, state: nodeState(n), podCount: podsByNode.get(n.name) ?? 0, podCapacity: n.podsAllocatable });
  }

  const out: RoomView[] = [];
  for (const roomName of [...rooms.keys()].sort(naturalCompare)) {
    const racks = rooms.get(roomName)!;
    const rackViews: RackView[] = [];
    for (const rackName of [...racks.keys()].sort(naturalCompare)) {
      const slots = racks.get(rackName)!;
      slots.sort((a, b) => a.unit - b.unit || naturalCompare(a.name, b.name));
      const top = slots[slots.length - 1]?.unit ?? 0;
      rackViews.push({ name: rackName, units: Math.max(STANDARD_RACK_UNITS, top), nodes: slots });
    }
    out.push({ name: roomName, racks: rackViews });
  }
  unplaced.sort((a, b) => naturalCompare(a.name, b.name));
  return { rooms: out, unplaced };
}

/**
 * Pods per node name, counting what the scheduler counts against a node's
 * pod capacity: bound pods that have not finished (Succeeded and Failed
 * pods hold no slot).
 */
export function podCountsByNode(pods: Iterable<PodView>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of pods) {
    if (p.node === '' || p.phase === 'Succeeded' || p.phase === 'Failed') continue;
    counts.set(p.node, (counts.get(p.node) ?? 0) + 1);
  }
  return counts;
}
