/**
 * From what the operator picked to the pod collections to watch at one site:
 * a workload's own selector (looked up at that site — the three sites may
 * differ), a label selector, a node (field selector spec.nodeName), or pods
 * by name (field selector metadata.name).
 */
import type { KubeHttp } from '../kube/http';
import type { LogTarget, WorkloadKind } from './types';

/** One pod collection to watch: a path with its selectors in the query. */
export interface PodQuery {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const WORKLOAD_PATHS: Record<WorkloadKind, string> = {
  Deployment: '/apis/apps/v1/namespaces/{ns}/deployments/{name}',
  StatefulSet: '/apis/apps/v1/namespaces/{ns}/statefulsets/{name}',
  DaemonSet: '/apis/apps/v1/namespaces/{ns}/daemonsets/{name}',
  ReplicaSet: '/apis/apps/v1/namespaces/{ns}/replicasets/{name}',
  Job: '/apis/batch/v1/namespaces/{ns}/jobs/{name}',
};

/** metav1.LabelSelector as the `labelSelector` query parameter (metav1.LabelSelectorAsSelector). */
export function selectorString(sel: LabelSelector): string {
  const terms: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => a.localeCompare(b))) terms.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In':
        terms.push(`${e.key} in (${values})`);
        break;
      case 'NotIn':
        terms.push(`${e.key} notin (${values})`);
        break;
      case 'Exists':
        terms.push(e.key);
        break;
      case 'DoesNotExist':
        terms.push(`!${e.key}`);
        break;
      default:
        throw new Error(`unknown selector operator ${JSON.stringify(e.operator)}`);
    }
  }
  return terms.join(',');
}

/** The collection path of a pod query, its selectors in the query string (the watch adds its own parameters). */
export function podQueryPath(q: PodQuery): string {
  const params = new URLSearchParams();
  if (q.labelSelector) params.set('labelSelector', q.labelSelector);
  if (q.fieldSelector) params.set('fieldSelector', q.fieldSelector);
  const base = q.namespace ? `/api/v1/namespaces/${encodeURIComponent(q.namespace)}/pods` : '/api/v1/pods';
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/** Escapes a field selector value (`,` `=` `\`), as fields.EscapeValue does. */
function fieldValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/=/g, '\\=');
}

function perNamespace(namespaces: string[] | 'all' | undefined, q: Omit<PodQuery, 'namespace'>): PodQuery[] {
  if (namespaces === undefined || namespaces === 'all') return [q];
  return [...new Set(namespaces)].map((namespace) => ({ ...q, namespace }));
}

/** The pod queries for a target at one site. A workload's selector is read from that site. */
export async function podQueries(http: KubeHttp, target: LogTarget, signal?: AbortSignal): Promise<PodQuery[]> {
  switch (target.kind) {
    case 'workload': {
      const path = WORKLOAD_PATHS[target.workload].replace('{ns}', encodeURIComponent(target.namespace)).replace('{name}', encodeURIComponent(target.name));
      const obj = await http.getJson<{ spec?: { selector?: LabelSelector } }>(path, {}, signal, 30_000);
      const sel = obj.spec?.selector;
      const labelSelector = sel ? selectorString(sel) : '';
      // An empty selector would match every pod of the namespace: refuse rather than flood.
      if (!labelSelector) throw new Error(`${target.workload} ${target.namespace}/${target.name} has no pod selector`);
      return [{ namespace: target.namespace, labelSelector }];
    }
    case 'selector':
      return perNamespace(target.namespaces, { labelSelector: target.labelSelector });
    case 'node':
      return perNamespace(target.namespaces, { fieldSelector: `spec.nodeName=${fieldValue(target.node)}`, ...(target.labelSelector ? { labelSelector: target.labelSelector } : {}) });
    case 'pods':
      return target.pods.map((p) => ({ namespace: p.namespace, fieldSelector: `metadata.name=${fieldValue(p.name)}` }));
  }
}

/** The target in a few words, for markers. */
export function describeTarget(t: LogTarget): string {
  switch (t.kind) {
    case 'workload':
      return `${t.workload.toLowerCase()} ${t.namespace}/${t.name}`;
    case 'selector':
      return `pods matching ${t.labelSelector || '(everything)'} in ${t.namespaces === 'all' ? 'all namespaces' : t.namespaces.join(', ')}`;
    case 'node':
      return `pods on node ${t.node}`;
    case 'pods':
      return t.pods.map((p) => `${p.namespace}/${p.name}`).join(', ');
  }
}
