/**
 * The runbooks slice's actions: loading the library, the plan dialog
 * (re-planned as parameters change, debounced, late answers dropped),
 * starting and steering runs, following `runbook.status` events, and
 * keeping the maintenance list current (after each run's state change and
 * every 15 s, to see other consoles' Leases). Built by store/actions with the
 * same `set`/`get` and deps, so tests drive it with the fake client.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { TriptychClient } from '../api';
import type { RunStatus } from '../../../shared/runbooks';
import type { AppStore } from '../store/actions';
import type { StoreDeps } from '../store/deps';
import { canStart, type PlanDialogState, type RunbooksState } from './state';
import { initialValues, isActive, planParams, type RunbookTargetRef } from './view';

/** How long typing in a parameter must pause before the plan is asked for again. */
export const PLAN_DEBOUNCE_MS = 400;
/** Maintenance is read again this often, to see Leases taken by other consoles. */
export const MAINTENANCE_POLL_MS = 15_000;
/** Run state changes close together (a gate passed, the next step begun) cost one maintenance read. */
export const MAINTENANCE_DEBOUNCE_MS = 300;

/** The controls a run answers to; each is the contract method of the same name. */
export type RunControl = 'confirm' | 'pause' | 'resume' | 'abort';

export interface RunbookActions {
  /** Reads the runbook library again (an admin may have saved one since). */
  loadRunbooks(): Promise<void>;
  /** Opens the plan dialog for a runbook on a target, its declared parameters at their defaults, and asks for the plan. */
  openPlan(runbook: string, target: RunbookTargetRef): void;
  /** Changes a declared parameter; the plan is asked for again once typing pauses. */
  setPlanValue(name: string, value: string | boolean): void;
  closePlan(): void;
  /**
   * Starts the plan on screen and shows its run in the dock. A refusal (a
   * read-only connection, a blocker that appeared) stays in the dialog, in
   * the host's words.
   */
  startPlan(): Promise<void>;
  /** Sends a control for a run; a refusal is kept as `controlError`. */
  controlRun(action: RunControl, run: string): Promise<void>;
  /** Shows a run in the dock. */
  showRun(run: string): void;
  closeRunDock(): void;
  /** Reads the maintenance in progress at every site now. */
  refreshMaintenance(): Promise<void>;
}

type SetState = StoreApi<AppStore>['setState'];
type GetState = StoreApi<AppStore>['getState'];

/** The slice's actions, and `attach`, which start() calls once connected; its result undoes it. */
export function createRunbookSlice(set: SetState, get: GetState, deps: StoreDeps, client: () => TriptychClient): { actions: RunbookActions; attach(c: TriptychClient): () => void } {
  let dialogIds = 0;
  let cancelReplan: (() => void) | undefined;
  let cancelMaintenance: (() => void) | undefined;
  let maintenanceInFlight = false;
  let maintenanceAgain = false;
  let attached = false;

  function patch(fn: (r: RunbooksState) => Partial<RunbooksState>): void {
    set((st) => ({ runbooks: { ...st.runbooks, ...fn(st.runbooks) } }));
  }

  /** Changes the dialog if it is still dialog `id`. */
  function patchDialog(id: number, fn: (d: PlanDialogState) => Partial<PlanDialogState>): void {
    patch((r) => (r.dialog?.id === id ? { dialog: { ...r.dialog, ...fn(r.dialog) } } : {}));
  }

  function applyRun(s: RunStatus): void {
    const prev = get().runbooks.runs[s.run];
    patch((r) => {
      // Paused (or ended, or resumed meanwhile): the pause asked for is no longer pending.
      if (!r.pausing[s.run] || s.state === 'running' || s.state === 'waiting-confirm') return { runs: { ...r.runs, [s.run]: s } };
      const pausing = { ...r.pausing };
      delete pausing[s.run];
      return { runs: { ...r.runs, [s.run]: s }, pausing };
    });
    // A Lease is taken at the first change and released at the end; progress within a step changes neither.
    if (prev === undefined || prev.state !== s.state || prev.current !== s.current) scheduleMaintenance();
  }

  function onRunStatus(s: RunStatus): void {
    if (!isRunStatus(s)) return;
    applyRun(s);
  }

  function requestPlan(): void {
    cancelReplan?.();
    cancelReplan = undefined;
    const d = get().runbooks.dialog;
    if (d === undefined) return;
    const rb = get().runbooks.list?.find((r) => r.name === d.runbook);
    if (rb === undefined) {
      patchDialog(d.id, () => ({ planning: false, planError: `no runbook named ${d.runbook} (the library changed?)` }));
      return;
    }
    const { id, seq } = d;
    patchDialog(id, () => ({ planning: true }));
    let call: Promise<unknown>;
    try {
      call = client().api.runbooks.plan(d.runbook, planParams(rb, d.target, d.values));
    } catch (e) {
      call = Promise.reject(e);
    }
    call.then(
      (plan) => patchDialog(id, (cur) => (cur.seq === seq ? { plan: plan as PlanDialogState['plan'], planSeq: seq, planning: false, planError: undefined } : {})),
      (e: unknown) => patchDialog(id, (cur) => (cur.seq === seq ? { plan: undefined, planSeq: seq, planning: false, planError: errorText(e) } : {})),
    );
  }

  function scheduleMaintenance(): void {
    if (!attached || cancelMaintenance !== undefined) return;
    cancelMaintenance = deps.timer(() => {
      cancelMaintenance = undefined;
      void refreshMaintenance();
    }, MAINTENANCE_DEBOUNCE_MS);
  }

  async function refreshMaintenance(): Promise<void> {
    // One read at a time; a request meanwhile reads again after it, so the last state is never missed.
    if (maintenanceInFlight) {
      maintenanceAgain = true;
      return;
    }
    maintenanceInFlight = true;
    try {
      const list = await client().api.runbooks.maintenance();
      if (Array.isArray(list)) patch(() => ({ maintenance: list, maintenanceError: undefined }));
    } catch (e) {
      patch(() => ({ maintenanceError: errorText(e) }));
    } finally {
      maintenanceInFlight = false;
      if (maintenanceAgain) {
        maintenanceAgain = false;
        void refreshMaintenance();
      }
    }
  }

  async function loadRunbooks(): Promise<void> {
    try {
      const { runbooks, issues } = await client().api.runbooks.list();
      patch(() => ({ list: runbooks, issues, listError: undefined }));
    } catch (e) {
      patch(() => ({ listError: errorText(e) }));
    }
  }

  /** Runs known to the host (a reload lost ours): the answer is newer than any event before it. */
  async function loadRuns(c: TriptychClient): Promise<void> {
    let list: RunStatus[];
    try {
      list = await c.api.runbooks.runs();
    } catch (e) {
      console.warn('Runbook runs unavailable:', errorText(e));
      return;
    }
    if (!attached) return;
    const valid = list.filter(isRunStatus);
    patch((r) => {
      const runs = { ...r.runs };
      for (const s of valid) runs[s.run] = s;
      if (r.dockOpen) return { runs };
      // After a reload the dock comes back on the newest run still going, as it was before.
      const active = valid.filter((s) => isActive(s.state)).sort((a, b) => b.startedAt - a.startedAt)[0];
      return active ? { runs, shownRun: active.run, dockOpen: true } : { runs };
    });
  }

  const actions: RunbookActions = {
    loadRunbooks,
    openPlan(runbook, target) {
      cancelReplan?.();
      cancelReplan = undefined;
      const rb = get().runbooks.list?.find((r) => r.name === runbook);
      const dialog: PlanDialogState = {
        id: ++dialogIds,
        runbook,
        target,
        values: rb ? initialValues(rb) : {},
        seq: 0,
        plan: undefined,
        planSeq: -1,
        planning: true,
        planError: undefined,
        starting: false,
        startError: undefined,
      };
      patch(() => ({ dialog }));
      set((st) => ({ ui: { ...st.ui, paletteOpen: false } }));
      requestPlan();
    },
    setPlanValue(name, value) {
      const d = get().runbooks.dialog;
      if (d === undefined) return;
      patchDialog(d.id, (cur) => ({ values: { ...cur.values, [name]: value }, seq: cur.seq + 1, planning: true, startError: undefined }));
      cancelReplan?.();
      cancelReplan = deps.timer(requestPlan, PLAN_DEBOUNCE_MS);
    },
    closePlan() {
      cancelReplan?.();
      cancelReplan = undefined;
      patch(() => ({ dialog: undefined }));
    },
    async startPlan() {
      const d = get().runbooks.dialog;
      if (!canStart(d) || d === undefined || d.plan === undefined) return;
      const plan = d.plan;
      patchDialog(d.id, () => ({ starting: true, startError: undefined }));
      let status: RunStatus;
      try {
        status = await client().api.runbooks.start(plan.id);
      } catch (e) {
        patchDialog(d.id, () => ({ starting: false, startError: errorText(e) }));
        // Something changed at the sites since the plan (a Lease, a guard): show the plan as it is now. A refusal for the role would not change.
        if (errorCode(e) !== 'forbidden' && get().runbooks.dialog?.id === d.id) requestPlan();
        return;
      }
      patch((r) => ({
        dialog: r.dialog?.id === d.id ? undefined : r.dialog,
        shownRun: status.run,
        dockOpen: true,
        controlError: undefined,
      }));
      // An event may have overtaken the answer: keep whichever is further along.
      const known = get().runbooks.runs[status.run];
      if (known === undefined || known.steps.filter((s) => s.state !== 'pending').length <= status.steps.filter((s) => s.state !== 'pending').length) applyRun(status);
    },
    async controlRun(action, run) {
      patch((r) => ({ pending: { ...r.pending, [run]: action }, controlError: undefined }));
      try {
        const answer = await client().api.runbooks[action](run);
        patch((r) => {
          const pausing = { ...r.pausing };
          if (action === 'pause') pausing[run] = true;
          else delete pausing[run];
          return { pausing };
        });
        applyRun(answer);
      } catch (e) {
        patch(() => ({ controlError: { run, message: errorText(e) } }));
      } finally {
        patch((r) => {
          const pending = { ...r.pending };
          delete pending[run];
          return { pending };
        });
      }
    },
    showRun(run) {
      patch(() => ({ shownRun: run, dockOpen: true, controlError: undefined }));
    },
    closeRunDock() {
      patch(() => ({ dockOpen: false }));
    },
    refreshMaintenance,
  };

  return {
    actions,
    attach(c) {
      attached = true;
      // Subscribe before asking, so a change between the answer and the subscription is not missed.
      const off = c.on('runbook.status', onRunStatus);
      void loadRuns(c);
      void loadRunbooks();
      void refreshMaintenance();
      const stopPoll = deps.every(() => void refreshMaintenance(), MAINTENANCE_POLL_MS);
      return () => {
        attached = false;
        off();
        stopPoll();
        cancelMaintenance?.();
        cancelMaintenance = undefined;
        cancelReplan?.();
        cancelReplan = undefined;
      };
    },
  };
}

/** A status worth keeping: the host is trusted, but a malformed event must not break the dock. */
export function isRunStatus(s: unknown): s is RunStatus {
  if (s === null || typeof s !== 'object') return false;
  const x = s as Partial<RunStatus>;
  return typeof x.run === 'string' && typeof x.state === 'string' && Array.isArray(x.steps) && typeof x.params === 'object' && x.params !== null;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
