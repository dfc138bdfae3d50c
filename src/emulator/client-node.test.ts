/**
 * @kubernetes/client-node 2.x against the training fleet: the library the
 * console uses for kubeconfig, auth and typed models must read the fleet's
 * lists and watches exactly as a real apiserver's.
 */
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceFor } from './api/resources';
import { startTestFleet, type TestFleet } from './testing/fleet-fixture';

let t: TestFleet;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let siteName: string;

beforeAll(async () => {
  t = await startTestFleet({ sites: 1, historySize: 200 });
  siteName = t.fleet.sites[0]?.site.name as string;
  kc = new k8s.KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  kc.setCurrentContext(`${siteName}-admin`);
  core = kc.makeApiClient(k8s.CoreV1Api);
});
afterAll(async () => t?.close());

interface WatchEvent {
  type: string;
  obj: { metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> }; code?: number; reason?: string };
}

/** Starts a client-node watch and collects its events; `until` ends it. */
async function collect(path: string, query: Record<string, string | boolean | number | undefined>, until: (evs: WatchEvent[]) => boolean, timeoutMs = 20_000): Promise<{ events: WatchEvent[]; err: unknown }> {
  const events: WatchEvent[] = [];
  return new Promise((resolve, reject) => {
    let ctl: AbortController | undefined;
    const timer = setTimeout(() => {
      ctl?.abort();
      reject(new Error(`watch timed out with ${events.length} events: ${JSON.stringify(events.slice(-3))}`));
    }, timeoutMs);
    const finish = (err: unknown): void => {
      clearTimeout(timer);
      ctl?.abort();
      resolve({ events, err });
    };
    void new k8s.Watch(kc)
      .watch(path, query, (type, obj) => {
        events.push({ type, obj });
        if (until(events)) finish(null);
      }, (err) => finish(err))
      .then((c) => (ctl = c), reject);
  });
}

describe('client-node 2.x against the training fleet', () => {
  it('lists pods page by page with a fixed resourceVersion', async () => {
    const total = t.fleet.site(siteName).site.idx.pods.size;
    const names: string[] = [];
    let cont: string | undefined;
    let rv: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 250, _continue: cont });
      rv ??= page.metadata?.resourceVersion;
      expect(page.metadata?.resourceVersion).toBe(rv);
      names.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      cont = page.metadata?._continue || undefined;
      if (cont) expect(page.metadata?.remainingItemCount).toBe(total - names.length);
      pages++;
    } while (cont);
    expect(pages).toBe(Math.ceil(total / 250));
    expect(new Set(names).size).toBe(total);
  });

  it('an expired continue token is 410 Expired', async () => {
    const page = await core.listNamespacedConfigMap({ namespace: 'kube-system', limit: 1 });
    const token = page.metadata?._continue as string;
    expect(token).toBeTruthy();
    // More changes than the history holds, then the token's snapshot is gone.
    const cm = resourceFor('', 'configmaps');
    const store = t.fleet.site(siteName).site.store;
    for (let i = 0; i < 250; i++) store.create(cm, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `churn-${i}`, namespace: 'default' }, data: { i: String(i) } });
    const err = await core.listNamespacedConfigMap({ namespace: 'kube-system', limit: 1, _continue: token }).then(() => undefined, (e: unknown) => e);
    expect((err as { code?: number }).code).toBe(410);
    expect(JSON.parse((err as { body: string }).body)).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  });

  it('watches from a resourceVersion and sees changes after it', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    const rv = list.metadata?.resourceVersion as string;
    const done = collect('/api/v1/namespaces/default/configmaps', { resourceVersion: rv }, (evs) => evs.some((e) => e.type === 'DELETED'));
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'w1' }, data: { a: '1' } } });
    await core.patchNamespacedConfigMap({ namespace: 'default', name: 'w1', body: { data: { a: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'w1' });
    const { events } = await done;
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    const rvs = events.map((e) => Number(e.obj.metadata?.resourceVersion));
    expect(rvs.every((v, i) => v > Number(rv) && (i === 0 || v > (rvs[i - 1] as number)))).toBe(true);
  });

  it('sends bookmarks when asked to', async () => {
    const list = await core.listNamespace();
    const { events } = await collect('/api/v1/namespaces', { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true }, (evs) => evs.some((e) => e.type === 'BOOKMARK'));
    const bm = events.find((e) => e.type === 'BOOKMARK');
    expect(Number(bm?.obj.metadata?.resourceVersion)).toBeGreaterThanOrEqual(Number(list.metadata?.resourceVersion));
  });

  it('a resourceVersion older than the history gets a 410 ERROR event', async () => {
    const { events } = await collect('/api/v1/namespaces/default/configmaps', { resourceVersion: '1' }, (evs) => evs.some((e) => e.type === 'ERROR'));
    expect(events.at(-1)).toMatchObject({ type: 'ERROR', obj: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('streams the initial list (sendInitialEvents) and ends it with the annotated bookmark', async () => {
    const expected = (await core.listNamespacedConfigMap({ namespace: 'kube-system' })).items.length;
    const { events } = await collect(
      '/api/v1/namespaces/kube-system/configmaps',
      { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true },
      (evs) => evs.some((e) => e.type === 'BOOKMARK' && e.obj.metadata?.annotations?.['k8s.io/initial-events-end'] === 'true'),
    );
    const added = events.filter((e) => e.type === 'ADDED');
    expect(added).toHaveLength(expected);
    expect(events.indexOf(events.find((e) => e.type === 'BOOKMARK') as WatchEvent)).toBe(expected);
  });

  it('refuses sendInitialEvents without resourceVersionMatch=NotOlderThan (422)', async () => {
    const r = await t.request(siteName, 'GET', '/api/v1/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true');
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
  });
});
