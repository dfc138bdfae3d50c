/**
 * The kubeconfig the training fleet writes: one cluster per site, and per site
 * one context for each training role. Written with the `yaml` package so that
 * kubectl, client-node and our own loader read it like any admin's kubeconfig.
 */
import { stringify } from 'yaml';
import type { Role } from './auth';

export interface SiteCredentials {
  site: string;
  server: string;
  tokens: Record<Role, string>;
}

export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];

/** Context names: `<site>` is the operator (the team's everyday role), `<site>-admin` and `<site>-viewer` the others. */
export function contextName(site: string, role: Role): string {
  return role === 'operator' ? site : `${site}-${role}`;
}

export function kubeconfigYaml(sites: SiteCredentials[], caCertPem: string, current?: string): string {
  const caData = Buffer.from(caCertPem).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: sites.map((s) => ({ name: s.site, cluster: { server: s.server, 'certificate-authority-data': caData } })),
    users: sites.flatMap((s) => ROLES.map((r) => ({ name: `${s.site}-${r}`, user: { token: s.tokens[r] } }))),
    contexts: sites.flatMap((s) =>
      ROLES.map((r) => ({ name: contextName(s.site, r), context: { cluster: s.site, user: `${s.site}-${r}`, namespace: 'default' } })),
    ),
    'current-context': current ?? (sites[0] ? contextName(sites[0].site, 'operator') : ''),
  });
}
