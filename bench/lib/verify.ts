/**
 * Correctness at scale: does each site's store in Triptych's core equal the
 * emulator's state? The expected side is a fresh paginated list of every
 * collection (plain HTTPS, admin token), put through the same projections
 * the mirror uses; the actual side is the core's snapshot.
 */
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { CoreApp } from '../../src/core/app';
import { mirrorSources } from '../../src/core/kube/site-mirror';
import { wholeSnapshot } from './core';

export interface Verdict {
  equal: boolean;
  objects: number;
  /** Up to five differences, as `site kind key: missing|extra|differs`. */
  diffs: string[];
  diffCount: number;
}

interface Listed {
  metadata: { continue?: string };
  items: { metadata: { name: string; namespace?: string } }[];
}

export async function emulatorLister(dir: string): Promise<(site: string, p: string) => Promise<Listed['items']>> {
  const kc = parse(await readFile(path.join(dir, 'kubeconfig'), 'utf8')) as { clusters: { name: string; cluster: { server: string } }[]; users: { name: string; user: { token: string } }[] };
  const ca = await readFile(path.join(dir, 'ca.crt'), 'utf8');
  const agent = new https.Agent({ keepAlive: true, ca });
  const get = (url: string, token: string): Promise<Listed> =>
    new Promise((resolve, reject) => {
      https
        .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Listed));
        })
        .on('error', reject);
    });
  return async (site, p) => {
    const server = kc.clusters.find((c) => c.name === site)?.cluster.server as string;
    const token = kc.users.find((u) => u.name === `${site}-admin`)?.user.token as string;
    const out: Listed['items'] = [];
    let cont: string | undefined;
    do {
      const page = await get(`${server}${p}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, token);
      out.push(...page.items);
      cont = page.metadata.continue || undefined;
    } while (cont);
    return out;
  };
}

function viewKey(kind: string, v: { name: string; namespace?: string; kind?: string }): string {
  if (kind === 'nodes' || kind === 'namespaces') return v.name;
  if (kind === 'workloads') return `${v.kind}/${v.namespace}/${v.name}`;
  return `${v.namespace}/${v.name}`;
}

export async function compareStores(core: CoreApp, list: (site: string, p: string) => Promise<Listed['items']>): Promise<Verdict> {
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
export async function converge(core: CoreApp, list: (site: string, p: string) => Promise<Listed['items']>, timeoutMs: number): Promise<Verdict & { afterMs: number }> {
  const t0 = performance.now();
  for (;;) {
    const v = await compareStores(core, list);
    const afterMs = Math.round(performance.now() - t0);
    if (v.equal || afterMs > timeoutMs) return { ...v, afterMs };
    await new Promise((r) => setTimeout(r, 500));
  }
}
