/**
 * Test support only (imported by the *.test.ts files here): synthetic,
 * deterministic projections of a site at any size, named as the training
 * fleet names things (docs/fleet-labels.md). shared/ may not import the
 * emulator, so the derivations are tested against these views instead of
 * generated API objects.
 */
import type { EventView, NodeView, PodView, WorkloadView } from '../model';

/** A small seeded PRNG (mulberry32): same seed, same fleet. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
function suffix(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}
const pad = (n: number): string => String(n).padStart(2, '0');

/** A ready, schedulable node; override any field. */
export function node(name: string, over: Partial<NodeView> = {}): NodeView {
  return {
    name,
    ready: 'True',
    unschedulable: false,
    pressure: [],
    taints: [],
    roles: [],
    kubeletVersion: 'v1.32.4',
    internalIP: '10.20.1.10',
    podsAllocatable: 110,
    cpuAllocatableMillis: 31000,
    createdAt: '2025-01-01T00:00:00Z',
    ...over,
  };
}

/** A running, ready pod of a Deployment; override any field. */
export function pod(name: string, over: Partial<PodView> = {}): PodView {
  return {
    namespace: 'shop',
    name,
    node: 'n1',
    phase: 'Running',
    status: 'Running',
    readyContainers: 1,
    containers: 1,
    restarts: 0,
    ownerKind: 'ReplicaSet',
    ownerName: 'web-6d4cf56db6',
    deployment: 'web',
    podIP: '10.128.0.10',
    createdAt: '2025-01-01T00:00:00Z',
    terminating: false,
    ...over,
  };
}

/** A healthy Deployment; override any field. */
export function workload(name: string, over: Partial<WorkloadView> = {}): WorkloadView {
  return { kind: 'Deployment', namespace: 'shop', name, desired: 3, ready: 3, updated: 3, available: 3, generation: 2, observedGeneration: 2, ...over };
}

/** An event; override any field. */
export function event(name: string, over: Partial<EventView> = {}): EventView {
  return { namespace: 'shop', name, type: 'Normal', reason: 'Pulled', message: '', objectKind: 'Pod', objectName: 'p', count: 1, lastSeen: '2025-01-01T00:00:00Z', ...over };
}

export interface SyntheticSite {
  nodes: NodeView[];
  pods: PodView[];
  workloads: WorkloadView[];
}

/**
 * A site of `nodeCount` nodes (3 rooms, up to 40 per rack) and about
 * `podsPerNode` pods each, spread over Deployments in a few team namespaces.
 */
export function syntheticSite(site: string, nodeCount: number, podsPerNode: number, seed = 1): SyntheticSite {
  const rand = prng(seed);
  const nodes: NodeView[] = [];
  const rooms = ['a', 'b', 'c'];
  const perRoom = Math.ceil(nodeCount / rooms.length);
  for (let i = 0; i < nodeCount; i++) {
    const room = rooms[Math.floor(i / perRoom)]!;
    const inRoom = i % perRoom;
    const rack = Math.floor(inRoom / 40) + 1;
    const unit = (inRoom % 40) + 1;
    nodes.push(
      node(`${site}-${room}-r${pad(rack)}-u${pad(unit)}`, {
        room: `${site}-${room}`,
        rack: `${room.toUpperCase()}-${pad(rack)}`,
        unit,
        internalIP: `10.20.${rack}.${10 + unit}`,
      }),
    );
  }
  const namespaces = ['checkout', 'catalog', 'payments', 'search', 'identity', 'shipping', 'customer', 'monitoring'];
  const workloads: WorkloadView[] = [];
  const pods: PodView[] = [];
  const total = nodeCount * podsPerNode;
  let w = 0;
  while (pods.length < total) {
    const namespace = namespaces[w % namespaces.length]!;
    const name = `${namespace}-svc-${w}`;
    const replicas = Math.min(total - pods.length, 2 + Math.floor(rand() * 60));
    const hash = suffix(rand, 10);
    workloads.push(workload(name, { namespace, desired: replicas, ready: replicas, updated: replicas, available: replicas }));
    for (let r = 0; r < replicas; r++) {
      pods.push(
        pod(`${name}-${hash}-${suffix(rand, 5)}`, {
          namespace,
          node: nodes[Math.floor(rand() * nodes.length)]!.name,
          ownerName: `${name}-${hash}`,
          deployment: name,
          podIP: `10.128.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`,
        }),
      );
    }
    w++;
  }
  return { nodes, pods, workloads };
}
