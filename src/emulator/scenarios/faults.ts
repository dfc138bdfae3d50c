/**
 * The faults a trainer (or a test) can inject into the training fleet. Each
 * changes the fleet the way the real failure would show through the API:
 * a rack losing power is nodes whose kubelets stop reporting, not a flag.
 */
import { resourceFor } from '../api/resources';
import type { TokenRegistry } from '../auth';
import type { Rng } from '../rng';
import type { FleetSite } from '../fleet';
import { ts as k8sTime } from '../sim/objects';
import type { KObject } from '../types';
import type { VaultEmulator } from '../vault';
import { LABEL_RACK } from '../sim/topology';
import { Churn, restartContainer, type ChurnStats } from '../sim/churn';

const NODES = resourceFor('', 'nodes');
const DEPLOY = resourceFor('apps', 'deployments');
const PODS = resourceFor('', 'pods');

/** One fault as written in a scenario timeline or posted to the control endpoint. */
export interface FaultSpec {
  fault: string;
  site?: string;
  rack?: string;
  node?: string;
  namespace?: string;
  deployment?: string;
  pod?: string;
  /** For container-restart: which container (default: the pod's first). */
  container?: string;
  latencyMs?: number;
  /** For credentials-expire: seconds from now. */
  inSeconds?: number;
}

export interface FaultDoc {
  name: string;
  summary: string;
  params: string[];
}

/** What each fault does and what it needs, for the CLI's help and the control endpoint. */
export const FAULTS: FaultDoc[] = [
  { name: 'rack-power-loss', summary: "every node of a rack stops reporting (Ready=Unknown); pods are evicted after the grace period", params: ['site', 'rack'] },
  { name: 'rack-power-restore', summary: 'the rack comes back: nodes Ready, Terminating pods finish', params: ['site', 'rack'] },
  { name: 'node-not-ready', summary: 'one kubelet stops reporting', params: ['site', 'node'] },
  { name: 'node-ready', summary: 'the kubelet reports again', params: ['site', 'node'] },
  { name: 'node-disk-pressure', summary: 'DiskPressure=True and the disk-pressure taint', params: ['site', 'node'] },
  { name: 'node-disk-pressure-clear', summary: 'DiskPressure back to False', params: ['site', 'node'] },
  { name: 'bad-rollout', summary: 'a new image that crashes on start is rolled out (CrashLoopBackOff)', params: ['site', 'namespace', 'deployment'] },
  { name: 'container-restart', summary: "one container of a pod exits and the kubelet starts it again at once (restart count + 1; the first container unless `container` names one)", params: ['site', 'namespace', 'pod'] },
  { name: 'site-outage', summary: "the site's API server refuses connections", params: ['site'] },
  { name: 'site-restore', summary: "the site's API server listens again (same port)", params: ['site'] },
  { name: 'slow-site', summary: 'every API response of the site is delayed', params: ['site', 'latencyMs'] },
  { name: 'watch-expiry-storm', summary: 'history compacted: every watch ends with 410 Expired', params: ['site'] },
  { name: 'watch-stall', summary: 'watch streams stay open but deliver nothing, bookmarks included (half-open connections)', params: ['site'] },
  { name: 'watch-stall-clear', summary: 'watch streams deliver again', params: ['site'] },
  { name: 'vault-seal', summary: 'Vault is sealed (503)', params: [] },
  { name: 'vault-unseal', summary: 'Vault is unsealed', params: [] },
  { name: 'credentials-expire', summary: "every token valid at the site expires (401) after inSeconds", params: ['site', 'inSeconds'] },
];

export class FaultError extends Error {}

export class FaultInjector {
  constructor(
    private readonly sites: FleetSite[],
    private readonly vault: VaultEmulator,
    private readonly registry: TokenRegistry,
    private readonly rng: Rng,
    private readonly now: () => number,
  ) {}

  private timers = new Set<NodeJS.Timeout>();
  private readonly churns = new Map<string, Churn>();

  /**
   * Starts load at `rate` pod changes per second at one site or all of them
   * (replacing any load already running there); rate 0 stops it, keeping
   * its counts and journal until load starts there again.
   */
  churn(spec: { site?: string; rate: number; replaceShare?: number }): ChurnStats[] {
    if (!Number.isFinite(spec.rate) || spec.rate < 0 || spec.rate > 100_000) throw new FaultError('rate must be a number of changes per second between 0 and 100000');
    const share = spec.replaceShare ?? 0;
    if (!Number.isFinite(share) || share < 0 || share > 1) throw new FaultError('replaceShare must be between 0 and 1');
    const targets = spec.site ? [this.site(spec.site)] : this.sites;
    for (const t of targets) {
      const old = this.churns.get(t.site.name);
      old?.stop();
      // A stopped generator stays until it is replaced, so its journal can still be collected.
      if (spec.rate === 0) continue;
      const c = new Churn(t.site, { rate: spec.rate, replaceShare: share });
      this.churns.set(t.site.name, c);
      c.start();
    }
    return this.churnStatus();
  }

  /** The fleet as scenario goals read it (sites and Vault), for checks against its state. */
  world(): { sites: readonly FleetSite[]; vault: VaultEmulator } {
    return { sites: this.sites, vault: this.vault };
  }

  /** Every secret the training Vault issued: for tests that check no console output or file holds one. */
  vaultIssued(): string[] {
    return this.vault.issued();
  }

  churnStatus(): ChurnStats[] {
    return [...this.churns.values()].map((c) => c.status());
  }

  /** Each site's restart journal since the last call (`namespace/name#restarts` → epoch ms committed). */
  drainChurnJournal(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.churns.entries()].map(([site, c]) => [site, c.drainJournal()]));
  }

  /** Schedules `fn` (used by scenario timelines); cleared by stop(). */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  stop(): void {
    for (const c of this.churns.values()) c.stop();
    this.churns.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private site(name: string | undefined): FleetSite {
    if (!name) throw new FaultError(`this fault needs a site (one of: ${this.sites.map((s) => s.site.name).join(', ')})`);
    const s = this.sites.find((x) => x.site.name === name);
    if (!s) throw new FaultError(`unknown site "${name}" (sites: ${this.sites.map((x) => x.site.name).join(', ')})`);
    return s;
  }

  /** Resolves `pick` placeholders deterministically (by the fleet seed). */
  resolve(spec: FaultSpec): FaultSpec {
    const out = { ...spec };
    if (out.site === 'pick') out.site = this.rng.pick(this.sites).site.name;
    if (out.rack === 'pick') {
      const s = this.site(out.site);
      const racks = [...new Set([...s.site.idx.nodes.values()].map((n) => n.labels[LABEL_RACK]).filter((r): r is string => !!r))].sort();
      out.rack = this.rng.pick(racks);
    }
    if (out.node === 'pick') {
      const s = this.site(out.site);
      const workers = [...s.site.idx.nodes.values()].filter((n) => !n.labels['node-role.kubernetes.io/control-plane']).map((n) => n.name).sort();
      out.node = this.rng.pick(workers);
    }
    return out;
  }

  /** Applies one fault now. Returns a human-readable account of what changed. */
  async apply(input: FaultSpec): Promise<string> {
    const spec = this.resolve(input);
    switch (spec.fault) {
      case 'rack-power-loss':
      case 'rack-power-restore': {
        const s = this.site(spec.site);
        if (!spec.rack) throw new FaultError(`${spec.fault} needs a rack`);
        const nodes = [...s.site.idx.nodes.values()].filter((n) => n.labels[LABEL_RACK] === spec.rack).map((n) => n.name);
        if (nodes.length === 0) throw new FaultError(`site ${s.site.name} has no rack "${spec.rack}"`);
        for (const n of nodes) this.setKubeletUp(s, n, spec.fault === 'rack-power-restore');
        return `${spec.fault}: ${nodes.length} nodes of rack ${spec.rack} at ${s.site.name}`;
      }
      case 'node-not-ready':
      case 'node-ready': {
        const s = this.site(spec.site);
        this.node(s, spec.node);
        this.setKubeletUp(s, spec.node as string, spec.fault === 'node-ready');
        return `${spec.fault}: ${spec.node} at ${s.site.name}`;
      }
      case 'node-disk-pressure':
      case 'node-disk-pressure-clear': {
        const s = this.site(spec.site);
        this.node(s, spec.node);
        const on = spec.fault === 'node-disk-pressure';
        s.site.store.mutate(NODES, undefined, spec.node as string, (n) => {
          setNodeCondition(n, 'DiskPressure', on ? 'True' : 'False', on ? 'KubeletHasDiskPressure' : 'KubeletHasNoDiskPressure', on ? 'kubelet has disk pressure' : 'kubelet has no disk pressure', this.now());
          const spec2 = (n.spec ??= {}) as { taints?: { key: string; effect: string; timeAdded?: string }[] };
          spec2.taints = (spec2.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/disk-pressure');
          if (on) spec2.taints.push({ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule', timeAdded: k8sTime(this.now()) });
          if (spec2.taints.length === 0) delete spec2.taints;
        });
        const node = s.site.store.getObject(NODES, undefined, spec.node as string) as KObject;
        s.site.events.record(node, on ? 'Warning' : 'Normal', on ? 'NodeHasDiskPressure' : 'NodeHasNoDiskPressure', `Node ${spec.node} status is now: ${on ? 'NodeHasDiskPressure' : 'NodeHasNoDiskPressure'}`, { component: 'kubelet', host: spec.node });
        return `${spec.fault}: ${spec.node} at ${s.site.name}`;
      }
      case 'bad-rollout': {
        const s = this.site(spec.site);
        if (!spec.namespace || !spec.deployment) throw new FaultError('bad-rollout needs namespace and deployment');
        const d = s.site.store.getObject(DEPLOY, spec.namespace, spec.deployment);
        if (!d) throw new FaultError(`no deployment ${spec.namespace}/${spec.deployment} at ${s.site.name}`);
        const containers = (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers;
        const first = containers[0];
        if (!first) throw new FaultError('deployment has no containers');
        const image = nextImage(first.image);
        s.site.crashImages.add(image);
        s.site.store.mutate(DEPLOY, spec.namespace, spec.deployment, (o) => {
          ((o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0] as { image: string }).image = image;
          o.metadata.annotations = { ...o.metadata.annotations, 'kubernetes.io/change-cause': `helm upgrade ${spec.deployment} --set image.tag=${image.split(':')[1] ?? ''}` };
        });
        return `bad-rollout: ${spec.namespace}/${spec.deployment} at ${s.site.name} now runs ${image}, which crashes on start`;
      }
      case 'container-restart': {
        const s = this.site(spec.site);
        if (!spec.namespace || !spec.pod) throw new FaultError('container-restart needs namespace and pod');
        const pod = s.site.store.getObject(PODS, spec.namespace, spec.pod);
        if (!pod) throw new FaultError(`no pod ${spec.namespace}/${spec.pod} at ${s.site.name}`);
        const container = spec.container ?? (pod.spec as { containers: { name: string }[] }).containers[0]?.name ?? '';
        let restarts = -1;
        s.site.store.mutate(PODS, spec.namespace, spec.pod, (p) => {
          restarts = restartContainer(p, container, s.site.now());
          return restarts >= 0;
        });
        if (restarts < 0) throw new FaultError(`pod ${spec.namespace}/${spec.pod} at ${s.site.name} has no running container "${container}"`);
        return `container-restart: ${container} of ${spec.namespace}/${spec.pod} at ${s.site.name} restarted (the pod has ${restarts} restarts)`;
      }
      case 'site-outage':
        await this.site(spec.site).server.stop();
        return `site-outage: ${spec.site} refuses connections`;
      case 'site-restore':
        await this.site(spec.site).server.start();
        return `site-restore: ${spec.site} is listening again`;
      case 'slow-site': {
        const s = this.site(spec.site);
        s.server.latencyMs = Math.max(0, Number(spec.latencyMs ?? 2000));
        return `slow-site: ${s.site.name} answers after ${s.server.latencyMs} ms`;
      }
      case 'watch-expiry-storm': {
        const n = this.site(spec.site).site.store.compact();
        return `watch-expiry-storm: ${n} watches at ${spec.site} ended with 410 Expired`;
      }
      case 'watch-stall':
      case 'watch-stall-clear': {
        const s = this.site(spec.site);
        s.site.stallWatches = spec.fault === 'watch-stall';
        return `${spec.fault}: watches at ${s.site.name} ${s.site.stallWatches ? 'deliver nothing' : 'deliver again'}`;
      }
      case 'vault-seal':
        this.vault.seal();
        return 'vault-seal: Vault is sealed';
      case 'vault-unseal':
        this.vault.unseal();
        return 'vault-unseal: Vault is unsealed';
      case 'credentials-expire': {
        const s = this.site(spec.site);
        const seconds = Math.max(0, Number(spec.inSeconds ?? 0));
        this.registry.expireAt(s.site.name, this.now() + seconds * 1000);
        return `credentials-expire: every token at ${s.site.name} expires in ${seconds} s`;
      }
    }
    throw new FaultError(`unknown fault "${spec.fault}"; known faults: ${FAULTS.map((f) => f.name).join(', ')}`);
  }

  /** What the control endpoint reports: each site's server and size, and the running scenario. */
  status(run?: { status(): unknown }): unknown {
    return {
      sites: this.sites.map((s) => ({
        name: s.site.name,
        server: s.server.url,
        listening: s.server.listening,
        latencyMs: s.server.latencyMs,
        nodes: s.site.idx.nodes.size,
        pods: s.site.idx.pods.size,
        resourceVersion: s.site.store.resourceVersion,
        watches: s.site.store.watcherCount,
      })),
      vault: this.vault.status(),
      scenario: run?.status() ?? null,
    };
  }

  private node(s: FleetSite, name: string | undefined): void {
    if (!name) throw new FaultError('this fault needs a node');
    if (!s.site.idx.nodes.has(name)) throw new FaultError(`site ${s.site.name} has no node "${name}"`);
  }

  /** A kubelet that stops posting status: every condition goes Unknown, as the node controller reports it. */
  private setKubeletUp(s: FleetSite, node: string, up: boolean): void {
    const now = this.now();
    s.site.store.mutate(NODES, undefined, node, (n) => {
      const st = n.status as { conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; lastHeartbeatTime?: string }[] };
      for (const c of st.conditions ?? []) {
        if (up) {
          const healthy = HEALTHY[c.type] ?? ['False', 'KubeletIsHealthy', 'kubelet is healthy'];
          if (c.status !== healthy[0]) c.lastTransitionTime = k8sTime(now);
          [c.status, c.reason, c.message] = healthy;
          c.lastHeartbeatTime = k8sTime(now);
        } else {
          if (c.status !== 'Unknown') c.lastTransitionTime = k8sTime(now);
          c.status = 'Unknown';
          c.reason = 'NodeStatusUnknown';
          c.message = 'Kubelet stopped posting node status.';
        }
      }
    });
  }
}

/** What a healthy kubelet reports for each node condition: status, reason, message. */
const HEALTHY: Record<string, [string, string, string]> = {
  MemoryPressure: ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  DiskPressure: ['False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  PIDPressure: ['False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  Ready: ['True', 'KubeletReady', 'kubelet is posting ready status'],
};

function setNodeCondition(n: KObject, type: string, status: string, reason: string, message: string, now: number): void {
  const st = n.status as { conditions?: Record<string, unknown>[] };
  const c = st.conditions?.find((x) => x.type === type);
  if (!c) return;
  if (c.status !== status) c.lastTransitionTime = k8sTime(now);
  Object.assign(c, { status, reason, message, lastHeartbeatTime: k8sTime(now) });
}

/** registry/team/svc:1.42.3 → registry/team/svc:1.42.4 (a plausible "next release"). */
export function nextImage(image: string): string {
  const i = image.lastIndexOf(':');
  const repo = i > image.lastIndexOf('/') ? image.slice(0, i) : image;
  const tag = i > image.lastIndexOf('/') ? image.slice(i + 1) : 'latest';
  const m = /^(.*?)(\d+)$/.exec(tag);
  return `${repo}:${m ? `${m[1]}${Number(m[2]) + 1}` : `${tag}-1`}`;
}
