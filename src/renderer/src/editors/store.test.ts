import { describe, expect, it } from 'vitest';
import type { Runbook, RunbookIssue } from '../../../shared/runbooks';
import { fakeClient, manualDeps, settle, type FakeOverrides } from '../store/testing';
import { VALIDATE_DEBOUNCE_MS } from './runbookEditor';
import { RUNBOOK_TEMPLATE } from './runbookDraft';
import { createEditorsStore } from './store';

function setup(over: FakeOverrides = {}) {
  const fake = fakeClient([], [], over);
  const deps = manualDeps(fake.client);
  const store = createEditorsStore(deps);
  return { deps, store, a: store.getState().actions };
}

const runbook = (name: string): Runbook => ({ name, title: `${name} title`, target: 'node', params: [], steps: [], source: `/shipped/${name}.yaml` });
const issue = (line: number, message: string): RunbookIssue => ({ file: 'draft.yaml', line, column: 3, message });

/** An error as the contract client rejects with (a ContractError: a message for the admin and a code). */
const hostError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

/** A call whose answer the test gives later. */
function later<T>() {
  const calls: { args: unknown[]; resolve(v: T): void; reject(e: unknown): void }[] = [];
  const fn = (...args: unknown[]) => new Promise<T>((resolve, reject) => calls.push({ args, resolve, reject }));
  return { fn, calls };
}

describe('the runbook editor', () => {
  it('lists the runbooks by name, loads one and has the host check it at once', async () => {
    const validated: string[] = [];
    const { store, a } = setup({
      runbooks: {
        list: () => Promise.resolve({ runbooks: [runbook('drain-rack'), runbook('drain-node')], issues: [] }),
        source: (name) => Promise.resolve({ file: `/shipped/${name}.yaml`, text: `name: ${name}\n` }),
        validate: (text) => (validated.push(text), Promise.resolve([])),
      },
    });
    await a.openRunbookEditor('drain-node');
    await settle();
    const s = store.getState().runbook!;
    expect(s.runbooks?.map((r) => r.name)).toEqual(['drain-node', 'drain-rack']);
    expect(s.doc).toMatchObject({ name: 'drain-node', file: '/shipped/drain-node.yaml', text: 'name: drain-node\n' });
    expect(validated).toEqual(['name: drain-node\n']);
    expect(s.checking).toBe(false);
  });

  it('checks a draft once typing pauses, and drops an answer for an older draft', async () => {
    const validate = later<RunbookIssue[]>();
    const { deps, store, a } = setup({ runbooks: { validate: validate.fn } });
    await a.openRunbookEditor();
    a.newRunbookFromTemplate();
    await settle();
    validate.calls[0]!.resolve([]);
    await settle();

    a.runbookDraftChanged('one');
    deps.advance(VALIDATE_DEBOUNCE_MS - 1);
    a.runbookDraftChanged('two');
    deps.advance(VALIDATE_DEBOUNCE_MS - 1);
    await settle();
    expect(validate.calls).toHaveLength(1);
    expect(store.getState().runbook?.checking).toBe(true);
    deps.advance(1);
    await settle();
    expect(validate.calls.map((c) => c.args[0])).toEqual([RUNBOOK_TEMPLATE, 'two']);

    // The admin types on while "two" is being checked: its answer is stale when it lands.
    a.runbookDraftChanged('three');
    validate.calls[1]!.resolve([issue(2, 'about two')]);
    await settle();
    expect(store.getState().runbook?.hostIssues).toEqual([]);
    deps.advance(VALIDATE_DEBOUNCE_MS);
    await settle();
    validate.calls[2]!.resolve([issue(3, 'about three')]);
    await settle();
    expect(store.getState().runbook).toMatchObject({ hostIssues: [issue(3, 'about three')], checked: 'three', checking: false });
  });

  it('keeps the answer it has when the draft goes back to the text checked last (an undo)', async () => {
    const validate = later<RunbookIssue[]>();
    const { deps, store, a } = setup({ runbooks: { validate: validate.fn } });
    await a.openRunbookEditor();
    a.newRunbookFromTemplate();
    await settle();
    validate.calls[0]!.resolve([issue(1, 'template')]);
    await settle();
    a.runbookDraftChanged('typo');
    a.runbookDraftChanged(RUNBOOK_TEMPLATE);
    deps.advance(VALIDATE_DEBOUNCE_MS * 2);
    await settle();
    expect(validate.calls).toHaveLength(1);
    expect(store.getState().runbook).toMatchObject({ hostIssues: [issue(1, 'template')], checking: false });
  });

  it('shows why a save was refused, and where a saved draft went', async () => {
    let lists = 0;
    const { store, a } = setup({
      runbooks: {
        list: () => (lists++, Promise.resolve({ runbooks: [], issues: [] })),
        validate: () => Promise.resolve([]),
        save: (text) => Promise.resolve(text.includes('bad') ? { file: '', issues: [issue(4, 'duplicate id'), { ...issue(1, 'replaces drain-node'), severity: 'warning' as const }] } : { file: '/cfg/runbooks/mine.yaml', issues: [] }),
      },
    });
    await a.openRunbookEditor();
    a.newRunbookFromTemplate();
    await a.saveRunbook('bad draft');
    expect(store.getState().runbook).toMatchObject({ saved: undefined, error: 'Not saved: the draft has 1 error (listed below).', checked: 'bad draft' });
    expect(store.getState().runbook?.hostIssues).toHaveLength(2);

    await a.saveRunbook('good draft');
    expect(store.getState().runbook).toMatchObject({ saved: { file: '/cfg/runbooks/mine.yaml', text: 'good draft' }, error: undefined, hostIssues: [] });
    // The draft is now that runbook of the list.
    expect(store.getState().runbook?.doc).toMatchObject({ file: '/cfg/runbooks/mine.yaml', listed: 'mine' });
    // The list is read again: the new runbook is in it.
    expect(lists).toBe(2);
    // Typing on: the "saved" note no longer describes the draft.
    a.runbookDraftChanged('good draft, edited');
    expect(store.getState().runbook?.saved).toBeUndefined();
  });

  it("says so when this console may not save (a viewer's)", async () => {
    const { store, a } = setup({
      runbooks: { validate: () => Promise.resolve([]), save: () => Promise.reject(hostError('forbidden', 'runbooks.save changes the clusters and needs the operator role')) },
    });
    await a.openRunbookEditor();
    a.newRunbookFromTemplate();
    await a.saveRunbook(RUNBOOK_TEMPLATE);
    expect(store.getState().runbook?.error).toBe('Not saved: runbooks.save changes the clusters and needs the operator role');
    expect(store.getState().runbook?.saving).toBe(false);
  });
});

describe('the YAML editor', () => {
  const target = { site: 'fra', kind: 'Deployment', namespace: 'shop', name: 'cart' };
  const ref = { kind: 'Deployment', namespace: 'shop', name: 'cart' };

  it('reviews the dry run of the draft, applies that draft at the version read, then shows the object as it is now', async () => {
    const reads = [
      { yaml: 'kind: Deployment # v1\n', resourceVersion: '1' },
      { yaml: 'kind: Deployment # v2\n', resourceVersion: '2' },
    ];
    const applied: unknown[][] = [];
    const { store, a } = setup({
      resources: {
        yaml: () => Promise.resolve(reads.shift()!),
        apply: (...args) => (applied.push(args), Promise.resolve({ yaml: args[3].dryRun ? 'kind: Deployment # dry run\n' : 'kind: Deployment # stored\n' })),
      },
    });
    await a.openYamlEditor(target);
    expect(store.getState().yaml).toMatchObject({ phase: 'editing', current: { resourceVersion: '1' }, doc: { text: 'kind: Deployment # v1\n' } });
    const token = store.getState().yaml!.doc!.token;

    await a.reviewYaml('kind: Deployment # edited\n');
    expect(applied).toEqual([['fra', ref, 'kind: Deployment # edited\n', { dryRun: true, resourceVersion: '1' }]]);
    expect(store.getState().yaml).toMatchObject({ phase: 'review', review: { draft: 'kind: Deployment # edited\n', answer: 'kind: Deployment # dry run\n' } });

    await a.applyYaml();
    expect(applied[1]).toEqual(['fra', ref, 'kind: Deployment # edited\n', { dryRun: false, resourceVersion: '1' }]);
    const s = store.getState().yaml!;
    expect(s).toMatchObject({ phase: 'applied', appliedVersion: '2', current: { resourceVersion: '2' }, review: undefined, error: undefined });
    // The editor is given the new state (a new token replaces its content).
    expect(s.doc).toMatchObject({ text: 'kind: Deployment # v2\n' });
    expect(s.doc!.token).not.toBe(token);
  });

  it("keeps the review and shows the host's words when the apply is refused (changed meanwhile)", async () => {
    const { store, a } = setup({
      resources: {
        yaml: () => Promise.resolve({ yaml: 'a: 1\n', resourceVersion: '7' }),
        apply: (_s, _r, text, o) =>
          o.dryRun ? Promise.resolve({ yaml: text }) : Promise.reject(hostError('bad-request', 'Deployment shop/cart at fra was changed by someone else since you opened it')),
      },
    });
    await a.openYamlEditor(target);
    await a.reviewYaml('a: 2\n');
    await a.applyYaml();
    expect(store.getState().yaml).toMatchObject({
      phase: 'review',
      review: { draft: 'a: 2\n' },
      error: { code: 'bad-request', message: 'Deployment shop/cart at fra was changed by someone else since you opened it' },
    });
    // Reload reads the object again and starts over.
    await a.reloadYaml();
    expect(store.getState().yaml).toMatchObject({ phase: 'editing', review: undefined, error: undefined });
  });

  it('marks a refused dry run as forbidden for a read-only console, with nothing to apply', async () => {
    const { store, a } = setup({
      resources: {
        yaml: () => Promise.resolve({ yaml: 'a: 1\n', resourceVersion: '7' }),
        apply: () => Promise.reject(hostError('forbidden', 'resources.apply changes the clusters and needs the operator role')),
      },
    });
    await a.openYamlEditor({ site: 'ams', kind: 'Node', name: 'ams-a-r01-u01' });
    await a.reviewYaml('a: 2\n');
    expect(store.getState().yaml).toMatchObject({ phase: 'editing', review: undefined, error: { code: 'forbidden' } });
    await a.applyYaml();
    expect(store.getState().yaml?.phase).toBe('editing');
  });

  it('drops an answer for an editor closed or opened on another object meanwhile', async () => {
    const yaml = later<{ yaml: string; resourceVersion: string }>();
    const { store, a } = setup({ resources: { yaml: yaml.fn } });
    void a.openYamlEditor(target);
    await settle();
    void a.openYamlEditor({ ...target, name: 'checkout' });
    await settle();
    yaml.calls[0]!.resolve({ yaml: 'name: cart\n', resourceVersion: '1' });
    await settle();
    expect(store.getState().yaml).toMatchObject({ target: { name: 'checkout' }, phase: 'loading' });
    expect(store.getState().yaml?.current).toBeUndefined();
    a.closeYamlEditor();
    yaml.calls[1]!.resolve({ yaml: 'name: checkout\n', resourceVersion: '1' });
    await settle();
    expect(store.getState().yaml).toBeUndefined();
  });
});
