/**
 * An audit entry as a core/v1 Event on the object it acted on, so that
 * `kubectl describe` and `kubectl get events` (and every other console) show
 * what Triptych did. Events of cluster-scoped objects (nodes) go to
 * `default`, as kubectl's own do. The fields follow what the API server
 * requires of an Event with an eventTime: reportingComponent,
 * reportingInstance, action and a reason, at most 128 characters each, and a
 * message of at most 1 KiB.
 */
import type { AuditEntry } from '../../shared/audit';

/** The API group/version and resource of the kinds Triptych acts on (for involvedObject and the uid lookup). */
const KINDS: Record<string, { apiVersion: string; plural: string }> = {
  Node: { apiVersion: 'v1', plural: 'nodes' },
  Pod: { apiVersion: 'v1', plural: 'pods' },
  Namespace: { apiVersion: 'v1', plural: 'namespaces' },
  Service: { apiVersion: 'v1', plural: 'services' },
  ConfigMap: { apiVersion: 'v1', plural: 'configmaps' },
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments' },
  StatefulSet: { apiVersion: 'apps/v1', plural: 'statefulsets' },
  DaemonSet: { apiVersion: 'apps/v1', plural: 'daemonsets' },
  ReplicaSet: { apiVersion: 'apps/v1', plural: 'replicasets' },
  PodDisruptionBudget: { apiVersion: 'policy/v1', plural: 'poddisruptionbudgets' },
  Lease: { apiVersion: 'coordination.k8s.io/v1', plural: 'leases' },
  Job: { apiVersion: 'batch/v1', plural: 'jobs' },
  CronJob: { apiVersion: 'batch/v1', plural: 'cronjobs' },
};

/** The message limit the API server enforces (NoteLengthLimit), in bytes. */
export const EVENT_MESSAGE_LIMIT = 1024;
const FIELD_LIMIT = 128;

export interface KubeEvent {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: { generateName: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  involvedObject: { kind: string; name: string; namespace?: string; apiVersion?: string; uid?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  action: string;
  source: { component: string };
  reportingComponent: string;
  reportingInstance: string;
  firstTimestamp: string;
  lastTimestamp: string;
  eventTime: string;
  count: number;
}

/** `cordon` → `Cordon`, `runbook.start` → `RunbookStart`, `rollout-restart` → `RolloutRestart`. */
export function pascalCase(verb: string): string {
  return verb
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** The API path of the entry's object (for reading its uid), or undefined for a kind not in the table. */
export function objectPath(object: NonNullable<AuditEntry['object']>): string | undefined {
  const k = KINDS[object.kind];
  if (!k) return undefined;
  const base = k.apiVersion === 'v1' ? '/api/v1' : `/apis/${k.apiVersion}`;
  const ns = object.namespace ? `/namespaces/${encodeURIComponent(object.namespace)}` : '';
  return `${base}${ns}/${k.plural}/${encodeURIComponent(object.name)}`;
}

/** `text` cut to at most `limit` UTF-8 bytes without splitting a character, marked with an ellipsis when cut. */
export function boundBytes(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  let out = '';
  let bytes = Buffer.byteLength('…');
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > limit) break;
    out += ch;
    bytes += n;
  }
  return `${out}…`;
}

/** What the Event says: who did what with which result, the detail, and the runbook step it belonged to. */
export function eventMessage(e: AuditEntry): string {
  const runbook = e.runbook ? ` (runbook ${e.runbook.name}${e.runbook.step ? `, step ${e.runbook.step}` : ''}, run ${e.runbook.run})` : '';
  const detail = e.detail ? `: ${e.detail}` : '';
  return boundBytes(`${e.who} ${e.verb} ${e.result}${runbook}${detail}`, EVENT_MESSAGE_LIMIT);
}

/** RFC 3339 with seconds, as metav1.Time is written. */
const seconds = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z');
/** RFC 3339 with microseconds, as metav1.MicroTime is written. */
const micros = (iso: string): string => iso.replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * The Event for `e`, or undefined when the entry names no site or object.
 * `instance` identifies this console; `uid` is the object's, when known (kubectl describe matches on it).
 */
export function auditEvent(e: AuditEntry, instance: string, uid?: string): KubeEvent | undefined {
  if (!e.site || !e.object) return undefined;
  const o = e.object;
  const verb = pascalCase(e.verb) || 'Action';
  // The API server appends 5 characters to generateName and keeps at most 58 of it; a name must not end in '.' or '-' before them.
  const base = o.name.slice(0, 48).replace(/[.-]+$/, '');
  const involved: KubeEvent['involvedObject'] = { kind: o.kind, name: o.name };
  if (o.namespace) involved.namespace = o.namespace;
  const apiVersion = KINDS[o.kind]?.apiVersion;
  if (apiVersion) involved.apiVersion = apiVersion;
  if (uid) involved.uid = uid;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      generateName: `${base}.triptych-`,
      namespace: o.namespace || 'default',
      labels: { 'app.kubernetes.io/managed-by': 'triptych' },
      // The entry's place in the trail: an Event in the cluster can be traced back to its line.
      annotations: { 'triptych.io/audit-seq': String(e.seq), 'triptych.io/audit-hash': e.hash },
    },
    involvedObject: involved,
    reason: `Triptych${verb}`.slice(0, FIELD_LIMIT),
    message: eventMessage(e),
    type: e.result === 'ok' ? 'Normal' : 'Warning',
    action: verb.slice(0, FIELD_LIMIT),
    source: { component: 'triptych' },
    reportingComponent: 'triptych.io/console',
    reportingInstance: instance.slice(0, FIELD_LIMIT),
    firstTimestamp: seconds(e.at),
    lastTimestamp: seconds(e.at),
    eventTime: micros(e.at),
    count: 1,
  };
}
