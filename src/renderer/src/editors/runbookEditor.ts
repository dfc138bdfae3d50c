/**
 * The runbook editor's state and actions: pick a runbook (or the template),
 * validate the draft on the host as the admin types (debounced, answers to
 * older drafts dropped), save it. The text itself lives in Monaco; the store
 * keeps what the host said about it.
 */
import type { RunbookIssue } from '../../../shared/runbooks';
import { errorText, type EditorDeps, type Slice } from './deps';
import { RUNBOOK_TEMPLATE, TEMPLATE_NAME } from './runbookDraft';

/** How long typing must pause before the draft goes to `runbooks.validate`. */
export const VALIDATE_DEBOUNCE_MS = 300;

export interface RunbookChoice {
  name: string;
  title: string;
  /** The file it was read from. */
  source: string;
}

/** What the editor shows; `token` changes whenever a new text replaces the editor's content. */
export interface RunbookDoc {
  /** The runbook's name, or TEMPLATE_NAME for a new draft. */
  name: string;
  text: string;
  /** The file it was read from, or saved to (none for an unsaved template). */
  file?: string;
  /** The runbook of the list it is (its name as saved, which follows metadata.name); none for an unsaved template. */
  listed?: string;
  token: number;
}

export interface RunbookEditorState {
  /** The runbooks to choose from, once listed. */
  runbooks?: RunbookChoice[];
  listError?: string;
  doc?: RunbookDoc;
  loading: boolean;
  /** The host's issues (runbooks.validate) for `checked`, the latest draft it answered for. */
  hostIssues: RunbookIssue[];
  checked?: string;
  /** A draft is waiting for (or on its way to) the host's check. */
  checking: boolean;
  saving: boolean;
  /** The last save, while the draft is still what was saved. */
  saved?: { file: string; text: string };
  /** A refusal or failure in the host's words (a save refused, a viewer's console, the host gone). */
  error?: string;
}

export interface RunbookEditorActions {
  /** Opens the editor (listing the runbooks), on `name` when given. */
  openRunbookEditor(name?: string): Promise<void>;
  closeRunbookEditor(): void;
  /** Loads a runbook's file into the editor. */
  pickRunbook(name: string): Promise<void>;
  /** Opens the template as a new draft. */
  newRunbookFromTemplate(): void;
  /** The draft changed: validated on the host once typing pauses. */
  runbookDraftChanged(text: string): void;
  /** Saves the draft (as `<metadata.name>.yaml` in the admin's folder); the host refuses a draft with errors. */
  saveRunbook(text: string): Promise<void>;
}

export const initialRunbookEditor = (): RunbookEditorState => ({ loading: false, hostIssues: [], checking: false, saving: false });

/** The runbook editor's actions over the editors' store. */
export function runbookEditorActions({ get, set }: Slice<RunbookEditorState>, deps: EditorDeps): RunbookEditorActions {
  let token = 0;
  /** Bumped by every change and load: an answer for an older draft is dropped. */
  let generation = 0;
  let cancelValidate: (() => void) | undefined;

  const patch = (p: Partial<RunbookEditorState>): void => {
    const cur = get();
    if (cur) set({ ...cur, ...p });
  };

  async function list(): Promise<void> {
    try {
      const { runbooks } = await (await deps.client()).api.runbooks.list();
      patch({ runbooks: runbooks.map((r) => ({ name: r.name, title: r.title, source: r.source })).sort((a, b) => a.name.localeCompare(b.name)), listError: undefined });
    } catch (e) {
      patch({ listError: errorText(e) });
    }
  }

  async function validate(text: string, gen: number): Promise<void> {
    try {
      const issues = await (await deps.client()).api.runbooks.validate(text);
      if (gen === generation) patch({ hostIssues: issues, checked: text, checking: false });
    } catch (e) {
      if (gen === generation) patch({ checking: false, error: `The draft could not be checked: ${errorText(e)}` });
    }
  }

  function load(doc: Omit<RunbookDoc, 'token'>): void {
    generation++;
    cancelValidate?.();
    patch({ doc: { ...doc, token: ++token }, loading: false, hostIssues: [], checked: undefined, checking: true, saved: undefined, error: undefined });
    void validate(doc.text, generation);
  }

  const actions: RunbookEditorActions = {
    async openRunbookEditor(name) {
      if (get() === undefined) set(initialRunbookEditor());
      await Promise.all([list(), name === undefined ? undefined : actions.pickRunbook(name)]);
    },
    closeRunbookEditor() {
      generation++;
      cancelValidate?.();
      set(undefined);
    },
    async pickRunbook(name) {
      const gen = ++generation;
      patch({ loading: true, error: undefined });
      try {
        const { file, text } = await (await deps.client()).api.runbooks.source(name);
        if (gen === generation) load({ name, text, file, listed: name });
      } catch (e) {
        if (gen === generation) patch({ loading: false, error: `${name} could not be read: ${errorText(e)}` });
      }
    },
    newRunbookFromTemplate() {
      load({ name: TEMPLATE_NAME, text: RUNBOOK_TEMPLATE });
    },
    runbookDraftChanged(text) {
      const cur = get();
      if (cur === undefined) return;
      const gen = ++generation;
      cancelValidate?.();
      // Back to the text the host last checked (an undo): its answer stands, and an earlier draft's must not land.
      if (text === cur.checked) {
        patch({ checking: false });
        return;
      }
      cancelValidate = deps.timer(() => void validate(text, gen), VALIDATE_DEBOUNCE_MS);
      patch({ checking: true, ...(cur.saved !== undefined && cur.saved.text !== text ? { saved: undefined } : {}) });
    },
    async saveRunbook(text) {
      patch({ saving: true, error: undefined });
      try {
        const { file, issues } = await (await deps.client()).api.runbooks.save(text);
        if (issues.length > 0 && file === '') {
          const errors = issues.filter((i) => i.severity !== 'warning').length;
          patch({ saving: false, hostIssues: issues, checked: text, error: `Not saved: the draft has ${errors} error${errors === 1 ? '' : 's'} (listed below).` });
          return;
        }
        const doc = get()?.doc;
        // The draft is now that file (the same text, so the editor keeps its model: same token).
        const listed = /([^/\\]+)\.yaml$/.exec(file)?.[1];
        patch({ saving: false, saved: { file, text }, hostIssues: issues, checked: text, ...(doc ? { doc: { ...doc, file, listed } } : {}) });
        // The list shows the saved runbook (a new one, or the admin's copy replacing a shipped one).
        await list();
      } catch (e) {
        patch({ saving: false, error: `Not saved: ${errorText(e)}` });
      }
    },
  };
  return actions;
}
