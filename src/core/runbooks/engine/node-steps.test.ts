/**
 * cordon, uncordon, label and annotate against the training fleet, through
 * the engine: the node's state as the API and the console's view show it,
 * idempotence, and the audit records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORDON_AT, CORDON_BY, CORDON_REASON } from './steps/cordon';
import { cacheReady } from './testing/reflector-mirror';
import { runbook, startHarness, workers, type Harness } from './testing/harness';
import { runToEnd } from './testing/run-helpers';

let h: Harness;
let node: string;
const site = 'fra';

interface NodeObj {
  spec: { unschedulable?: boolean };
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
}
const getNode = (): Promise<NodeObj> => h.http(site).getJson<NodeObj>(`/api/v1/nodes/${node}`);

beforeAll(async () => {
  h = await startHarness();
  node = (await workers(h.http(site)))[0] as string;
});
afterAll(async () => {
  await h?.close();
});

describe('cordon and uncordon', () => {
  it('cordons with who, why and when in the annotations the console reads, and uncordons them away', async () => {
    const engine = h.engine();
    const rb = runbook('cordon-it', [{ type: 'cordon', node: '${node}', reason: '${reason}' }], { target: 'node', params: [{ name: 'reason', type: 'string', default: 'disk swap' }] });
    const { plan, status, run } = await runToEnd(engine, rb, { site, node });
    expect(plan.steps[0]).toMatchObject({ type: 'cordon', site, mutates: true, touches: [{ site, kind: 'Node', name: node }], title: `Cordon ${node}` });
    expect(status.state).toBe('succeeded');
    const n = await getNode();
    expect(n.spec.unschedulable).toBe(true);
    expect(n.metadata.annotations[CORDON_BY]).toBe('test@example');
    expect(n.metadata.annotations[CORDON_REASON]).toBe('disk swap');
    expect(Date.parse(n.metadata.annotations[CORDON_AT] as string)).toBeGreaterThan(0);
    // The console's view (projections.ts) reads the same keys.
    await cacheReady(h.cache, () => [...h.cache.nodes(site)].find((v) => v.name === node)?.cordon !== undefined, 'the cordon in the cache');
    expect([...h.cache.nodes(site)].find((v) => v.name === node)?.cordon).toEqual({ by: 'test@example', reason: 'disk swap', at: n.metadata.annotations[CORDON_AT] });
    expect(h.audits.filter((a) => a.runbook?.run === run && a.verb === 'cordon')).toEqual([
      expect.objectContaining({ who: 'test@example', site, object: { kind: 'Node', name: node }, result: 'ok', runbook: { run, name: 'cordon-it', step: '0-cordon' } }),
    ]);

    // Again: nothing changes, the first cordon's who and why stay.
    const again = await runToEnd(engine, runbook('cordon-again', [{ type: 'cordon', node, reason: 'other' }]), { site });
    expect(again.plan.steps[0]?.notes[0]).toContain('already cordoned (by test@example: disk swap)');
    expect(again.status.steps[0]?.message).toContain('already cordoned');
    expect((await getNode()).metadata.annotations[CORDON_REASON]).toBe('disk swap');

    const un = await runToEnd(engine, runbook('uncordon-it', [{ type: 'uncordon', node }]), { site });
    expect(un.status.state).toBe('succeeded');
    const after = await getNode();
    expect(after.spec.unschedulable).toBeUndefined();
    expect(Object.keys(after.metadata.annotations).filter((k) => k.startsWith('triptych.io/cordon'))).toEqual([]);
    const twice = await runToEnd(engine, runbook('uncordon-again', [{ type: 'uncordon', node }]), { site });
    expect(twice.status.steps[0]?.message).toBe(`${node} was not cordoned`);
  });
});

describe('label and annotate', () => {
  it('sets and removes labels and annotations by merge patch', async () => {
    const engine = h.engine();
    const set = await runToEnd(
      engine,
      runbook('label-it', [
        { type: 'label', object: { kind: 'Node', name: node }, set: { 'triptych.io/maintenance': 'psu' } },
        { type: 'annotate', object: { kind: 'Node', name: node }, set: { 'triptych.io/ticket': 'OPS-1' } },
      ]),
      { site },
    );
    expect(set.status.state).toBe('succeeded');
    let n = await getNode();
    expect(n.metadata.labels['triptych.io/maintenance']).toBe('psu');
    expect(n.metadata.annotations['triptych.io/ticket']).toBe('OPS-1');
    const unset = await runToEnd(
      engine,
      runbook('unlabel-it', [
        { type: 'label', object: { kind: 'Node', name: node }, set: { 'triptych.io/maintenance': null } },
        { type: 'annotate', object: { kind: 'Node', name: node }, set: { 'triptych.io/ticket': null } },
      ]),
      { site },
    );
    expect(unset.plan.steps.map((s) => s.notes)).toEqual([['remove triptych.io/maintenance'], ['remove triptych.io/ticket']]);
    n = await getNode();
    expect(n.metadata.labels['triptych.io/maintenance']).toBeUndefined();
    expect(n.metadata.annotations['triptych.io/ticket']).toBeUndefined();
    expect(h.audits.filter((a) => a.runbook?.run === unset.run && (a.verb === 'label' || a.verb === 'annotate')).map((a) => [a.verb, a.result])).toEqual([
      ['label', 'ok'],
      ['annotate', 'ok'],
    ]);
  });

  it('an unknown kind or a missing object is a blocker in the plan', async () => {
    const engine = h.engine();
    const plan = await engine.plan(
      runbook('bad-objects', [
        { type: 'label', object: { kind: 'Frobnicator', name: 'x' }, set: { a: 'b' } },
        { type: 'annotate', object: { kind: 'Node', name: 'no-such-node' }, set: { a: 'b' } },
        { type: 'label', object: { kind: 'ConfigMap', name: 'x' }, set: { a: 'b' } },
      ]),
      { site },
    );
    expect(plan.blockers).toEqual([
      expect.stringContaining('unknown kind Frobnicator'),
      expect.stringContaining('Node no-such-node does not exist at FRA'),
      expect.stringContaining('ConfigMap x needs a namespace'),
    ]);
    expect(() => engine.start(plan, 'test')).toThrow(/blockers/);
  });
});
