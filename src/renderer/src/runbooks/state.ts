/**
 * The runbooks slice of the renderer's state: the runbook library, the plan
 * dialog, the runs this console knows (kept current by `runbook.status`
 * events) and the maintenance in progress at every site (other consoles'
 * Leases included). Kept apart from the actions so store/initialState can
 * import it without importing the store.
 */
import type { MaintenanceView } from '../../../shared/contract/triptych';
import type { RunPlan, RunStatus, Runbook, RunbookIssue } from '../../../shared/runbooks';
import type { RunbookTargetRef } from './view';

/** The plan dialog: a runbook on a target, the declared parameters as typed, and the plan for them. */
export interface PlanDialogState {
  /** Changes with every dialog opened, so a late answer for an earlier dialog is dropped. */
  id: number;
  runbook: string;
  target: RunbookTargetRef;
  /** Declared parameters as their inputs hold them (text, or a checkbox's boolean). */
  values: Record<string, string | boolean>;
  /** Bumped on every change of `values`; only the plan for the latest one may start. */
  seq: number;
  /** The latest plan received, and the `seq` it answers. */
  plan: RunPlan | undefined;
  planSeq: number;
  /** A plan is asked for (or about to be, once typing pauses). */
  planning: boolean;
  /** Why the host could not plan (bad parameters, an unknown object), in its words. */
  planError: string | undefined;
  starting: boolean;
  /** Why the host refused to start (a read-only connection, a blocker that appeared), in its words. */
  startError: string | undefined;
}

export interface RunbooksState {
  /** Every runbook the host offers; undefined until the first answer. */
  list: Runbook[] | undefined;
  /** Runbook files that did not load (or replace a shipped one). */
  issues: RunbookIssue[];
  listError: string | undefined;
  dialog: PlanDialogState | undefined;
  /** Runs by id, as the last event or answer about each said. */
  runs: Record<string, RunStatus>;
  /** The run the dock shows. */
  shownRun: string | undefined;
  dockOpen: boolean;
  /** A control the host refused, and the run it was for. */
  controlError: { run: string; message: string } | undefined;
  /** Controls waiting for their answer, by run (their buttons wait too). */
  pending: Record<string, string>;
  /** Runs asked to pause that have not reached a step boundary yet (the host's state still says running). */
  pausing: Record<string, true>;
  /** Maintenance in progress at every reachable site. */
  maintenance: MaintenanceView[];
  /** Why the last refresh failed (the list shown is the one before). */
  maintenanceError: string | undefined;
}

/** Nothing known yet. */
export function initialRunbooksState(): RunbooksState {
  return {
    list: undefined,
    issues: [],
    listError: undefined,
    dialog: undefined,
    runs: {},
    shownRun: undefined,
    dockOpen: false,
    controlError: undefined,
    pending: {},
    pausing: {},
    maintenance: [],
    maintenanceError: undefined,
  };
}

/** The plan on screen answers the parameters on screen, has no blockers, and nothing is in flight. */
export function canStart(d: PlanDialogState | undefined): boolean {
  return d !== undefined && d.plan !== undefined && d.planSeq === d.seq && !d.planning && !d.starting && d.plan.blockers.length === 0;
}
