/**
 * Correctness at scale: does each site's store in Triptych's core equal the
 * emulator's state? The expected side is a fresh paginated list of every
 * collection (plain HTTPS, admin token), put through the same projections
 * the mirror uses; the actual side is the core's snapshot.
 */
import type { CoreApp } from '../../src/core/app';
import { mirrorSources } from '../../src/core/kube/site-mirror';
import { wholeSnapshot } from './core';
import { fleetPages, type ListItem } from './lists';

export interface Verdict {
  equal: boolean;
  objects: number;
  /** Up to five differences, as `site kind key: missing|extra|differs`. */
  diffs: string[];
  diffCount: number;
}

type Lister = (site: string, p: string) => Promise<ListItem[]>;

/** Lists a collection of a site whole, with the admin token (the emulator's state, unfiltered by RBAC). */
export async function emulatorLister(dir: string): Promise<Lister> {
  const { read } = await fleetPages(dir, 'admin');
  return async (site, p) => {
    const out: ListItem[] = [];
    await read(site, p, (items) => {
      for (const i of items) out.push(i);
    });
    return out;
  };
}

function viewKey(kind: string, v: { name: string; namespace?: string; kind?: string }): string {
  if (kind === 'nodes' || kind === 'namespaces') return v.name;
  if (kind === 'workloads') return `${v.kind}/${v.namespace}/${v.name}`;
  return `${v.namespace}/${v.name}`;
}

export async function compareStores(core: CoreApp, list: Lister): Promise<Verdict> {
  const verdict: Verdict = { equal: true, objects: 0, diffs: [], diffCount: 0 };
  const diff = (d: string): void => {
    verdict.equal = false;
    verdict.diffCount++;
    if (verdict.diffs.length < 5) verdict.diffs.push(d);
  };
  for (const site of core.sites) {
    const expected = new Map<string, string>();
    for (const src of mirrorSources(site)) {
      for (const item of await list(site.id, src.path)) {
        const key = (src.prefix ?? '') + (item.metadata.namespace ? `${item.metadata.namespace}/${item.metadata.name}` : item.metadata.name);
        expected.set(`${src.kind} ${key}`, JSON.stringify(src.project(item)));
      }
    }
    const snap = await wholeSnapshot(core, site.id);
    const actual = new Map<string, string>();
    for (const [kind, views] of Object.entries(snap.items)) for (const v of views) actual.set(`${kind} ${viewKey(kind, v as never)}`, JSON.stringify(v));
    for (const [k, v] of expected) {
      const a = actual.get(k);
      if (a === undefined) diff(`${site.id} ${k}: missing`);
      else if (a !== v) diff(`${site.id} ${k}: differs`);
    }
    for (const k of actual.keys()) if (!expected.has(k)) diff(`${site.id} ${k}: extra`);
    verdict.objects += expected.size;
  }
  return verdict;
}

/**
 * Compares until the stores match or `timeoutMs` passes: after load stops,
 * the last changes (graceful deletions, replacements) take a moment to land.
 */
export async function converge(core: CoreApp, list: Lister, timeoutMs: number): Promise<Verdict & { afterMs: number }> {
  const t0 = performance.now();
  for (;;) {
    const v = await compareStores(core, list);
    const afterMs = Math.round(performance.now() - t0);
    if (v.equal || afterMs > timeoutMs) return { ...v, afterMs };
    await new Promise((r) => setTimeout(r, 500));
  }
}
