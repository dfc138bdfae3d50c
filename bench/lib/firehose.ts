/**
 * The log benches' workload: a Deployment `firehose/firehose` at each of the
 * three sites of a training fleet, its pods logging at a known rate (the
 * emulator's `triptych.io/log-rate` annotation, lines per second per
 * container, which its generator caps at 200), in the 'plain' style.
 *
 * The generator is deterministic, so what the pods have emitted up to any
 * moment is known exactly from their status ({@link emittedLines}).
 */
import { AppsV1Api, CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { KubeHttp } from '../../src/core/kube/http';
import { lineIndexAt, type LogSource } from '../../src/emulator/sim/logs';

export const NS = 'firehose';
export const NAME = 'firehose';
/** The fleet's seed (bench/lib/child's startFleet): the generator's lines depend on it. */
const SEED = 'bench';
/** The generator's most lines per second for one container. */
export const MAX_CONTAINER_RATE = 200;

export interface FirehoseSpec {
  /** Lines per second in total, over every container of every pod. */
  rate: number;
  /** Pods over the three sites (spread as evenly as possible). */
  pods: number;
  /** Containers per pod. */
  containers: number;
}

export type FirehosePod = {
  metadata: { name: string; uid: string };
  status: { phase: string; containerStatuses?: { name: string; restartCount: number; state: { running?: { startedAt: string } } }[] };
};

/** Lines per second per container; throws when above what the generator can do. */
export function containerRate(s: FirehoseSpec): number {
  const r = s.rate / (s.pods * s.containers);
  if (r > MAX_CONTAINER_RATE) throw new Error(`${r.toFixed(0)} lines/s per container is above the generator's ${MAX_CONTAINER_RATE}: use more containers`);
  return r;
}

/** The fleet's sites, in kubeconfig order (one cluster each). */
export function fleetSites(kc: KubeConfig): string[] {
  return kc.getClusters().map((c) => c.name);
}

/** Per site, its share of the pods. */
export function replicasPerSite(pods: number, sites: number): number[] {
  return Array.from({ length: sites }, (_, i) => Math.floor(pods / sites) + (i < pods % sites ? 1 : 0));
}

/**
 * Creates the namespace and the Deployment at every site (as each site's
 * admin). `replicas` overrides the even spread (0 everywhere: the workload
 * exists, its pods come with {@link scaleFirehose}).
 */
export async function deployFirehose(kc: KubeConfig, s: FirehoseSpec, replicas?: number[]): Promise<void> {
  const sites = fleetSites(kc);
  const perSite = replicas ?? replicasPerSite(s.pods, sites.length);
  const rate = containerRate(s);
  for (const [i, site] of sites.entries()) {
    const admin = adminConfig(kc, site);
    await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
    await admin.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: NAME },
        spec: {
          replicas: perSite[i],
          selector: { matchLabels: { app: NAME } },
          template: {
            metadata: { labels: { app: NAME }, annotations: { 'triptych.io/log-style': 'plain', 'triptych.io/log-rate': String(rate) } },
            spec: { containers: Array.from({ length: s.containers }, (_, c) => ({ name: `c${c}`, image: `registry.example/firehose-c${c}:1.0.0` })) },
          },
        },
      },
    });
  }
}

/** Scales the Deployment at every site to its share of `s.pods`. */
export async function scaleFirehose(kc: KubeConfig, s: FirehoseSpec): Promise<void> {
  const sites = fleetSites(kc);
  const perSite = replicasPerSite(s.pods, sites.length);
  for (const [i, site] of sites.entries()) {
    await adminConfig(kc, site).makeApiClient(AppsV1Api).patchNamespacedDeploymentScale({ namespace: NS, name: NAME, body: { spec: { replicas: perSite[i] } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }
}

/** A read-only client per site (the viewer's credentials). */
export function viewerClients(kc: KubeConfig): Map<string, KubeHttp> {
  const out = new Map<string, KubeHttp>();
  for (const site of fleetSites(kc)) {
    const v = new KubeConfig();
    v.loadFromString(kc.exportConfig());
    v.setCurrentContext(`${site}-viewer`);
    out.set(site, new KubeHttp(v, v.getCurrentCluster()?.server as string, { maxSockets: 256 }));
  }
  return out;
}

/** Resolves with every site's pods once all `count` run with every container started. */
export async function runningFirehose(https: Map<string, KubeHttp>, count: number): Promise<Map<string, FirehosePod[]>> {
  const pods = new Map<string, FirehosePod[]>();
  for (;;) {
    let ready = 0;
    for (const [site, http] of https) {
      const l = await http.getJson<{ items: FirehosePod[] }>(`/api/v1/namespaces/${NS}/pods`);
      pods.set(site, l.items);
      ready += l.items.filter((p) => p.status.phase === 'Running' && (p.status.containerStatuses ?? []).length > 0 && (p.status.containerStatuses ?? []).every((c) => c.state.running)).length;
    }
    if (ready === count) return pods;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Lines the pods' containers emitted with fromMs <= time <= toMs, exactly
 * (the generator's own index of lines by time). fromMs undefined: from each
 * container's first line.
 */
export function emittedLines(pods: Map<string, FirehosePod[]>, rate: number, fromMs: number | undefined, toMs: number): number {
  let n = 0;
  for (const list of pods.values()) {
    for (const p of list) {
      for (const c of p.status.containerStatuses ?? []) {
        const src: LogSource = { seed: `${SEED}:${c.restartCount}`, podUid: p.metadata.uid, container: c.name, style: 'plain', startedAt: Date.parse(c.state.running?.startedAt as string), linesPerSecond: rate };
        n += lineIndexAt(src, toMs + 1) - (fromMs === undefined ? 0 : lineIndexAt(src, fromMs));
      }
    }
  }
  return n;
}

function adminConfig(kc: KubeConfig, site: string): KubeConfig {
  const admin = new KubeConfig();
  admin.loadFromString(kc.exportConfig());
  admin.setCurrentContext(`${site}-admin`);
  return admin;
}
