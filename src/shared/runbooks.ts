/**
 * Runbooks as the contract carries them: a validated runbook, the plan the
 * admin previews before anything changes, and the progress of a run.
 * core/runbooks parses runbook YAML into `Runbook` (see
 * resources/runbooks/runbook.schema.json for the file format) and runs it.
 *
 * A runbook file:
 *
 *   apiVersion: triptych.io/v1
 *   kind: Runbook
 *   metadata: { name: drain-node, title: Drain a node for maintenance }
 *   spec:
 *     target: node                 # offered from: node | rack | site | workload | none
 *     params:
 *       - { name: reason, type: string, default: maintenance }
 *     lease: { scope: "node/${node}", duration: 2h }
 *     steps:
 *       - check: { guard: geo-redundancy }
 *       - confirm: { message: "Drain ${node} at ${site}?" }
 *       - cordon: { node: "${node}", reason: "${reason}" }
 *       - drain: { node: "${node}", gracePeriodSeconds: 30, timeout: 10m }
 *
 * `${name}` interpolates a parameter. The target's parameters come with it:
 * `node` gives site + node, `rack` site + rack, `site` site, `workload` site +
 * namespace + kind + name.
 */

/** What a runbook is started from (its parameters follow from it). */
export type RunbookTarget = 'node' | 'rack' | 'site' | 'workload' | 'none';

export type ParamType = 'site' | 'node' | 'rack' | 'namespace' | 'workload' | 'string' | 'number' | 'boolean';

export interface RunbookParam {
  name: string;
  type: ParamType;
  description?: string;
  /** Absent: the parameter is required. */
  default?: string | number | boolean;
}

/** `${name}`: a parameter reference; interpolate() checks what it resolves to. */
export type ParamRef = `\${${string}}`;

/** A duration as written in a runbook (`30s`, `10m`, `2h`), kept as milliseconds. */
export type Millis = number;

/** Step arguments are strings that may hold `${param}`; numbers and durations are resolved at parse time. */
export type StepSpec =
  | { type: 'cordon'; node: string; reason?: string }
  | { type: 'uncordon'; node: string }
  | {
      type: 'drain';
      node: string;
      /** Per-pod grace period; default: each pod's own. */
      gracePeriodSeconds?: number;
      /** The whole drain gives up after this long (evictions a PDB keeps refusing are retried until then). */
      timeout: Millis;
      /** Pods with emptyDir volumes are evicted too (their data is lost); default false, as kubectl. */
      deleteEmptyDirData?: boolean;
    }
  | { type: 'scale'; workload: string; namespace: string; kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet' | ParamRef; replicas: string }
  | { type: 'rollout-restart'; workload: string; namespace: string; kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | ParamRef }
  | { type: 'patch'; object: ObjectRefSpec; patch: unknown; patchType: 'merge' | 'strategic' | 'json' }
  | { type: 'label' | 'annotate'; object: ObjectRefSpec; set: Record<string, string | null> }
  | { type: 'wait'; for: WaitCondition; timeout: Millis }
  | { type: 'check'; guard: 'geo-redundancy' | 'site-healthy' | 'no-maintenance-elsewhere'; /** Extra capacity the other sites must have, as a share of what moves (default 1.0). */ headroom?: number }
  | { type: 'confirm'; message: string }
  | { type: 'note'; text: string }
  | { type: 'collect'; of: ObjectRefSpec; logs?: boolean; since?: Millis }
  | { type: 'report'; kind: 'handover' | 'summary' };

/** An object a step names, before interpolation. */
export interface ObjectRefSpec {
  kind: string;
  namespace?: string;
  name: string;
}

export type WaitCondition =
  | { condition: 'node-empty'; node: string }
  | { condition: 'node-ready'; node: string }
  | { condition: 'workload-ready'; namespace: string; kind: string; name: string }
  | { condition: 'pods-ready'; namespace: string; selector: string };

export type StepType = StepSpec['type'];

/** Steps that change a cluster: run at most once, even across a crash. */
export const MUTATING_STEPS: readonly StepType[] = ['cordon', 'uncordon', 'drain', 'scale', 'rollout-restart', 'patch', 'label', 'annotate'];

export interface RunbookStep {
  /** Unique within the runbook; defaults to `<index>-<type>`. */
  id: string;
  /** Shown in the plan and progress; defaults to a summary of the step. */
  title?: string;
  /**
   * Runs once per site in this list (`${site}` is then that site), one site after the other; default: the run's site.
   * Consecutive steps with the same forEachSite (or forEachNode) value form one loop: all of them for one site (node), then the next.
   */
  forEachSite?: 'all' | 'others';
  /** Runs once per node of the run's rack (target rack only) or site, one node after the other, `${node}` set to each; not with forEachSite. */
  forEachNode?: 'rack' | 'site';
  spec: StepSpec;
}

export interface Runbook {
  name: string;
  title: string;
  description?: string;
  target: RunbookTarget;
  params: RunbookParam[];
  /** A coordination.k8s.io Lease held at the site while the run lasts. */
  lease?: { scope: string; duration: Millis };
  steps: RunbookStep[];
  /** Where it was read from (a file of resources/runbooks or the admin's folder). */
  source: string;
}

/** A problem with a runbook file, located. */
export interface RunbookIssue {
  /** Absent = error (the file does not load); 'warning' = loaded, worth telling (an admin runbook replacing a shipped one). */
  severity?: 'error' | 'warning';
  file: string;
  line: number;
  column: number;
  message: string;
}

/** An object a planned step touches, resolved. */
export interface ObjectRef {
  site: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** The dry-run preview: every step, what it will touch, nothing changed yet. */
export interface RunPlan {
  /** Names the plan when it comes back from the UI: the engine starts only plans it made, never a copy sent back. */
  id: string;
  runbook: string;
  params: Record<string, string | number | boolean>;
  steps: PlannedStep[];
  /** Why the run cannot start now (a guard, a Lease held by someone else); empty when it can. */
  blockers: string[];
}

export interface PlannedStep {
  id: string;
  type: StepType;
  /** The step's arguments with parameters substituted. */
  spec: StepSpec;
  title: string;
  site: string;
  mutates: boolean;
  /** Every object the step will change (or, for checks and waits, look at). */
  touches: ObjectRef[];
  /** Anything the admin should know (pods a drain will skip, a PDB that will slow it). */
  notes: string[];
}

export type RunState = 'planned' | 'running' | 'waiting-confirm' | 'paused' | 'succeeded' | 'failed' | 'aborted';
export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** A run's progress as the UI shows it. */
export interface RunStatus {
  run: string;
  runbook: string;
  title: string;
  state: RunState;
  startedBy: string;
  startedAt: number;
  endedAt?: number;
  params: Record<string, string | number | boolean>;
  /** `type` tells the UI what a gate is (a `confirm`, or a `note` to mark done). */
  steps: { id: string; type: StepType; title: string; site: string; state: StepState; startedAt?: number; endedAt?: number; message?: string; progress?: { done: number; total: number } }[];
  /** The step index now running or waiting. */
  current?: number;
  error?: string;
}
