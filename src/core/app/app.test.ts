/**
 * The console's core on the training fleet, through the contract over the
 * in-memory transport: what the UI sees when nothing is configured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryPair } from '../../shared/contract/memory';
import { connect, serve, type Client } from '../../shared/contract/rpc';
import { readSnapshot } from '../../shared/contract/snapshot';
import { triptych, type SiteDeltas, type SiteSnapshot, type SiteStatus, type TriptychContract, type TriptychEvents } from '../../shared/contract/triptych';
import type { NodeView } from '../../shared/model';
import type { LogBatch, LogLineEntry } from '../../shared/logs';
import { eventually } from '../../emulator/testing/fleet-fixture';
import { MemoryKeychain } from '../keychain';
import type { SiteCredentialStatus, VaultOverview } from '../../shared/vault';
import { startCore, type CoreApp } from './index';

let core: CoreApp;
let client: Client<TriptychContract, TriptychEvents>;
let home: string;
const statuses = new Map<string, SiteStatus>();
const deltas: SiteDeltas[] = [];
const credentials = new Map<string, SiteCredentialStatus[]>();
let vaultStatus: VaultOverview | undefined;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'triptych-home-'));
  core = await startCore({
    env: { HOME: home },
    home,
    platform: 'linux',
    dataDir: path.join(home, 'data'),
    // Small snapshot pages, so every snapshot here is read the way a 150,000-pod site's is.
    mirror: { backoff: { initialMs: 50, maxMs: 300 }, probeEveryMs: 500, snapshotPageItems: 500 },
    training: { seed: 'core-test' },
    keychain: new MemoryKeychain(),
    vaultHealthEveryMs: 200,
  });
  const [a, b] = memoryPair();
  serve(triptych, core.impl, core.bus, a, 'viewer');
  client = connect<TriptychContract, TriptychEvents>(triptych, b);
  client.on('site.status', (s) => statuses.set(s.site, s));
  client.on('site.deltas', (d) => deltas.push(d));
  client.on('site.credentials', (c) => credentials.set(c.site, [...(credentials.get(c.site) ?? []), c]));
  client.on('vault.status', (v) => (vaultStatus = v));
});
afterAll(async () => {
  client?.close();
  await core?.close();
  await rm(home, { recursive: true, force: true });
});

function fault(body: Record<string, unknown>): Promise<void> {
  const t = core.training as NonNullable<CoreApp['training']>;
  return new Promise((resolve, reject) => {
    const req = https.request(new URL('/v1/faults', t.controlUrl), { method: 'POST', ca: t.caCert, headers: { authorization: `Bearer ${t.controlToken}` } }, (res) => {
      res.resume();
      res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`fault: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('core on the training fleet', () => {
  it('with nothing configured, three training sites wait for a Vault sign-in, then go live on Vault-issued credentials', async () => {
    expect(core.mode).toBe('training');
    const sites = await client.api.sites.list();
    expect(sites.map((s) => s.id)).toEqual(['fra', 'ams', 'dub']);
    expect(new Set(sites.map((s) => s.color)).size).toBe(3);
    // Once the keychain has been looked at (nothing there), each site says what it waits for.
    await eventually(async () => (await client.api.sites.status()).every((s) => s.state === 'awaiting-credentials' && s.error === `Sign in to Vault to connect to ${s.site}: its credentials come from Vault kubernetes-${s.site}/creds/operator (namespace default).`), 'all sites awaiting a sign-in');
    const before = await client.api.vault.status();
    expect(before).toMatchObject({ addressFrom: 'training fleet', auth: { method: 'userpass', username: 'operator' }, trainingPassword: 'training', session: { state: 'signed-out', storage: 'memory' } });
    // Signing in changes what the console can do: a read-only connection may not.
    await expect(client.api.vault.signInPassword({ method: 'userpass', username: 'operator', password: 'training' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(core.impl.vault.signInPassword({ method: 'userpass', username: 'operator', password: 'wrong' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/invalid username or password/) });
    const session = await core.impl.vault.signInPassword({ method: 'userpass', username: 'operator', password: 'training' });
    expect(session).toMatchObject({ state: 'signed-in', identity: expect.stringContaining('operator') });
    await eventually(async () => (await client.api.sites.status()).every((s) => s.state === 'live'), 'all sites live');
    const after = (await client.api.vault.status()) as VaultOverview;
    expect(after.sites.map((c) => [c.site, c.state, c.source])).toEqual([
      ['fra', 'ok', 'Vault kubernetes-fra/creds/operator (namespace default)'],
      ['ams', 'ok', 'Vault kubernetes-ams/creds/operator (namespace default)'],
      ['dub', 'ok', 'Vault kubernetes-dub/creds/operator (namespace default)'],
    ]);
    for (const c of after.sites) expect(c.expiresAt! - Date.now()).toBeGreaterThan(0);
    expect(vaultStatus?.session.state).toBe('signed-in');
    expect(credentials.get('fra')?.at(-1)?.state).toBe('ok');
    // No token travels to the UI.
    expect(JSON.stringify([after, vaultStatus, [...credentials.values()]])).not.toMatch(/hvs\.|token":/);
  });

  it('a snapshot comes in pages of one seq that join into the whole mirror', async () => {
    const first = await client.api.sites.snapshot('ams');
    expect(first.continue).toBeTruthy();
    const whole = await readSnapshot((t) => client.api.sites.snapshot('ams', t));
    expect(whole.continue).toBeUndefined();
    expect(whole.seq).toBeGreaterThanOrEqual(first.seq);
    const direct = core.impl.sites.snapshot('ams') as SiteSnapshot;
    // Node names are unique and every page's items are in the join.
    expect(new Set(whole.items.nodes.map((n) => n.name)).size).toBe(whole.items.nodes.length);
    expect(whole.items.pods.length).toBeGreaterThan(1000);
    expect(direct.items.nodes.length + direct.items.namespaces.length).toBeLessThanOrEqual(500);
    await expect(client.api.sites.snapshot('ams', 'AAAAAAAAAAAA:500')).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/ask for a new snapshot/) });
  });

  it('a snapshot holds every node at its rack position, and deltas follow it', async () => {
    const snap = await readSnapshot((t) => client.api.sites.snapshot('fra', t));
    expect(snap.items.nodes.length).toBeGreaterThan(100);
    expect(snap.items.nodes.every((n) => n.rack && n.room && n.unit)).toBe(true);
    expect(snap.items.pods.length).toBeGreaterThan(1000);
    const rack = (snap.items.nodes[20] as NodeView).rack as string;
    const before = deltas.length;
    await fault({ fault: 'rack-power-loss', site: 'fra', rack });
    await eventually(() => {
      const notReady = new Set(deltas.slice(before).filter((d) => d.site === 'fra' && d.kind === 'nodes').flatMap((d) => d.upserts).filter(([, n]) => (n as NodeView).ready !== 'True').map(([k]) => k));
      return snap.items.nodes.filter((n) => n.rack === rack).every((n) => notReady.has(n.name));
    }, 'the rack to turn NotReady through deltas');
    expect(deltas.slice(before).filter((d) => d.site === 'fra').map((d) => d.seq).every((s) => s > snap.seq)).toBe(true);
    await fault({ fault: 'rack-power-restore', site: 'fra', rack });
  });

  it('a site outage makes that site stale while the others stay live, then it recovers', async () => {
    await fault({ fault: 'site-outage', site: 'ams' });
    await eventually(() => statuses.get('ams')?.state === 'stale', 'ams stale');
    const st = await client.api.sites.status();
    expect(st.find((s) => s.site === 'ams')?.error).toBeTruthy();
    expect(st.filter((s) => s.site !== 'ams').every((s) => s.state === 'live')).toBe(true);
    await fault({ fault: 'site-restore', site: 'ams' });
    await eventually(() => statuses.get('ams')?.state === 'live', 'ams live again');
  });

  it('node and pod detail come from the API, with events and read-only YAML', async () => {
    const snap = await readSnapshot((t) => client.api.sites.snapshot('dub', t));
    const node = snap.items.nodes[5] as NodeView;
    const nd = await client.api.nodes.detail('dub', node.name);
    expect(nd.conditions.map((c) => c.type)).toContain('Ready');
    expect(nd.pods.length).toBeGreaterThan(0);
    const pod = nd.pods[0] as { namespace: string; name: string };
    const pd = await client.api.pods.detail('dub', pod.namespace, pod.name);
    expect(pd.yaml).toContain(`name: ${pod.name}`);
    expect(pd.yaml).not.toContain('managedFields');
    await expect(client.api.pods.detail('dub', 'default', 'no-such-pod')).rejects.toMatchObject({ code: 'not-found' });
    await expect(client.api.sites.snapshot('nowhere')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a log tail follows a workload in two sites, for its own connection only', async () => {
    const [fra, ams] = await Promise.all(['fra', 'ams'].map((id) => readSnapshot((t) => client.api.sites.snapshot(id, t))));
    const deployment = fra!.items.workloads.find((w) => w.kind === 'Deployment' && w.ready > 0 && ams!.items.workloads.some((x) => x.kind === 'Deployment' && x.namespace === w.namespace && x.name === w.name && x.ready > 0))!;
    // A second console on the same core must not see this tail.
    const [a, b] = memoryPair();
    serve(triptych, core.impl, core.bus, a, 'viewer', { release: core.release });
    const other = connect<TriptychContract, TriptychEvents>(triptych, b);
    const leaked: unknown[] = [];
    other.on('logs.batch', (x) => leaked.push(x));
    const batches: LogBatch[] = [];
    client.on('logs.batch', (x) => {
      batches.push(x);
      void client.api.logs.ack(x.stream, x.seq);
    });
    const { stream } = await client.api.logs.start({ sites: ['fra', 'ams'], target: { kind: 'workload', workload: 'Deployment', namespace: deployment.namespace, name: deployment.name }, options: { tailLines: 5, timestamps: true } });
    const lines = (): LogLineEntry[] => batches.flatMap((x) => x.entries).filter((e): e is LogLineEntry => e.kind === 'line');
    await eventually(() => new Set(lines().map((l) => l.site)).size === 2 || undefined, 'lines from both sites');
    expect(lines().every((l) => l.namespace === deployment.namespace && l.pod.startsWith(`${deployment.name}-`) && l.ts)).toBe(true);
    const some = lines()[0]!;
    const word = /[A-Za-z]{4,}/.exec(some.text)?.[0] ?? some.pod;
    expect((await client.api.logs.search(stream, { text: word })).hits.length).toBeGreaterThan(0);
    expect(await client.api.logs.export(stream)).toContain(`${some.site} ${some.namespace}/${some.pod} ${some.container}`);
    // Another connection cannot touch it.
    await expect(other.api.logs.stop(stream)).rejects.toMatchObject({ code: 'not-found' });
    await client.api.logs.pause(stream);
    await eventually(() => batches.at(-1)?.stats.paused || undefined, 'a paused batch');
    await client.api.logs.resume(stream);
    await client.api.logs.stop(stream);
    await expect(client.api.logs.search(stream, { text: 'x' })).rejects.toMatchObject({ code: 'not-found' });
    expect(leaked).toEqual([]);
    other.close();
    // Bad options are refused with the reason, before anything is read.
    await expect(client.api.logs.start({ sites: ['fra'], target: { kind: 'pods', pods: [{ namespace: 'a', name: 'b' }] }, options: { sinceSeconds: 5, sinceTime: '2026-01-01T00:00:00Z' } })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/not both/),
    });
    await expect(client.api.logs.start({ sites: ['mars'], target: { kind: 'pods', pods: [{ namespace: 'a', name: 'b' }] } })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('a 401 at one site fetches new credentials from Vault once; the site reconnects, the others never notice', async () => {
    const fetchedBefore = (await client.api.vault.status())!.sites.find((c) => c.site === 'dub')!.fetchedAt!;
    await fault({ fault: 'credentials-expire', site: 'dub', inSeconds: 0 });
    // Running watches keep their stream; the next request (the watches' reconnect or a relist) gets 401.
    await fault({ fault: 'watch-expiry-storm', site: 'dub' });
    await eventually(async () => ((await client.api.vault.status())!.sites.find((c) => c.site === 'dub')!.fetchedAt ?? 0) > fetchedBefore, 'dub re-fetched');
    await eventually(async () => (await client.api.sites.status()).every((s) => s.state === 'live'), 'all sites live again');
    const others = [...credentials.entries()].filter(([site]) => site !== 'dub');
    expect(others.every(([, list]) => list.at(-1)?.state === 'ok' && list.filter((c) => c.state === 'fetching').length <= 1)).toBe(true);
  });

  it('a sealed Vault shows on the sign-in within a health check, while the sites keep their credentials', async () => {
    await fault({ fault: 'vault-seal' });
    try {
      await eventually(() => vaultStatus?.session.problem?.kind === 'sealed', 'sealed reported');
      expect(vaultStatus?.session.problem?.message).toMatch(/is sealed \(503\): a Vault operator must unseal it/);
      // The sites keep the credentials they have (a watch-expiry storm before this may still be settling, so liveness is awaited).
      expect(vaultStatus?.sites.every((c) => c.state === 'ok')).toBe(true);
      await eventually(async () => (await client.api.sites.status()).every((s) => s.state === 'live'), 'all sites live while sealed');
    } finally {
      await fault({ fault: 'vault-unseal' });
    }
    await eventually(() => vaultStatus?.session.problem === undefined, 'problem cleared after unseal');
  });

  it('signing out revokes the site leases: sites wait for a sign-in again, showing what they last knew; shells and log follows end', async () => {
    // A shell and a log follow at fra, opened on the credentials about to be withdrawn.
    const snap = (await readSnapshot((t) => client.api.sites.snapshot('fra', t))) as SiteSnapshot;
    const pod = snap.items.pods.find((p) => p.status === 'Running' && p.namespace !== 'kube-system')!;
    const detail = await core.impl.pods.detail('fra', pod.namespace, pod.name);
    const exits: string[] = [];
    const batches: LogBatch[] = [];
    const off = core.bus.tap((name, payload) => {
      if (name === 'exec.exit') exits.push((payload as { stream: string }).stream);
      if (name === 'logs.batch') {
        const b = payload as LogBatch & { stream: string };
        batches.push(b);
        // Shown: the tail sends more only to a view that keeps up.
        void core.impl.logs.ack(b.stream, b.seq);
      }
    });
    const shell = await core.impl.exec.start({ site: 'fra', namespace: pod.namespace, pod: pod.name, container: detail.containers[0]!.name, command: ['sh'], cols: 80, rows: 24 });
    const tail = await core.impl.logs.start({ sites: ['fra'], target: { kind: 'pods', pods: [{ namespace: pod.namespace, name: pod.name }] } });
    await eventually(() => batches.some((b) => b.entries.some((e) => e.kind === 'line')), 'the follow delivers lines');
    await core.impl.vault.signOut();
    await eventually(() => exits.includes(shell.stream), 'the shell ended');
    await eventually(() => batches.some((b) => b.entries.some((e) => e.kind !== 'line' && /interrupted/.test(JSON.stringify(e)))), 'the follow interrupted');
    off();
    await core.impl.logs.stop(tail.stream);
    // The revoked tokens are refused at the next request; the console does not wait for that to say so.
    await eventually(async () => (await client.api.vault.status())!.sites.every((c) => c.state === 'failed' && c.problem?.kind === 'signed-out'), 'credentials gone');
    // Open watches end with the credentials: no site goes on looking live on a revoked token.
    await eventually(() => ['fra', 'ams', 'dub'].every((id) => statuses.get(id)?.state === 'awaiting-credentials'), 'every site awaiting credentials');
    expect((core.impl.sites.snapshot('fra') as SiteSnapshot).items.nodes.length).toBeGreaterThan(0);
    await core.impl.vault.signInPassword({ method: 'userpass', username: 'operator', password: 'training' });
    await eventually(async () => (await client.api.sites.status()).every((s) => s.state === 'live'), 'all sites live after signing in again');
  });
});
