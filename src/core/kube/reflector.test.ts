/**
 * The reflector against the training fleet, over HTTPS with kubeconfig
 * credentials: the same path as production. After each scenario the local
 * store must equal the site's state exactly.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resourceFor } from '../../emulator/api/resources';
import { eventually, startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { KubeHttp } from './http';
import { Reflector, type Delta, type ReflectorStatus } from './reflector';

const PODS = resourceFor('', 'pods');
const CM = resourceFor('', 'configmaps');
let t: TestFleet;
let site: string;
let http: KubeHttp;
const running: Reflector<string>[] = [];

beforeAll(async () => {
  t = await startTestFleet({ sites: 1, historySize: 500 });
  site = t.fleet.sites[0]?.site.name as string;
  const kc = new KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  kc.setCurrentContext(`${site}-viewer`);
  http = new KubeHttp(kc, kc.getCurrentCluster()?.server as string);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await t.fleet.faults.apply({ fault: 'site-restore', site });
  await t.fleet.faults.apply({ fault: 'watch-stall-clear', site });
});
afterAll(async () => {
  http?.close();
  await t?.close();
});

/** Starts a reflector whose projection is the object's resourceVersion, and mirrors its deltas. */
function reflect(path: string, opts: { pageSize?: number; stallMs?: number } = {}): { r: Reflector<string>; mirror: Map<string, string>; statuses: ReflectorStatus[]; batches: Delta<string>[][] } {
  const mirror = new Map<string, string>();
  const statuses: ReflectorStatus[] = [];
  const batches: Delta<string>[][] = [];
  const r = new Reflector<string>({
    http,
    path,
    project: (o) => o.metadata.resourceVersion as string,
    onDeltas: (ds) => {
      batches.push(ds);
      for (const d of ds) {
        if (d.type === 'upsert') mirror.set(d.key, d.value);
        else mirror.delete(d.key);
      }
    },
    onStatus: (s) => statuses.push(s),
    flushMs: 10,
    backoff: { initialMs: 50, maxMs: 400 },
    ...opts,
  });
  running.push(r);
  r.start();
  return { r, mirror, statuses, batches };
}

function siteState(rt: typeof PODS, ns?: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const v of t.fleet.site(site).site.store.all(rt)) if (!ns || v.ns === ns) m.set(v.key, String(v.rv));
  return m;
}

const same = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

describe('Reflector', () => {
  it('lists in pages, then follows changes; its store and its deltas equal the site', async () => {
    const { r, mirror, statuses } = reflect('/api/v1/pods', { pageSize: 200 });
    await eventually(() => r.state.synced, 'the first list');
    expect(same(r.items, siteState(PODS))).toBe(true);
    const store = t.fleet.site(site).site.store;
    store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'default' } });
    const pod = [...t.fleet.site(site).site.idx.pods.values()].find((p) => p.ownerKind === 'ReplicaSet') as { ns: string; name: string };
    t.fleet.site(site).site.deletePod(pod.ns, pod.name, 0);
    await eventually(() => same(r.items, siteState(PODS)) && same(mirror, siteState(PODS)) && !r.items.has(`${pod.ns}/${pod.name}`), 'the store to follow');
    expect(r.state.relists).toBe(1);
    expect(statuses.at(-1)?.phase).toBe('watching');
  });

  it('relists after a forced 410 and stays equal to the site', async () => {
    const { r } = reflect('/api/v1/namespaces/default/configmaps');
    await eventually(() => r.state.phase === 'watching', 'the watch');
    const store = t.fleet.site(site).site.store;
    await t.fleet.faults.apply({ fault: 'watch-expiry-storm', site });
    store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-storm', namespace: 'default' } });
    await eventually(() => r.state.relists >= 2 && same(r.items, siteState(CM, 'default')), 'a relist');
  });

  it('backs off while the site is down, keeps its last state, and resyncs on return', async () => {
    const { r, statuses } = reflect('/api/v1/namespaces/default/configmaps');
    await eventually(() => r.state.phase === 'watching', 'the watch');
    const before = new Map(r.items);
    await t.fleet.faults.apply({ fault: 'site-outage', site });
    await eventually(() => statuses.filter((s) => s.phase === 'retrying').length >= 3, 'three retries');
    const retries = statuses.filter((s) => s.phase === 'retrying');
    // The server's shutdown ends the watch; reconnecting is then refused.
    expect(retries.some((s) => /connection refused/.test(s.error ?? ''))).toBe(true);
    expect(same(r.items, before)).toBe(true);
    // Growing delays, within the configured bounds.
    const delays = retries.map((s) => s.retryInMs as number);
    expect(delays[2] as number).toBeGreaterThan(delays[0] as number);
    expect(Math.max(...delays)).toBeLessThanOrEqual(400);
    t.fleet.site(site).site.store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'during-outage', namespace: 'default' } });
    await t.fleet.faults.apply({ fault: 'site-restore', site });
    await eventually(() => r.state.phase === 'watching' && same(r.items, siteState(CM, 'default')), 'the resync');
    expect(r.items.has('default/during-outage')).toBe(true);
  });

  it('cuts a stalled watch and recovers once the stream delivers again', async () => {
    const { r, statuses } = reflect('/api/v1/namespaces/default/configmaps', { stallMs: 300 });
    await eventually(() => r.state.phase === 'watching', 'the watch');
    await t.fleet.faults.apply({ fault: 'watch-stall', site });
    await eventually(() => statuses.some((s) => s.phase === 'retrying' && /stalled/.test(s.error ?? '')), 'stall detection');
    t.fleet.site(site).site.store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-stall', namespace: 'default' } });
    await t.fleet.faults.apply({ fault: 'watch-stall-clear', site });
    await eventually(() => r.items.has('default/after-stall') && same(r.items, siteState(CM, 'default')), 'recovery');
  });

  it('coalesces a burst of changes into few batches', async () => {
    const { r, batches } = reflect('/api/v1/namespaces/default/configmaps');
    await eventually(() => r.state.phase === 'watching', 'the watch');
    const store = t.fleet.site(site).site.store;
    const n = batches.length;
    for (let i = 0; i < 200; i++) store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `burst-${i}`, namespace: 'default' } });
    await eventually(() => same(r.items, siteState(CM, 'default')), 'the burst');
    expect(batches.length - n).toBeLessThan(20);
    expect(batches.slice(n).flat()).toHaveLength(200);
  });
});
