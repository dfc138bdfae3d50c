/**
 * The incident timeline's actions: reading the timeline when connected,
 * following `incident.entry` events (every console and war-room screen sees
 * a note the moment it is added), and the operator's note. A refused note
 * (a viewer connection, a credential in the text) lands in `incident.error`
 * in the host's words and never rejects, so the dialog has one place to show it.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { TriptychClient } from '../api';
import type { IncidentEntry } from '../../../shared/incident';
import type { AppStore } from '../store/actions';
import type { StoreDeps } from '../store/deps';
import type { IncidentState } from './state';
import { isIncidentEntry, mergeEntries, noteProblem } from './timeline';

export interface IncidentActions {
  openIncident(): void;
  closeIncident(): void;
  setIncidentDraft(text: string): void;
  /** Adds the draft as a note (operator only); the draft is cleared once the host has it. */
  addIncidentNote(site?: string): Promise<void>;
}

type SetState = StoreApi<AppStore>['setState'];
type GetState = StoreApi<AppStore>['getState'];

/** The slice's actions, and `attach`, which start() calls once connected; its result undoes it. */
export function createIncidentSlice(set: SetState, get: GetState, deps: StoreDeps): { actions: IncidentActions; attach(c: TriptychClient): () => void } {
  const patch = (p: Partial<IncidentState>): void => set((st) => ({ incident: { ...st.incident, ...p } }));

  function add(entries: readonly IncidentEntry[]): void {
    const cur = get().incident.entries;
    const next = mergeEntries(cur, entries);
    if (next !== cur) patch({ entries: next });
  }

  return {
    attach(c) {
      let live = true;
      // Subscribed before the timeline is asked for: a note added meanwhile is in one or the other, and merged by id.
      const off = c.on('incident.entry', (e) => {
        if (isIncidentEntry(e)) add([e]);
      });
      c.api.incident.timeline().then(
        (list) => {
          if (live && Array.isArray(list)) {
            add(list);
            patch({ loadError: undefined });
          }
        },
        (e: unknown) => {
          if (live) patch({ loadError: `The incident timeline could not be read: ${errorText(e)}; new entries still show as they come.` });
        },
      );
      return () => {
        live = false;
        off();
      };
    },
    actions: {
      openIncident() {
        set((st) => ({ incident: { ...st.incident, open: true, error: undefined }, ui: { ...st.ui, paletteOpen: false } }));
      },
      closeIncident() {
        patch({ open: false, error: undefined });
      },
      setIncidentDraft(text) {
        patch({ draft: text });
      },
      async addIncidentNote(site) {
        const st = get().incident;
        if (st.saving) return;
        const problem = noteProblem(st.draft);
        if (problem !== undefined) return patch({ error: problem });
        patch({ saving: true, error: undefined });
        try {
          const entry = await (await deps.client()).api.incident.note({ text: st.draft.trim(), ...(site ? { site } : {}) });
          add([entry]);
          patch({ saving: false, draft: '' });
        } catch (e) {
          patch({ saving: false, error: errorText(e) });
        }
      },
    },
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
