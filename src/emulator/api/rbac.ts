/**
 * Authorization for the three training roles. A rule table in the shape of
 * RBAC PolicyRules, so SelfSubjectRulesReview can return it as it is.
 *
 * viewer: read everything but secrets (like the built-in `view` role), read logs.
 * operator: viewer + node maintenance (cordon, drain), pod delete/eviction/exec,
 *   workload scale and restart, events, leases and configmaps (handover, locks).
 * admin: everything (like `cluster-admin`).
 */
import type { Role } from '../auth';

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
}

const READ = ['get', 'list', 'watch'];
const readable = ['pods', 'pods/log', 'pods/status', 'nodes', 'nodes/status', 'namespaces', 'services', 'endpoints', 'configmaps', 'serviceaccounts', 'events',
  'deployments', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale', 'daemonsets', 'controllerrevisions', 'poddisruptionbudgets', 'leases'];

const VIEWER: PolicyRule[] = [
  { verbs: READ, apiGroups: ['', 'apps', 'policy', 'coordination.k8s.io', 'autoscaling'], resources: readable },
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];

const OPERATOR: PolicyRule[] = [
  ...VIEWER,
  { verbs: ['patch', 'update'], apiGroups: [''], resources: ['nodes'] },
  { verbs: ['delete', 'deletecollection'], apiGroups: [''], resources: ['pods'] },
  { verbs: ['create'], apiGroups: [''], resources: ['pods/eviction', 'pods/exec'] },
  { verbs: ['get'], apiGroups: [''], resources: ['pods/exec'] },
  { verbs: ['patch', 'update'], apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'deployments/scale', 'statefulsets/scale', 'replicasets/scale'] },
  { verbs: ['create', 'patch', 'update'], apiGroups: [''], resources: ['events'] },
  { verbs: ['create', 'delete', 'patch', 'update'], apiGroups: ['coordination.k8s.io'], resources: ['leases'] },
  { verbs: ['create', 'delete', 'patch', 'update'], apiGroups: [''], resources: ['configmaps'] },
  { verbs: ['create'], apiGroups: [''], resources: ['namespaces'] },
];

const ADMIN: PolicyRule[] = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }];

export function rulesFor(role: Role): PolicyRule[] {
  return role === 'admin' ? ADMIN : role === 'operator' ? OPERATOR : VIEWER;
}

/** `resource` may carry a subresource: `pods/log`. */
export function allowed(role: Role, verb: string, group: string, resource: string): boolean {
  return rulesFor(role).some(
    (r) =>
      (r.verbs.includes('*') || r.verbs.includes(verb)) &&
      (r.apiGroups.includes('*') || r.apiGroups.includes(group)) &&
      (r.resources.includes('*') || r.resources.includes(resource)),
  );
}
