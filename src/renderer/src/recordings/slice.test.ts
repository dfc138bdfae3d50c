import { describe, expect, it } from 'vitest';
import type { RecordingInfo, ReplayStatus } from '../../../shared/recording';
import { createAppStore } from '../store/store';
import { fakeClient, manualDeps, settle, siteInfo, type FakeOverrides } from '../store/testing';
import { minutesProblem, speedProblem } from './format';

function rec(id: string, over: Partial<RecordingInfo> = {}): RecordingInfo {
  return { id, site: 'fra', state: 'done', startedAt: 1_000, endedAt: 61_000, events: 10, logLines: 2, bytes: 2048, ...over };
}

function setup(over: FakeOverrides['recordings'] = {}) {
  const calls: unknown[][] = [];
  const fake = fakeClient([siteInfo('fra'), siteInfo('ams')], [], {
    recordings: {
      list: () => Promise.resolve({ recordings: [rec('fra-1.jsonl')], replay: null }),
      start: (site, o) => (calls.push(['start', site, o]), Promise.resolve(rec('fra-2.jsonl', { state: 'recording', endedAt: undefined }))),
      stop: (id) => (calls.push(['stop', id]), Promise.resolve(rec(id))),
      replay: (id, o) => (calls.push(['replay', id, o]), Promise.resolve({ recording: id, site: o.site, state: 'playing', applied: 0, total: 10, speed: o.speed } satisfies ReplayStatus)),
      ...over,
    },
  });
  const store = createAppStore(manualDeps(fake.client));
  return { store, fake, actions: store.getState().actions, calls };
}

describe('recordings in the store', () => {
  it('lists on open, starts, stops and replays, and follows recording.status', async () => {
    const { store, fake, actions, calls } = setup();
    await actions.start();
    await settle();
    await actions.openRecordings();
    expect(store.getState().recordings).toMatchObject({ open: true, list: [rec('fra-1.jsonl')], replay: null });
    await actions.startRecording('fra', 5);
    expect(calls).toEqual([['start', 'fra', { minutes: 5 }]]);
    expect(store.getState().recordings.list.map((r) => [r.id, r.state])).toEqual([['fra-2.jsonl', 'recording'], ['fra-1.jsonl', 'done']]);
    fake.emit('recording.status', { recording: rec('fra-2.jsonl', { state: 'recording', events: 99 }) });
    expect(store.getState().recordings.list[0]?.events).toBe(99);
    await actions.stopRecording('fra-2.jsonl');
    expect(store.getState().recordings.list[0]?.state).toBe('done');
    await actions.replayRecording('fra-1.jsonl', 'ams', 20);
    expect(store.getState().recordings.replay).toMatchObject({ recording: 'fra-1.jsonl', site: 'ams', state: 'playing', speed: 20 });
    fake.emit('recording.status', { replay: { recording: 'fra-1.jsonl', site: 'ams', state: 'done', applied: 10, total: 10, speed: 20 } });
    expect(store.getState().recordings.replay?.state).toBe('done');
    // Malformed events are dropped.
    fake.emit('recording.status', { recording: { id: 3 } as unknown as RecordingInfo });
    expect(store.getState().recordings.list).toHaveLength(2);
    actions.closeRecordings();
    expect(store.getState().recordings.open).toBe(false);
  });

  it('shows a refusal in the host words, once, without rejecting', async () => {
    const { store, actions } = setup({ replay: () => Promise.reject(new Error('replay plays into the training fleet, and this console is connected to configured clusters')) });
    await actions.start();
    await settle();
    await actions.replayRecording('fra-1.jsonl', 'ams', 2);
    expect(store.getState().recordings).toMatchObject({ busy: false, error: 'fra-1.jsonl could not be replayed: replay plays into the training fleet, and this console is connected to configured clusters' });
  });

  it('checks the forms before anything is sent', () => {
    expect(minutesProblem('10')).toBeUndefined();
    expect(minutesProblem('0')).toBe('Minutes must be a whole number from 1 to 1440 (a day).');
    expect(minutesProblem('1.5')).toBeDefined();
    expect(speedProblem('0.5')).toBeUndefined();
    expect(speedProblem('5000')).toBe('Speed must be a number from 0.1 to 1000 (1 = as recorded, 10 = ten times faster).');
    expect(speedProblem('')).toBeDefined();
  });
});
