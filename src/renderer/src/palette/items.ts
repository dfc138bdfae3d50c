/**
 * What the command palette searches: every node, pod, workload and rack of
 * every loaded site, as `SearchItem`s for the shared index, and the policy
 * for rebuilding that index while deltas flow.
 */
import { buildSearchIndex, type SearchIndex, type SearchItem } from '../../../shared/derive';
import type { SiteInfo } from '../../../shared/model';
import type { Derived, Mirror } from '../store/initialState';

/** Items of all sites, in site order. Racks come from the derived rack map, so they match what is drawn. */
export function searchItems(sites: readonly SiteInfo[], mirrors: Readonly<Record<string, Mirror>>, derived: Readonly<Record<string, Derived>>): SearchItem[] {
  const items: SearchItem[] = [];
  for (const s of sites) {
    const m = mirrors[s.id];
    if (m === undefined) continue;
    const site = s.id;
    for (const room of derived[site]?.rack.rooms ?? []) for (const r of room.racks) items.push({ kind: 'rack', site, name: r.name });
    for (const n of m.nodes.values()) items.push({ kind: 'node', site, name: n.name });
    for (const w of m.workloads.values()) items.push({ kind: 'workload', site, name: w.name, namespace: w.namespace });
    for (const p of m.pods.values()) items.push({ kind: 'pod', site, name: p.name, namespace: p.namespace });
  }
  return items;
}

/**
 * Building the index is O(items) (about 120 ms at 450,000 items): done when
 * the palette opens, then at most once per this interval while the data
 * changes underneath.
 */
export const REBUILD_EVERY_MS = 2_000;

export interface IndexCache {
  index: SearchIndex;
  /** The mirrors' versions it was built from (see `mirrorsKey`). */
  key: string;
  builtAt: number;
}

/** True when the cache must be rebuilt now: none yet, or the data changed and the last build is old enough. */
export function needsRebuild(cache: IndexCache | undefined, key: string, now: number): boolean {
  if (cache === undefined) return true;
  return cache.key !== key && now - cache.builtAt >= REBUILD_EVERY_MS;
}

/** The index for `key`, reusing `cache` when {@link needsRebuild} says so. */
export function indexFor(
  cache: IndexCache | undefined,
  key: string,
  now: number,
  items: () => SearchItem[],
): IndexCache {
  if (cache !== undefined && !needsRebuild(cache, key, now)) return cache;
  return { index: buildSearchIndex(items()), key, builtAt: now };
}
