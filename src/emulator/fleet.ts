/**
 * The training fleet: N sites, each with its own HTTPS API server, one Vault,
 * one control endpoint for faults and scenarios, and the kubeconfig that
 * points kubectl (or Triptych) at all of it.
 */
import { mkdir, writeFile, chmod } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TokenRegistry, type Role } from './auth';
import { resourceFor, type ResourceType } from './api/resources';
import { SiteServer } from './api/server';
import { contextName, kubeconfigYaml, ROLES } from './kubeconfig';
import { Site, type SiteTiming } from './sim/site';
import { generateSite } from './sim/generate';
import { SITE_NAMES } from './sim/topology';
import { generateFleetTls, type FleetTls } from './tls';
import type { KObject } from './types';
import { startVault, type VaultEmulator } from './vault';
import { Rng } from './rng';
import { ControlServer } from './scenarios/control';
import { FaultInjector } from './scenarios/faults';
import { MonitoringServer, SiteRules } from './monitoring';

export interface FleetOptions {
  /** Number of sites (names from the default list) or explicit names. */
  sites?: number | string[];
  nodes?: number;
  podsPerNode?: number;
  seed?: string;
  /** Where kubeconfig, CA and fleet.json are written; nothing is written when absent. */
  dir?: string;
  /** Watch history per site (changes); smaller means earlier 410s. */
  historySize?: number;
  bookmarkIntervalMs?: number;
  timing?: Partial<SiteTiming>;
  /** Fixed ports, e.g. for a training room's shared kubeconfig; 0 = any. */
  basePort?: number;
  now?: () => number;
  /** Multiplies the alerting rules' `for:` (default: 15 minutes become 6 s; 0 fires at once). */
  alertForScale?: number;
}

export interface FleetSite {
  site: Site;
  server: SiteServer;
  tokens: Record<Role, string>;
}

export interface FleetInfo {
  /** `alertmanager`: the site's Alertmanager base URL (API v2 under it), served by the fleet's monitoring server with the fleet's CA. */
  sites: { name: string; server: string; contexts: Record<Role, string>; alertmanager: string }[];
  vault: { address: string };
  control: { address: string; token: string };
  kubeconfig?: string;
  caFile?: string;
  seed: string;
}

function token(prefix: string): string {
  // Real tokens, not seeded: they are credentials, even in training.
  return `${prefix}.${randomBytes(24).toString('base64url')}`;
}

/** Resource groups in load order (namespaces before what lives in them). */
function loadOrder(objs: ReturnType<typeof generateSite>): [ResourceType, KObject[]][] {
  const byKind = (kind: string): KObject[] => objs.workloads.filter((o) => o.kind === kind);
  return [
    [resourceFor('', 'namespaces'), objs.namespaces],
    [resourceFor('', 'nodes'), objs.nodes],
    [resourceFor('coordination.k8s.io', 'leases'), objs.leases],
    [resourceFor('', 'configmaps'), objs.configmaps],
    [resourceFor('', 'services'), objs.services],
    [resourceFor('apps', 'deployments'), byKind('Deployment')],
    [resourceFor('apps', 'replicasets'), byKind('ReplicaSet')],
    [resourceFor('apps', 'daemonsets'), byKind('DaemonSet')],
    [resourceFor('apps', 'statefulsets'), byKind('StatefulSet')],
    [resourceFor('policy', 'poddisruptionbudgets'), objs.pdbs],
    [resourceFor('', 'pods'), objs.pods],
    [resourceFor('', 'events'), objs.events],
  ];
}

export class Fleet {
  private constructor(
    readonly sites: FleetSite[],
    readonly vault: VaultEmulator,
    readonly control: ControlServer,
    readonly faults: FaultInjector,
    readonly registry: TokenRegistry,
    readonly tls: FleetTls,
    readonly info: FleetInfo,
    readonly monitoring: MonitoringServer,
  ) {}

  static async start(opts: FleetOptions = {}): Promise<Fleet> {
    const seed = opts.seed ?? 'triptych';
    const now = opts.now ?? Date.now;
    const names = Array.isArray(opts.sites) ? opts.sites : defaultSiteNames(opts.sites ?? 3);
    const tls = await generateFleetTls();
    const registry = new TokenRegistry();
    const sites: FleetSite[] = [];
    for (const [index, name] of names.entries()) {
      const site = new Site({ name, index, seed, registry, now, historySize: opts.historySize, bookmarkIntervalMs: opts.bookmarkIntervalMs, timing: opts.timing });
      const generated = generateSite({ site: name, index, seed, now: now(), nodes: opts.nodes, podsPerNode: opts.podsPerNode });
      site.load(loadOrder(generated));
      const server = new SiteServer(site, { tls: { key: tls.key, cert: tls.cert }, port: opts.basePort ? opts.basePort + index : 0 });
      await server.start();
      const tokens = Object.fromEntries(ROLES.map((r) => [r, token(`${name}-${r}`)])) as Record<Role, string>;
      for (const r of ROLES) registry.add(tokens[r], { identity: { user: `${r}@${name}`, groups: ['system:authenticated', `triptych:${r}`], role: r }, sites: [name] });
      sites.push({ site, server, tokens });
    }
    const vault = await startVault({
      tls: { key: tls.key, cert: tls.cert },
      port: opts.basePort ? opts.basePort + names.length : 0,
      now,
      rng: new Rng(`${seed}:vault`),
      registry,
      sites: names,
      kv: Object.fromEntries(sites.map((s) => [`triptych/sites/${s.site.name}`, { token: s.tokens.viewer, server: s.server.url }])),
    });
    const faults = new FaultInjector(sites, vault, registry, new Rng(`${seed}:faults`), now);
    const controlToken = token('control');
    const control = new ControlServer(faults, { tls: { key: tls.key, cert: tls.cert }, token: controlToken, port: opts.basePort ? opts.basePort + names.length + 1 : 0 });
    control.replays.useSites(sites.map((s) => s.site), (site) => faults.churn({ site, rate: 0 }));
    await control.start();
    // Apart from the API servers, so that a site-outage leaves monitoring up to report it.
    const rules = sites.map((s) => new SiteRules(s.site, { apiUp: () => s.server.listening, vaultSealed: () => vault.status().sealed, forScale: opts.alertForScale }));
    const monitoring = new MonitoringServer(rules, { tls: { key: tls.key, cert: tls.cert }, port: opts.basePort ? opts.basePort + names.length + 2 : 0, now });
    await monitoring.start();
    const info: FleetInfo = {
      sites: sites.map((s) => ({
        name: s.site.name,
        server: s.server.url,
        contexts: Object.fromEntries(ROLES.map((r) => [r, contextName(s.site.name, r)])) as Record<Role, string>,
        alertmanager: monitoring.siteUrl(s.site.name),
      })),
      vault: { address: vault.url },
      control: { address: control.url, token: controlToken },
      seed,
    };
    const fleet = new Fleet(sites, vault, control, faults, registry, tls, info, monitoring);
    if (opts.dir) await fleet.writeFiles(opts.dir);
    return fleet;
  }

  site(name: string): FleetSite {
    const s = this.sites.find((x) => x.site.name === name);
    if (!s) throw new Error(`no site named ${name} (sites: ${this.sites.map((x) => x.site.name).join(', ')})`);
    return s;
  }

  kubeconfig(): string {
    return kubeconfigYaml(this.sites.map((s) => ({ site: s.site.name, server: s.server.url, tokens: s.tokens })), this.tls.caCert);
  }

  /** kubeconfig (0600), the CA, and fleet.json (0600: it holds the control token). */
  async writeFiles(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const kubeconfig = path.resolve(dir, 'kubeconfig');
    const caFile = path.resolve(dir, 'ca.crt');
    await writeFile(kubeconfig, this.kubeconfig(), { mode: 0o600 });
    await chmod(kubeconfig, 0o600);
    await writeFile(caFile, this.tls.caCert);
    this.info.kubeconfig = kubeconfig;
    this.info.caFile = caFile;
    const infoFile = path.resolve(dir, 'fleet.json');
    await writeFile(infoFile, `${JSON.stringify(this.info, null, 2)}\n`, { mode: 0o600 });
    await chmod(infoFile, 0o600);
  }

  async close(): Promise<void> {
    this.faults.stop();
    for (const s of this.sites) s.site.close();
    await Promise.all(this.sites.map((s) => s.server.stop()));
    await this.vault.close();
    await this.control.stop();
    await this.monitoring.stop();
  }
}

export function defaultSiteNames(n: number): string[] {
  const base: string[] = [...SITE_NAMES];
  return Array.from({ length: n }, (_, i) => base[i] ?? `site${i + 1}`);
}

export { contextName };
