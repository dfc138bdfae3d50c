/**
 * Pure operations on a site's mirror: building it from a snapshot and
 * applying numbered delta batches. Kept free of React and zustand so the
 * ordering rules (subscribe first, buffer, apply only `seq > snapshot.seq`)
 * are unit-tested exactly as they run.
 */
import type { ResourceKind, SiteDeltas, SiteSnapshot, ViewOf } from '../../../shared/contract/triptych';
import type { Mirror, MirrorMaps } from './initialState';

const KINDS: readonly ResourceKind[] = ['nodes', 'pods', 'events', 'namespaces', 'workloads', 'pdbs'];

/**
 * The key a view has in the contract's deltas: `name` for cluster-scoped
 * kinds, `namespace/name` for namespaced ones, `Kind/namespace/name` for
 * workloads (three API resources share that kind).
 */
export function keyOf<K extends ResourceKind>(kind: K, view: ViewOf[K]): string {
  switch (kind) {
    case 'nodes':
    case 'namespaces':
      return (view as ViewOf['nodes']).name;
    case 'workloads': {
      const w = view as ViewOf['workloads'];
      return `${w.kind}/${w.namespace}/${w.name}`;
    }
    default: {
      const v = view as ViewOf['pods'];
      return `${v.namespace}/${v.name}`;
    }
  }
}

/** Empty Maps for every kind. */
export function emptyMaps(): MirrorMaps {
  return { nodes: new Map(), pods: new Map(), events: new Map(), namespaces: new Map(), workloads: new Map(), pdbs: new Map() };
}

/** A mirror holding exactly what the snapshot holds, current to its `seq`. */
export function mirrorFromSnapshot(snap: SiteSnapshot): Mirror {
  const maps = emptyMaps();
  for (const kind of KINDS) {
    const map = maps[kind] as Map<string, ViewOf[ResourceKind]>;
    for (const v of snap.items[kind] ?? []) map.set(keyOf(kind, v), v);
  }
  return { site: snap.site, seq: snap.seq, version: 0, ...maps };
}

export interface ApplyResult {
  /** Batches applied. */
  applied: number;
  /** Batches dropped because the mirror already had them (`seq` ≤ mirror's). */
  skipped: number;
  /**
   * True when a batch was missing (a `seq` jumped by more than one): the
   * mirror stops at the last consistent batch and the rest stays queued, so
   * the caller can fetch a fresh snapshot.
   */
  gap: boolean;
}

/**
 * Applies queued batches of the mirror's site, in `seq` order, mutating the
 * mirror's Maps and `seq` (but not `version`: the caller publishes). Batches
 * of other sites are ignored. Applied and stale batches are removed from the
 * queue; on a gap the unapplied ones remain.
 */
export function applyQueued(mirror: Mirror, queue: SiteDeltas[]): ApplyResult {
  const result: ApplyResult = { applied: 0, skipped: 0, gap: false };
  // Transports keep order, but a resync can leave a queue that is not sorted; sorting a sorted array is cheap.
  queue.sort((a, b) => a.seq - b.seq);
  let i = 0;
  for (; i < queue.length; i++) {
    const d = queue[i]!;
    if (d.site !== mirror.site || d.seq <= mirror.seq) {
      result.skipped++;
      continue;
    }
    if (d.seq > mirror.seq + 1) {
      result.gap = true;
      break;
    }
    applyOne(mirror, d);
    mirror.seq = d.seq;
    result.applied++;
  }
  queue.splice(0, i);
  return result;
}

function applyOne(mirror: Mirror, d: SiteDeltas): void {
  // A kind this renderer does not know (a newer host) is skipped rather than crashing the batch.
  if (!KINDS.includes(d.kind)) return;
  const map = mirror[d.kind] as Map<string, unknown>;
  for (const key of d.deletes) map.delete(key);
  for (const [key, value] of d.upserts) map.set(key, value);
}
