/**
 * Runbooks, maintenance, the audit trail and the handover through the
 * contract, as the UI drives them, on a small training fleet: a node drained
 * with the shipped runbook from plan to end, every mutation audited and
 * chained, the maintenance Lease visible while it runs, then the handover
 * stored at every site.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../emulator/testing/fleet-fixture';
import { readSnapshot } from '../../shared/contract/snapshot';
import type { SiteSnapshot } from '../../shared/contract/triptych';
import type { RunStatus } from '../../shared/runbooks';
import type { CoreApp } from './index';
import { startTrainingCore } from './testing';

let core: CoreApp;
let home: string;
const runs = new Map<string, RunStatus>();

beforeAll(async () => {
  ({ core, home } = await startTrainingCore('runbooks-app', (name, payload) => {
    if (name === 'runbook.status') runs.set((payload as RunStatus).run, payload as RunStatus);
  }));
}, 120_000);
afterAll(async () => {
  await core?.close();
  await rm(home, { recursive: true, force: true });
});

/** Resolves with the run's status once `ok` holds for it (runbook.status events are the signal). */
function runReaches(run: string, ok: (s: RunStatus) => boolean, what: string): Promise<RunStatus> {
  return eventually(() => {
    const s = runs.get(run);
    if (s && (s.state === 'failed' || s.state === 'aborted') && !ok(s)) throw new Error(`run ${s.state}: ${s.error ?? JSON.stringify(s.steps.filter((x) => x.state === 'failed'))}`);
    return s && ok(s) ? s : undefined;
  }, what, 60_000);
}

describe('runbooks through the contract', () => {
  it('lists the shipped library, all loading', async () => {
    const { runbooks, issues } = await core.impl.runbooks.list();
    expect(issues).toEqual([]);
    expect(runbooks.map((r) => r.name)).toEqual(expect.arrayContaining(['drain-node', 'drain-rack', 'return-rack', 'restart-service', 'evacuate-site', 'collect-node-diagnostics', 'shift-handover']));
  });

  it('drains a node with drain-node: plan, gates, Lease, audit, end state; then the handover', async () => {
    const snap = await readSnapshot(async (t) => core.impl.sites.snapshot('fra', t) as SiteSnapshot);
    const node = snap.items.nodes.find((n) => n.ready === 'True' && !n.unschedulable && !n.roles.includes('control-plane') && snap.items.pods.some((p) => p.node === n.name && p.ownerKind === 'ReplicaSet'))!;
    expect(node).toBeDefined();
    const plan = await core.impl.runbooks.plan('drain-node', { site: 'fra', node: node.name, reason: 'PSU swap' });
    expect(plan.blockers).toEqual([]);
    const drain = plan.steps.find((s) => s.type === 'drain')!;
    // The node and the pods to evict, all at fra.
    expect(drain.touches.filter((t) => t.kind === 'Pod').length).toBeGreaterThan(0);
    expect(drain.touches.every((t) => t.site === 'fra' && (t.kind === 'Pod' || (t.kind === 'Node' && t.name === node.name)))).toBe(true);

    const started = await core.impl.runbooks.start(plan.id);
    const run = started.run;
    const gate = async (id: string): Promise<void> => {
      await runReaches(run, (s) => s.state === 'waiting-confirm' && s.steps[s.current ?? -1]?.id === id, `gate ${id}`);
      await core.impl.runbooks.confirm(run);
    };
    await gate('go');
    await gate('maintenance');
    // While it runs, every console sees the maintenance: the Lease at the site.
    const held = await core.impl.runbooks.maintenance();
    expect(held).toEqual([expect.objectContaining({ site: 'fra', scope: `node/${node.name}`, holder: 'userpass-operator', runbook: 'drain-node' })]);
    await gate('done');
    const end = await runReaches(run, (s) => s.state === 'succeeded', 'run succeeded');
    expect(end.steps.every((s) => s.state === 'succeeded')).toBe(true);
    // The Lease is gone with the run.
    expect(await core.impl.runbooks.maintenance()).toEqual([]);

    // Every mutation is in the trail, by the Vault identity, linked to the run, and the chain holds.
    const trail = await core.impl.audit.query({ site: 'fra' });
    const verbs = trail.filter((e) => e.runbook?.run === run).map((e) => `${e.verb}:${e.result}`);
    expect(verbs).toEqual(expect.arrayContaining(['cordon:ok', 'drain:ok', 'uncordon:ok']));
    expect(trail.find((e) => e.verb === 'cordon' && e.runbook?.run === run)).toMatchObject({ who: 'userpass-operator', object: { kind: 'Node', name: node.name } });
    expect(await core.impl.audit.verify()).toMatchObject({ ok: true });
    const csv = await core.impl.audit.export({ verb: 'cordon' }, 'csv');
    expect(csv.split('\n')[0]).toMatch(/seq/);
    expect(csv).toContain(node.name);

    // The handover: stored at all three sites, naming the run.
    const { report, stored } = await core.impl.handover.create({ notes: ['fan noise in rack A, check tomorrow'] });
    expect(stored.map((s) => [s.site, s.ok])).toEqual([
      ['fra', true],
      ['ams', true],
      ['dub', true],
    ]);
    expect(report.runbooks).toEqual([expect.objectContaining({ run, runbook: 'drain-node', site: 'fra', result: 'succeeded' })]);
    const md = await core.impl.handover.export(report.id, 'markdown');
    expect(md).toContain('drain-node');
    expect(md).toContain('fan noise in rack A');
    expect((await core.impl.handover.latest())?.id).toBe(report.id);
    expect((await core.impl.audit.query({ verb: 'handover' })).length).toBe(3);
  });

  it('edits a Deployment as YAML: dry run first, then applied and audited; stale or foreign YAML refused', async () => {
    const snap = await readSnapshot(async (t) => core.impl.sites.snapshot('ams', t) as SiteSnapshot);
    const w = snap.items.workloads.find((x) => x.kind === 'Deployment')!;
    const ref = { kind: 'Deployment', namespace: w.namespace, name: w.name };
    const { yaml, resourceVersion } = await core.impl.resources.yaml('ams', ref);
    expect(yaml).toContain(`name: ${w.name}`);
    expect(yaml).not.toContain('managedFields');
    const edited = yaml.replace(/^ {2}annotations:\n/m, '  annotations:\n    triptych.io/edited: "yes"\n');
    expect(edited).not.toBe(yaml);
    const dry = await core.impl.resources.apply('ams', ref, edited, { dryRun: true, resourceVersion });
    expect(dry.yaml).toContain('triptych.io/edited');
    // The dry run changed nothing.
    expect((await core.impl.resources.yaml('ams', ref)).yaml).not.toContain('triptych.io/edited');
    await core.impl.resources.apply('ams', ref, edited, { dryRun: false, resourceVersion });
    expect((await core.impl.resources.yaml('ams', ref)).yaml).toContain('triptych.io/edited');
    expect((await core.impl.audit.query({ verb: 'edit' }))[0]).toMatchObject({ site: 'ams', result: 'ok', object: ref });
    // The object changed since `resourceVersion` was read: refused, not overwritten.
    await expect(core.impl.resources.apply('ams', ref, edited, { dryRun: false, resourceVersion })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/changed by someone else since you opened it/) });
    await expect(core.impl.resources.apply('ams', ref, edited.replace(`name: ${w.name}`, 'name: another'), { dryRun: true, resourceVersion })).rejects.toMatchObject({ message: expect.stringMatching(/must keep naming Deployment/) });
    await expect(core.impl.resources.apply('ams', ref, 'kind: Deployment\nmetadata: [', { dryRun: true, resourceVersion })).rejects.toMatchObject({ message: expect.stringMatching(/^YAML line 2, column \d+/) });
  });

  it('validates and saves a runbook draft into the admin folder; a broken one is not written', async () => {
    const { text } = await core.impl.runbooks.source('collect-node-diagnostics');
    const mine = text.replace(/name: collect-node-diagnostics/, 'name: my-diagnostics');
    expect(await core.impl.runbooks.validate(mine)).toEqual([]);
    const broken = mine.replace(/collect:/, 'colect:');
    expect((await core.impl.runbooks.validate(broken))[0]?.message).toMatch(/colect/);
    expect(await core.impl.runbooks.save(broken)).toMatchObject({ file: '', issues: [expect.objectContaining({ line: expect.any(Number) })] });
    const saved = await core.impl.runbooks.save(mine);
    expect(saved.file).toBe(path.join(home, '.config', 'triptych', 'runbooks', 'my-diagnostics.yaml'));
    expect((await core.impl.runbooks.list()).runbooks.map((r) => r.name)).toContain('my-diagnostics');
  });
});
