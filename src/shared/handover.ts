/**
 * The shift handover report as the UI, the clusters and the exported files
 * carry it. Plain data with no imports at all, so this file can move to
 * src/shared/handover.ts unchanged.
 *
 * Every string in a report is untrusted text: it comes from the clusters
 * (node annotations, event messages, Lease annotations) or was read back
 * from a ConfigMap anyone with write access could have edited. Views show it
 * as text, never as HTML or Markdown.
 */

/** The format version written into every report; bumped when a field changes meaning. */
export const HANDOVER_VERSION = 1;

/** New notes one handover may add (`handover.create`), and the length of one note: the contract, the dialog and core share them. */
export const NEW_NOTES_MAX = 50;
export const NOTE_MAX_CHARS = 2000;

/** One handover: what the next admin needs to know about every site. */
export interface HandoverReport {
  version: typeof HANDOVER_VERSION;
  /** `handover-<UTC yyyymmdd-hhmmss>` of `createdAt`; also the ConfigMap's name. */
  id: string;
  /** ISO 8601 (UTC, milliseconds). */
  createdAt: string;
  /** Who handed over: the Vault identity, else user@host. */
  by: string;
  /** ISO 8601: the previous handover's `createdAt`, else the start given (or 12 hours before `createdAt`). */
  shiftStart: string;
  sites: SiteHandover[];
  /** Runbook runs with audit entries during the shift, oldest first. */
  runbooks: RunbookRun[];
  /** Notes for the next shift: new ones, open ones carried over, and those closed this shift. */
  notes: HandoverNote[];
  /** What changed since the previous handover; absent for the first one. */
  diff?: HandoverDiff;
  /** What the report left out or cut, and why (e.g. events trimmed to fit the cluster copy). */
  notices: string[];
}

/** One site at handover time. */
export interface SiteHandover {
  /** Site id, e.g. `fra`. */
  site: string;
  /** Display name, e.g. `Frankfurt`. */
  name: string;
  /** False: the console had no live connection; the lists below are then empty, not "all clear". */
  reachable: boolean;
  /** Parts that could not be read (e.g. the maintenance Leases), in words. */
  problems: string[];
  notReadyNodes: NotReadyNode[];
  cordonedNodes: CordonedNode[];
  maintenance: MaintenanceEntry[];
  crashloops: CrashloopingWorkload[];
  /** Warning events last seen during the shift, newest first, capped: see `warningEventsTotal`. */
  warningEvents: WarningEvent[];
  /** How many warning events the shift had at this site, including those not listed. */
  warningEventsTotal: number;
  /** The site's firing alerts from its Alertmanager at handover time; absent when the site has none configured (and in reports written before alerts existed). */
  alerts?: SiteHandoverAlerts;
}

/** A site's firing alerts when the report was written. */
export interface SiteHandoverAlerts {
  /** Most severe first, then oldest; the always-firing Watchdog (severity `none`) left out; capped: see `total`. */
  firing: HandoverAlert[];
  /** How many alerts fired, including those not listed. */
  total: number;
  /** Why the list may be out of date (the Alertmanager could not be read): the alerts are then the last known ones. */
  problem?: string;
}

/** One firing alert, as the report keeps it. */
export interface HandoverAlert {
  /** The `alertname` label. */
  name: string;
  severity?: string;
  /** What it is about (`namespace/pod`, the node, …), '' for a cluster-wide alert. */
  target: string;
  summary?: string;
  /** ISO 8601: when it started firing. */
  startsAt: string;
  /** Muted by a silence (or inhibited) in Alertmanager. */
  silenced: boolean;
}

export interface NotReadyNode {
  name: string;
  rack?: string;
  /** The Ready condition: `False` (the kubelet says so) or `Unknown` (the kubelet stopped reporting). */
  ready: 'False' | 'Unknown';
  /** ISO 8601: when the node controller last reported it NotReady, when known. */
  since?: string;
}

export interface CordonedNode {
  name: string;
  rack?: string;
  /** From the `triptych.io/cordon-*` annotations; absent when cordoned without Triptych (plain kubectl). */
  by?: string;
  reason?: string;
  at?: string;
}

/** A maintenance in progress: a held `coordination.k8s.io` Lease. */
export interface MaintenanceEntry {
  /** e.g. `rack/B-07`. */
  scope: string;
  holder: string;
  /** ISO 8601. */
  since: string;
  runbook?: string;
  run?: string;
  reason?: string;
}

/** Pods in CrashLoopBackOff, grouped by the workload that owns them. */
export interface CrashloopingWorkload {
  namespace: string;
  /** `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`, `Job`, … or `Pod` for a bare pod. */
  kind: string;
  name: string;
  /** Pods in CrashLoopBackOff. */
  pods: number;
  /** Restarts of those pods, summed. */
  restarts: number;
  /** The workload's ready and desired replicas, when it is a Deployment, StatefulSet or DaemonSet the console knows. */
  ready?: number;
  desired?: number;
}

export interface WarningEvent {
  namespace: string;
  /** `Kind/name` of the object the event is about. */
  object: string;
  reason: string;
  message: string;
  count: number;
  /** ISO 8601. */
  lastSeen: string;
}

export type RunbookRunResult = 'succeeded' | 'failed' | 'refused' | 'aborted' | 'running';

/** One runbook run, from its entries in the audit trail. */
export interface RunbookRun {
  run: string;
  runbook: string;
  /** Where it started (its `runbook.start` entry's site, else its first entry's). */
  site?: string;
  /** Every site it acted on, in the order it first did. */
  sites: string[];
  who: string;
  /** ISO 8601; absent when the run started before the shift. */
  started?: string;
  /** ISO 8601; absent while it runs (or when it ended unrecorded). */
  ended?: string;
  result: RunbookRunResult;
  /** Audit entries of its steps (mutating actions), and how many of them failed or were refused. */
  actions: number;
  failedActions: number;
}

/** A note for the next shift. Open notes carry over to the next handover until someone closes them. */
export interface HandoverNote {
  /** Stable across handovers: `<id of the handover that added it>/<n>`. */
  id: string;
  text: string;
  open: boolean;
  /** Who wrote it, and in which handover (ISO 8601 of its `createdAt`). */
  by: string;
  since: string;
  /** Who closed it, in this handover. */
  closedBy?: string;
}

/** A node as the diff names it. */
export interface NodeRef {
  name: string;
  rack?: string;
}

/** A workload as the diff names it. */
export interface WorkloadRef {
  namespace: string;
  kind: string;
  name: string;
}

/** What changed at one site between two handovers. */
export interface SiteDiff {
  site: string;
  name: string;
  /** False when either handover could not see the site; `why` says which. The lists are then empty. */
  compared: boolean;
  why?: string;
  notReady: NodeRef[];
  recovered: NodeRef[];
  cordoned: NodeRef[];
  uncordoned: NodeRef[];
  crashloopsStarted: WorkloadRef[];
  crashloopsEnded: WorkloadRef[];
  maintenanceStarted: MaintenanceEntry[];
  maintenanceEnded: MaintenanceEntry[];
}

/** "Since the last handover": per site and for the notes. */
export interface HandoverDiff {
  previous: { id: string; createdAt: string; by: string };
  sites: SiteDiff[];
  notesAdded: HandoverNote[];
  notesClosed: HandoverNote[];
}
