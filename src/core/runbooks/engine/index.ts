/**
 * The runbook engine's public surface: plan, run, steer and recover runs;
 * the ClusterCache it reads; the step families' building blocks.
 */
export { RunbookEngine, newRunId } from './engine';
export { mirrorCache, type ClusterCache, type MirrorLike } from './cluster-cache';
export { journalFile, readJournal, replay, unfinishedRuns, type JournalRecord, type Replay } from './journal';
export { planRunbook, loopNodes } from './planner';
export { objectPath, KNOWN_KINDS } from './objects';
export { CORDON_AT, CORDON_BY, CORDON_REASON } from './steps/cordon';
export { selectForDrain } from './steps/drain';
export { evaluate as evaluateWait } from './steps/wait';
export { evaluateGuard, type GuardVerdict } from './steps/guards';
export { collectionDir, safeName } from './steps/collect';
export {
  DEFAULT_TUNING,
  PlanError,
  StepFailure,
  type EngineDeps,
  type EnginePlan,
  type EnginePlannedStep,
  type EngineTuning,
  type LeaseHandle,
  type LeaseRequest,
  type MaintenanceEntry,
  type ParamValue,
} from './types';
