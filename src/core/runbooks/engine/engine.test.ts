/**
 * The engine against the training fleet: the confirm and note gates, pause,
 * resume and abort, the Lease around the mutating steps, steps repeated per
 * site and per node of a rack, collect and report, and the journal each run
 * leaves.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../shared/runbooks';
import { journalFile } from './journal';
import { runbook, startHarness, workers, type Harness } from './testing/harness';
import { journal, runToEnd } from './testing/run-helpers';
import type { RunbookStep } from '../../../shared/runbooks';
import type { LeaseRequest } from './types';

let h: Harness;
let nodes: string[];
const site = 'fra';

const unschedulable = async (node: string): Promise<boolean> => (await h.http(site).getJson<{ spec: { unschedulable?: boolean } }>(`/api/v1/nodes/${node}`)).spec.unschedulable === true;
const waitingAt = (run: string, index: number) => (s: RunStatus) => s.run === run && s.state === 'waiting-confirm' && s.current === index;

beforeAll(async () => {
  h = await startHarness();
  nodes = await workers(h.http(site));
});
afterAll(async () => {
  await h?.close();
});

describe('gates', () => {
  it('a confirm holds the run in waiting-confirm until confirmed; a note is the same gate with its text', async () => {
    const engine = h.engine();
    const node = nodes[0] as string;
    const rb = runbook('gated', [
      { type: 'confirm', message: 'Cordon ${node} at ${site}?' },
      { type: 'cordon', node: '${node}' },
      { type: 'note', text: 'Swap the PSU of ${node}' },
      { type: 'uncordon', node: '${node}' },
    ], { target: 'node' });
    const plan = await engine.plan(rb, { site, node });
    expect(plan.steps.map((s) => [s.type, s.site, s.mutates])).toEqual([
      ['confirm', site, false],
      ['cordon', site, true],
      ['note', site, false],
      ['uncordon', site, true],
    ]);
    expect(plan.steps[0]?.notes).toEqual([`waits for your confirmation at FRA: “Cordon ${node} at fra?”`]);
    expect(plan.steps[2]?.title).toBe(`Do by hand: Swap the PSU of ${node}`);
    const run = engine.start(plan, 'alice');
    const first = await h.statusWhere(waitingAt(run, 0));
    expect(first.steps[0]?.message).toBe(`Cordon ${node} at fra?`);
    expect(await unschedulable(node)).toBe(false);
    expect(() => engine.pause(run, 'alice')).not.toThrow();
    engine.resume(run, 'alice');
    engine.confirm(run, 'alice');
    const second = await h.statusWhere(waitingAt(run, 2));
    expect(second.steps[2]?.message).toBe(`Swap the PSU of ${node}`);
    expect(await unschedulable(node)).toBe(true);
    expect(() => engine.confirm('no-such-run', 'alice')).toThrow(/no run/);
    engine.confirm(run, 'bob');
    const status = await engine.done(run);
    expect(status.state).toBe('succeeded');
    expect(await unschedulable(node)).toBe(false);
    expect(() => engine.confirm(run, 'alice')).toThrow(/not waiting/);
    expect(journal(h.dataDir, run).map((r) => r.type + ('index' in r ? `:${r.index}` : ''))).toEqual([
      'run-start', 'step-begin:0', 'pause', 'resume', 'confirm:0', 'step-end:0', 'step-begin:1', 'step-end:1', 'step-begin:2', 'confirm:2', 'step-end:2', 'step-begin:3', 'step-end:3', 'run-end',
    ]);
  });

  it('an abort at a gate ends the run at once', async () => {
    const engine = h.engine();
    const plan = await engine.plan(runbook('gated-abort', [{ type: 'confirm', message: 'go?' }, { type: 'cordon', node: nodes[0] as string }]), { site });
    const run = engine.start(plan, 'alice');
    await h.statusWhere(waitingAt(run, 0));
    engine.abort(run, 'alice');
    const status = await engine.done(run);
    expect(status).toMatchObject({ state: 'aborted', error: 'aborted by alice' });
    expect(status.steps.map((s) => s.state)).toEqual(['failed', 'skipped']);
    expect(await unschedulable(nodes[0] as string)).toBe(false);
  });
});

describe('pause, resume, abort', () => {
  it('pauses between steps, resumes, and an abort while paused ends the run before the next step', async () => {
    const engine = h.engine();
    const [a, b, c] = nodes.slice(1, 4) as [string, string, string];
    const rb = runbook('pausable', [{ type: 'confirm', message: 'start' }, { type: 'cordon', node: a }, { type: 'cordon', node: b }, { type: 'cordon', node: c }]);
    const run = engine.start(await engine.plan(rb, { site }), 'alice');
    await h.statusWhere(waitingAt(run, 0));
    // Asked for during a step: takes effect when it ends.
    engine.pause(run, 'alice');
    engine.confirm(run, 'alice');
    const paused = await h.statusWhere((s) => s.run === run && s.state === 'paused');
    expect(paused.steps.map((s) => s.state)).toEqual(['succeeded', 'pending', 'pending', 'pending']);
    engine.resume(run, 'alice');
    // Paused again after the first cordon.
    const again = await h.statusWhere((s) => s.run === run && s.steps[1]?.state === 'running');
    expect(again.state).toBe('running');
    engine.pause(run, 'alice');
    await h.statusWhere((s) => s.run === run && s.state === 'paused');
    expect(await unschedulable(a)).toBe(true);
    engine.abort(run, 'bob');
    const status = await engine.done(run);
    expect(status.state).toBe('aborted');
    expect(status.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'skipped', 'skipped']);
    expect(await unschedulable(b)).toBe(false);
    expect(journal(h.dataDir, run).filter((r) => ['pause', 'resume', 'abort', 'run-end'].includes(r.type)).map((r) => r.type)).toEqual(['pause', 'resume', 'pause', 'abort', 'run-end']);
    expect(h.audits.filter((x) => x.runbook?.run === run).map((x) => `${x.verb}:${x.result}`)).toEqual(['runbook.start:ok', 'cordon:ok', 'runbook.end:failed']);
    await runToEnd(engine, runbook('undo', [{ type: 'uncordon', node: a }]), { site });
  });

  it('a run paused before a restart is taken up paused', async () => {
    const engine = h.engine();
    const run = engine.start(await engine.plan(runbook('paused-restart', [{ type: 'confirm', message: 'x' }, { type: 'note', text: 'y' }]), { site }), 'alice');
    await h.statusWhere(waitingAt(run, 0));
    engine.pause(run, 'alice');
    engine.confirm(run, 'alice');
    await h.statusWhere((s) => s.run === run && s.state === 'paused');
    // The journal as a crash now would leave it, in the data directory of the next start.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-rb-paused-'));
    await mkdir(path.join(dir, 'runbooks'));
    await copyFile(journalFile(h.dataDir, run), journalFile(dir, run));
    const next = h.engine({ dataDir: dir });
    expect(next.recover()).toEqual([run]);
    expect(next.status(run)?.state).toBe('paused');
    next.resume(run, 'alice');
    await h.statusWhere(waitingAt(run, 1));
    next.confirm(run, 'alice');
    expect((await next.done(run)).state).toBe('succeeded');
    expect(journal(dir, run).filter((r) => r.type !== 'step-state').map((r) => r.type)).toEqual(['run-start', 'step-begin', 'pause', 'confirm', 'step-end', 'resume', 'step-begin', 'confirm', 'step-end', 'run-end']);
    engine.abort(run, 'test cleanup');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('lease', () => {
  const leaseRb = (node: string) =>
    runbook('leased', [{ type: 'check', guard: 'site-healthy' }, { type: 'cordon', node }, { type: 'uncordon', node }], { lease: { scope: 'node/${node}', duration: 3_600_000 }, target: 'node' });

  it('is taken before the first mutating step and released at the end', async () => {
    const events: string[] = [];
    const node = nodes[4] as string;
    const engine = h.engine({
      acquireLease: async (r: LeaseRequest) => {
        events.push(`acquire ${r.site} ${r.scope} ${r.holder} ${r.runbook} ${r.durationMs}`);
        return { release: async () => void events.push('release') };
      },
      audit: (r) => void events.push(`audit ${r.verb}`),
    });
    const { status, plan } = await runToEnd(engine, leaseRb(node), { site, node });
    expect(plan.lease).toEqual({ site, scope: `node/${node}`, durationMs: 3_600_000 });
    expect(status.state).toBe('succeeded');
    expect(events).toEqual(['audit runbook.start', `acquire fra node/${node} test@example leased 3600000`, 'audit cordon', 'audit uncordon', 'release', 'audit runbook.end']);
  });

  it("a refusal fails the run before anything changed, in the refusal's words", async () => {
    const node = nodes[4] as string;
    const engine = h.engine({
      acquireLease: async () => {
        throw new Error(`node/${node} is under maintenance by bob@ws-7 since 10:02`);
      },
    });
    const { status, run } = await runToEnd(engine, leaseRb(node), { site, node });
    expect(status.state).toBe('failed');
    expect(status.error).toBe(`the Lease node/${node} at FRA was refused: node/${node} is under maintenance by bob@ws-7 since 10:02`);
    expect(status.steps.map((s) => s.state)).toEqual(['succeeded', 'skipped', 'skipped']);
    expect(await unschedulable(node)).toBe(false);
    expect(h.audits.filter((a) => a.runbook?.run === run).map((a) => a.verb)).toEqual(['runbook.start', 'runbook.end']);
  });

  it('is released when the run fails or is aborted', async () => {
    let released = 0;
    const engine = h.engine({ acquireLease: async () => ({ release: async () => void released++ }) });
    const lease = { scope: 'site', duration: 60_000 };
    const cm = { kind: 'ConfigMap', namespace: 'default', name: 'rb-lease' };
    await h.admin(site).send('POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rb-lease' } } });
    // Fails: the object goes away between the plan and the run.
    const failing = await engine.plan(runbook('leased-fail', [{ type: 'label', object: cm, set: { a: 'b' } }], { lease }), { site });
    await h.admin(site).send('DELETE', '/api/v1/namespaces/default/configmaps/rb-lease');
    const failed = await engine.done(engine.start(failing, 'alice'));
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/not found/);
    expect(released).toBe(1);
    // Aborted at a gate after a mutating step.
    const gated = await engine.plan(runbook('leased-abort', [{ type: 'label', object: { ...cm, name: 'kube-root-ca.crt' }, set: { a: 'b' } }, { type: 'confirm', message: 'x' }], { lease }), { site });
    const run = engine.start(gated, 'alice');
    await h.statusWhere(waitingAt(run, 1));
    engine.abort(run, 'alice');
    expect((await engine.done(run)).state).toBe('aborted');
    expect(released).toBe(2);
  });

  it('quitting mid-run (shutdown) leaves it as a crash would: no run-end, the Lease kept; the next start takes it up', async () => {
    const events: string[] = [];
    const node = nodes[5] as string;
    const acquireLease = async (r: LeaseRequest) => {
      events.push(`acquire ${r.run}`);
      return { release: async () => void events.push('release'), abandon: () => void events.push('abandon') };
    };
    const rb = runbook('quit-mid-run', [{ type: 'cordon', node }, { type: 'confirm', message: 'done?' }, { type: 'uncordon', node }], { lease: { scope: 'node/${node}', duration: 60_000 }, target: 'node' });
    const engine = h.engine({ acquireLease });
    const run = engine.start(await engine.plan(rb, { site, node }), 'alice');
    await h.statusWhere(waitingAt(run, 1));
    await engine.shutdown();
    expect(events).toEqual([`acquire ${run}`, 'abandon']);
    const types = journal(h.dataDir, run).map((r) => r.type);
    expect(types).not.toContain('run-end');
    expect(types.filter((t) => t === 'step-end')).toHaveLength(1);
    expect(await unschedulable(node)).toBe(true);
    // The next start: the gate again, the Lease taken back by the same run, and the run ends.
    const next = h.engine({ acquireLease });
    expect(next.recover()).toContain(run);
    await h.statusWhere(waitingAt(run, 1));
    next.confirm(run, 'alice');
    expect((await next.done(run)).state).toBe('succeeded');
    expect(events).toEqual([`acquire ${run}`, 'abandon', `acquire ${run}`, 'release']);
    expect(await unschedulable(node)).toBe(false);
    expect(h.audits.filter((a) => a.runbook?.run === run && a.verb === 'cordon')).toHaveLength(1);
  });

  it('a damaged journal is reported and skipped; the other unfinished runs are still taken up', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-rb-damaged-'));
    await mkdir(path.join(dir, 'runbooks'));
    const engine = h.engine({ dataDir: dir });
    const run = engine.start(await engine.plan(runbook('survivor', [{ type: 'confirm', message: 'x' }]), { site }), 'alice');
    await h.statusWhere(waitingAt(run, 0));
    await engine.shutdown();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'runbooks', '00000000T000000Z-broken-000000.jsonl'), '{"type":"run-start"\nnot json\n{"type":"step-begin"}\n');
    const problems: string[] = [];
    const next = h.engine({ dataDir: dir });
    expect(next.recover((file) => problems.push(path.basename(file)))).toEqual([run]);
    expect(problems).toEqual(['00000000T000000Z-broken-000000.jsonl']);
    next.abort(run, 'test cleanup');
    await next.done(run);
    await rm(dir, { recursive: true, force: true });
  });

  it('without coordination, a runbook that holds a Lease cannot start', async () => {
    const plan = await h.engine().plan(runbook('leased-nowhere', [{ type: 'note', text: 'x' }], { lease: { scope: 'site', duration: 60_000 } }), { site });
    expect(plan.blockers).toEqual(['the runbook holds a Lease at its site, and this console has no coordination to take it with']);
  });
});

describe('steps per site and per node', () => {
  it('forEachSite runs a loop of steps at every site (or the others), one site after the other, in site order', async () => {
    const engine = h.engine();
    const cm = { kind: 'ConfigMap', namespace: 'default', name: 'kube-root-ca.crt' };
    const rb = runbook('each-site', [
      { id: 'mark', forEachSite: 'all', spec: { type: 'label', object: cm, set: { 'triptych.io/seen-by': '${site}' } } },
      { id: 'look', forEachSite: 'all', spec: { type: 'check', guard: 'site-healthy' } },
      { id: 'others', forEachSite: 'others', spec: { type: 'annotate', object: cm, set: { 'triptych.io/other-than': 'ams' } } },
    ]);
    const { plan, status } = await runToEnd(engine, rb, { site: 'ams' });
    expect(plan.steps.map((s) => `${s.id}:${s.site}`)).toEqual(['mark@fra:fra', 'look@fra:fra', 'mark@ams:ams', 'look@ams:ams', 'mark@dub:dub', 'look@dub:dub', 'others@fra:fra', 'others@dub:dub']);
    expect(plan.steps[0]?.title).toBe('Label ConfigMap default/kube-root-ca.crt (FRA)');
    expect(status.state).toBe('succeeded');
    for (const s of h.sites) {
      const got = await h.http(s).getJson<{ metadata: { labels: Record<string, string>; annotations?: Record<string, string> } }>('/api/v1/namespaces/default/configmaps/kube-root-ca.crt');
      expect(got.metadata.labels['triptych.io/seen-by']).toBe(s);
      expect(got.metadata.annotations?.['triptych.io/other-than']).toBe(s === 'ams' ? undefined : 'ams');
    }
  });

  it('forEachNode repeats a loop of steps node after node over the rack', async () => {
    const engine = h.engine();
    const step = (id: string, spec: RunbookStep['spec']): Partial<RunbookStep> & { spec: RunbookStep['spec'] } => ({ id, forEachNode: 'rack', spec });
    const rb = runbook(
      'rack-walk',
      [
        { type: 'check', guard: 'site-healthy' },
        step('mark', { type: 'annotate', object: { kind: 'Node', name: '${node}' }, set: { 'triptych.io/walked': '${rack}' } }),
        step('look', { type: 'wait', for: { condition: 'node-ready', node: '${node}' }, timeout: 5_000 }),
        { type: 'check', guard: 'site-healthy' },
      ],
      { target: 'rack' },
    );
    const { plan, status } = await runToEnd(engine, rb, { site, rack: 'A-01' });
    expect(status.state).toBe('succeeded');
    const rackNodes = [...h.cache.nodes(site)].filter((n) => n.rack === 'A-01').sort((x, y) => (x.unit ?? 0) - (y.unit ?? 0)).map((n) => n.name);
    expect(rackNodes.length).toBe(12);
    expect(plan.steps.map((s) => s.id)).toEqual(['0-check', ...rackNodes.flatMap((n) => [`mark[${n}]`, `look[${n}]`]), '3-check']);
    // Node after node: the steps began in plan order.
    const began = h.statuses.filter((s) => s.run === status.run).flatMap((s) => s.steps.filter((x) => x.state === 'running').map((x) => x.id));
    expect(began.filter((id, i) => began.indexOf(id) === i)).toEqual(plan.steps.map((s) => s.id));
    for (const n of rackNodes) {
      const node = await h.http(site).getJson<{ metadata: { annotations: Record<string, string> } }>(`/api/v1/nodes/${n}`);
      expect(node.metadata.annotations['triptych.io/walked']).toBe('A-01');
    }
  });

  it('loops need their parameters; unknown sites and missing parameters are blockers', async () => {
    const engine = h.engine();
    const loop = (forEachNode: 'rack' | 'site') => runbook('loop', [{ id: 'x', forEachNode, spec: { type: 'uncordon', node: '${node}' } }]);
    expect((await engine.plan(loop('rack'), { site })).blockers).toEqual(['steps x run per node of the rack: the runbook needs site and rack parameters (target rack)']);
    // Every node of the site, in rack order.
    const all = await engine.plan(loop('site'), { site });
    expect(all.blockers).toEqual([]);
    expect(all.steps).toHaveLength(12);
    expect((await engine.plan(loop('site'), { site: 'mars' })).blockers[0]).toBe('unknown site mars (sites: fra, ams, dub)');
    expect((await engine.plan(runbook('needs', [{ type: 'note', text: 'x' }], { params: [{ name: 'ticket', type: 'string' }] }), { site })).blockers).toEqual([expect.stringContaining("parameter 'ticket' is required")]);
  });
});

describe('collect and report', () => {
  it('collect saves a pod, its events and its logs to a private folder', async () => {
    const pod = [...h.cache.pods(site)].find((p) => p.namespace === 'cart' && p.name.startsWith('cart-api-') && p.phase === 'Running');
    const engine = h.engine();
    const { status, run } = await runToEnd(engine, runbook('collect-it', [{ type: 'collect', of: { kind: 'Pod', namespace: 'cart', name: pod?.name as string }, logs: true }, { type: 'collect', of: { kind: 'Node', name: nodes[5] as string } }]), { site });
    expect(status.state).toBe('succeeded');
    const root = path.join(h.dataDir, 'collections', run);
    const dirs = (await readdir(root)).sort();
    expect(dirs).toEqual([`0-collect_fra_Pod_cart_${pod?.name}`, `1-collect_fra_Node_${nodes[5]}`]);
    expect((await readdir(path.join(root, dirs[0] as string))).sort()).toEqual(['events.json', 'log-cart-api.txt', 'object.json']);
    expect((await readdir(path.join(root, dirs[1] as string))).sort()).toEqual(['events.json', 'object.json', 'pods.json']);
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(root, dirs[0] as string, 'object.json'))).mode & 0o777).toBe(0o600);
    const obj = JSON.parse(await readFile(path.join(root, dirs[0] as string, 'object.json'), 'utf8')) as { metadata: { name: string; managedFields?: unknown } };
    expect(obj.metadata.name).toBe(pod?.name);
    expect(obj.metadata.managedFields).toBeUndefined();
    expect((await readFile(path.join(root, dirs[0] as string, 'log-cart-api.txt'), 'utf8')).split('\n').length).toBeGreaterThan(1);
  });

  it('report hands the run to the report writer and keeps the file it wrote', async () => {
    const engine = h.engine({ report: async (kind, s) => `/reports/${kind}-${s.run}.md` });
    const { status, run } = await runToEnd(engine, runbook('report-it', [{ type: 'report', kind: 'handover' }]), { site });
    expect(status.steps[0]?.message).toBe(`handover report written to /reports/handover-${run}.md`);
    expect((await h.engine().plan(runbook('no-writer', [{ type: 'report', kind: 'summary' }]), { site })).blockers).toEqual([expect.stringContaining('summary reports cannot be written here')]);
  });
});
