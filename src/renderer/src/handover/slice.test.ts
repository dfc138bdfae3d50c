import { describe, expect, it } from 'vitest';
import type { HandoverReport } from '../../../shared/handover';
import { createAppStore } from '../store/store';
import { fakeClient, manualDeps, settle, siteInfo, type FakeOverrides } from '../store/testing';
import { handoverReport } from './testing';

const PREVIOUS = handoverReport('2025-06-01T06:00:00.000Z', {
  notes: [{ id: 'handover-20250601-060000/1', text: 'fan noise in rack A', open: true, by: 'userpass-alice', since: '2025-06-01T06:00:00.000Z' }],
});
const NEW = handoverReport('2025-06-01T18:00:00.000Z');
const STORED = [
  { site: 'fra', ok: true, detail: 'stored as ConfigMap triptych-system/handover-20250601-180000' },
  { site: 'ams', ok: false, detail: 'not stored: the site is not reachable now' },
];
const READ_ONLY = 'handover.create changes the clusters and needs the operator role; this connection is read-only (viewer)';

function setup(over: FakeOverrides['handover'] = {}) {
  const calls: unknown[] = [];
  const fake = fakeClient([siteInfo('fra'), siteInfo('ams')], [], {
    handover: {
      latest: () => Promise.resolve(PREVIOUS),
      create: (input) => (calls.push(input), Promise.resolve({ report: NEW, stored: STORED })),
      export: (id, format) => Promise.resolve(`# ${id} as ${format}`),
      ...over,
    },
  });
  const store = createAppStore(manualDeps(fake.client));
  return { store, actions: store.getState().actions, calls };
}

describe('handover dialog', () => {
  it('opens on the notes form with the latest handover loaded (its open notes can be closed)', async () => {
    const { store, actions } = setup();
    const opening = actions.openHandover();
    expect(store.getState().handover).toMatchObject({ open: true, view: 'compose', loadingLatest: true });
    await opening;
    expect(store.getState().handover).toMatchObject({ latest: PREVIOUS, loadingLatest: false, error: undefined });
  });

  it('writes the handover with the new notes and the notes closed, then shows it with where it was stored', async () => {
    const { store, actions, calls } = setup();
    await actions.openHandover();
    actions.setHandoverDraft('PSU ordered\n\nrack B cabling done');
    actions.setHandoverNoteClosed('handover-20250601-060000/1', true);
    actions.setHandoverNoteClosed('not-open-any-more/1', true);
    const saving = actions.createHandover();
    expect(store.getState().handover.saving).toBe(true);
    await saving;
    // One note per paragraph; only notes the previous handover left open are closed.
    expect(calls).toEqual([{ notes: ['PSU ordered', 'rack B cabling done'], close: ['handover-20250601-060000/1'] }]);
    // The draft is spent.
    expect(store.getState().handover).toMatchObject({ saving: false, view: 'report', report: NEW, stored: STORED, latest: NEW, error: undefined, draft: '', closing: [] });
  });

  it('sends no empty lists, and a note unticked again is not closed', async () => {
    const { actions, calls } = setup();
    await actions.openHandover();
    actions.setHandoverDraft(' \n\n ');
    actions.setHandoverNoteClosed('handover-20250601-060000/1', true);
    actions.setHandoverNoteClosed('handover-20250601-060000/1', false);
    await actions.createHandover();
    expect(calls).toEqual([{}]);
  });

  it('shows the read-only refusal of a viewer connection and stays on the form', async () => {
    const { store, actions } = setup({ create: () => Promise.reject(new Error(READ_ONLY)) });
    await actions.openHandover();
    actions.setHandoverDraft('x');
    await actions.createHandover();
    // The refusal is shown and the draft kept.
    expect(store.getState().handover).toMatchObject({ saving: false, view: 'compose', error: READ_ONLY, report: undefined, draft: 'x' });
  });

  it('refuses notes the host would refuse, without asking it', async () => {
    const { store, actions, calls } = setup();
    actions.setHandoverDraft('x'.repeat(2001));
    await actions.createHandover();
    expect(calls).toEqual([]);
    expect(store.getState().handover.error).toMatch(/Note 1 is 2001 characters long/);
  });

  it('opens the latest handover for the next admin', async () => {
    const { store, actions } = setup();
    await actions.openHandover();
    await actions.openLatestHandover();
    expect(store.getState().handover).toMatchObject({ view: 'report', report: PREVIOUS, stored: undefined });
  });

  it('says so when no handover is stored yet', async () => {
    const { store, actions } = setup({ latest: () => Promise.resolve(null) });
    await actions.openHandover();
    await actions.openLatestHandover();
    expect(store.getState().handover).toMatchObject({ view: 'compose', latest: null, error: 'No handover is stored at any reachable site yet.' });
  });

  it('does not let a slow answer for the latest replace the handover just written', async () => {
    let answer: (r: HandoverReport) => void = () => undefined;
    const { store, actions } = setup({ latest: () => new Promise((resolve) => (answer = resolve)) });
    const opening = actions.openHandover();
    await settle();
    await actions.createHandover();
    answer(PREVIOUS);
    await opening;
    expect(store.getState().handover.latest).toBe(NEW);
  });

  it('exports Markdown, or says why not', async () => {
    const ok = setup();
    expect(await ok.actions.handoverMarkdown(NEW.id)).toBe(`# ${NEW.id} as markdown`);
    const gone = setup({ export: () => Promise.reject(new Error('no handover "x" here: open the latest handover first')) });
    expect(await gone.actions.handoverMarkdown('x')).toBeUndefined();
    expect(gone.store.getState().handover.error).toMatch(/open the latest handover first/);
  });

  it('closes and reopens on the notes form', async () => {
    const { store, actions } = setup();
    await actions.createHandover();
    actions.closeHandover();
    expect(store.getState().handover.open).toBe(false);
    await actions.openHandover();
    expect(store.getState().handover).toMatchObject({ open: true, view: 'compose' });
    actions.composeHandover();
    expect(store.getState().handover.view).toBe('compose');
  });
});
