/**
 * Physical layout of one training-fleet site: rooms → racks → servers at
 * rack-unit positions, and the node labels that expose that layout to
 * Kubernetes (and to the console, which reads the label keys exported here).
 *
 * Naming scheme (documented in docs/fleet-labels.md):
 * - rooms are lower-case letters `a`, `b`, … (`aa`, `ab`, … past 26);
 * - zone label  `<site>-<room>`            e.g. `fra-b`
 * - rack id     `<ROOM>-<rack, 2 digits>`  e.g. `B-07`
 * - hostname    `<site>-<room>-r<rack>-u<unit>` e.g. `fra-b-r07-u12`, where
 *   unit is the lowest rack unit the chassis occupies (zero-padded).
 */
import type { Rng } from '../rng';

/** The three data-center sites of the default fleet (Frankfurt, Amsterdam, Dublin). */
export const SITE_NAMES = ['fra', 'ams', 'dub'] as const;
/** One of the default site names. */
export type SiteName = (typeof SITE_NAMES)[number];

// Label keys. The ones the console places nodes by live in the shared contract
// (src/shared/labels.ts); the rest are standard kubelet labels.
import { LABEL_CONTROL_PLANE, LABEL_RACK, LABEL_RACK_UNIT, LABEL_REGION, LABEL_ZONE } from '../../shared/labels';
export { LABEL_CONTROL_PLANE, LABEL_RACK, LABEL_RACK_UNIT, LABEL_REGION, LABEL_ZONE };
/** Standard kubelet label: the node name. */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
/** Standard kubelet label: `linux`. */
export const LABEL_OS = 'kubernetes.io/os';
/** Standard kubelet label: `amd64`. */
export const LABEL_ARCH = 'kubernetes.io/arch';
/** Server model, e.g. `poweredge-r650`. */
export const LABEL_INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
/** Namespace/workload label naming the owning team (absent on platform namespaces). */
export const LABEL_TEAM = 'triptych.io/team';
/** Taint key on control-plane nodes (effect NoSchedule). */
export const TAINT_CONTROL_PLANE = LABEL_CONTROL_PLANE;

/** Height of a rack in units: servers use U1–U40, U41–U42 hold the two top-of-rack switches. */
export const RACK_UNITS = 42;
const USABLE_UNITS = 40;
/** Hard limits of the layout (racks per room, servers per rack, racks per site). */
export const MAX_RACKS_PER_ROOM = 20;
/** One server per usable rack unit at most. */
export const MAX_NODES_PER_RACK = USABLE_UNITS;
// Racks get one /24 each (third octet 1..254) for node addresses; the
// pod CIDR plan gives each node a /24 out of a /11 (8192 nodes).
/** Largest site the address plan supports. */
export const MAX_NODES_PER_SITE = 8192;

/** A server model as procured in batches; one model per rack (plus control planes). */
export interface ServerModel {
  /** Value of node.kubernetes.io/instance-type. */
  name: string;
  heightU: number;
  /** Logical CPUs (hyper-threads). */
  cpu: number;
  /** Memory capacity as the kubelet reports it, in KiB (installed RAM minus firmware holes). */
  memoryKi: number;
  /** Size of the kubelet's root filesystem (NVMe), in KiB. */
  ephemeralStorageKi: number;
}

/** The server models the sites are built from. */
export const SERVER_MODELS = {
  controlPlane: { name: 'poweredge-r450', heightU: 1, cpu: 32, memoryKi: 131_890_508, ephemeralStorageKi: 468_329_452 },
  worker1U: { name: 'poweredge-r650', heightU: 1, cpu: 64, memoryKi: 527_988_276, ephemeralStorageKi: 936_744_396 },
  worker1UDense: { name: 'poweredge-r6625', heightU: 1, cpu: 128, memoryKi: 791_982_564, ephemeralStorageKi: 1_873_654_828 },
  worker2U: { name: 'poweredge-r750', heightU: 2, cpu: 96, memoryKi: 1_056_007_548, ephemeralStorageKi: 1_873_654_828 },
} as const satisfies Record<string, ServerModel>;

/** Kubernetes role of a server. */
export type NodeRole = 'control-plane' | 'worker';

/** Everything needed to build one Node object; positions are physical. */
export interface NodeSpec {
  /** Node name and hostname, e.g. `fra-b-r07-u12`. */
  name: string;
  site: string;
  siteIndex: number;
  /** 0-based position in the site's physical order (room, rack, unit). */
  index: number;
  /** Room letter(s), e.g. `b`. */
  room: string;
  /** `<site>-<room>`, the topology.kubernetes.io/zone value. */
  zone: string;
  /** Rack id, e.g. `B-07`. */
  rack: string;
  /** Lowest rack unit the chassis occupies (1 = bottom). */
  rackUnit: number;
  heightU: number;
  role: NodeRole;
  model: ServerModel;
  /** Per-node memory capacity in KiB (model nominal ± a few KiB, like real DIMM maps). */
  memoryKi: number;
  internalIP: string;
  podCIDR: string;
  /** Schedulable by ordinary pods (control planes are tainted unless the site has no workers). */
  tainted: boolean;
}

/** One rack and the nodes in it, bottom-up. */
export interface RackLayout {
  id: string;
  room: string;
  /** 1-based rack number within the room. */
  number: number;
  /** 1-based rack number within the site (third octet of node addresses). */
  siteNumber: number;
  units: number;
  /** Node names bottom-up. */
  nodes: string[];
}

/** One data-center room (a zone) and its racks. */
export interface RoomLayout {
  name: string;
  zone: string;
  racks: RackLayout[];
}

/** The physical layout of a site. */
export interface SiteTopology {
  site: string;
  index: number;
  rooms: RoomLayout[];
  /** Physical order: room, rack, unit. */
  nodes: NodeSpec[];
  /**
   * Node indexes interleaved across failure domains: consecutive entries are
   * in different rooms (then different racks) where possible. The generator
   * places consecutive replicas along this order, which spreads them the way
   * topology spread constraints would.
   */
  spreadOrder: number[];
}

/** Input of {@link buildTopology}. */
export interface TopologyOptions {
  site: string;
  index: number;
  /** Exact node count; default 3 rooms × 4 racks × 8–12 nodes. */
  nodes?: number;
}

/** `a`…`z`, then `aa`, `ab`, … */
export function roomName(i: number): string {
  let n = i;
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Rack id as printed on the rack door: `B-07`. */
export function rackId(room: string, rackNumber: number): string {
  return `${room.toUpperCase()}-${pad2(rackNumber)}`;
}

/** Bare-metal hostname: `<site>-<room>-r<rack>-u<unit>`. */
export function nodeHostname(site: string, room: string, rackNumber: number, unit: number): string {
  return `${site}-${room}-r${pad2(rackNumber)}-u${pad2(unit)}`;
}

/**
 * Node address plan: 10.(20+site).<rack>.<10+slot> — one /24 per top-of-rack
 * switch, so an address tells an operator which rack to walk to.
 */
export function nodeAddress(siteIndex: number, rackSiteNumber: number, slot: number): string {
  return `10.${20 + siteIndex}.${rackSiteNumber}.${10 + slot}`;
}

/**
 * Pod CIDR plan: each site owns a /11 (10.128/11, 10.160/11, 10.192/11, …)
 * and node i gets the i-th /24 of it. Sites differ so that pod IPs seen side
 * by side in the console are not ambiguous.
 */
export function podCidrFor(siteIndex: number, nodeIndex: number): string {
  const second = 128 + (siteIndex % 4) * 32 + Math.floor(nodeIndex / 256);
  return `10.${second}.${nodeIndex % 256}.0/24`;
}

/** MetalLB address pool announced to the F5s: 10.(20+site).255.0/24. */
export function loadBalancerAddress(siteIndex: number, host: number): string {
  return `10.${20 + siteIndex}.255.${host}`;
}

/** Splits `total` into `parts` near-equal integers (larger ones first). */
function spread(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Nodes per rack when sizing a site from an explicit node count. */
const TARGET_NODES_PER_RACK = 32;

/**
 * Lays out a site. Deterministic for a given rng state.
 * With `nodes` set, racks hold ~32 servers (never more than 40), rooms hold at
 * most 20 racks and there are at least three rooms when there are three racks.
 */
export function buildTopology(opts: TopologyOptions, rng: Rng): SiteTopology {
  const { site, index } = opts;
  // Rack sizes per room, decided first so the physical pass below is uniform.
  let roomRacks: number[][];
  if (opts.nodes === undefined) {
    roomRacks = [0, 1, 2].map(() => [0, 1, 2, 3].map(() => rng.int(8, 12)));
  } else {
    const n = Math.floor(opts.nodes);
    if (!(n >= 1) || n > MAX_NODES_PER_SITE) {
      throw new RangeError(`nodes must be between 1 and ${MAX_NODES_PER_SITE}, got ${opts.nodes}`);
    }
    const racks = Math.max(1, Math.ceil(n / TARGET_NODES_PER_RACK));
    const rooms = Math.max(Math.min(3, racks), Math.ceil(racks / MAX_RACKS_PER_ROOM));
    const perRack = spread(n, racks);
    let k = 0;
    roomRacks = spread(racks, rooms).map((count) => perRack.slice(k, (k += count)));
  }
  const totalNodes = roomRacks.flat().reduce((a, b) => a + b, 0);
  if (roomRacks.flat().length > 254) throw new RangeError('more than 254 racks in one site');

  // Control planes: the first three slots of the spread order, i.e. the bottom
  // of rack 1 in rooms a, b, c — one per room so a room outage keeps quorum.
  const controlPlanes = Math.min(3, totalNodes);
  const hasWorkers = totalNodes > controlPlanes;
  const slotKey = (room: number, rack: number, slot: number): string => `${room}/${rack}/${slot}`;
  const order = interleave(roomRacks);
  const cpSlots = new Set(order.slice(0, controlPlanes).map(([r, k, s]) => slotKey(r, k, s)));

  const rooms: RoomLayout[] = [];
  const nodes: NodeSpec[] = [];
  const slotToIndex = new Map<string, number>();
  let rackSiteNumber = 0;
  roomRacks.forEach((racks, r) => {
    const room = roomName(r);
    const zone = `${site}-${room}`;
    const layout: RoomLayout = { name: room, zone, racks: [] };
    racks.forEach((count, k) => {
      rackSiteNumber++;
      const number = k + 1;
      const id = rackId(room, number);
      // One procurement batch per rack: dense racks get 1U boxes, sparse ones 2U.
      const workerModel: ServerModel =
        count > USABLE_UNITS / 2
          ? rng.chance(0.3)
            ? SERVER_MODELS.worker1UDense
            : SERVER_MODELS.worker1U
          : SERVER_MODELS.worker2U;
      const rack: RackLayout = { id, room, number, siteNumber: rackSiteNumber, units: RACK_UNITS, nodes: [] };
      let unit = 1;
      for (let s = 0; s < count; s++) {
        const isCp = cpSlots.has(slotKey(r, k, s));
        const model = isCp ? SERVER_MODELS.controlPlane : workerModel;
        // ≤ 20 boxes of ≤ 2U, or ≤ 40 boxes of 1U: always within the usable 40U.
        const height = model.heightU;
        const name = nodeHostname(site, room, number, unit);
        const nodeIndex = nodes.length;
        slotToIndex.set(slotKey(r, k, s), nodeIndex);
        nodes.push({
          name,
          site,
          siteIndex: index,
          index: nodeIndex,
          room,
          zone,
          rack: id,
          rackUnit: unit,
          heightU: height,
          role: isCp ? 'control-plane' : 'worker',
          model,
          memoryKi: model.memoryKi - rng.int(0, 64) * 4,
          internalIP: nodeAddress(index, rackSiteNumber, s),
          podCIDR: podCidrFor(index, nodeIndex),
          tainted: isCp && hasWorkers,
        });
        rack.nodes.push(name);
        unit += height;
      }
      layout.racks.push(rack);
    });
    rooms.push(layout);
  });

  const spreadOrder = order.map(([r, k, s]) => slotToIndex.get(slotKey(r, k, s)) as number);
  return { site, index, rooms, nodes, spreadOrder };
}

/**
 * Orders every slot so consecutive slots differ in room first, then rack:
 * slot 0 of rack 1 in every room, slot 0 of rack 2 in every room, …, then
 * slot 1 everywhere. Racks of unequal size simply drop out when exhausted.
 */
function interleave(roomRacks: number[][]): [number, number, number][] {
  const out: [number, number, number][] = [];
  const maxRacks = Math.max(0, ...roomRacks.map((r) => r.length));
  const maxSlots = Math.max(0, ...roomRacks.flat());
  for (let s = 0; s < maxSlots; s++) {
    for (let k = 0; k < maxRacks; k++) {
      for (let r = 0; r < roomRacks.length; r++) {
        const count = roomRacks[r]?.[k];
        if (count !== undefined && s < count) out.push([r, k, s]);
      }
    }
  }
  return out;
}

/** Labels a Node carries for its spec (the console reads these keys). */
export function nodeLabels(spec: NodeSpec): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    [LABEL_ARCH]: 'amd64',
    [LABEL_HOSTNAME]: spec.name,
    [LABEL_OS]: 'linux',
  };
  if (spec.role === 'control-plane') {
    labels[LABEL_CONTROL_PLANE] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  labels[LABEL_INSTANCE_TYPE] = spec.model.name;
  labels[LABEL_REGION] = spec.site;
  labels[LABEL_ZONE] = spec.zone;
  labels[LABEL_RACK] = spec.rack;
  labels[LABEL_RACK_UNIT] = String(spec.rackUnit);
  // Insertion order above is already the sorted order the apiserver emits
  // (Go's encoding/json sorts map keys).
  return labels;
}
