/**
 * The reflector against the training fleet, over HTTPS with kubeconfig
 * credentials: the same path as production. After each scenario the local
 * store must equal the site's state exactly.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { WatchListSupport } from '../../emulator/api/watch';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resourceFor } from '../../emulator/api/resources';
import { eventually, startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { KubeHttp, type Query } from './http';
import { Reflector, type Delta, type ReflectorOptions, type ReflectorStatus } from './reflector';

const PODS = resourceFor('', 'pods');
const CM = resourceFor('', 'configmaps');
let t: TestFleet;
let site: string;
let kc: KubeConfig;
let http: KubeHttp;
const running: Reflector<string>[] = [];
const clients: KubeHttp[] = [];

/** The real HTTPS client, counting what it is asked for: LIST pages and watch requests. */
class CountingHttp extends KubeHttp {
  lists = 0;
  readonly watches: Query[] = [];
  override getJson<T>(...args: Parameters<KubeHttp['getJson']>): Promise<T> {
    this.lists++;
    return super.getJson<T>(...args);
  }
  override watch(...args: Parameters<KubeHttp['watch']>): Promise<void> {
    this.watches.push(args[1]);
    return super.watch(...args);
  }
  /** Watch requests that asked for a streaming list. */
  get watchLists(): number {
    return this.watches.filter((q) => q.sendInitialEvents).length;
  }
}

function countingHttp(): CountingHttp {
  const c = new CountingHttp(kc, kc.getCurrentCluster()?.server as string);
  clients.push(c);
  return c;
}

function setWatchList(mode: WatchListSupport): void {
  t.fleet.site(site).server.watchList = mode;
}

beforeAll(async () => {
  t = await startTestFleet({ sites: 1, historySize: 500 });
  site = t.fleet.sites[0]?.site.name as string;
  kc = new KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  kc.setCurrentContext(`${site}-viewer`);
  http = new KubeHttp(kc, kc.getCurrentCluster()?.server as string);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  for (const c of clients.splice(0)) c.close();
  setWatchList('supported');
  t.fleet.site(site).server.latencyMs = 0;
  vi.restoreAllMocks();
  await t.fleet.faults.apply({ fault: 'site-restore', site });
  await t.fleet.faults.apply({ fault: 'watch-stall-clear', site });
});
afterAll(async () => {
  http?.close();
  await t?.close();
});

/** Starts a reflector whose projection is the object's resourceVersion, and mirrors its deltas. */
function reflect(path: string, opts: Partial<ReflectorOptions<string>> = {}): { r: Reflector<string>; mirror: Map<string, string>; statuses: ReflectorStatus[]; batches: Delta<string>[][] } {
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

/**
 * Runs `fault` once the site's server has subscribed the next watch on `ns` and written the first
 * batch of its initial events: inside a streaming list's initial phase, whatever the socket
 * buffers would let through. (The server writes the first batch, then awaits; the fault, queued
 * at subscription, runs in that await, before the end bookmark can be written.)
 */
function midInitialEvents(ns: string, fault: () => void): void {
  const store = t.fleet.site(site).site.store;
  const watch = store.watch.bind(store);
  let armed = true;
  vi.spyOn(store, 'watch').mockImplementation((rt, filter, fromRv, sink) => {
    const stop = watch(rt, filter, fromRv, sink);
    if (armed && filter.namespace === ns) {
      armed = false;
      queueMicrotask(fault);
    }
    return stop;
  });
}

/** Fills a namespace of its own with `n` configmaps. */
function fillNamespace(ns: string, n: number): void {
  const store = t.fleet.site(site).site.store;
  for (let i = 0; i < n; i++) store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: ns } });
}

describe('Reflector', () => {
  it('lists in pages, then follows changes; its store and its deltas equal the site', async () => {
    const counted = countingHttp();
    const { r, mirror, statuses } = reflect('/api/v1/pods', { pageSize: 200, watchList: false, http: counted });
    await eventually(() => r.state.synced, 'the first list');
    expect(same(r.items, siteState(PODS))).toBe(true);
    expect(r.state.syncMode).toBe('list');
    expect(counted.lists).toBeGreaterThan(1);
    expect(counted.watchLists).toBe(0);
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

describe('Reflector: streaming list (WatchList)', () => {
  it('syncs in one request to the same store as a LIST of the same site, then follows changes on that stream', async () => {
    const viaStream = countingHttp();
    const viaList = countingHttp();
    const a = reflect('/api/v1/pods', { http: viaStream });
    const b = reflect('/api/v1/pods', { http: viaList, watchList: false, pageSize: 200 });
    await eventually(() => a.r.state.phase === 'watching' && b.r.state.phase === 'watching', 'both syncs');
    expect(a.r.state).toMatchObject({ synced: true, syncMode: 'watch-list', relists: 1 });
    expect(a.r.state.watchListFallback).toBeUndefined();
    expect(b.r.state).toMatchObject({ synced: true, syncMode: 'list', relists: 1 });
    const pod = [...t.fleet.site(site).site.idx.pods.values()].find((p) => p.ownerKind === 'ReplicaSet') as { ns: string; name: string };
    t.fleet.site(site).site.deletePod(pod.ns, pod.name, 0);
    await eventually(() => !a.r.items.has(`${pod.ns}/${pod.name}`) && same(a.r.items, siteState(PODS)) && same(b.r.items, siteState(PODS)) && same(a.mirror, a.r.items), 'both stores to equal the site');
    expect(same(a.r.items, b.r.items)).toBe(true);
    // One watch request did both the sync and the following, and no LIST was made.
    expect(viaStream.lists).toBe(0);
    expect(viaStream.watches).toHaveLength(1);
    expect(viaStream.watches[0]).toMatchObject({ sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true });
    expect(viaStream.watches[0]?.resourceVersion).toBeUndefined();
    expect(viaList.watchLists).toBe(0);
  });

  it('gives consumers one diff at the end bookmark and nothing before', async () => {
    fillNamespace('wl-one-diff', 1500);
    const seen: { synced: boolean; batches: number }[] = [];
    // Filled once reflect() returns; the first statuses come before any batch can.
    const box: { batches?: Delta<string>[][] } = {};
    const { r, batches } = reflect('/api/v1/namespaces/wl-one-diff/configmaps', {
      // A flush window this short would split a leaking initial phase into many batches.
      flushMs: 1,
      onStatus: (s) => seen.push({ synced: s.synced, batches: box.batches?.length ?? 0 }),
    });
    box.batches = batches;
    await eventually(() => r.state.phase === 'watching', 'the sync');
    expect(r.state.syncMode).toBe('watch-list');
    const firstSynced = seen.find((s) => s.synced);
    expect(seen.filter((s) => !s.synced).every((s) => s.batches === 0)).toBe(true);
    expect(firstSynced?.batches).toBe(1);
    expect(batches[0]).toHaveLength(1500);
    expect(batches[0]?.every((d) => d.type === 'upsert')).toBe(true);
    expect(same(r.items, siteState(CM, 'wl-one-diff'))).toBe(true);
  });

  it('falls back to LIST when the server rejects it, stays live, and lists from then on', async () => {
    setWatchList('rejected');
    const counted = countingHttp();
    const { r, mirror } = reflect('/api/v1/namespaces/default/configmaps', { http: counted });
    await eventually(() => r.state.phase === 'watching', 'the sync');
    expect(r.state).toMatchObject({ synced: true, syncMode: 'list', relists: 1 });
    expect(r.state.watchListFallback).toMatch(/rejected.*422/);
    const store = t.fleet.site(site).site.store;
    store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-reject', namespace: 'default' } });
    await eventually(() => mirror.has('default/after-reject') && same(r.items, siteState(CM, 'default')), 'the watch to follow');
    // Even once the server would stream, this reflector remembers and lists.
    setWatchList('supported');
    await t.fleet.faults.apply({ fault: 'watch-expiry-storm', site });
    await eventually(() => r.state.relists >= 2 && r.state.phase === 'watching', 'a relist');
    expect(r.state.syncMode).toBe('list');
    expect(counted.watchLists).toBe(1);
    expect(same(r.items, siteState(CM, 'default'))).toBe(true);
  });

  it('falls back to LIST when the server ignores sendInitialEvents and sends a plain bookmark first', async () => {
    setWatchList('ignored');
    const { r, mirror, batches } = reflect('/api/v1/namespaces/default/configmaps');
    await eventually(() => r.state.phase === 'watching' && r.state.synced, 'the sync', 10_000);
    expect(r.state.syncMode).toBe('list');
    expect(r.state.watchListFallback).toMatch(/bookmark without k8s.io\/initial-events-end/);
    // The abandoned stream's events never reached consumers: the LIST's diff came first.
    expect(batches[0]?.length).toBe(siteState(CM, 'default').size);
    t.fleet.site(site).site.store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-ignore', namespace: 'default' } });
    await eventually(() => mirror.has('default/after-ignore') && same(r.items, siteState(CM, 'default')), 'the watch to follow');
  });

  it('falls back to LIST when the server ignores sendInitialEvents and the end bookmark never comes', async () => {
    setWatchList('ignored');
    // Shorter than the emulator's bookmark interval (1 s), so the silence decides, not a plain bookmark.
    const { r, mirror } = reflect('/api/v1/namespaces/default/configmaps', { initialEventsQuietMs: 300 });
    await eventually(() => r.state.phase === 'watching' && r.state.synced, 'the sync', 10_000);
    expect(r.state.syncMode).toBe('list');
    expect(r.state.watchListFallback).toMatch(/after the last initial event: the server ignores sendInitialEvents/);
    t.fleet.site(site).site.store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-silence', namespace: 'default' } });
    await eventually(() => mirror.has('default/after-silence') && same(r.items, siteState(CM, 'default')), 'the watch to follow');
  });

  it('does not take a server that is slow to answer for one that ignores sendInitialEvents', async () => {
    t.fleet.site(site).server.latencyMs = 600;
    const { r } = reflect('/api/v1/namespaces/default/configmaps', { initialEventsQuietMs: 300 });
    await eventually(() => r.state.phase === 'watching' && r.state.synced, 'the sync');
    expect(r.state.syncMode).toBe('watch-list');
    expect(r.state.watchListFallback).toBeUndefined();
  });

  it('recovers from a 410 in the middle of the initial events with another streaming list', async () => {
    fillNamespace('wl-410', 1200);
    const store = t.fleet.site(site).site.store;
    midInitialEvents('wl-410', () => store.compact());
    const counted = countingHttp();
    const { r, statuses, batches } = reflect('/api/v1/namespaces/wl-410/configmaps', { http: counted });
    await eventually(() => r.state.phase === 'watching' && r.state.synced, 'the sync');
    // The first attempt never synced: the first synced status is the second attempt's.
    expect(statuses.find((s) => s.synced)).toMatchObject({ relists: 2, syncMode: 'watch-list' });
    expect(r.state.watchListFallback).toBeUndefined();
    expect(counted.watchLists).toBe(2);
    expect(counted.lists).toBe(0);
    expect(batches).toHaveLength(1);
    expect(same(r.items, siteState(CM, 'wl-410'))).toBe(true);
  });

  it('lists once when the stream ends cleanly before the end bookmark (a restarting apiserver), then streams again', async () => {
    fillNamespace('wl-ended', 1200);
    const store = t.fleet.site(site).site.store;
    midInitialEvents('wl-ended', () => store.closeWatches());
    const counted = countingHttp();
    const { r, statuses } = reflect('/api/v1/namespaces/wl-ended/configmaps', { http: counted });
    await eventually(() => r.state.phase === 'watching' && r.state.synced, 'the sync');
    // The LIST took over the same sync; nothing was concluded about the server.
    expect(statuses.find((s) => s.synced)).toMatchObject({ relists: 1, syncMode: 'list' });
    expect(r.state.watchListFallback).toBeUndefined();
    expect(same(r.items, siteState(CM, 'wl-ended'))).toBe(true);
    await t.fleet.faults.apply({ fault: 'watch-expiry-storm', site });
    await eventually(() => r.state.relists >= 2 && r.state.phase === 'watching', 'the relist');
    expect(r.state.syncMode).toBe('watch-list');
    expect(counted.watchLists).toBe(2);
  });

  it('relists by streaming list after a watch-expiry storm and replaces the store, deletions included', async () => {
    fillNamespace('wl-storm', 50);
    const counted = countingHttp();
    const { r, mirror } = reflect('/api/v1/namespaces/wl-storm/configmaps', { http: counted });
    await eventually(() => r.state.phase === 'watching', 'the sync');
    const store = t.fleet.site(site).site.store;
    // In the same tick as the compaction: the expired watch cannot deliver these, only the relist can.
    store.compact();
    for (let i = 0; i < 10; i++) t.fleet.site(site).site.deleteObject(CM, 'wl-storm', `cm-${i}`, {});
    store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-storm', namespace: 'wl-storm' } });
    await eventually(() => r.state.relists >= 2 && r.state.phase === 'watching', 'the relist');
    await eventually(() => same(r.items, siteState(CM, 'wl-storm')) && same(mirror, r.items), 'the store to equal the site');
    expect(r.items.has('wl-storm/after-storm')).toBe(true);
    expect(mirror.has('wl-storm/cm-0')).toBe(false);
    expect(r.state.syncMode).toBe('watch-list');
    expect(counted.watchLists).toBe(2);
    expect(counted.lists).toBe(0);
  });
});
