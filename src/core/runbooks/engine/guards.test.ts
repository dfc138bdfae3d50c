/**
 * check guards and wait conditions against the training fleet: the
 * geo-redundancy guard refusing a drain while another site is degraded (a
 * NotReady node, a rack without power), at plan time and again at run time;
 * never two sites in maintenance; waits that follow the caches and fail with
 * what was missing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StepSpec } from '../../../shared/runbooks';
import { cacheReady } from './testing/reflector-mirror';
import { runbook, startHarness, workers, type Harness } from './testing/harness';
import { runToEnd } from './testing/run-helpers';
import type { MaintenanceEntry } from './types';

let h: Harness;
let fraNode: string;
let amsNode: string;

const nodeView = (site: string, name: string) => [...h.cache.nodes(site)].find((n) => n.name === name);
const guarded = (guard: 'geo-redundancy' | 'site-healthy' | 'no-maintenance-elsewhere', headroom?: number) =>
  runbook('guarded-drain', [
    { type: 'check', guard, ...(headroom !== undefined ? { headroom } : {}) } as StepSpec,
    { type: 'drain', node: '${node}', timeout: 30_000, deleteEmptyDirData: true },
  ], { target: 'node' });

beforeAll(async () => {
  h = await startHarness();
  fraNode = (await workers(h.http('fra')))[0] as string;
  amsNode = (await workers(h.http('ams')))[0] as string;
});
afterEach(async () => {
  await h.t.fleet.faults.apply({ fault: 'node-ready', site: 'ams', node: amsNode });
  await h.t.fleet.faults.apply({ fault: 'rack-power-restore', site: 'dub', rack: 'A-01' });
  await h.t.fleet.faults.apply({ fault: 'site-restore', site: 'ams' });
  await h.live();
  await cacheReady(h.cache, () => ['ams', 'dub'].every((s) => [...h.cache.nodes(s)].every((n) => n.ready === 'True')), 'every node Ready again');
});
afterAll(async () => {
  await h?.close();
});

describe('geo-redundancy', () => {
  it('passes with the numbers when the other sites are healthy and have room', async () => {
    const plan = await h.engine().plan(guarded('geo-redundancy'), { site: 'fra', node: fraNode });
    expect(plan.blockers).toEqual([]);
    const moving = [...h.cache.pods('fra')].filter((p) => p.node === fraNode && p.ownerKind !== 'DaemonSet').length;
    expect(plan.steps[0]?.notes[0]).toMatch(new RegExp(`^${moving} pods to move off ${fraNode} = ${moving} slots needed; free pod slots on Ready, schedulable nodes elsewhere: AMS \\d+ of \\d+, DUB \\d+ of \\d+ \\(total \\d+\\)`));
    expect(plan.steps[0]?.touches).toEqual([{ site: 'fra', kind: 'Node', name: fraNode }]);
  });

  it('refuses while a node of another site is NotReady', async () => {
    await h.t.fleet.faults.apply({ fault: 'node-not-ready', site: 'ams', node: amsNode });
    await cacheReady(h.cache, () => nodeView('ams', amsNode)?.ready === 'Unknown', 'the NotReady node in the cache');
    const plan = await h.engine().plan(guarded('geo-redundancy'), { site: 'fra', node: fraNode });
    expect(plan.blockers).toEqual([expect.stringContaining('AMS has 1 of 12 nodes not Ready (at most 0 allowed)')]);
  });

  it('refuses while a rack of another site has no power — and at run time, when it failed after the plan', async () => {
    const engine = h.engine();
    const plan = await engine.plan(guarded('geo-redundancy'), { site: 'fra', node: fraNode });
    expect(plan.blockers).toEqual([]);
    await h.t.fleet.faults.apply({ fault: 'rack-power-loss', site: 'dub', rack: 'A-01' });
    await cacheReady(h.cache, () => [...h.cache.nodes('dub')].every((n) => n.ready === 'Unknown'), 'the rack down in the cache');
    const run = engine.start(plan, 'test@example');
    const status = await engine.done(run);
    expect(status.state).toBe('failed');
    expect(status.error).toContain('DUB has 12 of 12 nodes not Ready');
    expect(status.steps.map((s) => s.state)).toEqual(['failed', 'skipped']);
    // Nothing was touched.
    expect(nodeView('fra', fraNode)?.unschedulable).toBe(false);
    expect(h.audits.filter((a) => a.runbook?.run === run).map((a) => a.verb)).toEqual(['runbook.start', 'runbook.end']);
    const replan = await engine.plan(guarded('geo-redundancy'), { site: 'fra', node: fraNode });
    expect(replan.blockers).toEqual([expect.stringContaining('DUB has 12 of 12 nodes not Ready')]);
  });

  it('refuses when another site is unreachable', async () => {
    await h.t.fleet.faults.apply({ fault: 'site-outage', site: 'ams' });
    await cacheReady(h.cache, () => h.cache.status('ams') !== 'live', 'ams not live');
    const plan = await h.engine().plan(guarded('geo-redundancy'), { site: 'fra', node: fraNode });
    expect(plan.blockers).toEqual([expect.stringMatching(/AMS is not live \((stale|unreachable)\)/)]);
    const healthy = await h.engine().plan(guarded('site-healthy'), { site: 'ams', node: amsNode });
    expect(healthy.blockers[0]).toMatch(/AMS is not live in the console/);
  });

  it('refuses when the other sites lack the room, times the headroom', async () => {
    const plan = await h.engine().plan(guarded('geo-redundancy', 1000), { site: 'fra', node: fraNode });
    expect(plan.blockers).toEqual([expect.stringMatching(/not enough spare capacity: \d+ pods to move off .* × headroom 1000 = \d+ slots needed/)]);
  });
});

describe('no-maintenance-elsewhere', () => {
  it('refuses while another site holds a maintenance Lease, or cannot say', async () => {
    const maintenanceAt = async (site: string): Promise<MaintenanceEntry[]> => {
      if (site === 'dub') throw new Error('dub cannot be reached');
      return site === 'ams' ? [{ scope: 'rack/B-02', holder: 'bob@ws-7', since: '2026-01-01T10:00:00Z' }] : [];
    };
    const plan = await h.engine({ maintenanceAt }).plan(guarded('no-maintenance-elsewhere'), { site: 'fra', node: fraNode });
    expect(plan.blockers).toEqual([expect.stringContaining('AMS: rack/B-02 under maintenance by bob@ws-7 since 2026-01-01T10:00:00Z; cannot tell whether DUB is under maintenance: dub cannot be reached')]);
    const clear = await h.engine({ maintenanceAt: async () => [] }).plan(guarded('no-maintenance-elsewhere'), { site: 'fra', node: fraNode });
    expect(clear.blockers).toEqual([]);
  });

  it("says at plan time that the runbook's own scope is held — by another console or an earlier run of this one", async () => {
    const leased = runbook('leased-drain', [{ type: 'drain', node: '${node}', timeout: 30_000, deleteEmptyDirData: true }], { lease: { scope: 'node/${node}', duration: 60_000 }, target: 'node' });
    const acquireLease = async () => ({ release: async () => undefined });
    const held = async (site: string): Promise<MaintenanceEntry[]> => (site === 'fra' ? [{ scope: `node/${fraNode}`, holder: 'alice', since: '2026-01-01T10:00:00Z', runbook: 'drain-node' }] : []);
    const plan = await h.engine({ acquireLease, maintenanceAt: held }).plan(leased, { site: 'fra', node: fraNode });
    expect(plan.blockers).toEqual([`node/${fraNode} at FRA is under maintenance by alice since 2026-01-01T10:00:00Z (runbook drain-node): finish or abort that run first (Runs in the top bar), or wait for it to end`]);
    const other = async (): Promise<MaintenanceEntry[]> => [{ scope: 'node/some-other-node', holder: 'alice', since: '2026-01-01T10:00:00Z' }];
    expect((await h.engine({ acquireLease, maintenanceAt: other }).plan(leased, { site: 'fra', node: fraNode })).blockers).toEqual([]);
  });

  it('takes a node another site cordoned through Triptych as a maintenance', async () => {
    const engine = h.engine({ maintenanceAt: async () => [] });
    await runToEnd(engine, runbook('cordon-ams', [{ type: 'cordon', node: amsNode, reason: 'PSU swap' }]), { site: 'ams' });
    await cacheReady(h.cache, () => nodeView('ams', amsNode)?.cordon?.by === 'test@example', 'the cordon in the cache');
    const plan = await engine.plan(guarded('no-maintenance-elsewhere'), { site: 'fra', node: fraNode });
    expect(plan.blockers).toEqual([expect.stringContaining(`AMS: 1 node cordoned through Triptych (${amsNode} by test@example: PSU swap)`)]);
    await runToEnd(engine, runbook('uncordon-ams', [{ type: 'uncordon', node: amsNode }]), { site: 'ams' });
  });
});

describe('wait', () => {
  it('node-ready follows the cache: it passes when the kubelet reports again', async () => {
    await h.t.fleet.faults.apply({ fault: 'node-not-ready', site: 'ams', node: amsNode });
    await cacheReady(h.cache, () => nodeView('ams', amsNode)?.ready === 'Unknown', 'the NotReady node in the cache');
    const engine = h.engine();
    const plan = await engine.plan(runbook('wait-ready', [{ type: 'wait', for: { condition: 'node-ready', node: amsNode }, timeout: 20_000 }]), { site: 'ams' });
    expect(plan.steps[0]?.notes).toEqual([`up to 20 s; now: ${amsNode} is Unknown (kubelet not reporting)`]);
    const run = engine.start(plan, 'test@example');
    await h.statusWhere((s) => s.run === run && s.steps[0]?.message === `${amsNode} is Unknown (kubelet not reporting)`);
    await h.t.fleet.faults.apply({ fault: 'node-ready', site: 'ams', node: amsNode });
    expect((await engine.done(run)).state).toBe('succeeded');
  });

  it('node-empty times out with the pods still there', async () => {
    const { status } = await runToEnd(h.engine(), runbook('wait-empty', [{ type: 'wait', for: { condition: 'node-empty', node: amsNode }, timeout: 300 }]), { site: 'ams' });
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(new RegExp(`timed out after 0 s waiting until ${amsNode} holds no evictable pods: ${amsNode} still holds \\d+ evictable pods: `));
  });

  it('pods-ready reads the pods a selector names from the API', async () => {
    const { status } = await runToEnd(h.engine(), runbook('wait-pods', [{ type: 'wait', for: { condition: 'pods-ready', namespace: 'cart', selector: 'app.kubernetes.io/name=cart-api' }, timeout: 10_000 }]), { site: 'ams' });
    expect(status.state).toBe('succeeded');
    const none = await runToEnd(h.engine(), runbook('wait-none', [{ type: 'wait', for: { condition: 'pods-ready', namespace: 'cart', selector: 'app=nothing' }, timeout: 100 }]), { site: 'ams' });
    expect(none.status.error).toContain('no pod in cart matches app=nothing');
  });

  it('workload-ready waits for kinds the caches hold only', async () => {
    const plan = await h.engine().plan(runbook('wait-rs', [{ type: 'wait', for: { condition: 'workload-ready', kind: 'ReplicaSet', namespace: 'cart', name: 'x' }, timeout: 100 }]), { site: 'ams' });
    expect(plan.blockers).toEqual([expect.stringContaining('workload-ready can wait for Deployment, StatefulSet, DaemonSet, not ReplicaSet')]);
  });
});
