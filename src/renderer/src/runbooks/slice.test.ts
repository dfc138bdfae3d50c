import { describe, expect, it } from 'vitest';
import type { MaintenanceView } from '../../../shared/contract/triptych';
import type { RunPlan, RunStatus } from '../../../shared/runbooks';
import { createAppStore } from '../store/store';
import { fakeClient, manualDeps, settle, siteInfo } from '../store/testing';
import { MAINTENANCE_DEBOUNCE_MS, MAINTENANCE_POLL_MS, PLAN_DEBOUNCE_MS } from './slice';
import { canStart } from './state';
import { contractError, drainRack, plannedStep, planOf, rackLease, runStatus, runbookOf } from './testing';

interface Setup {
  runs?: RunStatus[];
  plan?: (name: string, params: RunPlan['params']) => Promise<RunPlan>;
  start?: (plan: string) => Promise<RunStatus>;
  confirm?: (run: string) => Promise<RunStatus>;
  pause?: (run: string) => Promise<RunStatus>;
  maintenance?: () => Promise<MaintenanceView[]>;
}

async function setup(o: Setup = {}) {
  const calls: string[] = [];
  const fake = fakeClient([siteInfo('fra'), siteInfo('ams')], [], {
    runbooks: {
      list: () => Promise.resolve({ runbooks: [drainRack(), runbookOf('drain-node', 'node')], issues: [] }),
      runs: () => Promise.resolve(o.runs ?? []),
      plan: (name, params) => (calls.push(`plan:${name}:${JSON.stringify(params)}`), o.plan ? o.plan(name, params as RunPlan['params']) : Promise.reject(new Error('no plan in this test'))),
      start: (id) => (calls.push(`start:${id}`), o.start ? o.start(id) : Promise.reject(new Error('no start in this test'))),
      confirm: (run) => (calls.push(`confirm:${run}`), o.confirm ? o.confirm(run) : Promise.reject(new Error('no confirm in this test'))),
      pause: (run) => (calls.push(`pause:${run}`), o.pause ? o.pause(run) : Promise.reject(new Error('no pause in this test'))),
      maintenance: () => (calls.push('maintenance'), o.maintenance ? o.maintenance() : Promise.resolve([])),
    },
  });
  const deps = manualDeps(fake.client);
  const store = createAppStore(deps);
  const actions = store.getState().actions;
  await actions.start();
  await settle();
  return { fake, deps, store, actions, calls, rb: () => store.getState().runbooks };
}

const B07 = { kind: 'rack', site: 'fra', rack: 'B-07' } as const;

describe('runbooks slice: loading', () => {
  it('subscribes to runbook.status, then loads the library, the runs and the maintenance', async () => {
    const { fake, rb, calls } = await setup();
    const on = fake.log.indexOf('on:runbook.status');
    expect(on).toBeGreaterThan(-1);
    expect(rb().list?.map((r) => r.name)).toEqual(['drain-rack', 'drain-node']);
    expect(calls).toContain('maintenance');
    expect(rb().dockOpen).toBe(false);
  });

  it('after a reload, the dock comes back on the newest run still going; ended runs stay listed only', async () => {
    const older = runStatus('r1', { state: 'waiting-confirm', startedAt: 1 });
    const newer = runStatus('r2', { state: 'paused', startedAt: 2 });
    const done = runStatus('r3', { state: 'succeeded', startedAt: 3 });
    const { rb } = await setup({ runs: [older, newer, done] });
    expect(Object.keys(rb().runs).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(rb().dockOpen).toBe(true);
    expect(rb().shownRun).toBe('r2');
  });

  it('keeps the dock shut when every run has ended', async () => {
    const { rb } = await setup({ runs: [runStatus('r3', { state: 'failed', error: 'drain timed out' })] });
    expect(rb().dockOpen).toBe(false);
    expect(rb().runs.r3?.error).toBe('drain timed out');
  });
});

describe('runbooks slice: the plan dialog', () => {
  it('opens with the target’s parameters and the declared defaults, and plans at once', async () => {
    const plan = planOf('p1', { site: 'fra', rack: 'B-07', reason: 'rack maintenance' });
    const { actions, rb, calls } = await setup({ plan: () => Promise.resolve(plan) });
    actions.openPlan('drain-rack', B07);
    expect(rb().dialog).toMatchObject({ runbook: 'drain-rack', values: { reason: 'rack maintenance' }, planning: true });
    expect(canStart(rb().dialog)).toBe(false);
    await settle();
    expect(calls).toEqual(['maintenance', 'plan:drain-rack:{"site":"fra","rack":"B-07","reason":"rack maintenance"}']);
    expect(rb().dialog?.plan).toEqual(plan);
    expect(canStart(rb().dialog)).toBe(true);
  });

  it('plans again once typing pauses, once; an answer for earlier values never becomes the plan', async () => {
    const answers: ((p: RunPlan) => void)[] = [];
    const { actions, rb, calls, deps } = await setup({ plan: () => new Promise((res) => answers.push(res)) });
    actions.openPlan('drain-rack', B07);
    actions.setPlanValue('reason', 'P');
    actions.setPlanValue('reason', 'PSU');
    expect(calls.filter((c) => c.startsWith('plan:'))).toHaveLength(1);
    deps.advance(PLAN_DEBOUNCE_MS - 1);
    expect(calls.filter((c) => c.startsWith('plan:'))).toHaveLength(1);
    deps.advance(1);
    expect(calls.filter((c) => c.startsWith('plan:'))).toEqual([
      'plan:drain-rack:{"site":"fra","rack":"B-07","reason":"rack maintenance"}',
      'plan:drain-rack:{"site":"fra","rack":"B-07","reason":"PSU"}',
    ]);
    // The newer answer arrives first, then the one for the defaults: the latter is dropped.
    answers[1]!(planOf('p-psu', { reason: 'PSU' }));
    await settle();
    answers[0]!(planOf('p-default', { reason: 'rack maintenance' }));
    await settle();
    expect(rb().dialog?.plan?.id).toBe('p-psu');
    expect(canStart(rb().dialog)).toBe(true);
  });

  it('cannot start while the plan has blockers', async () => {
    const { actions, rb } = await setup({ plan: () => Promise.resolve(planOf('p1', {}, [plannedStep('capacity', { type: 'check' })], ['Amsterdam has 3 of 12 nodes not Ready'])) });
    actions.openPlan('drain-rack', B07);
    await settle();
    expect(rb().dialog?.plan?.blockers).toEqual(['Amsterdam has 3 of 12 nodes not Ready']);
    expect(canStart(rb().dialog)).toBe(false);
  });

  it('shows why the host could not plan, in its words', async () => {
    const { actions, rb } = await setup({ plan: () => Promise.reject(contractError('bad-request', "parameter 'reason' must be text of at most 1000 characters")) });
    actions.openPlan('drain-rack', B07);
    await settle();
    expect(rb().dialog).toMatchObject({ planning: false, planError: "parameter 'reason' must be text of at most 1000 characters", plan: undefined });
    expect(canStart(rb().dialog)).toBe(false);
  });

  it('a read-only connection’s refusal to start stays in the dialog, and nothing is re-planned', async () => {
    const refusal = 'runbooks.start changes the clusters and needs the operator role; this connection is read-only (viewer)';
    const { actions, rb, calls } = await setup({ plan: () => Promise.resolve(planOf('p1', {})), start: () => Promise.reject(contractError('forbidden', refusal)) });
    actions.openPlan('drain-rack', B07);
    await settle();
    await actions.startPlan();
    expect(rb().dialog).toMatchObject({ startError: refusal, starting: false });
    expect(calls.filter((c) => c.startsWith('plan:'))).toHaveLength(1);
    expect(rb().dockOpen).toBe(false);
  });

  it('a start refused for another reason (a Lease taken meanwhile) shows the plan as it is now', async () => {
    let n = 0;
    const { actions, rb, calls } = await setup({
      plan: () => Promise.resolve(planOf(`p${++n}`, {}, undefined, n > 1 ? ['rack/B-07 is held by userpass-admin'] : [])),
      start: () => Promise.reject(contractError('bad-request', 'the plan has blockers')),
    });
    actions.openPlan('drain-rack', B07);
    await settle();
    await actions.startPlan();
    await settle();
    expect(calls.filter((c) => c.startsWith('plan:'))).toHaveLength(2);
    expect(rb().dialog).toMatchObject({ startError: 'the plan has blockers', plan: { id: 'p2', blockers: ['rack/B-07 is held by userpass-admin'] } });
  });

  it('starting closes the dialog and shows the run in the dock', async () => {
    const steps = [plannedStep('go', { type: 'confirm' }), plannedStep('maintenance', { type: 'note' })];
    const started = runStatus('r1', { steps: steps.map((s) => ({ id: s.id, type: s.type, title: s.title, site: 'fra', state: 'pending' })) });
    const { actions, rb, calls } = await setup({ plan: () => Promise.resolve(planOf('p1', {}, steps)), start: () => Promise.resolve(started) });
    actions.openPlan('drain-rack', B07);
    await settle();
    await actions.startPlan();
    expect(calls).toContain('start:p1');
    expect(rb().dialog).toBeUndefined();
    expect(rb()).toMatchObject({ dockOpen: true, shownRun: 'r1', runs: { r1: started } });
  });
});

describe('runbooks slice: runs and maintenance', () => {
  it('follows runbook.status events by run id, ignoring malformed ones', async () => {
    const { fake, rb } = await setup();
    fake.emit('runbook.status', runStatus('r1'));
    fake.emit('runbook.status', runStatus('r2', { state: 'waiting-confirm', current: 0 }));
    fake.emit('runbook.status', { run: 'r3' } as never);
    fake.emit('runbook.status', null as never);
    fake.emit('runbook.status', runStatus('r1', { state: 'succeeded' }));
    expect(Object.keys(rb().runs).sort()).toEqual(['r1', 'r2']);
    expect(rb().runs.r1?.state).toBe('succeeded');
    expect(rb().runs.r2?.state).toBe('waiting-confirm');
  });

  it('reads the maintenance again after a run changes state, not on every progress event, and every 15 s', async () => {
    let held: MaintenanceView[] = [];
    const { fake, rb, calls, deps } = await setup({ maintenance: () => Promise.resolve(held) });
    const reads = (): number => calls.filter((c) => c === 'maintenance').length;
    expect(reads()).toBe(1);
    const drain = { id: 'drain', type: 'drain' as const, title: 'Drain fra-b-r07-u01', site: 'fra', state: 'running' as const };
    fake.emit('runbook.status', runStatus('r1', { current: 0, steps: [drain] }));
    held = [rackLease('fra', 'B-07')];
    deps.advance(MAINTENANCE_DEBOUNCE_MS);
    await settle();
    expect(reads()).toBe(2);
    expect(rb().maintenance).toEqual(held);
    // Evictions report progress many times a second: no reads for those.
    for (let done = 1; done <= 10; done++) fake.emit('runbook.status', runStatus('r1', { current: 0, steps: [{ ...drain, progress: { done, total: 10 } }] }));
    deps.advance(MAINTENANCE_DEBOUNCE_MS);
    await settle();
    expect(reads()).toBe(2);
    // Another console's Lease shows up with the poll.
    held = [...held, rackLease('ams', 'A-01', { holder: 'userpass-admin' })];
    deps.advance(MAINTENANCE_POLL_MS);
    await settle();
    expect(reads()).toBe(3);
    expect(rb().maintenance.map((m) => `${m.site}:${m.scope}:${m.holder}`)).toEqual(['fra:rack/B-07:userpass-operator', 'ams:rack/A-01:userpass-admin']);
  });

  it('keeps the last maintenance list when a read fails, and says why', async () => {
    let fail = false;
    const { actions, rb } = await setup({ maintenance: () => (fail ? Promise.reject(new Error('fra cannot be reached')) : Promise.resolve([rackLease('fra', 'B-07')])) });
    fail = true;
    await actions.refreshMaintenance();
    expect(rb().maintenance).toHaveLength(1);
    expect(rb().maintenanceError).toBe('fra cannot be reached');
  });

  it('applies a control’s answer; a refusal is kept for the run it was about', async () => {
    let refuse = false;
    const { actions, rb } = await setup({
      confirm: (run) => (refuse ? Promise.reject(contractError('forbidden', 'read-only (viewer)')) : Promise.resolve(runStatus(run, { state: 'running', current: 1 }))),
    });
    const pending = actions.controlRun('confirm', 'r1');
    expect(rb().pending).toEqual({ r1: 'confirm' });
    await pending;
    expect(rb().pending).toEqual({});
    expect(rb().runs.r1).toMatchObject({ state: 'running', current: 1 });
    refuse = true;
    await actions.controlRun('confirm', 'r1');
    expect(rb().controlError).toEqual({ run: 'r1', message: 'read-only (viewer)' });
  });

  it('remembers a pause asked for until the run reaches a step boundary and says paused', async () => {
    const { fake, actions, rb } = await setup({ pause: (run) => Promise.resolve(runStatus(run, { state: 'running', current: 3 })) });
    await actions.controlRun('pause', 'r1');
    expect(rb().pausing).toEqual({ r1: true });
    // Progress within the step: still pausing.
    fake.emit('runbook.status', runStatus('r1', { state: 'running', current: 3 }));
    expect(rb().pausing).toEqual({ r1: true });
    fake.emit('runbook.status', runStatus('r1', { state: 'paused' }));
    expect(rb().pausing).toEqual({});
  });

  it('stops following events and polling when the store stops', async () => {
    const { fake, actions, rb, calls, deps } = await setup();
    actions.stop();
    fake.emit('runbook.status', runStatus('r1'));
    deps.advance(MAINTENANCE_POLL_MS * 2);
    await settle();
    expect(rb().runs).toEqual({});
    expect(calls.filter((c) => c === 'maintenance')).toHaveLength(1);
  });
});
