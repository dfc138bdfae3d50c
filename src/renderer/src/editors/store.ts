/**
 * The editors' own store: the runbook editor and the resource YAML editor,
 * each undefined while closed. Separate from the app's store because nothing
 * else reads it and the app's store is the hot path of 150,000-pod mirrors.
 * Other parts of the console open the editors through {@link editorActions}.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { getClient } from '../api';
import type { EditorDeps } from './deps';
import { runbookEditorActions, type RunbookEditorActions, type RunbookEditorState } from './runbookEditor';
import { yamlEditorActions, type YamlEditorActions, type YamlEditorState } from './yamlEditor';

export interface EditorsState {
  runbook: RunbookEditorState | undefined;
  yaml: YamlEditorState | undefined;
}

export type EditorsActions = RunbookEditorActions & YamlEditorActions;

export type EditorsStore = EditorsState & { actions: EditorsActions };

/** A store over the given deps (tests pass a fake client and timer). */
export function createEditorsStore(deps: EditorDeps): StoreApi<EditorsStore> {
  return createStore<EditorsStore>()((set, get) => ({
    runbook: undefined,
    yaml: undefined,
    actions: {
      ...runbookEditorActions({ get: () => get().runbook, set: (runbook) => set({ runbook }) }, deps),
      ...yamlEditorActions({ get: () => get().yaml, set: (yaml) => set({ yaml }) }, deps),
    },
  }));
}

let store: StoreApi<EditorsStore> | undefined;

/** The app's editors store, created on first use (tests never touch `window`). */
export function getEditorsStore(): StoreApi<EditorsStore> {
  store ??= createEditorsStore({
    client: getClient,
    timer(fn, ms) {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
  });
  return store;
}

/** Reads a slice of the editors' store; re-renders when it changes. */
export function useEditors<T>(selector: (s: EditorsStore) => T): T {
  return useStore(getEditorsStore(), selector);
}

/**
 * The editors' actions, for any part of the console: e.g. a runbooks menu
 * entry calls `editorActions().openRunbookEditor(name)`, a detail panel
 * `editorActions().openYamlEditor({ site, kind, namespace, name })`.
 */
export function editorActions(): EditorsActions {
  return getEditorsStore().getState().actions;
}
