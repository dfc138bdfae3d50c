/**
 * The training Vault's policy model, derived from a user's fleet `Role`.
 *
 * Vault policies are path rules with capabilities. Here every token carries
 * `default` plus one `triptych-<role>` policy (root tokens carry `root`):
 *
 * | policy              | paths and capabilities                                                       |
 * |---------------------|------------------------------------------------------------------------------|
 * | default             | auth/token/lookup-self (read); renew-self, revoke-self, sys/leases/lookup,   |
 * |                     | sys/leases/renew*, sys/leases/revoke* (update)                               |
 * | triptych-viewer     | secret/data/triptych/* (read); secret/metadata/triptych/* (read, list);      |
 * |                     | kubernetes-<site>/creds/viewer (update)                                      |
 * | triptych-operator   | secret/data/triptych/* (create, read, update);                               |
 * |                     | secret/metadata/triptych/* (read, list);                                     |
 * |                     | kubernetes-<site>/creds/{viewer,operator} (update)                           |
 * | triptych-admin      | secret/* (create, read, update, delete, list); kubernetes-<site>/creds/*     |
 * | root                | everything                                                                   |
 *
 * So a user may only ask the Kubernetes engine for a role at or below its own,
 * and a viewer may read KV secrets under `triptych/` and nothing else.
 *
 * One deliberate difference from a stock Vault: `default` may revoke leases.
 * Triptych revokes site credentials when it is done with them, and the lease
 * id itself is the capability (Vault checks no ownership on sys/leases).
 *
 * Matching follows Vault: an exact rule wins; otherwise the longest glob
 * prefix (`*` only at the end) wins and lesser globs are ignored; rules for
 * the winning pattern from several policies are merged.
 */
import type { Role } from '../auth';

/** The capabilities a request needs; Vault's `sudo`/`deny` are not modelled. */
export type Capability = 'create' | 'read' | 'update' | 'delete' | 'list';

/** One `path "..." { capabilities = [...] }` stanza. */
export interface PathRule {
  path: string;
  capabilities: readonly Capability[];
}

/** Roles ordered from least to most privileged. */
export const ROLE_ORDER: readonly Role[] = ['viewer', 'operator', 'admin'];

/** The policy name a role maps to. */
export function rolePolicy(role: Role): string {
  return `triptych-${role}`;
}

/** Policies attached to a token for `role` (`root` for the root token). */
export function policiesFor(role: Role | 'root'): string[] {
  return role === 'root' ? ['root'] : ['default', rolePolicy(role)];
}

/** The mount name of the Kubernetes secrets engine for a site. */
export function kubernetesMount(site: string): string {
  return `kubernetes-${site}`;
}

/** Builds the rule set for every policy, given the fleet's sites. */
export function buildPolicies(sites: readonly string[]): Map<string, PathRule[]> {
  const creds = (roles: readonly Role[]): PathRule[] =>
    sites.flatMap((site) =>
      roles.map((r) => ({ path: `${kubernetesMount(site)}/creds/${r}`, capabilities: ['update'] as const })),
    );
  const policies = new Map<string, PathRule[]>();
  policies.set('default', [
    { path: 'auth/token/lookup-self', capabilities: ['read'] },
    { path: 'auth/token/renew-self', capabilities: ['update'] },
    { path: 'auth/token/revoke-self', capabilities: ['update'] },
    { path: 'sys/leases/lookup', capabilities: ['update'] },
    { path: 'sys/leases/renew*', capabilities: ['update'] },
    { path: 'sys/leases/revoke*', capabilities: ['update'] },
  ]);
  policies.set(rolePolicy('viewer'), [
    { path: 'secret/data/triptych/*', capabilities: ['read'] },
    { path: 'secret/metadata/triptych/*', capabilities: ['read', 'list'] },
    ...creds(['viewer']),
  ]);
  policies.set(rolePolicy('operator'), [
    { path: 'secret/data/triptych/*', capabilities: ['create', 'read', 'update'] },
    { path: 'secret/metadata/triptych/*', capabilities: ['read', 'list'] },
    ...creds(['viewer', 'operator']),
  ]);
  policies.set(rolePolicy('admin'), [
    { path: 'secret/*', capabilities: ['create', 'read', 'update', 'delete', 'list'] },
    ...sites.map((site) => ({ path: `${kubernetesMount(site)}/creds/*`, capabilities: ['update'] as const })),
  ]);
  return policies;
}

/**
 * Whether a token holding `tokenPolicies` may perform `capability` on `path`
 * (a request path without the leading `/v1/`).
 */
export function isAllowed(
  policies: ReadonlyMap<string, readonly PathRule[]>,
  tokenPolicies: readonly string[],
  path: string,
  capability: Capability,
): boolean {
  if (tokenPolicies.includes('root')) return true;
  const rules = tokenPolicies.flatMap((name) => policies.get(name) ?? []);
  const exact = rules.filter((r) => !r.path.endsWith('*') && r.path === path);
  if (exact.length > 0) return exact.some((r) => r.capabilities.includes(capability));
  let best = -1;
  let granted = false;
  for (const r of rules) {
    if (!r.path.endsWith('*')) continue;
    const prefix = r.path.slice(0, -1);
    if (!path.startsWith(prefix)) continue;
    if (prefix.length > best) {
      best = prefix.length;
      granted = r.capabilities.includes(capability);
    } else if (prefix.length === best) {
      granted ||= r.capabilities.includes(capability);
    }
  }
  return granted;
}
