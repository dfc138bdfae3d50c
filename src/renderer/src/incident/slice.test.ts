import { describe, expect, it } from 'vitest';
import { INCIDENT_KEEP, type IncidentEntry } from '../../../shared/incident';
import { createAppStore } from '../store/store';
import { fakeClient, manualDeps, settle, siteInfo, type FakeOverrides } from '../store/testing';
import { displayText, mergeEntries, noteProblem } from './timeline';

const READ_ONLY = 'incident.note changes the clusters and needs the operator role; this connection is read-only (viewer)';

function entry(id: number, over: Partial<IncidentEntry> = {}): IncidentEntry {
  return { id: String(id), at: 1_000 * id, kind: 'note', text: `note ${id}`, level: 'info', who: 'alice', ...over };
}

function setup(over: FakeOverrides['incident'] = {}) {
  const notes: unknown[] = [];
  const fake = fakeClient([siteInfo('fra')], [], {
    incident: {
      timeline: () => (fake.log.push('incident.timeline'), Promise.resolve([entry(1), entry(2)])),
      note: (input) => (notes.push(input), Promise.resolve(entry(3, { text: input.text }))),
      ...over,
    },
  });
  const store = createAppStore(manualDeps(fake.client));
  return { store, fake, actions: store.getState().actions, notes };
}

describe('incident timeline in the store', () => {
  it('reads the timeline when started and follows incident.entry events, each entry once', async () => {
    const { store, fake, actions } = setup();
    await actions.start();
    await settle();
    expect(fake.log.indexOf('on:incident.entry')).toBeLessThan(fake.log.indexOf('incident.timeline'));
    fake.emit('incident.entry', entry(3, { kind: 'site', level: 'critical', text: 'FRA: unreachable' }));
    fake.emit('incident.entry', entry(3, { kind: 'site', level: 'critical', text: 'FRA: unreachable' }));
    expect(store.getState().incident.entries.map((e) => e.id)).toEqual(['1', '2', '3']);
    // Malformed events are dropped, not shown.
    fake.emit('incident.entry', { id: 4 } as unknown as IncidentEntry);
    expect(store.getState().incident.entries).toHaveLength(3);
    actions.stop();
    fake.emit('incident.entry', entry(5));
    expect(store.getState().incident.entries).toHaveLength(3);
  });

  it('says when the timeline cannot be read, and still shows new entries', async () => {
    const { store, fake, actions } = setup({ timeline: () => Promise.reject(new Error('host gone')) });
    await actions.start();
    await settle();
    expect(store.getState().incident.loadError).toMatch(/could not be read: host gone/);
    fake.emit('incident.entry', entry(9));
    expect(store.getState().incident.entries.map((e) => e.id)).toEqual(['9']);
  });

  it('adds a note, clears the draft, and shows refusals in the host words', async () => {
    const { store, actions, notes } = setup();
    await actions.start();
    actions.openIncident();
    actions.setIncidentDraft('  failover to AMS decided  ');
    await actions.addIncidentNote('fra');
    expect(notes).toEqual([{ text: 'failover to AMS decided', site: 'fra' }]);
    expect(store.getState().incident).toMatchObject({ draft: '', saving: false, error: undefined, open: true });
    expect(store.getState().incident.entries.at(-1)?.text).toBe('failover to AMS decided');

    const refused = setup({ note: () => Promise.reject(new Error(READ_ONLY)) });
    refused.actions.setIncidentDraft('x');
    await refused.actions.addIncidentNote();
    expect(refused.store.getState().incident).toMatchObject({ error: READ_ONLY, draft: 'x', saving: false });

    refused.actions.setIncidentDraft('   ');
    await refused.actions.addIncidentNote();
    expect(refused.store.getState().incident.error).toMatch(/Write the note first/);
  });
});

describe('timeline helpers', () => {
  it('merges by id, in time order, keeping the newest INCIDENT_KEEP', () => {
    const a = [entry(1), entry(3)];
    expect(mergeEntries(a, [entry(3)])).toBe(a);
    expect(mergeEntries(a, [entry(2)]).map((e) => e.id)).toEqual(['1', '2', '3']);
    const many = Array.from({ length: INCIDENT_KEEP + 3 }, (_, i) => entry(i + 1));
    const kept = mergeEntries([], many);
    expect(kept).toHaveLength(INCIDENT_KEEP);
    expect(kept[0]?.id).toBe('4');
  });

  it('checks a note before sending it', () => {
    expect(noteProblem('ok')).toBeUndefined();
    expect(noteProblem(' ')).toMatch(/Write the note first/);
    expect(noteProblem('x'.repeat(1001))).toMatch(/at most 1000 characters \(this one has 1001\)/);
  });

  it('makes control characters visible and cuts long text', () => {
    expect(displayText('a\u001b[2Jb\nc\u202e')).toBe('a\uFFFD[2Jb c\uFFFD');
    expect(displayText('x'.repeat(10), 5)).toBe('xxxx…');
  });
});
