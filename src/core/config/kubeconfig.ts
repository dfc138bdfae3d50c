/**
 * The admin's kubeconfig, loaded as kubectl loads it: every file in
 * KUBECONFIG (else ~/.kube/config), merged so that the first file to define a
 * cluster, user or context wins and current-context comes from the first file
 * that sets one. client-node parses the entries; its own merge throws on
 * duplicate names and lets the last current-context win, so the merge is ours.
 */
import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { ConfigError, sortIssues, type ConfigIssue } from './errors';
import { parseYaml, position, type YamlFile } from './yaml';

/** Environment variables as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A merged kubeconfig and what happened on the way. */
export interface LoadedKubeconfig {
  kubeconfig: KubeConfig;
  /** Files that were read, in precedence order. */
  files: string[];
  /** Files that were looked for (KUBECONFIG's list, or ~/.kube/config). */
  searched: string[];
  /** Things kubectl would also shrug off, e.g. a KUBECONFIG entry that does not exist. */
  warnings: string[];
}

/** KUBECONFIG's path-list separator: `;` on Windows, `:` elsewhere (Go's filepath.ListSeparator). */
export function pathListSeparator(platform: NodeJS.Platform): string {
  return platform === 'win32' ? ';' : ':';
}

/**
 * The kubeconfig files to read, in precedence order: KUBECONFIG's entries
 * (empty ones dropped, duplicates read once, as kubectl does) or, when
 * KUBECONFIG is unset or empty, `~/.kube/config`.
 */
export function kubeconfigPaths(env: Env, home: string, platform: NodeJS.Platform): { paths: string[]; fromEnv: boolean } {
  const list = env.KUBECONFIG;
  if (list) return { paths: [...new Set(list.split(pathListSeparator(platform)).filter((p) => p !== ''))], fromEnv: true };
  const p = platform === 'win32' ? path.win32 : path.posix;
  return { paths: [p.join(home, '.kube', 'config')], fromEnv: false };
}

/** An empty kubeconfig: what kubectl works with when no file exists. */
export function emptyKubeconfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  return kc;
}

/**
 * Loads and merges the kubeconfig files named by KUBECONFIG, else
 * `<home>/.kube/config`. Missing files are skipped with a warning; a file that
 * exists but cannot be read or parsed throws a ConfigError naming it (with
 * line and column for YAML errors). No file at all gives an empty config.
 */
export async function loadKubeconfig(env: Env, home: string, platform: NodeJS.Platform = process.platform): Promise<LoadedKubeconfig> {
  const { paths, fromEnv } = kubeconfigPaths(env, home, platform);
  const warnings: string[] = [];
  const files: string[] = [];
  const parsed: KubeConfig[] = [];
  for (const entry of paths) {
    const file = path.resolve(entry);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // kubectl ignores missing KUBECONFIG entries, so scripts can list optional files.
        if (fromEnv) warnings.push(`KUBECONFIG lists ${file}, which does not exist; skipped (as kubectl does)`);
        continue;
      }
      throw new ConfigError([{ file, message: `cannot read kubeconfig: ${code === 'EISDIR' ? 'it is a directory' : (err as Error).message}` }]);
    }
    parsed.push(parseKubeconfig(text, file, warnings));
    files.push(file);
  }
  return { kubeconfig: mergeKubeconfigs(parsed), files, searched: paths.map((p) => path.resolve(p)), warnings };
}

/**
 * Merges kubeconfigs with kubectl's rules: the first to define a cluster,
 * user or context name wins, and current-context is the first non-empty one.
 */
export function mergeKubeconfigs(configs: readonly KubeConfig[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const kc of configs) {
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext && kc.getCurrentContext()) currentContext = kc.getCurrentContext();
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return merged;
}

const LISTS = ['clusters', 'contexts', 'users'] as const;

/**
 * Parses one kubeconfig. `file` names it in errors and, when it is a path,
 * relative certificate, key and token files are resolved against its folder
 * (kubectl's rule). Unreadable token files are dropped with a warning rather
 * than failing the whole load: kubectl only reads them when the user is used.
 */
export function parseKubeconfig(text: string, file: string, warnings: string[] = [], opts: { relativeTo?: string } = {}): KubeConfig {
  const y = parseYaml(text, file, { merge: true });
  if (y.value === null || y.value === undefined) return emptyKubeconfig();
  if (!isRecord(y.value)) throw new ConfigError([{ file, line: 1, column: 1, message: 'not a kubeconfig: expected a mapping with clusters, contexts and users' }]);
  const obj = y.value;
  const dir = opts.relativeTo ?? path.dirname(file);
  const issues = checkShape(y, obj);
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));
  resolveTokenFiles(obj, dir, file, warnings);

  const kc = new KubeConfig();
  try {
    // JSON is YAML: client-node re-reads exactly the data we checked, aliases already expanded within limits.
    kc.loadFromString(JSON.stringify(obj));
  } catch (err) {
    throw new ConfigError([clientNodeIssue(y, err)]);
  }
  kc.makePathsAbsolute(dir);
  return kc;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function at(y: YamlFile, keys: (string | number)[]): { line: number; column: number } {
  const node = y.doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
  return node?.range ? position(y.lines, node.range[0]) : { line: 1, column: 1 };
}

/** Structure client-node would silently ignore or misread, and kubectl rejects. */
function checkShape(y: YamlFile, obj: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const cc = obj['current-context'];
  if (cc !== undefined && cc !== null && typeof cc !== 'string') issues.push({ file: y.file, ...at(y, ['current-context']), message: 'current-context must be a context name' });
  for (const list of LISTS) {
    const items = obj[list];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) {
      issues.push({ file: y.file, ...at(y, [list]), message: `${list} must be a list` });
      continue;
    }
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const name = isRecord(item) ? item.name : undefined;
      if (typeof name !== 'string' || name === '') {
        issues.push({ file: y.file, ...at(y, [list, i]), message: `${list}[${i}] needs a name` });
        return;
      }
      const first = seen.get(name);
      // Within one file kubectl refuses duplicates (only across files does the first win).
      if (first !== undefined) issues.push({ file: y.file, ...at(y, [list, i]), message: `${list}[${i}]: '${name}' is already defined at line ${at(y, [list, first]).line}` });
      else seen.set(name, i);
      const body = isRecord(item) ? item[list.slice(0, -1)] : undefined;
      if (list === 'clusters' && isRecord(body) && body.server !== undefined && typeof body.server !== 'string') {
        issues.push({ file: y.file, ...at(y, [list, i, 'cluster', 'server']), message: `cluster '${name}': server must be a URL` });
      }
    });
  }
  return issues;
}

/** Makes token-file paths absolute (client-node reads them at load time, relative to the process's cwd). */
function resolveTokenFiles(obj: Record<string, unknown>, dir: string, file: string, warnings: string[]): void {
  const users = Array.isArray(obj.users) ? obj.users : [];
  for (const u of users) {
    const user = isRecord(u) && isRecord(u.user) ? u.user : undefined;
    const tokenFile = user?.['token-file'];
    if (!user || typeof tokenFile !== 'string') continue;
    const abs = path.resolve(dir, tokenFile);
    try {
      accessSync(abs, constants.R_OK);
      user['token-file'] = abs;
    } catch {
      delete user['token-file'];
      warnings.push(`${file}: user '${String((u as Record<string, unknown>).name)}' has token-file ${abs}, which cannot be read; that user has no token`);
    }
  }
}

/** client-node's "clusters[0].cluster.server is missing" as an issue at that entry. */
function clientNodeIssue(y: YamlFile, err: unknown): ConfigIssue {
  const message = err instanceof Error ? err.message : String(err);
  const m = /^(clusters|contexts|users)\[(\d+)\]\.(.+) is missing$/.exec(message);
  if (m?.[1] && m[2] && m[3]) {
    const keys = [m[1], Number(m[2])];
    const name = y.doc.getIn([...keys, 'name']);
    return { file: y.file, ...at(y, keys), message: `${m[1].slice(0, -1)} '${String(name)}': ${m[3]} is missing` };
  }
  return { file: y.file, message: `not a valid kubeconfig: ${message}` };
}
