import { describe, expect, it } from 'vitest';
import { node, pod } from '../../../shared/derive/test-fleet';
import type { SiteCredentialStatus, VaultOverview, VaultSessionStatus } from '../../../shared/vault';
import { DELTA_MARK, DERIVE_INTERVAL_MS } from './actions';
import { allLoaded } from './selectors';
import { createAppStore } from './store';
import { emptySnapshot, fakeClient, manualDeps, nodeDeltas, podDeltas, settle, siteInfo, type FakeOverrides } from './testing';

function setup(ids = ['fra', 'ams'], over: FakeOverrides = {}) {
  const fake = fakeClient(ids.map((id) => siteInfo(id)), [], over);
  const deps = manualDeps(fake.client);
  const store = createAppStore(deps);
  return { fake, deps, store, actions: store.getState().actions };
}

describe('loading', () => {
  it('subscribes to deltas, status and Vault before asking for anything', async () => {
    const { fake, actions } = setup();
    await actions.start();
    await settle();
    const firstCall = fake.log.findIndex((l) => !l.startsWith('on:'));
    expect(fake.log.slice(0, firstCall).sort()).toEqual(['on:site.credentials', 'on:site.deltas', 'on:site.status', 'on:vault.status']);
    expect(fake.log).toContain('vault.status');
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

describe('vault', () => {
  const SIGNED_OUT: VaultSessionStatus = { address: 'https://vault.example:8200', state: 'signed-out', storage: 'keychain' };
  const SIGNED_IN: VaultSessionStatus = { ...SIGNED_OUT, state: 'signed-in', identity: 'userpass-operator', method: 'userpass', policies: ['operator'], expiresAt: Date.parse('2025-06-01T13:00:00Z') };
  const creds = (site: string, over: Partial<SiteCredentialStatus> = {}): SiteCredentialStatus => ({
    site,
    source: `Vault kubernetes-${site}/creds/operator (namespace default)`,
    state: 'failed',
    problem: { kind: 'signed-out', message: `Sign in to Vault to connect to ${site}` },
    ...over,
  });
  const overview = (session = SIGNED_OUT, sites = [creds('fra'), creds('ams')]): VaultOverview => ({
    addressFrom: 'training fleet',
    auth: { method: 'userpass', mount: 'userpass', username: 'operator' },
    trainingPassword: 'training',
    session,
    sites,
  });

  async function started(over: FakeOverrides = {}) {
    const s = setup(['fra', 'ams'], { ...over, vault: { status: () => Promise.resolve(overview()), ...over.vault } });
    await s.actions.start();
    await settle();
    return s;
  }

  it('loads the overview at start and follows the vault.status and site.credentials events', async () => {
    const { fake, store } = await started();
    expect(store.getState().vault).toEqual(overview());

    fake.emit('vault.status', overview(SIGNED_IN));
    expect(store.getState().vault?.session.state).toBe('signed-in');

    const before = store.getState().vault!;
    const fra = creds('fra', { state: 'ok', problem: undefined, expiresAt: Date.parse('2025-06-01T12:43:00Z') });
    fake.emit('site.credentials', fra);
    const after = store.getState().vault!;
    expect(after.sites.map((c) => c.site)).toEqual(['fra', 'ams']);
    expect(after.sites[0]).toEqual(fra);
    // Only fra's entry changed: ams's record (and the session) are the very same objects.
    expect(after.sites[1]).toBe(before.sites[1]);
    expect(after.session).toBe(before.session);

    fake.emit('site.credentials', creds('dub'));
    expect(store.getState().vault!.sites.map((c) => c.site)).toEqual(['fra', 'ams', 'dub']);
  });

  it('ignores malformed Vault events', async () => {
    const { fake, store } = await started();
    const before = store.getState().vault;
    fake.emit('vault.status', { session: null } as never);
    fake.emit('vault.status', null as never);
    fake.emit('site.credentials', { site: '__proto__', source: 'x', state: 'ok' });
    fake.emit('site.credentials', { site: 'fra' } as never);
    expect(store.getState().vault).toBe(before);
  });

  it('stays null without a Vault, and site credential events do not invent one', async () => {
    const { fake, store, actions } = setup();
    await actions.start();
    await settle();
    expect(store.getState().vault).toBeNull();
    fake.emit('site.credentials', creds('fra'));
    expect(store.getState().vault).toBeNull();
  });

  it('does not keep the console from starting when the host cannot say', async () => {
    const { store } = await started({ vault: { status: () => Promise.reject(new Error('no method vault.status')) } });
    expect(store.getState().boot.phase).toBe('ready');
    expect(store.getState().vault).toBeNull();
  });

  it('signs in with a password, applies the session and closes the dialog', async () => {
    const calls: unknown[] = [];
    const { store, actions } = await started({
      vault: {
        signInPassword: (a) => {
          calls.push(a);
          return Promise.resolve(SIGNED_IN);
        },
      },
    });
    actions.openVaultDialog();
    expect(store.getState().ui.vaultDialogOpen).toBe(true);
    await actions.signInToVault({ method: 'userpass', username: 'operator', password: 'training' });
    // No mount unless the dialog names one: the host then uses the configured mount.
    expect(calls).toEqual([{ method: 'userpass', username: 'operator', password: 'training' }]);
    expect(store.getState().vault?.session).toEqual(SIGNED_IN);
    expect(store.getState().ui.vaultDialogOpen).toBe(false);
  });

  it('rejects with the host’s message and leaves the dialog open when Vault says no', async () => {
    const message = 'Vault refused the sign-in: invalid username or password';
    const { store, actions } = await started({ vault: { signInPassword: () => Promise.reject(new Error(message)) } });
    actions.openVaultDialog();
    await expect(actions.signInToVault({ method: 'ldap', username: 'operator', password: 'nope' })).rejects.toThrow(message);
    expect(store.getState().ui.vaultDialogOpen).toBe(true);
    expect(store.getState().vault?.session.state).toBe('signed-out');
  });

  it('routes token, OIDC and CLI-token sign-ins to their calls', async () => {
    const log: string[] = [];
    const answer = (what: string) => (...args: unknown[]) => {
      log.push(`${what}:${JSON.stringify(args)}`);
      return Promise.resolve(SIGNED_IN);
    };
    const { actions } = await started({
      vault: { signInToken: answer('token'), signInOidc: answer('oidc'), importCliToken: answer('cli'), cancelOidc: () => (log.push('cancel'), Promise.resolve(null)) },
    });
    await actions.signInToVault({ method: 'token', token: 'hvs.x' });
    await actions.signInToVault({ method: 'oidc', role: 'admins' });
    await actions.signInToVault({ method: 'cli-token' });
    await actions.cancelVaultOidc();
    expect(log).toEqual(['token:["hvs.x"]', 'oidc:[{"role":"admins"}]', 'cli:[]', 'cancel']);
  });

  it('gives up a waiting OIDC sign-in when the dialog is closed, and only then', async () => {
    const log: string[] = [];
    let finish!: (s: VaultSessionStatus) => void;
    const { actions } = await started({
      vault: {
        signInOidc: () => new Promise<VaultSessionStatus>((resolve) => (finish = resolve)),
        cancelOidc: () => (log.push('cancel'), Promise.resolve(null)),
      },
    });
    actions.openVaultDialog();
    const signingIn = actions.signInToVault({ method: 'oidc' });
    actions.closeVaultDialog();
    expect(log).toEqual(['cancel']);
    finish(SIGNED_IN);
    await signingIn;
    // Settled: closing again asks nothing of the host.
    actions.openVaultDialog();
    actions.closeVaultDialog();
    expect(log).toEqual(['cancel']);
  });

  it('signs out and closes the dialog', async () => {
    const { fake, store, actions } = await started({ vault: { signOut: () => Promise.resolve(SIGNED_OUT) } });
    fake.emit('vault.status', overview(SIGNED_IN));
    actions.openVaultDialog();
    await actions.signOutOfVault();
    expect(store.getState().vault?.session.state).toBe('signed-out');
    expect(store.getState().ui.vaultDialogOpen).toBe(false);
  });

  it('fetches a site’s credentials again and shows the answer', async () => {
    const fresh = creds('ams', { state: 'ok', problem: undefined, expiresAt: Date.parse('2025-06-01T13:00:00Z') });
    const asked: string[] = [];
    const { store, actions } = await started({ reconnectCredentials: (site) => (asked.push(site), Promise.resolve(fresh)) });
    await actions.reconnectCredentials('ams');
    expect(asked).toEqual(['ams']);
    expect(store.getState().vault?.sites.find((c) => c.site === 'ams')).toEqual(fresh);
  });

  it('says it is not connected when asked to sign in before start', async () => {
    const { actions } = setup();
    await expect(actions.signInToVault({ method: 'cli-token' })).rejects.toThrow(/not connected/);
  });
});
