/**
 * Maintenance Leases at the training fleet, over HTTPS with kubeconfig
 * credentials: two consoles and one Lease (the second is refused, in words),
 * a lapsed claim taken over, a race for it with one winner, a claim lost
 * while held, resuming a run after a restart, release, refusals by RBAC, and
 * the list every console shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import type { KubeHttp } from '../kube/http';
import { siteHttp } from '../logs/fleet-logs-fixture';
import { MaintenanceConflict, MaintenanceForbidden, type MaintenanceLost } from './errors';
import { activeMaintenance, listMaintenance } from './list-maintenance';
import { TRIPTYCH_NAMESPACE, type LeaseObject } from './maintenance';
import { acquireMaintenance, type MaintenanceLease, type MaintenanceRequest } from './maintenance-lease';
import { ensureTriptychNamespace } from './triptych-namespace';

let t: TestFleet;
let site: string;
/** Two consoles with the operator's credentials, and a viewer's. */
let consoleA: KubeHttp;
let consoleB: KubeHttp;
let viewer: KubeHttp;
const held: MaintenanceLease[] = [];

beforeAll(async () => {
  t = await startTestFleet({ sites: 1, nodes: 3 });
  site = t.fleet.sites[0]?.site.name as string;
  consoleA = siteHttp(t, site, 'operator');
  consoleB = siteHttp(t, site, 'operator');
  viewer = siteHttp(t, site, 'viewer');
});
afterAll(async () => {
  await Promise.allSettled(held.map((l) => l.release()));
  for (const h of [consoleA, consoleB, viewer]) h?.close();
  await t?.close();
});

const MICRO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const leaseAt = (name: string): Promise<LeaseObject> => consoleA.getJson<LeaseObject>(`/apis/coordination.k8s.io/v1/namespaces/${TRIPTYCH_NAMESPACE}/leases/${name}`);
const gone = async (name: string): Promise<boolean> => leaseAt(name).then(() => false, (e: { status?: number }) => e.status === 404);
/** "2026-11-28 08:30 UTC" of an ISO time. */
const minute = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

async function acquire(http: KubeHttp, req: Omit<MaintenanceRequest, 'site'>, o: Parameters<typeof acquireMaintenance>[2] = {}): Promise<MaintenanceLease> {
  const l = await acquireMaintenance(http, { site, ...req }, o);
  held.push(l);
  return l;
}

describe('maintenance Leases at the training fleet', () => {
  it('at a site that never had a maintenance: lists nothing, and tells a viewer plainly it may not make the namespace or hold Leases', async () => {
    expect(await listMaintenance(consoleA)).toEqual([]);
    const ns = await ensureTriptychNamespace(viewer, site).catch((e: unknown) => e);
    expect(ns).toBeInstanceOf(MaintenanceForbidden);
    expect((ns as Error).message).toMatch(new RegExp(`^namespace triptych-system does not exist at ${site} and this identity may not create it: .*Ask a cluster admin to run: kubectl create namespace triptych-system$`, 's'));
    const err = await acquire(viewer, { scope: 'rack/H-06', holder: 'userpass-dave' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MaintenanceForbidden);
    expect((err as Error).message).toMatch(new RegExp(`^not allowed to create leases in namespace triptych-system at ${site}: .*forbidden.*ask a cluster admin`, 's'));
  });

  it('two consoles and one Lease: the second is refused, saying by whom, since when and for what', async () => {
    const a = await acquire(consoleA, { scope: 'rack/B-07', holder: 'userpass-alice', runbook: 'drain-rack', run: 'r-1', reason: 'PSU swap', durationMs: 60_000 }, { instance: 'ws-a-1' });
    expect(a.name).toBe('triptych-maintenance-rack-b-07');

    // The namespace was made on first use, and the Lease says everything another console needs.
    const lease = await leaseAt(a.name);
    expect(lease.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'triptych', 'triptych.io/lease': 'maintenance' });
    expect(lease.metadata.annotations).toEqual({ 'triptych.io/scope': 'rack/B-07', 'triptych.io/holder': 'userpass-alice', 'triptych.io/runbook': 'drain-rack', 'triptych.io/run': 'r-1', 'triptych.io/reason': 'PSU swap', 'triptych.io/since': a.info.since });
    expect(lease.spec).toMatchObject({ holderIdentity: 'userpass-alice/ws-a-1', leaseDurationSeconds: 60, leaseTransitions: 0 });
    expect(lease.spec?.acquireTime).toMatch(MICRO);
    expect(lease.spec?.renewTime).toBe(lease.spec?.acquireTime);

    const err = await acquire(consoleB, { scope: 'rack/B-07', holder: 'userpass-bob', runbook: 'restart-service', durationMs: 60_000 }, { instance: 'ws-b-1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MaintenanceConflict);
    expect((err as Error).message).toBe(`rack B-07 at ${site} is under maintenance by userpass-alice since ${minute(a.info.since)} (runbook drain-rack); wait for it to end or ask userpass-alice`);
    expect((err as MaintenanceConflict).current).toMatchObject({ holder: 'userpass-alice', runbook: 'drain-rack', run: 'r-1', expired: false });
    // The same rack spelled in lower case is the same rack.
    await expect(acquire(consoleB, { scope: 'rack/b-07', holder: 'userpass-bob' })).rejects.toBeInstanceOf(MaintenanceConflict);

    // kubectl sees who holds it.
    const k = await t.kubectl(['get', 'leases', '-n', TRIPTYCH_NAMESPACE]);
    expect(k.stdout).toMatch(/triptych-maintenance-rack-b-07\s+userpass-alice\/ws-a-1/);

    // Released, it is free for the next console.
    expect(await a.release()).toBe(true);
    expect(a.state).toBe('released');
    expect(await gone(a.name)).toBe(true);
    const b = await acquire(consoleB, { scope: 'rack/B-07', holder: 'userpass-bob', durationMs: 60_000 }, { instance: 'ws-b-1' });
    expect((await leaseAt(b.name)).spec?.holderIdentity).toBe('userpass-bob/ws-b-1');
    expect(await b.release()).toBe(true);
  });

  it('takes over a claim whose console stopped renewing once it has lapsed, and the old holder cannot release it', async () => {
    const a = await acquire(consoleA, { scope: 'node/fra-w-01', holder: 'userpass-alice', runbook: 'drain-node', reason: 'kernel update', durationMs: 1000 }, { instance: 'ws-a-2' });
    // The console crashed: nothing renews the claim any more.
    a.abandon();
    await expect(acquire(consoleB, { scope: 'node/fra-w-01', holder: 'userpass-bob', durationMs: 60_000 })).rejects.toBeInstanceOf(MaintenanceConflict);

    await eventually(async () => (await listMaintenance(consoleB)).find((m) => m.scope === 'node/fra-w-01')?.expired, 'the abandoned claim to lapse', 10_000);
    const b = await acquire(consoleB, { scope: 'node/fra-w-01', holder: 'userpass-bob', runbook: 'collect-diagnostics', durationMs: 60_000 }, { instance: 'ws-b-2' });
    const lease = await leaseAt(b.name);
    expect(lease.spec).toMatchObject({ holderIdentity: 'userpass-bob/ws-b-2', leaseTransitions: 1, leaseDurationSeconds: 60 });
    // Alice's reason described her maintenance, not Bob's.
    expect(lease.metadata.annotations).not.toHaveProperty('triptych.io/reason');
    expect(lease.metadata.annotations?.['triptych.io/runbook']).toBe('collect-diagnostics');

    expect(await a.release()).toBe(false);
    expect((await leaseAt(b.name)).spec?.holderIdentity).toBe('userpass-bob/ws-b-2');
    expect(await b.release()).toBe(true);
  });

  it('lets exactly one of two consoles win the race for a lapsed claim; the other is told who won', async () => {
    const a = await acquire(consoleA, { scope: 'rack/C-01', holder: 'userpass-alice', durationMs: 60_000 }, { instance: 'ws-a-3' });
    a.abandon();
    // Both consoles' clocks say it lapsed long ago.
    const later = (): number => Date.now() + 3_600_000;
    const results = await Promise.allSettled([
      acquire(consoleB, { scope: 'rack/C-01', holder: 'userpass-bob', durationMs: 60_000 }, { instance: 'ws-b-3', now: later }),
      acquire(consoleA, { scope: 'rack/C-01', holder: 'userpass-carol', durationMs: 60_000 }, { instance: 'ws-c-3', now: later }),
    ]);
    const won = results.filter((r): r is PromiseFulfilledResult<MaintenanceLease> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = won[0]?.value.request.holder as string;
    expect(lost[0]?.reason).toBeInstanceOf(MaintenanceConflict);
    expect((lost[0]?.reason as Error).message).toContain(`under maintenance by ${winner}`);
    expect((await leaseAt('triptych-maintenance-rack-c-01')).spec?.holderIdentity).toBe(won[0]?.value.holderIdentity);
    await won[0]?.value.release();
  });

  it('stops renewing and reports when another console takes the claim over while it is held', async () => {
    let lostWith!: (e: MaintenanceLost) => void;
    const lostSignal = new Promise<MaintenanceLost>((r) => (lostWith = r));
    const a = await acquire(consoleA, { scope: 'rack/D-02', holder: 'userpass-alice', durationMs: 1500 }, { instance: 'ws-a-4', onLost: (e) => lostWith(e) });
    // Bob's clock runs an hour ahead: to him Alice's claim has lapsed.
    const b = await acquire(consoleB, { scope: 'rack/D-02', holder: 'userpass-bob', runbook: 'drain-rack', durationMs: 60_000 }, { instance: 'ws-b-4', now: () => Date.now() + 3_600_000 });

    const err = await lostSignal;
    expect(err.message).toBe(`the maintenance of rack D-02 at ${site} is no longer held by this console: userpass-bob took it over for runbook drain-rack`);
    expect(a.state).toBe('lost');
    expect(a.lost).toBe(err);
    await expect(a.renew()).rejects.toBe(err);
    expect(await a.release()).toBe(false);
    expect((await leaseAt(b.name)).spec?.holderIdentity).toBe('userpass-bob/ws-b-4');
    await b.release();
  });

  it('renews in the background every third of the duration', async () => {
    const a = await acquire(consoleA, { scope: 'rack/E-03', holder: 'userpass-alice', durationMs: 1500 }, { instance: 'ws-a-5' });
    const first = await leaseAt(a.name);
    const renewed = await eventually(async () => {
      const l = await leaseAt(a.name);
      return l.spec?.renewTime !== first.spec?.renewTime ? l : undefined;
    }, 'a background renewal', 5_000);
    expect(renewed.spec?.renewTime).toMatch(MICRO);
    expect(renewed.spec?.acquireTime).toBe(first.spec?.acquireTime);
    expect(a.state).toBe('held');
    // An explicit renewal continues from whatever the background left.
    await a.renew();
    expect(await a.release()).toBe(true);
  });

  it('lets the same holder resume the same run after a restart, but not start another', async () => {
    const before = await acquire(consoleA, { scope: 'rack/F-04', holder: 'userpass-alice', runbook: 'drain-rack', run: 'r-9', durationMs: 60_000 }, { instance: 'ws-a-6' });
    before.abandon();
    // The console restarted: a new instance.
    await expect(acquire(consoleA, { scope: 'rack/F-04', holder: 'userpass-alice', runbook: 'drain-rack', run: 'r-10', durationMs: 60_000 }, { instance: 'ws-a-7' })).rejects.toBeInstanceOf(MaintenanceConflict);
    const after = await acquire(consoleA, { scope: 'rack/F-04', holder: 'userpass-alice', runbook: 'drain-rack', run: 'r-9', durationMs: 60_000 }, { instance: 'ws-a-7' });
    expect(after.info).toMatchObject({ holderIdentity: 'userpass-alice/ws-a-7', since: before.info.since, run: 'r-9' });
    expect(await after.release()).toBe(true);
  });

  it('lists every maintenance with holder, scope, since and whether it lapsed', async () => {
    const a = await acquire(consoleA, { scope: 'rack/G-05', holder: 'userpass-alice', runbook: 'drain-rack', run: 'r-20', reason: 'PSU swap', durationMs: 60_000 }, { instance: 'ws-a-8' });
    const b = await acquire(consoleB, { scope: 'site/' + site, holder: 'userpass-bob', durationMs: 60_000 }, { instance: 'ws-b-8' });
    const now = await listMaintenance(consoleB);
    const mine = now.filter((m) => m.scope === 'rack/G-05' || m.scope === `site/${site}`);
    expect(mine).toEqual([
      { lease: 'triptych-maintenance-rack-g-05', scope: 'rack/G-05', holder: 'userpass-alice', holderIdentity: 'userpass-alice/ws-a-8', since: a.info.since, renewedAt: expect.any(String), expiresAt: expect.any(String), expired: false, durationSeconds: 60, runbook: 'drain-rack', run: 'r-20', reason: 'PSU swap' },
      { lease: `triptych-maintenance-site-${site}`, scope: `site/${site}`, holder: 'userpass-bob', holderIdentity: 'userpass-bob/ws-b-8', since: b.info.since, renewedAt: expect.any(String), expiresAt: expect.any(String), expired: false, durationSeconds: 60, runbook: undefined, run: undefined, reason: undefined },
    ]);
    // Seen two minutes later, without renewal both would have lapsed.
    const later = await listMaintenance(consoleB, { now: () => Date.now() + 120_000 });
    expect(activeMaintenance(later.filter((m) => mine.some((x) => x.lease === m.lease)))).toEqual([]);
    await a.release();
    await b.release();
    expect((await listMaintenance(consoleA)).filter((m) => mine.some((x) => x.lease === m.lease))).toEqual([]);
  });
});
