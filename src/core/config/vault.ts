/**
 * The Vault sections of triptych.yaml: where Vault is and how to sign in
 * (top-level `vault:`), and where each site's API credentials come from
 * (`sites[].vault:`). Only locations and names are written here — never a
 * token: tokens live in the OS keychain or in memory.
 */
import { isMap } from 'yaml';
import type { ConfigIssue } from './errors';
import { readText, unknownKey } from './fields';
import { resolveConfigPath } from './paths';
import { describe, entries, issueAt, type Entry, type YamlFile } from './yaml';

import type { VaultAuthMethod } from '../../shared/vault';

export type { VaultAuthMethod };

/** The top-level `vault:` section. Unset fields fall back to VAULT_ADDR, VAULT_CACERT, VAULT_NAMESPACE. */
export interface VaultConfig {
  /** e.g. `https://vault.example.com:8200`. */
  address?: string;
  /** Absolute path of a PEM file with the CA(s) that signed Vault's certificate. */
  caCert?: string;
  /** Vault Enterprise namespace, sent as X-Vault-Namespace. */
  namespace?: string;
  auth?: {
    method: VaultAuthMethod;
    /** Mount path of the auth method; defaults to the method's name. */
    mount: string;
    /** OIDC role (the mount's default role when absent). */
    role?: string;
    /** Prefilled user name for userpass and LDAP. */
    username?: string;
  };
}

/** Where one site's Kubernetes credentials come from. */
export type SiteVaultSource =
  | {
      /** Kubernetes secrets engine: a short-lived service-account token per connection. */
      kubernetesRole: { mount: string; role: string; namespace: string; ttl?: string };
    }
  | {
      /** KV version 2: a stored token, or a kubeconfig whose current user has one. */
      kv: { mount: string; path: string; field: 'token' | 'kubeconfig' };
    };

const VAULT_KEYS = ['address', 'caCert', 'namespace', 'auth'];
const AUTH_KEYS = ['method', 'mount', 'role', 'username'];
const METHODS: readonly VaultAuthMethod[] = ['token', 'userpass', 'ldap', 'oidc'];
const SOURCE_KEYS = ['kubernetesRole', 'kv'];
const ROLE_KEYS = ['mount', 'role', 'namespace', 'ttl'];
const KV_KEYS = ['mount', 'path', 'field'];
const KV_FIELDS = ['token', 'kubeconfig'] as const;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Vault durations: seconds as a number string, or Go-style units. */
const DURATION = /^(\d+|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

/** Reads the top-level `vault:` section. `file` anchors a relative caCert path. */
export function readVaultConfig(y: YamlFile, e: Entry, home: string, issues: ConfigIssue[]): VaultConfig | undefined {
  if (!isMap(e.value)) {
    issues.push(issueAt(y, e.value ?? e.keyNode, `vault must be a mapping with address, caCert, namespace and auth, found ${describe(e.value)}`));
    return undefined;
  }
  const out: VaultConfig = {};
  for (const f of entries(y, e.value, issues)) {
    switch (f.key) {
      case 'address': {
        const v = readText(y, f, 'vault', issues);
        if (v !== undefined) {
          const problem = addressProblem(v);
          if (problem) issues.push(issueAt(y, f.value, `vault: address ${problem}`));
          else out.address = v.replace(/\/+$/, '');
        }
        break;
      }
      case 'caCert': {
        const v = readText(y, f, 'vault', issues);
        if (v !== undefined) out.caCert = resolveConfigPath(v, y.file, home);
        break;
      }
      case 'namespace':
        out.namespace = readText(y, f, 'vault', issues);
        break;
      case 'auth':
        out.auth = readAuth(y, f, issues);
        break;
      default:
        issues.push(unknownKey(y, f, VAULT_KEYS, 'in vault'));
    }
  }
  return out;
}

/**
 * What is wrong with a Vault address, if anything. Plain http is refused
 * except on the loopback interface (a Vault dev server): the Vault token
 * would otherwise cross the network readable by anyone on the path.
 */
export function addressProblem(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return `'${address}' is not a URL; write it as https://vault.example.com:8200`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `'${address}' must start with https://`;
  if (url.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    return `'${address}' uses plain http, which would send your Vault token unencrypted; use https:// (plain http is accepted only for 127.0.0.1)`;
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.search || url.hash) return `'${address}' must not have a query or fragment`;
  return undefined;
}

function readAuth(y: YamlFile, e: Entry, issues: ConfigIssue[]): VaultConfig['auth'] {
  if (!isMap(e.value)) {
    issues.push(issueAt(y, e.value ?? e.keyNode, `vault: auth must be a mapping such as {method: oidc, role: triptych}, found ${describe(e.value)}`));
    return undefined;
  }
  const found = entries(y, e.value, issues);
  let method: VaultAuthMethod | undefined;
  const rest: { mount?: string; role?: string; username?: string } = {};
  for (const f of found) {
    if (f.key === 'method') {
      const v = readText(y, f, 'vault.auth', issues);
      method = METHODS.find((m) => m === v);
      if (v !== undefined && !method) issues.push(issueAt(y, f.value, `vault.auth: method must be one of ${METHODS.join(', ')}, found '${v}'`));
    } else if (f.key === 'mount' || f.key === 'role' || f.key === 'username') {
      const v = readText(y, f, 'vault.auth', issues);
      if (v !== undefined) rest[f.key] = f.key === 'mount' ? trimSlashes(v) : v;
    } else {
      issues.push(unknownKey(y, f, AUTH_KEYS, 'in vault.auth'));
    }
  }
  if (!found.some((f) => f.key === 'method')) issues.push(issueAt(y, e.value, `vault.auth has no 'method' (one of ${METHODS.join(', ')})`));
  if (!method) return undefined;
  if (method !== 'oidc' && rest.role !== undefined) issues.push(issueAt(y, e.value, `vault.auth: 'role' applies to the oidc method only`));
  if ((method === 'token' || method === 'oidc') && rest.username !== undefined) issues.push(issueAt(y, e.value, `vault.auth: 'username' applies to userpass and ldap only`));
  return { method, mount: rest.mount ?? method, ...(rest.role !== undefined ? { role: rest.role } : {}), ...(rest.username !== undefined ? { username: rest.username } : {}) };
}

/** Reads a site's `vault:` section: exactly one of kubernetesRole or kv. */
export function readSiteVault(y: YamlFile, e: Entry, label: string, issues: ConfigIssue[]): SiteVaultSource | undefined {
  const example = "kubernetesRole: {role: operator, namespace: default} or kv: {path: triptych/sites/fra}";
  if (!isMap(e.value)) {
    issues.push(issueAt(y, e.value ?? e.keyNode, `${label}: vault must be a mapping with ${example}, found ${describe(e.value)}`));
    return undefined;
  }
  const found = entries(y, e.value, issues);
  for (const f of found) if (!SOURCE_KEYS.includes(f.key)) issues.push(unknownKey(y, f, SOURCE_KEYS, `in ${label}'s vault`));
  const sources = found.filter((f) => SOURCE_KEYS.includes(f.key));
  if (sources.length !== 1) {
    issues.push(issueAt(y, e.value, `${label}: vault needs exactly one credential source, ${example}; found ${sources.length === 0 ? 'none' : sources.map((s) => s.key).join(' and ')}`));
    return undefined;
  }
  const src = sources[0] as Entry;
  const where = `${label}: vault.${src.key}`;
  if (!isMap(src.value)) {
    issues.push(issueAt(y, src.value ?? src.keyNode, `${where} must be a mapping, found ${describe(src.value)}`));
    return undefined;
  }
  const fields = entries(y, src.value, issues);
  const allowed = src.key === 'kv' ? KV_KEYS : ROLE_KEYS;
  const v: Record<string, string> = {};
  for (const f of fields) {
    if (!allowed.includes(f.key)) {
      issues.push(unknownKey(y, f, allowed, `in ${where}`));
      continue;
    }
    const text = readText(y, f, where, issues);
    if (text !== undefined) v[f.key] = f.key === 'mount' || f.key === 'path' ? trimSlashes(text) : text;
  }
  const required = src.key === 'kv' ? ['path'] : ['role', 'namespace'];
  let ok = true;
  for (const key of required) {
    if (!fields.some((f) => f.key === key)) {
      issues.push(issueAt(y, src.value, `${where} has no '${key}'`));
      ok = false;
    } else if (v[key] === undefined) ok = false;
  }
  const at = (key: string) => fields.find((f) => f.key === key)?.value ?? src.value;
  if (src.key === 'kv') {
    const field = v.field ?? 'token';
    if (!KV_FIELDS.includes(field as (typeof KV_FIELDS)[number])) {
      issues.push(issueAt(y, at('field'), `${where}: field must be token or kubeconfig (the key in the secret that holds it), found '${field}'`));
      ok = false;
    }
    if (!ok) return undefined;
    return { kv: { mount: v.mount ?? 'secret', path: v.path as string, field: field as 'token' | 'kubeconfig' } };
  }
  if (v.namespace !== undefined && !DNS_LABEL.test(v.namespace)) {
    issues.push(issueAt(y, at('namespace'), `${where}: namespace '${v.namespace}' is not a Kubernetes namespace name`));
    ok = false;
  }
  if (v.ttl !== undefined && !DURATION.test(v.ttl)) {
    issues.push(issueAt(y, at('ttl'), `${where}: ttl '${v.ttl}' is not a Vault duration such as "1h" or "3600"`));
    ok = false;
  }
  if (!ok) return undefined;
  return { kubernetesRole: { mount: v.mount ?? 'kubernetes', role: v.role as string, namespace: v.namespace as string, ...(v.ttl !== undefined ? { ttl: v.ttl } : {}) } };
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}
