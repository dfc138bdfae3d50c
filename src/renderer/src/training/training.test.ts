import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit';
import type { Debrief, TrainingRun, TrainingStatus } from '../../../shared/training';
import { createAppStore } from '../store/store';
import { fakeClient, manualDeps, settle, siteInfo, type FakeOverrides } from '../store/testing';
import { debriefMarkdown, formatElapsed, formatTarget, shown, unresolved } from './format';
import { faultProblem, faultRequest } from './inject';

const READ_ONLY = 'training.start changes the clusters and needs the operator role; this connection is read-only (viewer)';

function run(over: Partial<TrainingRun> = {}): TrainingRun {
  return {
    name: 'rack-power-loss',
    title: 'Rack power loss',
    briefing: 'A breaker tripped.',
    startedAt: 1_000_000,
    target: { site: 'fra', rack: 'B-07' },
    goals: [
      { id: 'rack-cordoned', text: 'Rack B-07 cordoned', met: false, detail: '3 of 8 nodes of rack B-07 at fra still schedulable' },
      { id: 'rack-returned', text: 'Rack B-07 returned', met: false },
    ],
    steps: [
      { atMs: 0, fault: 'rack-power-loss', applied: { at: 1_000_050, ok: true, result: 'rack-power-loss: 8 nodes of rack B-07 at fra' } },
      { atMs: 600_000, fault: 'rack-power-restore' },
    ],
    ...over,
  };
}

function debrief(): Debrief {
  const action: AuditEntry = { seq: 7, at: '2025-06-01T12:01:02.000Z', prev: '0', hash: '1', who: 'userpass-op|erator', verb: 'cordon', site: 'fra', object: { kind: 'Node', name: 'fra-b07-n1' }, result: 'ok', runbook: { run: 'r1', name: 'drain-rack' } };
  return {
    name: 'rack-power-loss',
    title: 'Rack power loss',
    startedAt: 1_000_000,
    endedAt: 1_075_000,
    durationMs: 75_000,
    goals: [
      { id: 'rack-cordoned', text: 'Rack B-07 cordoned', met: true, metAt: 1_030_000, afterMs: 30_000 },
      { id: 'rack-returned', text: 'Rack B-07\u001b[31m returned', met: false, detail: 'counts once rack-power-restore has played' },
    ],
    steps: run().steps,
    actions: [action],
  };
}

function setup(over: FakeOverrides['training'] = {}) {
  const calls: string[] = [];
  const fake = fakeClient([siteInfo('fra')], [], {
    training: {
      status: () => Promise.resolve<TrainingStatus>({ available: true, run: null }),
      catalogue: () => (calls.push('catalogue'), Promise.resolve({ scenarios: [], faults: [] })),
      start: (name) => (calls.push(`start:${name}`), Promise.resolve({ available: true, run: run({ name }) })),
      stop: () => (calls.push('stop'), Promise.resolve(debrief())),
      ...over,
    },
  });
  const store = createAppStore(manualDeps(fake.client));
  return { store, fake, actions: store.getState().actions, calls };
}

describe('a goal before its run chose a target', () => {
  it('shows a blank to be filled in, not template syntax', () => {
    expect(unresolved('Every node of rack ${rack} at ${site} is cordoned')).toBe('Every node of rack ‹rack› at ‹site› is cordoned');
    expect(unresolved('no placeholder, $5 {x}')).toBe('no placeholder, $5 {x}');
  });
});

describe('training in the store', () => {
  it('follows training.status, starts a scenario onto the trainee view, stops onto the debrief', async () => {
    const { store, fake, actions, calls } = setup();
    await actions.start();
    await settle();
    expect(store.getState().training.status).toEqual({ available: true, run: null });
    await actions.openTraining();
    expect(store.getState().training).toMatchObject({ open: true, tab: 'trainer' });
    expect(calls).toContain('catalogue');
    await actions.startTraining('rack-power-loss');
    expect(store.getState().training).toMatchObject({ tab: 'trainee', busy: false, error: undefined, status: { run: { name: 'rack-power-loss' } } });
    const ticked = run({ goals: [{ id: 'rack-cordoned', text: 'Rack B-07 cordoned', met: true, metAt: 1_030_000 }] });
    fake.emit('training.status', { available: true, run: ticked });
    expect(store.getState().training.status?.run?.goals[0]?.met).toBe(true);
    // A malformed event is dropped, not shown.
    fake.emit('training.status', { available: true, run: { name: 1 } } as unknown as TrainingStatus);
    expect(store.getState().training.status?.run?.goals[0]?.met).toBe(true);
    await actions.stopTraining();
    expect(calls).toContain('stop');
    expect(store.getState().training).toMatchObject({ tab: 'debrief', debrief: { durationMs: 75_000 } });
    actions.stop();
  });

  it('fetches the debrief when another console ends the run', async () => {
    let asked = 0;
    const { store, fake, actions } = setup({ debrief: () => (asked++, Promise.resolve(asked === 1 ? null : debrief())) });
    await actions.start();
    await settle();
    expect(store.getState().training.debrief).toBeNull();
    fake.emit('training.status', { available: true, run: run({ endedAt: 1_075_000 }) });
    await settle();
    expect(store.getState().training.debrief).toMatchObject({ startedAt: 1_000_000, durationMs: 75_000 });
    // Once it has this run's debrief, another status of the same ended run asks for nothing.
    fake.emit('training.status', { available: true, run: run({ endedAt: 1_075_000 }) });
    await settle();
    expect(asked).toBe(2);
    actions.stop();
  });

  it('a refusal shows in the host words and never rejects', async () => {
    const { store, actions } = setup({ start: () => Promise.reject(new Error(READ_ONLY)) });
    await actions.start();
    await settle();
    await actions.startTraining('rack-power-loss');
    expect(store.getState().training).toMatchObject({ busy: false, error: `Scenario rack-power-loss could not start: ${READ_ONLY}` });
    actions.stop();
  });
});

describe('training words', () => {
  it('elapsed times, targets, control characters', () => {
    expect(formatElapsed(75_000)).toBe('1:15');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
    expect(formatElapsed(-5)).toBe('0:00');
    expect(formatTarget({ rack: 'B-07', site: 'fra' })).toBe('site fra · rack B-07');
    expect(shown('a\u001b[31mb\u202e\nc')).toBe('a\uFFFD[31mb\uFFFD\nc');
  });

  it('the debrief as Markdown: duration, goals met or not, faults, actions; table cells stay cells', () => {
    const md = debriefMarkdown(debrief());
    expect(md).toContain('# Debrief: Rack power loss');
    expect(md).toContain('- Duration: 1:15');
    expect(md).toContain('- Goals met: 1 of 2');
    expect(md).toContain('| Rack B-07 cordoned | yes | 0:30 |');
    expect(md).toContain('| Rack B-07\uFFFD[31m returned | not met |  | counts once rack-power-restore has played |');
    expect(md).toContain('| 0:00 | rack-power-loss | rack-power-loss: 8 nodes of rack B-07 at fra |');
    expect(md).toContain('| not played | rack-power-restore |');
    expect(md).toContain('| 12:01:02 | userpass-op\\|erator | cordon (runbook drain-rack) | Node fra-b07-n1 | fra | ok |');
    expect(md).not.toContain('\u001b');
  });

  it('the fault form says what is missing, and posts only the fault own params', () => {
    const doc = { name: 'credentials-expire', summary: '', params: ['site', 'inSeconds'] };
    expect(faultProblem(doc, { site: 'fra' })).toBe('credentials-expire needs inSeconds: fill it in first.');
    expect(faultProblem(doc, {})).toBe('credentials-expire needs site and inSeconds: fill them in first.');
    expect(faultProblem(doc, { site: 'fra', inSeconds: '1.5' })).toBe('inSeconds must be a whole number of seconds (0 or more), not "1.5".');
    expect(faultProblem(doc, { site: 'fra', inSeconds: '0' })).toBeUndefined();
    expect(faultRequest(doc, { site: ' fra ', inSeconds: '30', rack: 'B-07' })).toEqual({ fault: 'credentials-expire', site: 'fra', inSeconds: 30 });
  });
});
