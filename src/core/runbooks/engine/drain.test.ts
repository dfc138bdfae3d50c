/**
 * drain against the training fleet: kubectl's rules (DaemonSet and mirror
 * pods skipped, emptyDir and bare pods refused), evictions that honour a
 * PodDisruptionBudget — retried while it refuses, through once it is
 * relaxed — the timeout naming the budget, and abort stopping a drain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheReady } from './testing/reflector-mirror';
import { runbook, startHarness, workers, type Harness } from './testing/harness';
import { journal, runToEnd } from './testing/run-helpers';

let h: Harness;
let nodes: string[];
const site = 'dub';

interface PodList {
  items: { metadata: { name: string; namespace: string; ownerReferences?: { kind: string; controller?: boolean }[]; annotations?: Record<string, string> }; spec: { nodeName: string } }[];
}
const podsOn = async (node: string): Promise<PodList['items']> => (await h.http(site).getJson<PodList>('/api/v1/pods', { fieldSelector: `spec.nodeName=${node}` })).items;
const controller = (p: PodList['items'][number]): string => p.metadata.ownerReferences?.find((r) => r.controller)?.kind ?? '';

const drainRb = (o: { deleteEmptyDirData?: boolean; timeout?: number; gracePeriodSeconds?: number } = {}) =>
  runbook('drain-it', [{ type: 'drain', node: '${node}', timeout: o.timeout ?? 30_000, deleteEmptyDirData: o.deleteEmptyDirData ?? true, ...(o.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: o.gracePeriodSeconds } : {}) }], { target: 'node' });

beforeAll(async () => {
  h = await startHarness();
  nodes = await workers(h.http(site));
});
afterAll(async () => {
  await h?.close();
});

describe('drain', () => {
  it('refuses pods with emptyDir data unless allowed; skips DaemonSet pods; cordons first; evicts the rest and waits until they are gone', async () => {
    const node = nodes[0] as string;
    const engine = h.engine();
    const refused = await engine.plan(drainRb({ deleteEmptyDirData: false }), { site, node });
    expect(refused.blockers).toHaveLength(1);
    expect(refused.blockers[0]).toMatch(new RegExp(`cannot drain ${node}: \\d+ pods? would be lost — .*emptyDir data would be lost`));

    const before = await podsOn(node);
    const daemons = before.filter((p) => controller(p) === 'DaemonSet').map((p) => p.metadata.name).sort();
    expect(daemons.length).toBeGreaterThan(0);
    const { plan, status, run } = await runToEnd(engine, drainRb({ gracePeriodSeconds: 1 }), { site, node });
    expect(plan.steps[0]?.notes).toEqual(expect.arrayContaining([`${node} is cordoned first`, expect.stringMatching(/^skipped: .*\(DaemonSet /)]));
    expect(plan.steps[0]?.touches.filter((t) => t.kind === 'Pod')).toHaveLength(before.length - daemons.length);
    expect(status.state).toBe('succeeded');
    expect(status.steps[0]?.progress).toEqual({ done: before.length - daemons.length, total: before.length - daemons.length });
    // What is left is what kubectl leaves: the DaemonSet pods.
    const after = await podsOn(node);
    expect(after.map((p) => p.metadata.name).sort()).toEqual(daemons);
    const n = await h.http(site).getJson<{ spec: { unschedulable?: boolean } }>(`/api/v1/nodes/${node}`);
    expect(n.spec.unschedulable).toBe(true);
    expect(h.audits.filter((a) => a.runbook?.run === run && a.verb === 'drain')).toEqual([
      expect.objectContaining({ result: 'ok', object: { kind: 'Node', name: node }, data: { evicted: before.length - daemons.length, total: before.length - daemons.length, skipped: daemons.length, cordoned: true } }),
    ]);
    // Progress went up one step at a time as pods went.
    const progress = h.statuses.filter((s) => s.run === run).map((s) => s.steps[0]?.progress?.done).filter((d) => d !== undefined);
    expect(progress).toEqual([...progress].sort((a, b) => (a as number) - (b as number)));
  });

  it('refuses a pod nothing would recreate, before changing anything', async () => {
    const node = nodes[1] as string;
    const engine = h.engine();
    const plan = await engine.plan(drainRb(), { site, node });
    expect(plan.blockers).toEqual([]);
    // A bare pod appears between the plan and the run.
    await h.admin(site).send('POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
    const run = engine.start(plan, 'test@example');
    const status = await engine.done(run);
    expect(status.state).toBe('failed');
    expect(status.error).toContain('default/bare: no controller would recreate it');
    const n = await h.http(site).getJson<{ spec: { unschedulable?: boolean } }>(`/api/v1/nodes/${node}`);
    expect(n.spec.unschedulable).toBeUndefined();
    expect(h.audits.find((a) => a.runbook?.run === run && a.verb === 'drain')).toMatchObject({ result: 'refused' });
    const replan = await engine.plan(drainRb(), { site, node });
    expect(replan.blockers).toEqual([expect.stringContaining('default/bare: no controller')]);
    await h.admin(site).send('DELETE', '/api/v1/namespaces/default/pods/bare', { query: { gracePeriodSeconds: 0 } });
  });

  describe('with a PodDisruptionBudget that allows no disruption', () => {
    let node: string;

    beforeAll(async () => {
      const admin = h.admin(site);
      await admin.send('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rb-pdb' } } });
      await admin.send('POST', '/apis/apps/v1/namespaces/rb-pdb/deployments', {
        body: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'guarded' },
          spec: { replicas: 2, selector: { matchLabels: { app: 'guarded' } }, template: { metadata: { labels: { app: 'guarded' } }, spec: { containers: [{ name: 'app', image: 'registry.example/guarded:1.0.0' }] } } },
        },
      });
      await admin.send('POST', '/apis/policy/v1/namespaces/rb-pdb/poddisruptionbudgets', {
        body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'guarded' } } } },
      });
      await cacheReady(h.cache, () => [...h.cache.workloads(site)].some((w) => w.name === 'guarded' && w.ready === 2) && [...h.cache.pdbs(site)].some((p) => p.name === 'guarded' && p.currentHealthy === 2), 'the guarded deployment ready');
      const pod = [...h.cache.pods(site)].find((p) => p.namespace === 'rb-pdb' && p.node !== '');
      node = pod?.node as string;
      expect(nodes.slice(2)).toContain(node);
    });

    it('the plan says the drain will wait for it', async () => {
      const plan = await h.engine().plan(drainRb(), { site, node });
      expect(plan.steps[0]?.notes).toContain('PodDisruptionBudget rb-pdb/guarded allows no disruption now (2 healthy, needs 2): the drain waits for it');
    });

    it('the drain gives up at its timeout, naming the budget', async () => {
      const { status } = await runToEnd(h.engine(), drainRb({ timeout: 1_500 }), { site, node });
      expect(status.state).toBe('failed');
      expect(status.error).toMatch(/timed out after 2 s draining .*waiting for PodDisruptionBudget rb-pdb\/guarded/);
    });

    it('an abort stops a drain that waits for the budget; no eviction is sent after it', async () => {
      const engine = h.engine();
      const plan = await engine.plan(drainRb({ timeout: 60_000 }), { site, node });
      const run = engine.start(plan, 'test@example');
      await h.statusWhere((s) => s.run === run && /waiting for PodDisruptionBudget rb-pdb\/guarded/.test(s.steps[0]?.message ?? ''));
      engine.abort(run, 'test@example');
      const status = await engine.done(run);
      expect(status.state).toBe('aborted');
      expect(status.steps[0]).toMatchObject({ state: 'failed', message: expect.stringMatching(/^aborted: /) });
      const guarded = (await podsOn(node)).filter((p) => p.metadata.namespace === 'rb-pdb');
      expect(guarded.length).toBeGreaterThan(0);
      expect(journal(h.dataDir, run).map((r) => r.type)).toEqual(['run-start', 'step-begin', 'step-state', 'abort', 'step-end', 'run-end']);
    });

    it('retries while the budget refuses, and finishes once it is relaxed', async () => {
      const engine = h.engine();
      const plan = await engine.plan(drainRb({ timeout: 60_000 }), { site, node });
      const run = engine.start(plan, 'test@example');
      const blocked = await h.statusWhere((s) => s.run === run && /waiting for PodDisruptionBudget rb-pdb\/guarded/.test(s.steps[0]?.message ?? ''));
      expect(blocked.state).toBe('running');
      expect(journal(h.dataDir, run).find((r) => r.type === 'step-state')).toMatchObject({ key: 'blocked', value: { pdbs: ['rb-pdb/guarded'] } });
      await h.admin(site).send('PATCH', '/apis/policy/v1/namespaces/rb-pdb/poddisruptionbudgets/guarded', { body: { spec: { minAvailable: 1 } }, contentType: 'application/merge-patch+json' });
      const status = await engine.done(run);
      expect(status.state).toBe('succeeded');
      expect((await podsOn(node)).filter((p) => p.metadata.namespace === 'rb-pdb')).toEqual([]);
      // The budget held throughout: the replacement is up elsewhere.
      await cacheReady(h.cache, () => [...h.cache.workloads(site)].some((w) => w.name === 'guarded' && w.ready === 2), 'guarded back at 2 ready');
    });
  });
});
