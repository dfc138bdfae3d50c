/**
 * Which sites the console shows: the admin's triptych.yaml, checked against
 * their kubeconfig, or — when there is none — the training fleet. A
 * kubeconfig alone is not a site list (it often holds dozens of unrelated
 * clusters), so it never turns into sites by guesswork.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { SiteInfo } from '../../shared/model';
import { ConfigError, listSome, type ConfigIssue } from './errors';
import { loadInventory, type Inventory } from './inventory';
import { emptyKubeconfig, loadKubeconfig, type Env } from './kubeconfig';
import { triptychConfigPath } from './paths';
import { parseTriptychConfig, type ParsedTriptychConfig, type Theme, type TriptychConfig } from './triptych';

/** Where to look: the environment, home folder and platform (never read from the process, so tests stay hermetic). */
export interface ResolveOptions {
  env: Env;
  home: string;
  platform: NodeJS.Platform;
}

/** The sites to show and everything needed to connect to them. */
export interface ResolvedSites {
  /** `training`: no triptych.yaml; the caller starts the training fleet and uses trainingSites(). */
  mode: 'configured' | 'training';
  /** Configured sites, in file order; empty in training mode. */
  sites: SiteInfo[];
  /** The admin's merged kubeconfig (empty when there is none). */
  kubeconfig: KubeConfig;
  /** Site id → its inventory, for sites that have one. */
  inventories: Map<string, Inventory>;
  /** Worth showing the admin, e.g. skipped kubeconfig files or how to configure sites. */
  warnings: string[];
  theme: Theme;
  /** The triptych.yaml that was read, or where one would be read from. */
  configFile: string;
  /** The validated triptych.yaml (with its Vault settings and per-site credential sources); absent in training mode. */
  config?: TriptychConfig;
}

/**
 * Finds and validates the site configuration. Throws ConfigError when a
 * triptych.yaml exists (or TRIPTYCH_CONFIG names one) but cannot be used:
 * starting the training fleet instead would hide the admin's mistake.
 */
export async function resolveSites(opts: ResolveOptions): Promise<ResolvedSites> {
  const location = triptychConfigPath(opts.env, opts.home, opts.platform);
  const file = path.resolve(location.file);
  const text = await readIfExists(file, location.source === 'env');
  if (text === undefined) return training(opts, file);

  const loaded = await loadKubeconfig(opts.env, opts.home, opts.platform);
  const parsed = parseTriptychConfig(text, file, { kubeconfig: loaded, home: opts.home });
  const kc = loaded.kubeconfig;
  const sites = parsed.config.sites.map((s): SiteInfo => {
    const context = kc.getContextObject(s.context);
    const server = (context && kc.getCluster(context.cluster)?.server) ?? '';
    return { id: s.id, name: s.name, color: s.color, context: s.context, server, labels: { ...s.labels }, training: false };
  });
  return {
    mode: 'configured',
    sites,
    kubeconfig: kc,
    inventories: await loadInventories(parsed),
    warnings: [...loaded.warnings, ...parsed.warnings],
    theme: parsed.config.theme,
    configFile: file,
    config: parsed.config,
  };
}

async function readIfExists(file: string, required: boolean): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    const why = code === 'ENOENT' ? 'TRIPTYCH_CONFIG names this file, but it does not exist' : code === 'EISDIR' ? 'this is a folder, not a file' : (err as Error).message;
    throw new ConfigError([{ file, message: `cannot read the site configuration: ${why}` }]);
  }
}

async function training(opts: ResolveOptions, file: string): Promise<ResolvedSites> {
  const warnings: string[] = [];
  let kubeconfig = emptyKubeconfig();
  try {
    const loaded = await loadKubeconfig(opts.env, opts.home, opts.platform);
    kubeconfig = loaded.kubeconfig;
    warnings.push(...loaded.warnings);
  } catch (err) {
    // Training needs no kubeconfig, so a broken one must not stand in its way.
    if (!(err instanceof ConfigError)) throw err;
    warnings.push(`the kubeconfig cannot be used (the training fleet does not need it): ${err.message}`);
  }
  const contexts = kubeconfig.getContexts().map((c) => c.name);
  if (contexts.length > 0) {
    warnings.push(
      `No site configuration at ${file}, so Triptych starts its training fleet. Your kubeconfig has ${contexts.length} context(s) (${listSome(contexts, 5)}), ` +
        `but Triptych does not guess which are your sites: create ${file} listing each site's id, name and context ` +
        '(see docs/configuration.md; resources/triptych.example.yaml is a template), or set TRIPTYCH_CONFIG to such a file.',
    );
  }
  return { mode: 'training', sites: [], kubeconfig, inventories: new Map(), warnings, theme: 'system', configFile: file };
}

/** Every site's inventory; all problems are collected so the admin fixes them in one pass. */
async function loadInventories(parsed: ParsedTriptychConfig): Promise<Map<string, Inventory>> {
  const inventories = new Map<string, Inventory>();
  const issues: ConfigIssue[] = [];
  for (const [i, site] of parsed.config.sites.entries()) {
    if (site.inventory === undefined) continue;
    try {
      inventories.set(site.id, await loadInventory(site.inventory));
    } catch (err) {
      if (err instanceof ConfigError) {
        issues.push(...err.issues);
        continue;
      }
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${(err as Error).message})`;
      issues.push({ ...parsed.locate(['sites', i, 'inventory']), message: `site '${site.id}': inventory file ${site.inventory} ${why}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return inventories;
}
