/**
 * A site's `alertmanager:` key in triptych.yaml: where the site's
 * Alertmanager is and how to reach it. Only locations are written here —
 * the bearer token and the basic-auth password live in files the key names,
 * so the file can be shared, versioned and shown on screen.
 */
import { isMap, isScalar } from 'yaml';
import type { ConfigIssue } from '../config/errors';
import { readText, unknownKey } from '../config/fields';
import { resolveConfigPath } from '../config/paths';
import { describe, entries, issueAt, type Entry, type YamlFile } from '../config/yaml';

/** One site's Alertmanager, as triptych.yaml configures it (paths absolute). */
export interface AlertmanagerConfig {
  /** Base URL without a trailing slash, e.g. `https://alertmanager.fra.example.com` or `https://ops.example.com/alertmanager`. */
  url: string;
  /** PEM file with the CA(s) that signed Alertmanager's certificate; absent = the system's CAs. */
  caCert?: string;
  /** File holding a bearer token, sent as `Authorization: Bearer …` (re-read at each request, so rotation works). */
  bearerTokenFile?: string;
  /** Basic auth: the user name, and the file holding the password. */
  basicAuth?: { username: string; passwordFile: string };
}

const KEYS = ['url', 'caCert', 'bearerTokenFile', 'basicAuth'];
const BASIC_KEYS = ['username', 'passwordFile'];
const EXAMPLE = 'alertmanager: https://alertmanager.example.com:9093 or alertmanager: {url: https://…, caCert: ca.pem}';
const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * What is wrong with an Alertmanager URL, if anything. Plain http is refused
 * except on loopback (a local Alertmanager, the tests): alert text describes
 * the platform's weak spots, and a bearer token or password would otherwise
 * cross the network readable by anyone on the path.
 */
export function alertmanagerUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `'${value}' is not a URL; write it as https://alertmanager.example.com:9093`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `'${value}' must start with https://`;
  if (url.protocol === 'http:' && !LOOPBACK.includes(url.hostname)) {
    return `'${value}' uses plain http, which would send credentials and alerts unencrypted; use https:// (plain http is accepted only for 127.0.0.1)`;
  }
  if (url.username || url.password) return 'must not contain a user name or password; use basicAuth with a passwordFile';
  if (url.search || url.hash) return `'${value}' must not have a query or fragment`;
  if (/\/api\/v[12]\/?$/.test(url.pathname)) return `'${value}' must be Alertmanager's base URL, without /api/v2 (Triptych adds it)`;
  return undefined;
}

/**
 * Reads `sites[].alertmanager`: a URL string, or a mapping with url and the
 * optional caCert, bearerTokenFile and basicAuth. Relative file paths are
 * resolved from triptych.yaml's folder. Problems go into `issues`.
 */
export function readSiteAlertmanager(y: YamlFile, e: Entry, label: string, home: string, issues: ConfigIssue[]): AlertmanagerConfig | undefined {
  const where = `${label}: alertmanager`;
  if (isScalar(e.value)) {
    const url = readUrl(y, e, where, issues);
    return url === undefined ? undefined : { url };
  }
  if (!isMap(e.value)) {
    issues.push(issueAt(y, e.value ?? e.keyNode, `${where} must be a URL or a mapping (${EXAMPLE}), found ${describe(e.value)}`));
    return undefined;
  }
  const found = entries(y, e.value, issues);
  const out: Partial<AlertmanagerConfig> = {};
  let ok = true;
  for (const f of found) {
    switch (f.key) {
      case 'url': {
        const url = readUrl(y, f, where, issues);
        if (url === undefined) ok = false;
        else out.url = url;
        break;
      }
      case 'caCert':
      case 'bearerTokenFile': {
        const v = readText(y, f, where, issues);
        if (v === undefined) ok = false;
        else out[f.key] = resolveConfigPath(v, y.file, home);
        break;
      }
      case 'basicAuth': {
        const basic = readBasicAuth(y, f, where, home, issues);
        if (basic === undefined) ok = false;
        else out.basicAuth = basic;
        break;
      }
      case 'token':
      case 'bearerToken':
      case 'password':
        // A secret written inline would end up in backups, screenshots and version control.
        issues.push(issueAt(y, f.keyNode, `${where}: secrets are not written in triptych.yaml; put the ${f.key === 'password' ? 'password' : 'token'} in a file readable only by you and name it with ${f.key === 'password' ? 'basicAuth.passwordFile' : 'bearerTokenFile'}`));
        ok = false;
        break;
      default:
        issues.push(unknownKey(y, f, KEYS, `in ${where}`));
        ok = false;
    }
  }
  if (!found.some((f) => f.key === 'url')) {
    issues.push(issueAt(y, e.value, `${where} has no 'url' (such as https://alertmanager.example.com:9093)`));
    ok = false;
  }
  if (out.bearerTokenFile !== undefined && out.basicAuth !== undefined) {
    issues.push(issueAt(y, e.value, `${where}: use either bearerTokenFile or basicAuth, not both (one Authorization header is sent)`));
    ok = false;
  }
  return ok && out.url !== undefined ? (out as AlertmanagerConfig) : undefined;
}

function readUrl(y: YamlFile, e: Entry, where: string, issues: ConfigIssue[]): string | undefined {
  const v = readText(y, e, where, issues);
  if (v === undefined) return undefined;
  const problem = alertmanagerUrlProblem(v);
  if (problem) {
    issues.push(issueAt(y, e.value, `${where}: url ${problem}`));
    return undefined;
  }
  return v.replace(/\/+$/, '');
}

function readBasicAuth(y: YamlFile, e: Entry, where: string, home: string, issues: ConfigIssue[]): AlertmanagerConfig['basicAuth'] {
  const here = `${where}.basicAuth`;
  if (!isMap(e.value)) {
    issues.push(issueAt(y, e.value ?? e.keyNode, `${here} must be a mapping {username: …, passwordFile: …}, found ${describe(e.value)}`));
    return undefined;
  }
  const found = entries(y, e.value, issues);
  let username: string | undefined;
  let passwordFile: string | undefined;
  let ok = true;
  for (const f of found) {
    if (f.key === 'username') username = readText(y, f, here, issues);
    else if (f.key === 'passwordFile') {
      const v = readText(y, f, here, issues);
      if (v !== undefined) passwordFile = resolveConfigPath(v, y.file, home);
    } else if (f.key === 'password') {
      issues.push(issueAt(y, f.keyNode, `${here}: secrets are not written in triptych.yaml; put the password in a file readable only by you and name it with passwordFile`));
      ok = false;
    } else {
      issues.push(unknownKey(y, f, BASIC_KEYS, `in ${here}`));
      ok = false;
    }
  }
  for (const key of BASIC_KEYS) {
    if (!found.some((f) => f.key === key)) {
      issues.push(issueAt(y, e.value, `${here} has no '${key}'`));
      ok = false;
    }
  }
  return ok && username !== undefined && passwordFile !== undefined ? { username, passwordFile } : undefined;
}
