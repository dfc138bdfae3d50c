import { describe, expect, it } from 'vitest';
import { node, pod } from '../../../shared/derive/test-fleet';
import { DELTA_MARK, DERIVE_INTERVAL_MS } from './actions';
import { allLoaded } from './selectors';
import { createAppStore } from './store';
import { emptySnapshot, fakeClient, manualDeps, nodeDeltas, podDeltas, settle, siteInfo } from './testing';

function setup(ids = ['fra', 'ams']) {
  const fake = fakeClient(ids.map((id) => siteInfo(id)));
  const deps = manualDeps(fake.client);
  const store = createAppStore(deps);
  return { fake, deps, store, actions: store.getState().actions };
}

describe('loading', () => {
  it('subscribes to deltas and status before asking for anything', async () => {
    const { fake, actions } = setup();
    await actions.start();
    await settle();
    const firstCall = fake.log.findIndex((l) => !l.startsWith('on:'));
    expect(fake.log.slice(0, firstCall).sort()).toEqual(['on:site.deltas', 'on:site.status']);
    expect(fake.log).toContain('sites.snapshot:fra');
    expect(fake.log).toContain('sites.snapshot:ams');
  });

  it('buffers deltas until the snapshot, then applies those with seq > snapshot.seq, per site', async () => {
    const { fake, store, actions } = setup();
    await actions.start();
    await settle();
    fake.emit('site.deltas', nodeDeltas('fra', 3, [node('fra-old')]));
    fake.emit('site.deltas', nodeDeltas('ams', 9, [node('ams-new')]));
    fake.emit('site.deltas', nodeDeltas('fra', 4, [node('fra-new')], ['fra-1']));
    expect(store.getState().mirrors.fra).toBeUndefined();

    fake.snapshot('fra', emptySnapshot('fra', 3, { nodes: [node('fra-1'), node('fra-2')] }));
    await settle();
    const fra = store.getState().mirrors.fra!;
    expect([...fra.nodes.keys()].sort()).toEqual(['fra-2', 'fra-new']);
    expect(fra.seq).toBe(4);
    // ams's batch is still buffered for ams alone.
    expect(store.getState().mirrors.ams).toBeUndefined();
    expect(allLoaded(store.getState())).toBe(false);

    fake.snapshot('ams', emptySnapshot('ams', 8));
    await settle();
    expect([...store.getState().mirrors.ams!.nodes.keys()]).toEqual(['ams-new']);
    expect(allLoaded(store.getState())).toBe(true);
  });

  it('retries a failed snapshot and reports why meanwhile', async () => {
    const { fake, deps, store, actions } = setup(['fra']);
    await actions.start();
    await settle();
    fake.snapshot('fra', new Error('fra cannot be reached'));
    await settle();
    expect(store.getState().loadErrors.fra).toBe('fra cannot be reached');
    deps.advance(1_000);
    expect(fake.pendingSnapshots('fra')).toBe(1);
    fake.snapshot('fra', emptySnapshot('fra', 0));
    await settle();
    expect(store.getState().loadErrors.fra).toBeUndefined();
    expect(allLoaded(store.getState())).toBe(true);
  });

  it('reports a host that cannot be reached', async () => {
    const store = createAppStore({ ...manualDeps(fakeClient([]).client), client: () => Promise.reject(new Error('cannot reach the Triptych host')) });
    await store.getState().actions.start();
    expect(store.getState().boot).toEqual({ phase: 'failed', error: 'cannot reach the Triptych host' });
  });
});

describe('live deltas', () => {
  async function loaded() {
    const s = setup();
    await s.actions.start();
    await settle();
    s.fake.snapshot('fra', emptySnapshot('fra', 0, { nodes: [node('fra-1')] }));
    s.fake.snapshot('ams', emptySnapshot('ams', 0));
    await settle();
    s.deps.marks.length = 0;
    s.deps.markDetails.length = 0;
    return s;
  }

  it('applies all batches of a frame in one state update and marks it', async () => {
    const { fake, deps, store } = await loaded();
    const before = store.getState().mirrors.fra!;
    let updates = 0;
    store.subscribe((s, p) => void (s.mirrors !== p.mirrors && updates++));
    for (let seq = 1; seq <= 100; seq++) fake.emit('site.deltas', podDeltas('fra', seq, [pod(`p${seq}`, { node: 'fra-1' })]));
    fake.emit('site.deltas', nodeDeltas('ams', 1, [node('ams-1')]));
    // Nothing is applied between frames.
    expect(store.getState().mirrors.fra).toBe(before);
    expect(deps.runFrame()).toBe(true);
    expect(updates).toBe(1);
    expect(deps.marks).toEqual([DELTA_MARK]);
    // Benchmarks join the mark with the batches it put on screen.
    expect(deps.markDetails).toEqual([{ fra: 100, ams: 1 }]);
    expect(store.getState().mirrors.fra!.pods.size).toBe(100);
    expect(store.getState().mirrors.fra!.version).toBe(before.version + 1);
    expect(store.getState().mirrors.ams!.nodes.size).toBe(1);
    expect(deps.runFrame()).toBe(false);
  });

  it('recomputes the derived views at a bounded rate', async () => {
    const { fake, deps, store } = await loaded();
    const first = store.getState().derived.fra!;
    expect(first.health.nodes.total).toBe(1);
    fake.emit('site.deltas', nodeDeltas('fra', 1, [node('fra-1', { ready: 'False' })]));
    deps.runFrame();
    // The snapshot derivation just ran: the next waits for the interval.
    expect(store.getState().derived.fra).toBe(first);
    deps.advance(DERIVE_INTERVAL_MS);
    expect(store.getState().derived.fra!.health.nodes.notReady).toBe(1);
    expect(store.getState().derived.fra!.rack.unplaced).toHaveLength(1);
  });

  it('resyncs from a fresh snapshot when a batch is missing', async () => {
    const { fake, deps, store } = await loaded();
    fake.emit('site.deltas', nodeDeltas('fra', 1, [node('fra-2')]));
    fake.emit('site.deltas', nodeDeltas('fra', 3, [node('fra-4')]));
    deps.runFrame();
    expect(store.getState().mirrors.fra!.seq).toBe(1);
    expect(fake.pendingSnapshots('fra')).toBe(1);
    fake.snapshot('fra', emptySnapshot('fra', 2, { nodes: [node('fra-1'), node('fra-2'), node('fra-3')] }));
    await settle();
    const fra = store.getState().mirrors.fra!;
    expect(fra.seq).toBe(3);
    expect([...fra.nodes.keys()].sort()).toEqual(['fra-1', 'fra-2', 'fra-3', 'fra-4']);
  });

  it('drops malformed events instead of breaking the loop', async () => {
    const { fake, deps, store } = await loaded();
    fake.emit('site.deltas', { site: '__proto__', kind: 'nodes', seq: 1, upserts: [], deletes: [] });
    fake.emit('site.deltas', null as never);
    fake.emit('site.status', { site: 'Not A Site', state: 'live' });
    expect(deps.runFrame()).toBe(false);
    expect(Object.keys(store.getState().status)).toEqual([]);
  });
});

describe('status and clock', () => {
  it('keeps the latest status per site and advances the clock every second', async () => {
    const { fake, deps, store, actions } = setup(['fra']);
    await actions.start();
    await settle();
    const t0 = store.getState().now;
    fake.emit('site.status', { site: 'fra', state: 'stale', lastSyncAt: t0 - 5_000, error: 'connection refused' });
    expect(store.getState().status.fra?.state).toBe('stale');
    deps.advance(3_000);
    expect(store.getState().now).toBe(t0 + 3_000);
  });
});

describe('ui', () => {
  it('opens details and rack highlights, closing the palette, and clears the highlight later', () => {
    const { deps, store, actions } = setup();
    actions.togglePalette();
    expect(store.getState().ui.paletteOpen).toBe(true);
    actions.highlightRack('fra', 'B-07');
    expect(store.getState().ui.paletteOpen).toBe(false);
    expect(store.getState().ui.highlight).toMatchObject({ site: 'fra', rack: 'B-07' });
    deps.advance(10_000);
    expect(store.getState().ui.highlight).toBeUndefined();
    actions.openDetail({ kind: 'node', site: 'fra', name: 'fra-1' });
    expect(store.getState().ui.detail).toEqual({ kind: 'node', site: 'fra', name: 'fra-1' });
  });

  it('toggles to the theme not shown', () => {
    const { store, actions } = setup();
    actions.setSystemDark(true);
    actions.toggleTheme();
    expect(store.getState().ui.themePref).toBe('light');
    actions.toggleTheme();
    expect(store.getState().ui.themePref).toBe('dark');
  });
});
