/**
 * Object kinds runbooks name → API paths. Only the kinds runbooks use; any
 * other kind is a plan error rather than a guess at its group and plural.
 */
import type { ObjectRef } from '../../../shared/runbooks';
import { PlanError } from './types';

interface KindInfo {
  /** `/api/v1` or `/apis/<group>/<version>`. */
  base: string;
  plural: string;
  namespaced: boolean;
}

const KINDS: Record<string, KindInfo> = {
  Node: { base: '/api/v1', plural: 'nodes', namespaced: false },
  Namespace: { base: '/api/v1', plural: 'namespaces', namespaced: false },
  Pod: { base: '/api/v1', plural: 'pods', namespaced: true },
  ConfigMap: { base: '/api/v1', plural: 'configmaps', namespaced: true },
  Service: { base: '/api/v1', plural: 'services', namespaced: true },
  Deployment: { base: '/apis/apps/v1', plural: 'deployments', namespaced: true },
  StatefulSet: { base: '/apis/apps/v1', plural: 'statefulsets', namespaced: true },
  DaemonSet: { base: '/apis/apps/v1', plural: 'daemonsets', namespaced: true },
  ReplicaSet: { base: '/apis/apps/v1', plural: 'replicasets', namespaced: true },
  PodDisruptionBudget: { base: '/apis/policy/v1', plural: 'poddisruptionbudgets', namespaced: true },
};

/** The kinds a runbook may name. */
export const KNOWN_KINDS: readonly string[] = Object.keys(KINDS);

/**
 * The API path of one object (`sub`: a subresource such as `scale`).
 * Throws PlanError for an unknown kind, a namespaced kind without a
 * namespace, or a cluster-scoped kind with one.
 */
export function objectPath(ref: { kind: string; namespace?: string; name: string }, sub?: string): string {
  const k = KINDS[ref.kind];
  if (!k) throw new PlanError(`unknown kind ${ref.kind} (runbooks can name ${KNOWN_KINDS.join(', ')})`);
  if (!ref.name) throw new PlanError(`${ref.kind} needs a name`);
  if (k.namespaced && !ref.namespace) throw new PlanError(`${ref.kind} ${ref.name} needs a namespace`);
  if (!k.namespaced && ref.namespace) throw new PlanError(`${ref.kind} is not namespaced; drop the namespace of ${ref.name}`);
  const ns = k.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace as string)}` : '';
  return `${k.base}${ns}/${k.plural}/${encodeURIComponent(ref.name)}${sub ? `/${sub}` : ''}`;
}

/** A resolved reference at `site`, without an empty namespace. */
export function refAt(site: string, kind: string, name: string, namespace?: string): ObjectRef {
  return namespace ? { site, kind, namespace, name } : { site, kind, name };
}

/** `Kind ns/name` or `Kind name`, for messages. */
export function describeRef(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}
