/**
 * The training panel's slice of the store: whether training is possible,
 * the run the fleet plays (goals, steps, target), the catalogue a trainer
 * starts scenarios and injects faults from, and the last debrief. Plain
 * data, no store imports, so initialState can use it without an import cycle.
 */
import type { Debrief, FaultDoc, ScenarioSummary, TrainingStatus } from '../../../shared/training';

/** Which part of the panel shows: the trainee's view of the run, the trainer's controls, or the debrief. */
export type TrainingTab = 'trainee' | 'trainer' | 'debrief';

export interface TrainingState {
  /** What the host last said (`training.status` or `training.status()`); null until known. */
  status: TrainingStatus | null;
  /** The scenarios and the fault catalogue; undefined until the trainer tab asks. */
  catalogue: { scenarios: ScenarioSummary[]; faults: FaultDoc[] } | undefined;
  /** The last ended run's debrief, once one exists. */
  debrief: Debrief | null;
  open: boolean;
  tab: TrainingTab;
  /** A call to the host is on its way (buttons wait for it). */
  busy: boolean;
  /** What the fleet said about the last injected fault. */
  injected: string | undefined;
  /** The last refusal or failure, in the host's words. */
  error: string | undefined;
}

export function initialTrainingState(): TrainingState {
  return { status: null, catalogue: undefined, debrief: null, open: false, tab: 'trainee', busy: false, injected: undefined, error: undefined };
}
