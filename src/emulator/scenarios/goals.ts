/**
 * Scenario goals the fleet checks against its own state: the store's
 * objects, its Vault's leases and the run's applied steps. A goal is met by
 * what a trainee did to the clusters (through runbooks, cordon, a YAML edit,
 * a Vault reconnect, a handover), never by clicking somewhere in the
 * console, so the fleet can judge it without trusting the console.
 *
 * Each check reads indexes or a handful of objects (a rack's nodes, one
 * deployment per site), so evaluating every goal once a second stays cheap
 * at 5,000-node sites.
 */
import { resourceFor } from '../api/resources';
import type { FleetSite } from '../fleet';
import { LABEL_RACK } from '../sim/topology';
import type { NodeInfo } from '../sim/index';
import type { VaultEmulator } from '../vault';

const DEPLOY = resourceFor('apps', 'deployments');
const CONFIGMAPS = resourceFor('', 'configmaps');

/** Where the console keeps its shift-handover reports (core/handover/store.ts). */
export const HANDOVER_NAMESPACE = 'triptych-system';
const HANDOVER_KIND_LABEL = 'triptych.io/kind';

/** Which sites a deployment check looks at: every site, every site but the run's, or the run's. */
export type SiteScope = 'all' | 'others' | 'site';

/** What a goal's `check:` says, with the scenario's defaults not yet filled in. */
export type GoalCheck =
  | { kind: 'rack-cordoned'; site?: string; rack?: string }
  | { kind: 'rack-returned'; site?: string; rack?: string }
  | { kind: 'node-cordoned'; site?: string; node?: string }
  | { kind: 'node-drained'; site?: string; node?: string }
  | { kind: 'node-returned'; site?: string; node?: string }
  | { kind: 'deployment-healthy'; scope?: SiteScope; site?: string; namespace?: string; deployment?: string }
  | { kind: 'deployment-scaled'; scope?: SiteScope; site?: string; namespace?: string; deployment?: string; factor: number }
  | { kind: 'credentials-reissued'; scope?: SiteScope; site?: string }
  | { kind: 'handover-stored'; site?: string };

export type CheckKind = GoalCheck['kind'];

/**
 * Each kind's fields beyond `kind`, and which of them must be known once the
 * scenario's defaults are merged in (`pick` counts: it is resolved at start).
 */
export const CHECKS: Record<CheckKind, { summary: string; fields: string[]; needs: string[] }> = {
  'rack-cordoned': { summary: "every node of the rack is cordoned", fields: ['site', 'rack'], needs: ['site', 'rack'] },
  'rack-returned': { summary: "every node of the rack is schedulable and Ready", fields: ['site', 'rack'], needs: ['site', 'rack'] },
  'node-cordoned': { summary: 'the node is cordoned', fields: ['site', 'node'], needs: ['site', 'node'] },
  'node-drained': { summary: 'the node is cordoned and runs no pods but DaemonSet and static pods', fields: ['site', 'node'], needs: ['site', 'node'] },
  'node-returned': { summary: 'the node is schedulable, Ready and without disk pressure', fields: ['site', 'node'], needs: ['site', 'node'] },
  'deployment-healthy': { summary: 'the deployment runs a good image with every replica updated and Ready (rolled back after a bad rollout)', fields: ['scope', 'site', 'namespace', 'deployment'], needs: ['namespace', 'deployment'] },
  'deployment-scaled': { summary: 'the deployment has at least `factor` times the replicas it had when the run started, all Ready', fields: ['scope', 'site', 'namespace', 'deployment', 'factor'], needs: ['namespace', 'deployment', 'factor'] },
  'credentials-reissued': { summary: "Vault issued the site's credentials again (after the goal's `after` step, else after the start)", fields: ['scope', 'site'], needs: [] },
  'handover-stored': { summary: 'a shift-handover report was stored (after the goal\'s `after` step, else after the start), at the site or anywhere', fields: ['site'], needs: [] },
};

/** The fleet as checks see it. */
export interface CheckWorld {
  sites: readonly FleetSite[];
  vault: VaultEmulator;
}

/** A check's verdict; `detail` says what is missing (or what was found) in a trainee's words. */
export interface CheckResult {
  met: boolean;
  detail: string;
}

/** Whether a site scope reaches the sites other than the run's one, which then must be known. */
export function scopeNeedsSite(scope: SiteScope | undefined, kind: CheckKind): boolean {
  if (kind === 'handover-stored') return false;
  return (scope ?? defaultScope(kind)) !== 'all';
}

function defaultScope(kind: CheckKind): SiteScope {
  return kind === 'credentials-reissued' ? 'all' : 'site';
}

/**
 * Evaluates one check. `since` is when the state it looks for may start to
 * count (the `after` step's time, else the run's start); fields the check
 * leaves out come from the run's resolved defaults.
 */
export function evaluate(check: GoalCheck, defaults: Record<string, unknown>, world: CheckWorld, since: number, baseline: Baseline = {}): CheckResult {
  const c = { ...pickStrings(defaults), ...check } as GoalCheck & Record<string, unknown>;
  const site = (name: unknown): FleetSite => {
    const s = world.sites.find((x) => x.site.name === name);
    if (!s) throw new Error(`unknown site "${String(name)}"`);
    return s;
  };
  const scoped = (): FleetSite[] => {
    const scope = (c as { scope?: SiteScope }).scope ?? defaultScope(c.kind);
    if (scope === 'all') return [...world.sites];
    if (scope === 'others') return world.sites.filter((s) => s.site.name !== c.site);
    return [site(c.site)];
  };
  switch (c.kind) {
    case 'rack-cordoned':
    case 'rack-returned': {
      const s = site(c.site);
      const nodes = rackNodes(s, c.rack as string);
      if (nodes.length === 0) return { met: false, detail: `site ${s.site.name} has no rack ${String(c.rack)}` };
      const where = `rack ${String(c.rack)} at ${s.site.name}`;
      if (c.kind === 'rack-cordoned') {
        const open = nodes.filter((n) => !n.unschedulable).length;
        return open === 0 ? { met: true, detail: `all ${nodes.length} nodes of ${where} cordoned` } : { met: false, detail: `${open} of ${nodes.length} nodes of ${where} still schedulable` };
      }
      const cordoned = nodes.filter((n) => n.unschedulable).length;
      const notReady = nodes.filter((n) => !n.ready).length;
      if (cordoned === 0 && notReady === 0) return { met: true, detail: `all ${nodes.length} nodes of ${where} schedulable and Ready` };
      return { met: false, detail: [cordoned > 0 ? `${cordoned} of ${nodes.length} nodes of ${where} still cordoned` : '', notReady > 0 ? `${notReady} not Ready` : ''].filter(Boolean).join(', ') };
    }
    case 'node-cordoned':
    case 'node-drained':
    case 'node-returned': {
      const s = site(c.site);
      const n = s.site.idx.nodes.get(c.node as string);
      const where = `node ${String(c.node)} at ${s.site.name}`;
      if (!n) return { met: false, detail: `${where} does not exist` };
      if (c.kind === 'node-returned') {
        const pressure = n.taints.some((t) => t.key === 'node.kubernetes.io/disk-pressure');
        if (!n.unschedulable && n.ready && !pressure) return { met: true, detail: `${where} schedulable and Ready` };
        return { met: false, detail: `${where} ${[n.unschedulable ? 'still cordoned' : '', !n.ready ? 'not Ready' : '', pressure ? 'still under disk pressure' : ''].filter(Boolean).join(', ')}` };
      }
      if (!n.unschedulable) return { met: false, detail: `${where} still schedulable` };
      if (c.kind === 'node-cordoned') return { met: true, detail: `${where} cordoned` };
      // As kubectl drain: DaemonSet pods and static (mirror) pods stay; everything else must be gone.
      const left = s.site.idx.podsOn(n.name).filter((p) => p.ownerKind !== 'DaemonSet' && p.ownerKind !== 'Node').length;
      return left === 0 ? { met: true, detail: `${where} cordoned and drained` } : { met: false, detail: `${where} cordoned, ${left} pods still on it` };
    }
    case 'deployment-healthy':
    case 'deployment-scaled': {
      const ref = `${String(c.namespace)}/${String(c.deployment)}`;
      const bad: string[] = [];
      for (const s of scoped()) {
        const d = s.site.store.getObject(DEPLOY, c.namespace as string, c.deployment as string);
        if (!d) {
          bad.push(`${s.site.name}: no such deployment`);
          continue;
        }
        const desired = (d.spec as { replicas?: number } | undefined)?.replicas ?? 1;
        const st = (d.status ?? {}) as { replicas?: number; updatedReplicas?: number; readyReplicas?: number };
        const ready = st.readyReplicas ?? 0;
        if (c.kind === 'deployment-scaled') {
          const want = Math.ceil((c as { factor: number }).factor * (baseline[s.site.name] ?? desired));
          if (ready < want || desired < want) bad.push(`${s.site.name}: ${ready} Ready of the ${want} wanted`);
          continue;
        }
        const images = (d.spec as { template?: { spec?: { containers?: { image?: string }[] } } }).template?.spec?.containers?.map((x) => x.image ?? '') ?? [];
        const crashing = images.find((i) => s.site.crashImages.has(i));
        if (crashing) bad.push(`${s.site.name}: still on ${crashing}`);
        else if (ready !== desired || st.updatedReplicas !== desired || st.replicas !== desired) bad.push(`${s.site.name}: ${ready} of ${desired} Ready`);
      }
      if (bad.length === 0) return { met: true, detail: c.kind === 'deployment-scaled' ? `${ref} scaled up` : `${ref} healthy` };
      return { met: false, detail: `${ref} ${bad.join('; ')}` };
    }
    case 'credentials-reissued': {
      const leases = world.vault.leases();
      const missing = scoped()
        .map((s) => s.site.name)
        .filter((name) => !leases.some((l) => l.site === name && l.issueTime >= since));
      if (missing.length === 0) return { met: true, detail: 'fresh credentials issued by Vault' };
      return { met: false, detail: `no fresh credentials from Vault yet for ${missing.join(', ')}` };
    }
    case 'handover-stored': {
      const sites = check.site ? [site(check.site)] : world.sites;
      for (const s of sites) {
        const page = s.site.store.list(CONFIGMAPS, { namespace: HANDOVER_NAMESPACE, match: (v) => v.labels?.[HANDOVER_KIND_LABEL] === 'handover' });
        for (const v of page.items) {
          const created = Date.parse((JSON.parse(v.json) as { metadata: { creationTimestamp?: string } }).metadata.creationTimestamp ?? '');
          if (created >= Math.floor(since / 1000) * 1000) return { met: true, detail: `handover ${v.name} stored at ${s.site.name}` };
        }
      }
      return { met: false, detail: 'no shift-handover report stored yet' };
    }
  }
}

/** What a check compares against: the replicas per site when the run started (deployment-scaled). */
export type Baseline = Record<string, number>;

/** Takes the state a check compares against, once, when the run starts. */
export function baselineOf(check: GoalCheck, defaults: Record<string, unknown>, world: CheckWorld): Baseline {
  if (check.kind !== 'deployment-scaled') return {};
  const c = { ...pickStrings(defaults), ...check };
  const out: Baseline = {};
  for (const s of world.sites) {
    const d = s.site.store.getObject(DEPLOY, c.namespace as string, c.deployment as string);
    if (d) out[s.site.name] = (d.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  }
  return out;
}

function rackNodes(s: FleetSite, rack: string): NodeInfo[] {
  const out: NodeInfo[] = [];
  for (const n of s.site.idx.nodes.values()) if (n.labels[LABEL_RACK] === rack) out.push(n);
  return out;
}

function pickStrings(o: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['site', 'rack', 'node', 'namespace', 'deployment']) if (typeof o[k] === 'string') out[k] = o[k];
  return out;
}
