/**
 * Training through the contract, as the trainer panel and the trainee view
 * drive it, on a small training fleet: a scenario started, its goals ticked
 * by the fleet as the trainee works through the shipped drain-node runbook,
 * a step forced with "next step now", a fault injected, and the debrief with
 * the runbook's actions from the audit trail. Outside training mode every
 * call is refused with a sentence saying why.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../emulator/testing/fleet-fixture';
import { EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { RunStatus } from '../../shared/runbooks';
import type { TrainingStatus } from '../../shared/training';
import { AuditLog } from '../audit';
import type { CoreApp } from './index';
import { startTrainingCore } from './testing';
import { TrainingService } from './training-service';

let core: CoreApp;
let home: string;
const runs = new Map<string, RunStatus>();
const statuses: TrainingStatus[] = [];

beforeAll(async () => {
  ({ core, home } = await startTrainingCore('training-app', (name, payload) => {
    if (name === 'runbook.status') runs.set((payload as RunStatus).run, payload as RunStatus);
    if (name === 'training.status') statuses.push(payload as TrainingStatus);
  }));
}, 120_000);
afterAll(async () => {
  await core?.close();
  await rm(home, { recursive: true, force: true });
});

function runReaches(run: string, ok: (s: RunStatus) => boolean, what: string): Promise<RunStatus> {
  return eventually(() => {
    const s = runs.get(run);
    if (s && (s.state === 'failed' || s.state === 'aborted')) throw new Error(`run ${s.state}: ${s.error ?? ''}`);
    return s && ok(s) ? s : undefined;
  }, what, 60_000);
}

/** A request straight to the fleet's control endpoint, as a script would send it; its HTTP status. */
function control(method: string, p: string): Promise<number> {
  const c = core.training!;
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(p, c.controlUrl), { method, ca: c.caCert, headers: { authorization: `Bearer ${c.controlToken}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The newest training.status event once `ok` holds for its run: the trainee view's signal. */
const statusReaches = (ok: (s: TrainingStatus) => boolean, what: string): Promise<TrainingStatus> => eventually(() => statuses.findLast(ok), what, 30_000);
const goalMet = (id: string) => (s: TrainingStatus): boolean => s.run?.goals.find((g) => g.id === id)?.met === true;

describe('training through the contract', () => {
  it('lists the shipped scenarios with briefings and goals, and the fault catalogue with params', async () => {
    expect(await core.impl.training.status()).toEqual({ available: true, run: null });
    const { scenarios, faults } = await core.impl.training.catalogue();
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['rack-power-loss', 'bad-rollout', 'site-api-outage', 'node-disk-pressure', 'vault-sealed']));
    expect(scenarios.find((s) => s.name === 'rack-power-loss')).toMatchObject({ title: 'Rack power loss', steps: 2, goals: [{ id: 'rack-cordoned' }, { id: 'rack-returned' }] });
    expect(faults.find((f) => f.name === 'rack-power-loss')?.params).toEqual(['site', 'rack']);
  });

  it('node-disk-pressure: goals tick as drain-node runs, "next step now" clears the pressure, the debrief lists the runbook', async () => {
    const started = await core.impl.training.start('node-disk-pressure');
    const run = started.run!;
    expect(run).toMatchObject({ name: 'node-disk-pressure', target: { site: expect.any(String), node: expect.any(String) } });
    const { site, node } = run.target as { site: string; node: string };
    expect(run.goals[0]?.text).toContain(`Node ${node} at ${site}`);
    await statusReaches((s) => s.run?.steps[0]?.applied?.ok === true, 'disk pressure applied');

    const plan = await core.impl.runbooks.plan('drain-node', { site, node, reason: 'disk full' });
    expect(plan.blockers).toEqual([]);
    const rb = (await core.impl.runbooks.start(plan.id)).run;
    await runReaches(rb, (s) => s.state === 'waiting-confirm' && s.steps[s.current ?? -1]?.id === 'go', 'gate go');
    await core.impl.runbooks.confirm(rb);
    await runReaches(rb, (s) => s.state === 'waiting-confirm' && s.steps[s.current ?? -1]?.id === 'maintenance', 'gate maintenance');
    const drained = await statusReaches(goalMet('node-drained'), 'node-drained met');
    expect(drained.run?.goals.find((g) => g.id === 'node-returned')).toMatchObject({ met: false, detail: 'counts once node-disk-pressure-clear has played' });

    const advanced = await core.impl.training.advance();
    expect(advanced.run?.steps[1]?.applied).toMatchObject({ ok: true, result: `node-disk-pressure-clear: ${node} at ${site}` });
    await core.impl.runbooks.confirm(rb);
    await runReaches(rb, (s) => s.state === 'waiting-confirm' && s.steps[s.current ?? -1]?.id === 'done', 'gate done');
    await core.impl.runbooks.confirm(rb);
    await runReaches(rb, (s) => s.state === 'succeeded', 'drain-node succeeded');
    await statusReaches(goalMet('node-returned'), 'node-returned met');

    await expect(core.impl.training.inject({ fault: 'node-not-ready', site })).rejects.toMatchObject({ code: 'bad-request', message: 'the training fleet refused: this fault needs a node' });
    expect(await core.impl.training.inject({ fault: 'watch-expiry-storm', site })).toMatchObject({ result: expect.stringMatching(/^watch-expiry-storm: \d+ watches at/) as unknown });

    const debrief = await core.impl.training.stop();
    expect(debrief).toMatchObject({ name: 'node-disk-pressure', durationMs: debrief.endedAt - debrief.startedAt });
    expect(debrief.goals.map((g) => [g.id, g.met, typeof g.afterMs])).toEqual([
      ['node-drained', true, 'number'],
      ['node-returned', true, 'number'],
    ]);
    expect(debrief.goals[0]!.afterMs!).toBeLessThanOrEqual(debrief.goals[1]!.afterMs!);
    expect(debrief.steps.map((s) => s.applied?.ok)).toEqual([true, true]);
    const verbs = debrief.actions.map((a) => `${a.verb}${a.runbook ? `@${a.runbook.name}` : ''}`);
    expect(verbs).toEqual(expect.arrayContaining(['training.start', 'cordon@drain-node', 'drain@drain-node', 'uncordon@drain-node', 'training.advance', 'training.inject', 'training.stop']));
    expect(verbs.indexOf('training.start')).toBeLessThan(verbs.indexOf('cordon@drain-node'));
    expect(debrief.actions.find((a) => a.verb === 'cordon')).toMatchObject({ who: 'userpass-operator', site, object: { kind: 'Node', name: node } });
    expect(await core.impl.training.debrief()).toEqual(debrief);
    // Ended runs stay for the debrief; no more steps can be forced.
    expect((await core.impl.training.status()).run?.endedAt).toBe(debrief.endedAt);
    await expect(core.impl.training.advance()).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/has ended; start it again/) as unknown });
  }, 120_000);

  it('writes the debrief of a run ended outside the console (a script on the control endpoint)', async () => {
    const run = (await core.impl.training.start('node-disk-pressure')).run!;
    const { site, node } = run.target as { site: string; node: string };
    await statusReaches((s) => s.run?.startedAt === run.startedAt && s.run.steps[0]?.applied?.ok === true, 'disk pressure applied');
    expect(await control('DELETE', '/v1/scenarios')).toBe(200);
    const ended = await statusReaches((s) => s.run?.startedAt === run.startedAt && s.run.endedAt !== undefined, 'the end seen by the console');
    const d = await core.impl.training.debrief();
    expect(d).toMatchObject({ name: 'node-disk-pressure', startedAt: run.startedAt, endedAt: ended.run?.endedAt });
    expect(d?.actions.map((a) => a.verb)).toContain('training.start');
    // Kept on disk (0600): a console started later still has the last debrief to go through.
    const files = (await readdir(path.join(home, 'data', 'training'))).filter((f) => f.startsWith(`debrief-${run.startedAt}-`));
    expect(files).toHaveLength(1);
    expect((await stat(path.join(home, 'data', 'training', files[0]!))).mode & 0o777).toBe(0o600);
    const later = new TrainingService({ bus: new EventBus<TriptychEvents>(), audit: new AuditLog(path.join(home, 'other-trail.jsonl')), who: () => 'bob', dataDir: path.join(home, 'data') });
    expect(later.debrief()).toEqual(d);
    await later.close();
    await core.impl.training.inject({ fault: 'node-disk-pressure-clear', site, node });
  }, 60_000);

  it('names an unknown scenario with the shipped ones', async () => {
    await expect(core.impl.training.start('meteor-strike')).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/unknown scenario "meteor-strike"; shipped scenarios: bad-rollout, node-disk-pressure/) as unknown });
  });
});

describe('training outside training mode', () => {
  it('status says unavailable; every other call is a bad-request saying why', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-training-off-'));
    try {
      const t = new TrainingService({ bus: new EventBus<TriptychEvents>(), audit: new AuditLog(path.join(dir, 'trail.jsonl')), who: () => 'alice' });
      expect(t.status()).toEqual({ available: false, run: null });
      for (const call of [() => t.catalogue(), () => t.start('rack-power-loss'), () => t.advance(), () => t.inject({ fault: 'vault-seal' }), () => t.stop()]) {
        await expect(call()).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/^training is only available on the training fleet/) as unknown });
      }
      expect(t.debrief()).toBeNull();
      await t.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
