/**
 * The resource types the training fleet serves, as discovery advertises them.
 * One table drives discovery, routing, RBAC and field selectors so they
 * cannot disagree with each other.
 */
import type { KObject } from '../types';

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources advertised in discovery (`pods/log`, …) with their kinds and verbs. */
  subresources?: { name: string; kind: string; verbs: string[]; group?: string; version?: string }[];
  /** Verbs on the main resource; defaults to the full set. */
  verbs?: string[];
  /** Field selector keys beyond metadata.name and metadata.namespace. */
  fields?: Record<string, (o: KObject) => string | undefined>;
  /** Whether writes to the main resource keep `status` (it has a status subresource). */
  hasStatus?: boolean;
  /** Whether metadata.generation counts spec changes (workloads and PDBs; not pods or namespaces). */
  hasGeneration?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

// Reading nested fields of untyped JSON without a cascade of casts.
function at(o: unknown, ...path: string[]): string | undefined {
  let cur: unknown = o;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return undefined;
  return String(cur);
}

const status = { name: 'status', verbs: ['get', 'patch', 'update'] };

export const RESOURCES: readonly ResourceType[] = [
  {
    group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'], hasStatus: true,
    subresources: [
      { ...status, kind: 'Pod' },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'eviction', kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
    ],
    fields: {
      'spec.nodeName': (o) => at(o, 'spec', 'nodeName') ?? '',
      'spec.restartPolicy': (o) => at(o, 'spec', 'restartPolicy'),
      'spec.schedulerName': (o) => at(o, 'spec', 'schedulerName'),
      'spec.serviceAccountName': (o) => at(o, 'spec', 'serviceAccountName'),
      'spec.hostNetwork': (o) => at(o, 'spec', 'hostNetwork') ?? 'false',
      'status.phase': (o) => at(o, 'status', 'phase'),
      'status.podIP': (o) => at(o, 'status', 'podIP') ?? '',
      'status.nominatedNodeName': (o) => at(o, 'status', 'nominatedNodeName') ?? '',
    },
  },
  {
    group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], hasStatus: true,
    subresources: [{ ...status, kind: 'Node' }],
    fields: { 'spec.unschedulable': (o) => at(o, 'spec', 'unschedulable') ?? 'false' },
  },
  {
    group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], hasStatus: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ ...status, kind: 'Namespace' }, { name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
    fields: { 'status.phase': (o) => at(o, 'status', 'phase') },
  },
  {
    group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'], hasStatus: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [{ ...status, kind: 'Service' }],
  },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'] },
  {
    group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true,
    fields: { type: (o) => at(o, 'type') },
  },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'] },
  {
    group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'],
    fields: {
      'involvedObject.kind': (o) => at(o, 'involvedObject', 'kind') ?? '',
      'involvedObject.namespace': (o) => at(o, 'involvedObject', 'namespace') ?? '',
      'involvedObject.name': (o) => at(o, 'involvedObject', 'name') ?? '',
      'involvedObject.uid': (o) => at(o, 'involvedObject', 'uid') ?? '',
      'involvedObject.apiVersion': (o) => at(o, 'involvedObject', 'apiVersion') ?? '',
      'involvedObject.resourceVersion': (o) => at(o, 'involvedObject', 'resourceVersion') ?? '',
      'involvedObject.fieldPath': (o) => at(o, 'involvedObject', 'fieldPath') ?? '',
      reason: (o) => at(o, 'reason') ?? '',
      reportingComponent: (o) => at(o, 'reportingComponent') ?? '',
      source: (o) => at(o, 'source', 'component') ?? '',
      type: (o) => at(o, 'type') ?? '',
    },
  },
  {
    group: 'apps', version: 'v1', kind: 'Deployment', hasGeneration: true, plural: 'deployments', singular: 'deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], hasStatus: true,
    subresources: [{ ...status, kind: 'Deployment' }, { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }],
  },
  {
    group: 'apps', version: 'v1', kind: 'ReplicaSet', hasGeneration: true, plural: 'replicasets', singular: 'replicaset', namespaced: true, shortNames: ['rs'], categories: ['all'], hasStatus: true,
    subresources: [{ ...status, kind: 'ReplicaSet' }, { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }],
  },
  {
    group: 'apps', version: 'v1', kind: 'StatefulSet', hasGeneration: true, plural: 'statefulsets', singular: 'statefulset', namespaced: true, shortNames: ['sts'], categories: ['all'], hasStatus: true,
    subresources: [{ ...status, kind: 'StatefulSet' }, { name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }],
  },
  {
    group: 'apps', version: 'v1', kind: 'DaemonSet', hasGeneration: true, plural: 'daemonsets', singular: 'daemonset', namespaced: true, shortNames: ['ds'], categories: ['all'], hasStatus: true,
    subresources: [{ ...status, kind: 'DaemonSet' }],
  },
  { group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', singular: 'controllerrevision', namespaced: true },
  {
    group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', hasGeneration: true, plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget', namespaced: true, shortNames: ['pdb'], hasStatus: true,
    subresources: [{ ...status, kind: 'PodDisruptionBudget' }],
  },
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', singular: 'lease', namespaced: true },
  {
    group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', namespaced: false, verbs: ['create'],
  },
  {
    group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', namespaced: false, verbs: ['create'],
  },
  {
    group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', singular: 'selfsubjectreview', namespaced: false, verbs: ['create'],
  },
];

/** Resources that only accept `create` and are answered, never stored. */
export const VIRTUAL = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

export function groupVersion(rt: ResourceType): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

/** Stable key of a resource type, e.g. `apps/deployments`, `/pods`. */
export function typeKey(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${rt.group}/${rt.plural}`;
}

const byPath = new Map<string, ResourceType>();
for (const rt of RESOURCES) byPath.set(`${groupVersion(rt)}/${rt.plural}`, rt);

/** Finds a resource by group version and plural, e.g. ('apps/v1', 'deployments'). */
export function findResource(gv: string, plural: string): ResourceType | undefined {
  return byPath.get(`${gv}/${plural}`);
}

export function resourceFor(group: string, plural: string): ResourceType {
  const rt = RESOURCES.find((r) => r.group === group && r.plural === plural);
  if (!rt) throw new Error(`unknown resource ${group}/${plural}`);
  return rt;
}

/** Field values a field selector can test, for one object. */
export function fieldsOf(rt: ResourceType, o: KObject): Record<string, string> {
  const out: Record<string, string> = { 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '' };
  for (const [k, f] of Object.entries(rt.fields ?? {})) {
    const v = f(o);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export function allowedFields(rt: ResourceType): string[] {
  return ['metadata.name', 'metadata.namespace', ...Object.keys(rt.fields ?? {})];
}

export function verbsOf(rt: ResourceType): string[] {
  return rt.verbs ?? ALL_VERBS;
}
