/**
 * The engine's types: what it is given (EngineDeps), the plan it makes and
 * runs (EnginePlan), and what each step family implements (StepHandler).
 */
import type { AuditRecord, AuditResult } from '../../../shared/audit';
import type { ObjectRef, PlannedStep, RunPlan, RunStatus, StepSpec, StepType } from '../../../shared/runbooks';
import type { KubeHttp } from '../../kube/http';
import type { ClusterCache } from './cluster-cache';

export type ParamValue = string | number | boolean;

/** A maintenance in progress at a site, as the coordination Leases tell it. */
export interface MaintenanceEntry {
  /** e.g. `rack/A-01`, `node/fra-a-r01-u04`, `site`. */
  scope: string;
  holder: string;
  /** ISO 8601. */
  since: string;
  /** The runbook holding it, when a runbook does. */
  runbook?: string;
}

/**
 * What the engine asks the coordination layer for before its first mutating
 * step (the shape of coordination's MaintenanceRequest). A run taken up after
 * a crash asks again with the same run and holder.
 */
export interface LeaseRequest {
  site: string;
  scope: string;
  /** Who started the run. */
  holder: string;
  runbook: string;
  run: string;
  reason: string;
  durationMs: number;
}

export interface LeaseHandle {
  release(): Promise<void>;
  /** Stops renewing without deleting (the console quits mid-run: the restart takes the Lease back, or it lapses). */
  abandon?(): void;
}

/** Knobs with kubectl's values by default; tests shorten the waits. */
export interface EngineTuning {
  /** A PodDisruptionBudget refused an eviction: try again after this long (kubectl: 5 s), or earlier when the cache shows the budget allows one. */
  evictionRetryMs: number;
  /** How often a drain re-lists the node's pods while waiting for them to go (kubectl: 1 s), besides on every cache change. */
  deletePollMs: number;
  /** Evictions in flight at once per drain. */
  evictionConcurrency: number;
  /** Coalescing window for cache changes before a condition is evaluated again. */
  settleMs: number;
  /** A wait re-checks at least this often, cache changes or not (`pods-ready` lists its pods from the API each time). */
  waitPollMs: number;
  /** The geo-redundancy guard refuses when more than this share of another site's nodes is not Ready (always refused above 0 for sites under 20 nodes: one node is 5 %). */
  maxNotReadyShare: number;
  /** `collect`: the last lines of each container's log when the step gives no `since`. */
  logTailLines: number;
}

export const DEFAULT_TUNING: EngineTuning = {
  evictionRetryMs: 5_000,
  deletePollMs: 1_000,
  evictionConcurrency: 8,
  settleMs: 200,
  waitPollMs: 2_000,
  maxNotReadyShare: 0.05,
  logTailLines: 1_000,
};

/** What the engine is wired to. Everything that reaches a cluster or a file goes through here. */
export interface EngineDeps {
  /** Journals go to `<dataDir>/runbooks/`, diagnostics to `<dataDir>/collections/`. */
  dataDir: string;
  cache: ClusterCache;
  /** An API client for the site, with the admin's credentials for it (the engine does not close it). */
  http(site: string): KubeHttp;
  /** Every mutating step, and the start and end of each run. A throw fails the run: nothing changes that cannot be recorded. */
  audit(record: AuditRecord): void | Promise<void>;
  /** Every change of a run's progress. */
  emit?(status: RunStatus): void;
  /** Takes the runbook's Lease; rejects with the reason when someone else holds it. Must accept the same `run` again (a run resumed after a crash). */
  acquireLease?(req: LeaseRequest): Promise<LeaseHandle>;
  /** Maintenance in progress at a site (Leases); the `no-maintenance-elsewhere` guard asks it about the other sites. */
  maintenanceAt?(site: string): Promise<MaintenanceEntry[]>;
  /** Writes a report for the `report` step; resolves with the file it wrote. */
  report?(kind: 'handover' | 'summary', run: RunStatus): Promise<string>;
  /** The site's display name (the plan and gates show it); default the id. */
  siteName?(site: string): string;
  now?(): number;
  tuning?: Partial<EngineTuning>;
}

/** A planned step with what the engine needs to run it. */
export interface EnginePlannedStep extends PlannedStep {
  /** The step's arguments with parameters (and `${site}`, `${node}`) substituted. */
  spec: StepSpec;
  /** The runbook step it was expanded from. */
  source: string;
}

/** The plan the engine makes and runs: a RunPlan plus what running it needs, fixed at plan time. */
export interface EnginePlan extends RunPlan {
  /** Names the plan when it comes back from a UI: the engine starts its own copy, never the one sent back. */
  id: string;
  steps: EnginePlannedStep[];
  title: string;
  /** The run's site (the `site` parameter), when it has one. */
  site?: string;
  lease?: { site: string; scope: string; durationMs: number };
  plannedAt: number;
}

/** The step kinds by type (label and annotate share one spec). */
export type SpecOf<T extends StepType> = StepSpec extends infer S ? (S extends { type: infer U } ? (T extends U ? S : never) : never) : never;

/** What a step's preview reads with: pure reads, nothing changed. */
export interface PlanContext {
  site: string;
  http: KubeHttp;
  cache: ClusterCache;
  deps: EngineDeps;
  tuning: EngineTuning;
  /** The whole plan (the geo-redundancy guard looks at the drains after it) and this step's place in it. */
  steps: readonly EnginePlannedStep[];
  index: number;
  siteName(site: string): string;
  now(): number;
}

export interface StepContext extends PlanContext {
  run: string;
  runbook: string;
  step: EnginePlannedStep;
  /** Who started the run (the audit's `who`). */
  who: string;
  signal: AbortSignal;
  /** True when this step had begun before a crash and runs again. */
  resumed: boolean;
  progress(p: { done?: number; total?: number; message?: string }): void;
  /** Journals a value (fsync'd) before the step acts on it, so a re-run after a crash uses the same one. */
  remember(key: string, value: unknown): void;
  recall<T>(key: string): T | undefined;
  /** Waits for the admin's confirm; rejects with Aborted when the run is aborted. */
  gate(text: string): Promise<void>;
  status(): RunStatus;
}

/** What a step's preview adds to the plan. */
export interface StepPreview {
  touches: ObjectRef[];
  notes: string[];
  /** Why the run cannot start (a guard failing now, pods a drain would refuse). */
  blockers: string[];
}

export interface StepOutcome {
  message: string;
  /** Kept in the journal and the audit entry. */
  data?: Record<string, unknown>;
}

/** A step that did not do its work; `result` is `refused` when a guard or the server said no. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly result: Exclude<AuditResult, 'ok'> = 'failed',
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** Something wrong with a runbook or its parameters, found while planning. */
export class PlanError extends Error {}

/** One step family. */
export interface StepHandler<T extends StepType> {
  /** A summary for the plan when the runbook gives no title. */
  title(spec: SpecOf<T>): string;
  preview(ctx: PlanContext, spec: SpecOf<T>): Promise<StepPreview>;
  run(ctx: StepContext, spec: SpecOf<T>): Promise<StepOutcome>;
}
