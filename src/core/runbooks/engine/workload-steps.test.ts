/**
 * scale, rollout-restart and patch against the training fleet, with the
 * wait that follows them; and rollout-restart taken up after a crash: the
 * journalled restartedAt is sent again, so no second rollout starts.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalFile } from './journal';
import { runbook, startHarness, type Harness } from './testing/harness';
import { journal, runToEnd } from './testing/run-helpers';

let h: Harness;
const site = 'ams';

interface Deploy {
  metadata: { generation: number };
  spec: { replicas: number; template: { metadata: { annotations?: Record<string, string>; labels: Record<string, string> } } };
}
const deployment = (ns: string, name: string): Promise<Deploy> => h.http(site).getJson<Deploy>(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('scale', () => {
  it('sets the replicas through the scale subresource, then waits for the rollout', async () => {
    const rb = runbook(
      'scale-it',
      [
        { type: 'scale', kind: 'Deployment', namespace: 'cart', workload: 'cart-api', replicas: '${replicas}' },
        { type: 'wait', for: { condition: 'workload-ready', kind: 'Deployment', namespace: 'cart', name: 'cart-api' }, timeout: 20_000 },
      ],
      { params: [{ name: 'replicas', type: 'number' }] },
    );
    const { plan, status, run } = await runToEnd(h.engine(), rb, { site, replicas: 4 });
    expect(plan.steps[0]?.notes).toEqual(['replicas 2 → 4']);
    expect(plan.steps[1]?.notes).toEqual(['up to 20 s; now: holds already']);
    expect(status.state).toBe('succeeded');
    expect((await deployment('cart', 'cart-api')).spec.replicas).toBe(4);
    expect([...h.cache.workloads(site)].find((w) => w.name === 'cart-api' && w.namespace === 'cart')).toMatchObject({ desired: 4, ready: 4 });
    expect(h.audits.filter((a) => a.runbook?.run === run && a.verb === 'scale')).toEqual([expect.objectContaining({ result: 'ok', object: { kind: 'Deployment', namespace: 'cart', name: 'cart-api' }, data: { replicas: 4 } })]);
  });

  it('a replica count that is not a whole number is a blocker', async () => {
    const plan = await h.engine().plan(runbook('scale-bad', [{ type: 'scale', kind: 'Deployment', namespace: 'cart', workload: 'cart-api', replicas: 'three' }]), { site });
    expect(plan.blockers).toEqual([expect.stringContaining("replicas must be a whole number from 0 to 10000, got 'three'")]);
  });
});

describe('rollout-restart', () => {
  it('sets restartedAt in the pod template, journalled before it is sent; a re-run after a crash sends the same value and changes nothing', async () => {
    const before = await deployment('catalog', 'product-api');
    const rb = runbook('restart-it', [
      { type: 'rollout-restart', kind: 'Deployment', namespace: 'catalog', workload: 'product-api' },
      { type: 'wait', for: { condition: 'workload-ready', kind: 'Deployment', namespace: 'catalog', name: 'product-api' }, timeout: 20_000 },
    ]);
    const { status, run } = await runToEnd(h.engine(), rb, { site });
    expect(status.state).toBe('succeeded');
    const records = journal(h.dataDir, run);
    const remembered = records.find((r) => r.type === 'step-state' && r.key === 'restartedAt');
    const at = (remembered as { value: string }).value;
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Journalled before the step ended (and, in the step, before the PATCH).
    expect(records.indexOf(remembered as never)).toBeLessThan(records.findIndex((r) => r.type === 'step-end' && r.index === 0));
    const after = await deployment('catalog', 'product-api');
    expect(after.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(at);
    expect(after.metadata.generation).toBe(before.metadata.generation + 1);

    // The journal as a crash right after the PATCH would have left it: begun, value journalled, no end.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-rb-crash-'));
    try {
      const lines = (await readFile(journalFile(h.dataDir, run), 'utf8')).split('\n');
      const upTo = lines.findIndex((l) => l.includes('"step-state"'));
      await mkdir(path.join(dir, 'runbooks'), { recursive: true });
      // …and a torn half-line after it, as a kill mid-write leaves.
      await writeFile(journalFile(dir, run), `${lines.slice(0, upTo + 1).join('\n')}\n{"type":"step-e`);
      const engine = h.engine({ dataDir: dir });
      expect(engine.recover()).toEqual([run]);
      const resumed = await engine.done(run);
      expect(resumed.state).toBe('succeeded');
      const again = await deployment('catalog', 'product-api');
      expect(again.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBe(at);
      expect(again.metadata.generation).toBe(after.metadata.generation);
      const rerun = journal(dir, run);
      expect(rerun.filter((r) => r.type === 'step-begin' && r.index === 0)).toHaveLength(2);
      expect(rerun.filter((r) => r.type === 'step-end').map((r) => (r as { state: string }).state)).toEqual(['succeeded', 'succeeded']);
      expect(h.audits.filter((a) => a.runbook?.run === run && a.verb === 'rollout-restart').map((a) => a.data?.resumed ?? false)).toEqual([false, true]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('patch', () => {
  it('applies merge, strategic and JSON patches', async () => {
    await h.admin(site).send('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'runbook-patch' }, data: { a: '0' } } });
    const rb = runbook('patch-it', [
      { type: 'patch', object: { kind: 'ConfigMap', namespace: 'default', name: 'runbook-patch' }, patchType: 'merge', patch: { data: { a: '${value}' } } },
      { type: 'patch', object: { kind: 'ConfigMap', namespace: 'default', name: 'runbook-patch' }, patchType: 'json', patch: [{ op: 'add', path: '/data/b', value: '2' }] },
      { type: 'patch', object: { kind: 'Deployment', namespace: 'cart', name: 'wishlist-api' }, patchType: 'strategic', patch: { spec: { template: { metadata: { labels: { 'triptych.io/patched': 'yes' } } } } } },
    ], { params: [{ name: 'value', type: 'string' }] });
    const { status, plan } = await runToEnd(h.engine(), rb, { site, value: 'one' });
    expect(status.state).toBe('succeeded');
    expect(plan.steps[0]?.notes).toEqual(['merge patch: {"data":{"a":"one"}}']);
    const cm = await h.http(site).getJson<{ data: Record<string, string> }>('/api/v1/namespaces/default/configmaps/runbook-patch');
    expect(cm.data).toEqual({ a: 'one', b: '2' });
    expect((await deployment('cart', 'wishlist-api')).spec.template.metadata.labels['triptych.io/patched']).toBe('yes');
  });

  it('a parameter the runbook does not have is a blocker, not an empty string', async () => {
    const plan = await h.engine().plan(runbook('patch-bad', [{ type: 'patch', object: { kind: 'ConfigMap', namespace: 'default', name: '${nope}' }, patchType: 'merge', patch: {} }]), { site });
    expect(plan.blockers).toEqual([expect.stringContaining('no value for ${nope}')]);
  });

  it('a refusal by the server fails the step and is audited as refused', async () => {
    // The operator role may not patch Services.
    const rb = runbook('patch-refused', [{ type: 'patch', object: { kind: 'Service', namespace: 'cart', name: 'cart-api' }, patchType: 'merge', patch: { metadata: { labels: { a: 'b' } } } }]);
    const { status, run } = await runToEnd(h.engine(), rb, { site });
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/forbidden|HTTP 403/i);
    expect(h.audits.find((a) => a.runbook?.run === run && a.verb === 'patch')).toMatchObject({ result: 'refused' });
  });
});
