/**
 * Triptych's contract: every call the UI can make and every event it can
 * receive, whatever the transport. JSDoc here is the reference for both ends.
 */
import { z } from 'zod';
import type { EventView, NamespaceView, NodeView, PdbView, PodView, SiteInfo, WorkloadView } from '../model';
import type { LogBatch, SearchResult } from '../logs';
import type { SiteCredentialStatus, VaultOverview, VaultSessionStatus } from '../vault';
import type { AuditEntry, AuditVerification } from '../audit';
import { NEW_NOTES_MAX, NOTE_MAX_CHARS, type HandoverReport } from '../handover';
import type { Runbook, RunbookIssue, RunPlan, RunStatus } from '../runbooks';
import type { SiteAlerts } from '../alerts';
import { INCIDENT_NOTE_MAX, type IncidentEntry } from '../incident';
import type { Debrief, FaultDoc, ScenarioSummary, TrainingStatus } from '../training';
import type { RecordingInfo, ReplayStatus } from '../recording';
import { method } from './rpc';

/** Site ids are short lower-case slugs, as configured in triptych.yaml. */
export const SiteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a site id is lower-case letters, digits and dashes');
/** Kubernetes object names: DNS subdomains, at most 253 characters. */
export const ObjectName = z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'not a Kubernetes object name');
export const NamespaceName = z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'not a namespace name');

/** How a site's connection is doing. */
export type ConnectionState =
  /** First list in progress. */
  | 'connecting'
  /** Lists done, watches running. */
  | 'live'
  /** Was live, now failing: data shown is the last known state, with its age. */
  | 'stale'
  /** Never reached. */
  | 'unreachable'
  /** 401 from the API server: credentials must be renewed. */
  | 'credentials-expired'
  /** The site's credentials come from Vault and there are none yet (not signed in, or Vault cannot issue them now). */
  | 'awaiting-credentials';

export interface SiteStatus {
  site: string;
  state: ConnectionState;
  /** Round-trip time of the last health probe, ms. */
  rttMs?: number;
  /** Epoch ms of the last successful sync (list or watch event). */
  lastSyncAt?: number;
  /** The last error, in words an admin can act on. */
  error?: string;
  /** When the next reconnection attempt happens, ms from now. */
  retryInMs?: number;
}

/** The resources the console mirrors per site. */
export type ResourceKind = 'nodes' | 'pods' | 'events' | 'namespaces' | 'workloads' | 'pdbs';

export interface ViewOf {
  nodes: NodeView;
  pods: PodView;
  events: EventView;
  namespaces: NamespaceView;
  workloads: WorkloadView;
  pdbs: PdbView;
}

/**
 * Everything mirrored for one site at one moment — or one page of it: a
 * large site's snapshot comes in pages (see `sites.snapshot`), every page
 * with the same `seq`; `readSnapshot` in ./snapshot joins them.
 */
export interface SiteSnapshot {
  site: string;
  /** Delta sequence number this snapshot is current to. */
  seq: number;
  /** This page's items (every kind present, possibly empty). */
  items: { [K in ResourceKind]: ViewOf[K][] };
  /** Set when more pages follow: pass it back to `sites.snapshot` for the next page of the same snapshot. */
  continue?: string;
}

/** The opaque token of a snapshot's next page. */
export const SnapshotToken = z.string().max(64);

/** A coalesced batch of changes to one resource of one site. `seq` increases by one per batch and site. */
export interface SiteDeltas<K extends ResourceKind = ResourceKind> {
  site: string;
  kind: K;
  seq: number;
  /** Keys are `namespace/name` (or `name` for cluster-scoped objects; `Kind/namespace/name` for workloads). */
  upserts: [string, ViewOf[K]][];
  deletes: string[];
  /** Epoch ms when the oldest change in this batch reached the console from the API server (how far behind a view is). */
  receivedAt?: number;
}

export interface NodeDetail {
  site: string;
  node: NodeView;
  /** Pods bound to the node. */
  pods: PodView[];
  /** Events about the node, newest first. */
  events: EventView[];
  labels: Record<string, string>;
  conditions: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
}

export interface PodDetail {
  site: string;
  pod: PodView;
  events: EventView[];
  containers: { name: string; image: string; ready: boolean; restarts: number; state: string; reason?: string }[];
  /** The object as YAML (read-only), managedFields removed. */
  yaml: string;
}

/** A stream's id (see `stream` in rpc.ts): opaque, owned by the connection that opened it. */
export const StreamId = z.string().min(1).max(64);
/** A user's regular expression (compiled by core, bounded). */
const Pattern = z.string().max(512);
const Namespaces = z.union([z.literal('all'), z.array(NamespaceName).min(1).max(100)]);
const LabelSelector = z.string().min(1).max(1024);
/** A Vault mount path such as `userpass` or `auth/ldap-corp`. */
const VaultMount = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9_./-]*$/, 'not a Vault mount path');

/** Which pods a log tail follows at each chosen site (shared/logs `LogTarget`). */
export const LogTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('workload'), workload: z.enum(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']), namespace: NamespaceName, name: ObjectName }).strict(),
  z.object({ kind: z.literal('selector'), labelSelector: LabelSelector, namespaces: Namespaces }).strict(),
  z.object({ kind: z.literal('node'), node: ObjectName, namespaces: Namespaces.optional(), labelSelector: LabelSelector.optional() }).strict(),
  z.object({ kind: z.literal('pods'), pods: z.array(z.object({ namespace: NamespaceName, name: ObjectName }).strict()).min(1).max(500) }).strict(),
]);

/** How a log tail reads and filters (shared/logs `LogTailOptions`). */
export const LogOptionsSchema = z
  .object({
    container: Pattern.optional(),
    excludeContainer: Pattern.optional(),
    initContainers: z.boolean().optional(),
    timestamps: z.boolean().optional(),
    sinceSeconds: z.number().int().positive().max(90 * 86_400).optional(),
    sinceTime: z.string().max(40).optional(),
    tailLines: z.number().int().min(0).max(100_000).optional(),
    previous: z.boolean().optional(),
    include: z.array(Pattern).max(20).optional(),
    exclude: z.array(Pattern).max(20).optional(),
    highlight: z.array(Pattern).max(20).optional(),
    ignoreCase: z.boolean().optional(),
  })
  .strict();

export const LogSearchSchema = z
  .object({ text: z.string().min(1).max(512), regex: z.boolean().optional(), ignoreCase: z.boolean().optional(), site: SiteId.optional(), pod: ObjectName.optional(), container: z.string().max(63).optional() })
  .strict();

/** Runbook names are DNS labels (metadata.name in the file). */
const RunbookName = z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'not a runbook name');
/** Parameter values as the plan dialog sends them. */
const RunbookParams = z
  .record(z.string().min(1).max(64), z.union([z.string().max(1024), z.number(), z.boolean()]))
  .refine((r) => Object.keys(r).length <= 64, 'at most 64 parameters');
const RunId = z.string().min(1).max(64);
const RunbookText = z.string().min(1).max(1024 * 1024);
/** An object the YAML editor opens. */
const EditRef = z.object({ kind: z.string().min(1).max(63).regex(/^[A-Z][A-Za-z]*$/, 'not a kind'), namespace: NamespaceName.optional(), name: ObjectName }).strict();

export const AuditQuerySchema = z
  .object({
    site: SiteId.optional(),
    who: z.string().max(256).optional(),
    verb: z.string().max(64).optional(),
    text: z.string().max(256).optional(),
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

/** A fault as the trainer panel posts it to the training fleet (the fleet checks what each fault needs). */
const FaultInput = z
  .object({
    fault: z.string().min(1).max(64).regex(/^[a-z0-9-]+$/, 'not a fault name'),
    site: SiteId.optional(),
    rack: z.string().min(1).max(63).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'not a rack name').optional(),
    node: ObjectName.optional(),
    namespace: NamespaceName.optional(),
    deployment: ObjectName.optional(),
    pod: ObjectName.optional(),
    container: z.string().min(1).max(63).optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    inSeconds: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();
/** A recording's file name as `recordings.list` gives it. */
const RecordingId = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.jsonl$/, 'not a recording file name (name.jsonl, as recordings.list gives it)');

const HandoverInput = z
  .object({
    notes: z.array(z.union([z.string().min(1).max(NOTE_MAX_CHARS), z.object({ text: z.string().min(1).max(NOTE_MAX_CHARS), open: z.boolean().optional() }).strict()])).max(NEW_NOTES_MAX).optional(),
    /** Ids of carried-over notes this shift closes. */
    close: z.array(z.string().min(1).max(64)).max(50).optional(),
  })
  .strict();

/** A maintenance in progress at a site (a coordination Lease), as every console sees it. */
export interface MaintenanceView {
  site: string;
  /** e.g. `rack/B-07`, `node/fra-a-r01-u04`. */
  scope: string;
  holder: string;
  /** ISO 8601. */
  since: string;
  runbook?: string;
  reason?: string;
  expiresAt?: string;
}

export const triptych = {
  sites: {
    /** The configured sites in display order (the training fleet's when nothing is configured). */
    list: method<SiteInfo[]>()(z.tuple([])),
    /** Connection state of every site. */
    status: method<SiteStatus[]>()(z.tuple([])),
    /**
     * The current mirror of one site; subscribe to `site.deltas` first, then
     * apply deltas with seq > snapshot.seq. Without a token: a new snapshot's
     * first page; with the `continue` token of a page: the next page of that
     * snapshot (an expired token is `not-found`: start again).
     */
    snapshot: method<SiteSnapshot>()(z.tuple([SiteId, SnapshotToken.optional()])),
    /**
     * Fetches a site's credentials from Vault again now (after fixing a Vault
     * role, or when the site is in `credentials-expired`), then reconnects it.
     */
    reconnectCredentials: method<SiteCredentialStatus>()(z.tuple([SiteId]), { mutates: true }),
  },
  vault: {
    /** The sign-in and every Vault-backed site's credentials; null when no Vault is configured. */
    status: method<VaultOverview | null>()(z.tuple([])),
    /**
     * Signs in with user name and password (userpass or LDAP). The token is
     * kept in the OS keychain (or memory, with a warning) and renewed; sites
     * waiting for a sign-in connect. Failures are `forbidden` (wrong password,
     * policy) or `unavailable` (sealed, standby, unreachable) with Vault's reason.
     */
    signInPassword: method<VaultSessionStatus>()(
      z.tuple([z.object({ method: z.enum(['userpass', 'ldap']), mount: VaultMount.optional(), username: z.string().min(1).max(256), password: z.string().min(1).max(1024) }).strict()]),
      { mutates: true },
    ),
    /** Signs in with a Vault token the admin pastes (checked with lookup-self). */
    signInToken: method<VaultSessionStatus>()(z.tuple([z.string().min(1).max(4096)]), { mutates: true }),
    /**
     * Signs in through the identity provider (Dex) in the system browser, as
     * `vault login -method=oidc` does; resolves once the browser came back.
     * While it waits, `vault.status` carries the page to open (`oidcUrl`).
     */
    signInOidc: method<VaultSessionStatus>()(z.tuple([z.object({ mount: VaultMount.optional(), role: z.string().min(1).max(256).optional() }).strict()]), { mutates: true }),
    /** Cancels a waiting OIDC sign-in. */
    cancelOidc: method<null>()(z.tuple([]), { mutates: true }),
    /** Signs in with the token the vault CLI left in VAULT_TOKEN or ~/.vault-token. */
    importCliToken: method<VaultSessionStatus>()(z.tuple([]), { mutates: true }),
    /** Revokes every site lease, then the token, and deletes it from the keychain. */
    signOut: method<VaultSessionStatus>()(z.tuple([]), { mutates: true }),
  },
  nodes: {
    /** Conditions, taints, labels, pods and events of one node. */
    detail: method<NodeDetail>()(z.tuple([SiteId, ObjectName])),
  },
  pods: {
    /** Status, containers, events and read-only YAML of one pod. */
    detail: method<PodDetail>()(z.tuple([SiteId, NamespaceName, ObjectName])),
  },
  logs: {
    /**
     * Starts a log tail of `target` at each of `sites` (reading logs changes
     * nothing, so viewers may). Its batches arrive as `logs.batch` events to
     * this connection only; acknowledge each with `logs.ack`. Bad options or
     * patterns are `bad-request` with the reason.
     */
    start: method<{ stream: string }>()(z.tuple([z.object({ sites: z.array(SiteId).min(1).max(16), target: LogTargetSchema, options: LogOptionsSchema.optional() }).strict()]), { stream: 'open' }),
    /** Batch `seq` is shown: the tail may send more (at most two batches wait unacknowledged; a slow view gets a "dropped" count, never silence). */
    ack: method<null>()(z.tuple([StreamId, z.number().int().nonnegative()]), { stream: 'use' }),
    /** Holds delivery; batches then carry only counts of lines waiting. */
    pause: method<null>()(z.tuple([StreamId]), { stream: 'use' }),
    /** Delivers what came in meanwhile (as far as the scrollback holds it), then goes on live. */
    resume: method<null>()(z.tuple([StreamId]), { stream: 'use' }),
    /** Searches the tail's scrollback (visible text; substring or regex). */
    search: method<SearchResult>()(z.tuple([StreamId, LogSearchSchema]), { stream: 'use' }),
    /** The scrollback as plain text (escape sequences removed), one line per entry, for saving to a file. */
    export: method<string>()(z.tuple([StreamId]), { stream: 'use' }),
    /** Ends the tail and its streams. */
    stop: method<null>()(z.tuple([StreamId]), { stream: 'use' }),
  },
  runbooks: {
    /** Every runbook (shipped and the admin's), read again from disk, with the problems of files that did not load. */
    list: method<{ runbooks: Runbook[]; issues: RunbookIssue[] }>()(z.tuple([])),
    /**
     * The dry-run preview of a runbook with these parameters: every step and
     * every object it will touch; `blockers` say why it cannot start now (a
     * guard, a Lease someone else holds). Nothing changes.
     */
    plan: method<RunPlan>()(z.tuple([RunbookName, RunbookParams])),
    /** Starts a plan `plan` made (by its id); progress arrives as `runbook.status` events. */
    start: method<RunStatus>()(z.tuple([z.string().min(1).max(64)]), { mutates: true }),
    /** Passes the gate (a confirm or a note) the run waits at. */
    confirm: method<RunStatus>()(z.tuple([RunId]), { mutates: true }),
    /** Holds the run before its next step. */
    pause: method<RunStatus>()(z.tuple([RunId]), { mutates: true }),
    resume: method<RunStatus>()(z.tuple([RunId]), { mutates: true }),
    /** Stops at the next safe point (a drain evicts no more pods); the maintenance Lease is released. */
    abort: method<RunStatus>()(z.tuple([RunId]), { mutates: true }),
    /** Runs this console knows: running, waiting, and finished ones since it started. */
    runs: method<RunStatus[]>()(z.tuple([])),
    /** Maintenance in progress at every reachable site (Leases held by any console). */
    maintenance: method<MaintenanceView[]>()(z.tuple([])),
    /** A runbook's file as text, for the editor. */
    source: method<{ file: string; text: string }>()(z.tuple([RunbookName])),
    /** Problems of a draft, located (the editor shows them as you type); nothing is saved or run. */
    validate: method<RunbookIssue[]>()(z.tuple([RunbookText])),
    /** Saves a draft as <config dir>/runbooks/<name>.yaml; refused (with the issues) while it has errors. */
    save: method<{ file: string; issues: RunbookIssue[] }>()(z.tuple([RunbookText]), { mutates: true }),
  },
  resources: {
    /** One object as YAML for editing (managedFields left out), with the resourceVersion it was read at. */
    yaml: method<{ yaml: string; resourceVersion: string }>()(z.tuple([SiteId, EditRef])),
    /**
     * Replaces the object with edited YAML: with `dryRun` the server only
     * validates and answers with what it would store (compare before
     * applying); without, it is applied and audited. Refused when the object
     * changed since `resourceVersion`, or the YAML names another object.
     */
    apply: method<{ yaml: string }>()(
      z.tuple([SiteId, EditRef, z.string().min(1).max(1024 * 1024), z.object({ dryRun: z.boolean(), resourceVersion: z.string().min(1).max(64) }).strict()]),
      { mutates: true },
    ),
  },
  audit: {
    /** Audit entries, newest first, filtered. */
    query: method<AuditEntry[]>()(z.tuple([AuditQuerySchema])),
    /** The filtered trail as a file's text (oldest first): JSONL, or CSV safe to open in a spreadsheet. */
    export: method<string>()(z.tuple([AuditQuerySchema, z.enum(['jsonl', 'csv'])])),
    /** Walks the hash chain: the first entry that was edited, removed or reordered, if any. */
    verify: method<AuditVerification>()(z.tuple([])),
  },
  handover: {
    /** The newest handover stored at any reachable site, or null. */
    latest: method<HandoverReport | null>()(z.tuple([])),
    /**
     * Writes the handover report now (compared with the latest one), stores it
     * as a ConfigMap in triptych-system at every reachable site, and audits it.
     */
    create: method<{ report: HandoverReport; stored: { site: string; ok: boolean; detail: string }[] }>()(z.tuple([HandoverInput]), { mutates: true }),
    /** A handover as Markdown (for a ticket) or printable HTML (for PDF). */
    export: method<string>()(z.tuple([z.string().min(1).max(64), z.enum(['markdown', 'html'])])),
  },
  alerts: {
    /** Every site's firing alerts and silences, as last polled from its Alertmanager (configured per site in triptych.yaml). */
    list: method<SiteAlerts[]>()(z.tuple([])),
  },
  incident: {
    /** The incident timeline, oldest first (the newest INCIDENT_KEEP entries). */
    timeline: method<IncidentEntry[]>()(z.tuple([])),
    /** Adds an operator's note to the timeline (plain text; shown live on every war-room screen). */
    note: method<IncidentEntry>()(z.tuple([z.object({ text: z.string().trim().min(1).max(INCIDENT_NOTE_MAX), site: SiteId.optional() }).strict()]), { mutates: true }),
  },
  training: {
    /** Whether training is possible (only on the training fleet) and the scenario being played. */
    status: method<TrainingStatus>()(z.tuple([])),
    /** The shipped scenarios and the faults a trainer can inject. `bad-request` outside training mode. */
    catalogue: method<{ scenarios: ScenarioSummary[]; faults: FaultDoc[] }>()(z.tuple([])),
    /** Starts a scenario (ending the one playing); progress arrives as `training.status`. */
    start: method<TrainingStatus>()(z.tuple([z.string().min(1).max(63).regex(/^[a-z0-9][a-z0-9-]*$/, 'not a scenario name')]), { mutates: true }),
    /** Plays the scenario's next step now instead of at its time (a trainer keeping a session moving). */
    advance: method<TrainingStatus>()(z.tuple([]), { mutates: true }),
    /** Injects one fault now, with or without a scenario; answers what the fleet did. */
    inject: method<{ result: string }>()(z.tuple([FaultInput]), { mutates: true }),
    /** Ends the scenario and writes its debrief. */
    stop: method<Debrief>()(z.tuple([]), { mutates: true }),
    /** The debrief of the last ended scenario, or null. */
    debrief: method<Debrief | null>()(z.tuple([])),
  },
  recordings: {
    /** Recordings in the console's recordings folder, newest first, and the replay playing. */
    list: method<{ recordings: RecordingInfo[]; replay: ReplayStatus | null }>()(z.tuple([])),
    /** Records a site's watch events (and logs of its warning pods) until stopped or `minutes` pass. */
    start: method<RecordingInfo>()(z.tuple([SiteId, z.object({ minutes: z.number().int().min(1).max(24 * 60) }).strict()]), { mutates: true }),
    stop: method<RecordingInfo>()(z.tuple([RecordingId]), { mutates: true }),
    /** Plays a recording into a training-fleet site (training mode only), `speed` times faster than recorded. */
    replay: method<ReplayStatus>()(z.tuple([RecordingId, z.object({ site: SiteId, speed: z.number().min(0.1).max(1000) }).strict()]), { mutates: true }),
  },
  exec: {
    /**
     * Opens a shell (a tty) in a container through pods/exec: operator only,
     * written to the audit log. Output arrives as `exec.output` events (made
     * safe for a terminal), the end as `exec.exit` with the exit status.
     */
    start: method<{ stream: string; protocol: string }>()(
      z.tuple([
        z
          .object({
            site: SiteId,
            namespace: NamespaceName,
            pod: ObjectName,
            container: z.string().min(1).max(63),
            command: z.array(z.string().min(1).max(4096)).min(1).max(64),
            cols: z.number().int().min(1).max(1000),
            rows: z.number().int().min(1).max(500),
          })
          .strict(),
      ]),
      { mutates: true, stream: 'open' },
    ),
    /** Keystrokes (Ctrl-C is \x03). */
    input: method<null>()(z.tuple([StreamId, z.string().max(65_536)]), { mutates: true, stream: 'use' }),
    resize: method<null>()(z.tuple([StreamId, z.number().int().min(1).max(1000), z.number().int().min(1).max(500)]), { mutates: true, stream: 'use' }),
    /** Hangs up (the process is killed). */
    close: method<null>()(z.tuple([StreamId]), { mutates: true, stream: 'use' }),
  },
};

export type TriptychContract = typeof triptych;

/** Events the UI receives. */
export interface TriptychEvents extends Record<string, unknown> {
  /** A site's connection changed state (or its RTT was measured). */
  'site.status': SiteStatus;
  /** Changes to a site's mirror. */
  'site.deltas': SiteDeltas;
  /** A batch of a log tail's lines and markers, to the connection that started it. */
  'logs.batch': LogBatch & { stream: string };
  /** A shell's output, terminal-safe text, to the connection that opened it. */
  'exec.output': { stream: string; data: string };
  /** A shell ended: the exit code when known, and what happened in words. */
  'exec.exit': { stream: string; exitCode: number | undefined; summary: string };
  /** The Vault sign-in changed (signed in, renewed, expiring, a problem), or an OIDC sign-in waits for its page. */
  'vault.status': VaultOverview;
  /** A site's Vault-issued credentials changed (fetched, refreshed, failing, expired). */
  'site.credentials': SiteCredentialStatus;
  /** A runbook run progressed (a step started or ended, a gate waits, it paused, ended). */
  'runbook.status': RunStatus;
  /** An action was written to the audit trail. */
  'audit.entry': AuditEntry;
  /** A site's alerts changed, or its Alertmanager's status did. */
  'alerts.changed': SiteAlerts;
  /** An entry was added to the incident timeline. */
  'incident.entry': IncidentEntry;
  /** A training scenario started, played a step, met a goal or ended. */
  'training.status': TrainingStatus;
  /** A recording progressed or ended, or a replay did. */
  'recording.status': { recording?: RecordingInfo; replay?: ReplayStatus };
}
