/**
 * The training panel's actions: following `training.status` (the fleet's
 * run, its goals ticking as they are met), the trainer's controls (start a
 * scenario, play the next step now, inject a fault, stop) and the debrief.
 * A refusal (a viewer connection, a fault the fleet cannot apply) lands in
 * `training.error` in the host's words and never rejects, so the panel has
 * one place to show it.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { TriptychClient } from '../api';
import type { Debrief, TrainingStatus } from '../../../shared/training';
import type { AppStore } from '../store/actions';
import type { StoreDeps } from '../store/deps';
import type { TrainingState, TrainingTab } from './state';

/** A fault as the trainer's form posts it (the contract's `training.inject` argument). */
export type FaultRequest = Parameters<TriptychClient['api']['training']['inject']>[0];

export interface TrainingActions {
  /** Opens the panel (on the trainee view while a run plays) and loads the catalogue. */
  openTraining(): Promise<void>;
  closeTraining(): void;
  setTrainingTab(tab: TrainingTab): void;
  startTraining(name: string): Promise<void>;
  /** Plays the run's next step now (the trainer keeping the session moving). */
  advanceTraining(): Promise<void>;
  injectFault(fault: FaultRequest): Promise<void>;
  /** Ends the run and shows its debrief. */
  stopTraining(): Promise<void>;
}

type SetState = StoreApi<AppStore>['setState'];
type GetState = StoreApi<AppStore>['getState'];

/** The slice's actions, and `attach`, which start() calls once connected; its result undoes it. */
export function createTrainingSlice(set: SetState, get: GetState, deps: StoreDeps): { actions: TrainingActions; attach(c: TriptychClient): () => void } {
  const patch = (p: Partial<TrainingState>): void => set((st) => ({ training: { ...st.training, ...p } }));
  const api = async (): Promise<TriptychClient['api']['training']> => (await deps.client()).api.training;

  /** Runs one trainer call: busy while it runs, its refusal in `error`. */
  async function act(what: string, fn: (t: TriptychClient['api']['training']) => Promise<Partial<TrainingState>>): Promise<void> {
    if (get().training.busy) return;
    patch({ busy: true, error: undefined });
    try {
      patch({ ...(await fn(await api())), busy: false });
    } catch (e) {
      patch({ busy: false, error: `${what}: ${errorText(e)}` });
    }
  }

  async function loadCatalogue(): Promise<void> {
    if (get().training.catalogue !== undefined || get().training.status?.available !== true) return;
    try {
      patch({ catalogue: await (await api()).catalogue() });
    } catch (e) {
      patch({ error: `The scenarios could not be listed: ${errorText(e)}` });
    }
  }

  return {
    attach(c) {
      let live = true;
      // Subscribed before the status is asked for: a change meanwhile arrives as an event, and the newer start time wins.
      const off = c.on('training.status', (s) => {
        if (!isStatus(s)) return;
        patch({ status: s });
        // A run ended by another console (the trainer's) or by the fleet: this one fetches the debrief, which the host writes before it says the run ended.
        const ended = s.run?.endedAt !== undefined ? s.run : null;
        if (ended && get().training.debrief?.startedAt !== ended.startedAt) {
          c.api.training.debrief().then(
            (d) => {
              if (live && d !== null && d.startedAt === ended.startedAt) patch({ debrief: d });
            },
            () => undefined,
          );
        }
      });
      c.api.training.status().then(
        (s) => {
          if (live && isStatus(s) && get().training.status === null) patch({ status: s });
        },
        () => undefined,
      );
      c.api.training.debrief().then(
        (d) => {
          if (live && d !== null && get().training.debrief === null) patch({ debrief: d });
        },
        () => undefined,
      );
      return () => {
        live = false;
        off();
      };
    },
    actions: {
      async openTraining() {
        const t = get().training;
        const tab: TrainingTab = t.status?.run ? (t.status.run.endedAt !== undefined && t.debrief ? 'debrief' : 'trainee') : 'trainer';
        set((st) => ({ training: { ...st.training, open: true, tab, error: undefined }, ui: { ...st.ui, paletteOpen: false } }));
        await loadCatalogue();
      },
      closeTraining() {
        patch({ open: false, error: undefined });
      },
      setTrainingTab(tab) {
        patch({ tab, error: undefined });
        if (tab === 'trainer') void loadCatalogue();
      },
      startTraining(name) {
        return act(`Scenario ${name} could not start`, async (t) => ({ status: await t.start(name), tab: 'trainee', injected: undefined }));
      },
      advanceTraining() {
        return act('The next step could not be played', async (t) => ({ status: await t.advance() }));
      },
      injectFault(fault) {
        return act(`The fault ${fault.fault} was not injected`, async (t) => ({ injected: (await t.inject(fault)).result }));
      },
      stopTraining() {
        return act('The scenario could not be stopped', async (t) => {
          const debrief: Debrief = await t.stop();
          const status = await t.status().catch(() => get().training.status);
          return { debrief, status, tab: 'debrief' };
        });
      },
    },
  };
}

function isStatus(s: unknown): s is TrainingStatus {
  if (typeof s !== 'object' || s === null) return false;
  const x = s as { available?: unknown; run?: unknown };
  if (typeof x.available !== 'boolean') return false;
  if (x.run === null) return true;
  const r = x.run as { name?: unknown; goals?: unknown; steps?: unknown; startedAt?: unknown; target?: unknown } | undefined;
  return typeof r === 'object' && r !== null && typeof r.name === 'string' && Array.isArray(r.goals) && Array.isArray(r.steps) && typeof r.startedAt === 'number' && typeof r.target === 'object';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
