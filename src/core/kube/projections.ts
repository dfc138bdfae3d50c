/**
 * Projections: whole Kubernetes API objects (v1.32 JSON) → the slim views of
 * src/shared/model.ts that the reflectors keep. They run on every list item
 * and watch event of every site, so they are pure, allocation-light, and
 * never throw: input is untyped JSON from an API server (or a proxy in
 * front of one), and a field of an unexpected type falls back to a default
 * instead of taking a site's watch down. Views keep strings and numbers
 * only, never copies of label or annotation maps (memory: ≤ 1 KB per pod).
 */
import { arr, num, rec, str, type Obj } from '../../shared/json';
import { podPrintStatus } from '../../shared/derive';
import { CORDON_AT, CORDON_BY, CORDON_REASON } from '../../shared/labels';
import type { ConditionStatus, EventView, NamespaceView, NodeView, PdbView, PodView, SiteInfo, WorkloadView } from '../../shared/model';
import { DEFAULT_LABELS } from '../config/defaults';
import { redactSecrets } from '../../shared/secrets';

function meta(o: unknown): Obj {
  return rec(rec(o).metadata);
}
function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

// --- nodes --------------------------------------------------------------------

/** Node label keys that place a node: a site's `SiteInfo.labels`. */
export type PlacementLabels = Readonly<SiteInfo['labels']>;

/**
 * Where an inventory file says a host is, for nodes without placement
 * labels (the shape of core/config's `Placement`; its `Inventory` map, keyed
 * by lower-case host name, can be passed as is).
 */
export interface NodePlacement {
  room?: string;
  rack?: string;
  unit?: number;
}

const PRESSURE_CONDITIONS = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']);
const ROLE_PREFIX = 'node-role.kubernetes.io/';
/** Cap on free text copied from annotations and events: it is untrusted and kept per object. */
const MAX_TEXT = 512;

/**
 * Projects a Node. Room, rack and unit come from the site's placement
 * labels (default: the training fleet's), each falling back to the
 * inventory entry of the node: looked up by node name, then the
 * `kubernetes.io/hostname` label, then the short host name (before the
 * first dot, as CMDB exports often list hosts), all lower-cased. `ready` is the Ready
 * condition (Unknown when missing, as kubectl shows it); `pressure` lists the
 * trouble conditions that are True; roles come from
 * `node-role.kubernetes.io/<role>` labels (and the legacy
 * `kubernetes.io/role`), like kubectl's ROLES column.
 */
export function projectNode(obj: unknown, labels: PlacementLabels = DEFAULT_LABELS, inventory?: ReadonlyMap<string, NodePlacement>): NodeView {
  const o = rec(obj);
  const m = meta(o);
  const spec = rec(o.spec);
  const status = rec(o.status);
  const lbl = rec(m.labels);
  const name = str(m.name);

  const inv = inventory !== undefined && inventory.size > 0 ? inventoryEntry(inventory, name, str(lbl['kubernetes.io/hostname'])) : undefined;
  const room = str(lbl[labels.room]) || str(inv?.room) || undefined;
  const rack = str(lbl[labels.rack]) || str(inv?.rack) || undefined;
  const unit = parseUnit(lbl[labels.unit]) ?? parseUnit(inv?.unit);

  // kubectl reads conditions through a map, so a later duplicate wins.
  let ready: ConditionStatus = 'Unknown';
  const pressure: string[] = [];
  for (const c of arr(status.conditions)) {
    const cond = rec(c);
    const type = str(cond.type);
    if (type === 'Ready') ready = conditionStatus(cond.status);
    else if (cond.status === 'True' && PRESSURE_CONDITIONS.has(type) && !pressure.includes(type)) pressure.push(type);
  }

  const taints: NodeView['taints'] = [];
  for (const t of arr(spec.taints)) {
    const taint = rec(t);
    const key = str(taint.key);
    if (key === '') continue;
    const value = str(taint.value);
    taints.push(value !== '' ? { key, effect: str(taint.effect), value } : { key, effect: str(taint.effect) });
  }

  const roles: string[] = [];
  for (const k of Object.keys(lbl)) {
    let role = '';
    if (k.startsWith(ROLE_PREFIX)) role = k.slice(ROLE_PREFIX.length);
    else if (k === 'kubernetes.io/role') role = str(lbl[k]);
    if (role !== '' && !roles.includes(role)) roles.push(role);
  }
  roles.sort();

  let internalIP = '';
  for (const a of arr(status.addresses)) {
    const addr = rec(a);
    if (addr.type === 'InternalIP') {
      internalIP = str(addr.address);
      break;
    }
  }

  const alloc = rec(status.allocatable);
  const view: NodeView = {
    name,
    ready,
    unschedulable: spec.unschedulable === true,
    pressure,
    taints,
    roles,
    kubeletVersion: str(rec(status.nodeInfo).kubeletVersion),
    internalIP,
    podsAllocatable: Math.max(0, Math.floor(parseQuantity(alloc.pods) ?? 0)),
    cpuAllocatableMillis: Math.max(0, Math.round((parseQuantity(alloc.cpu) ?? 0) * 1000)),
    createdAt: str(m.creationTimestamp),
  };
  if (room !== undefined) view.room = room;
  if (rack !== undefined) view.rack = rack;
  if (unit !== undefined) view.unit = unit;
  // The annotations describe a cordon; on a schedulable node they are left
  // over from an uncordon done with plain kubectl and would mislead.
  if (view.unschedulable) {
    const ann = rec(m.annotations);
    const by = text(ann[CORDON_BY]);
    const reason = text(ann[CORDON_REASON]);
    const at = text(ann[CORDON_AT]);
    if (by || reason || at) {
      const cordon: NonNullable<NodeView['cordon']> = {};
      if (by) cordon.by = by;
      if (reason) cordon.reason = reason;
      if (at) cordon.at = at;
      view.cordon = cordon;
    }
  }
  return view;
}

function inventoryEntry(inventory: ReadonlyMap<string, NodePlacement>, name: string, host: string): NodePlacement | undefined {
  for (const key of [name, host]) {
    if (key === '') continue;
    const k = key.toLowerCase();
    const dot = k.indexOf('.');
    const entry = inventory.get(k) ?? (dot > 0 ? inventory.get(k.slice(0, dot)) : undefined);
    if (entry !== undefined) return entry;
  }
  return undefined;
}

function conditionStatus(v: unknown): ConditionStatus {
  return v === 'True' || v === 'False' ? v : 'Unknown';
}

/** A rack unit: a positive integer, from a number or a label like `12` or `U12`. */
function parseUnit(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*[Uu]?(\d{1,4})\s*$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n : undefined;
}

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * A Kubernetes resource quantity (`31`, `31500m`, `1.5`, `2Ki`, `1e3`) as a
 * number, or undefined when it is not one. Plain numbers are accepted too:
 * some proxies re-encode quantities.
 */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?\s*$/.exec(v);
  if (!m) return undefined;
  const base = Number(m[1]) * (m[2] !== undefined ? 10 ** Number(m[2]) : 1);
  const n = m[3] !== undefined ? base * (SUFFIX[m[3]] ?? 1) : base;
  return Number.isFinite(n) ? n : undefined;
}

// --- pods ---------------------------------------------------------------------

/**
 * Projects a Pod. `status` is kubectl's STATUS column (printPod in
 * kubernetes/pkg/printers/internalversion, v1.32), `restarts` its RESTARTS
 * count and `readyContainers`/`containers` its READY column, sidecars
 * (restartable init containers) included: see podPrintStatus in shared/derive,
 * which the training fleet's Table printer uses too.
 */
export function projectPod(obj: unknown): PodView {
  const o = rec(obj);
  const m = meta(o);
  const spec = rec(o.spec);
  const status = rec(o.status);
  const col = podPrintStatus(o);

  let ownerKind = '';
  let ownerName = '';
  const refs = arr(m.ownerReferences);
  // The controller reference is the owner; without one, the first reference.
  let owner: Obj | undefined;
  for (const r of refs) {
    if (rec(r).controller === true) {
      owner = rec(r);
      break;
    }
  }
  owner ??= refs.length > 0 ? rec(refs[0]) : undefined;
  if (owner !== undefined) {
    ownerKind = str(owner.kind);
    ownerName = str(owner.name);
  }

  let podIP = str(status.podIP);
  if (podIP === '') podIP = str(rec(arr(status.podIPs)[0]).ip);

  const phase = str(status.phase) || 'Pending';
  const view: PodView = {
    namespace: str(m.namespace),
    name: str(m.name),
    node: str(spec.nodeName),
    phase,
    status: col.reason || phase,
    readyContainers: col.readyContainers,
    containers: col.totalContainers,
    restarts: col.restarts,
    ownerKind,
    ownerName,
    podIP,
    createdAt: str(m.creationTimestamp),
    terminating: present(m.deletionTimestamp),
  };
  if (ownerKind === 'ReplicaSet') {
    // The Deployment controller names its ReplicaSets `<deployment>-<pod-template-hash>`.
    const hash = str(rec(m.labels)['pod-template-hash']);
    if (hash !== '' && ownerName.length > hash.length + 1 && ownerName.endsWith(`-${hash}`)) {
      view.deployment = ownerName.slice(0, ownerName.length - hash.length - 1);
    }
  }
  return view;
}

// --- events -------------------------------------------------------------------

/**
 * Projects a core/v1 Event (events.k8s.io/v1 field names are read too).
 * `lastSeen` is when it last happened: the series' last observation, else
 * lastTimestamp, eventTime, firstTimestamp, creationTimestamp. The message is
 * untrusted: control characters are dropped and it is cut to 512 characters.
 */
export function projectEvent(obj: unknown): EventView {
  const o = rec(obj);
  const m = meta(o);
  const involved = rec(o.involvedObject ?? o.regarding);
  const series = rec(o.series);
  const count = num(series.count) || num(o.count) || num(o.deprecatedCount) || 1;
  const lastSeen =
    firstString(series.lastObservedTime, o.lastTimestamp, o.deprecatedLastTimestamp, o.eventTime, o.firstTimestamp, o.deprecatedFirstTimestamp, m.creationTimestamp);
  return {
    namespace: str(m.namespace),
    name: str(m.name),
    type: text(o.type, 32) || 'Normal',
    reason: text(o.reason, 128),
    // Messages quote what failed, a request's headers or a container's command line included: no token reaches a view.
    message: redactSecrets(text(o.message ?? o.note)),
    objectKind: text(involved.kind, 64),
    objectName: text(involved.name, 253),
    count: Math.max(1, Math.floor(count)),
    lastSeen,
  };
}

function firstString(...vs: unknown[]): string {
  for (const v of vs) if (typeof v === 'string' && v !== '') return v;
  return '';
}

/**
 * Untrusted free text made safe to keep and show: C0/C1 control characters
 * other than tab and newline removed (no terminal escapes in the log pane),
 * bidirectional overrides and isolates removed (no text that reads backwards,
 * "‮gnp.exe"), trimmed, and cut to `max` characters with an ellipsis, never
 * inside a surrogate pair.
 */
export function text(v: unknown, max = MAX_TEXT): string {
  let s = str(v);
  if (s === '') return s;
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (s.length <= max) return s;
  let cut = max - 1;
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  // A V8 slice keeps its whole parent alive; the JSON round trip makes a
  // standalone copy, so a megabyte message is not retained for 512 chars.
  return JSON.parse(JSON.stringify(`${s.slice(0, cut)}…`)) as string;
}

// --- workloads, PDBs, namespaces ----------------------------------------------

/** The workload kinds {@link projectWorkload} understands. */
export type WorkloadKind = WorkloadView['kind'];

/**
 * Projects a Deployment, StatefulSet or DaemonSet. Items of a list response
 * carry no `kind`, so the caller passes it (the reflector knows its path);
 * without it the kind comes from the object, else from its shape.
 * Deployments and StatefulSets: desired = spec.replicas (default 1, as the
 * apiserver defaults it), ready/updated/available from status. DaemonSets:
 * desired = desiredNumberScheduled, ready = numberReady, updated =
 * updatedNumberScheduled, available = numberAvailable.
 */
export function projectWorkload(obj: unknown, kind?: WorkloadKind): WorkloadView {
  const o = rec(obj);
  const m = meta(o);
  const spec = rec(o.spec);
  const status = rec(o.status);
  const k = kind ?? workloadKind(o, spec, status);
  const base = {
    kind: k,
    namespace: str(m.namespace),
    name: str(m.name),
    generation: num(m.generation),
    observedGeneration: num(status.observedGeneration),
  };
  if (k === 'DaemonSet') {
    return {
      ...base,
      desired: num(status.desiredNumberScheduled),
      ready: num(status.numberReady),
      updated: num(status.updatedNumberScheduled),
      available: num(status.numberAvailable),
    };
  }
  return {
    ...base,
    desired: typeof spec.replicas === 'number' && Number.isFinite(spec.replicas) ? spec.replicas : 1,
    ready: num(status.readyReplicas),
    updated: num(status.updatedReplicas),
    available: num(status.availableReplicas),
  };
}

function workloadKind(o: Obj, spec: Obj, status: Obj): WorkloadKind {
  const k = o.kind;
  if (k === 'Deployment' || k === 'StatefulSet' || k === 'DaemonSet') return k;
  if ('desiredNumberScheduled' in status || ('updateStrategy' in spec && !('replicas' in spec) && !('serviceName' in spec))) return 'DaemonSet';
  if ('serviceName' in spec || 'volumeClaimTemplates' in spec || 'currentRevision' in status) return 'StatefulSet';
  return 'Deployment';
}

/** Projects a PodDisruptionBudget (policy/v1): its status counters, 0 when absent. */
export function projectPdb(obj: unknown): PdbView {
  const o = rec(obj);
  const m = meta(o);
  const status = rec(o.status);
  return {
    namespace: str(m.namespace),
    name: str(m.name),
    disruptionsAllowed: num(status.disruptionsAllowed),
    expectedPods: num(status.expectedPods),
    currentHealthy: num(status.currentHealthy),
    desiredHealthy: num(status.desiredHealthy),
  };
}

/** Projects a Namespace: its phase, Terminating once deletion started even before the status says so. */
export function projectNamespace(obj: unknown): NamespaceView {
  const o = rec(obj);
  const m = meta(o);
  const phase = str(rec(o.status).phase);
  return { name: str(m.name), phase: phase || (present(m.deletionTimestamp) ? 'Terminating' : 'Active') };
}
