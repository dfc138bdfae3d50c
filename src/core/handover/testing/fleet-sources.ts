/**
 * Test helpers: HandoverSources over what the training fleet's API servers
 * answer, projected exactly as the console's mirrors project them
 * (mirrorSources), so a collected report describes the real fleet, not
 * hand-made fixtures. One list per collection, read when `snapshot` is
 * called: the report then describes that moment, as the watch caches would.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { AuditEntry } from '../../../shared/audit';
import type { EventView, NodeView, PodView, SiteInfo, WorkloadView } from '../../../shared/model';
import { DEFAULT_LABELS } from '../../config/defaults';
import { listMaintenance } from '../../coordination';
import { KubeHttp } from '../../kube/http';
import { mirrorSources } from '../../kube/site-mirror';
import type { HandoverSources } from '../sources';

/** A client for one kubeconfig context of the fleet (`fra` is the operator, `fra-admin`, `fra-viewer`). */
export function fleetHttp(kubeconfigPath: string, context: string): KubeHttp {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  kc.setCurrentContext(context);
  return new KubeHttp(kc, kc.getCurrentCluster()?.server as string);
}

/** The SiteInfo the console would build for a training-fleet site. */
export function trainingSiteInfo(id: string, name: string, server: string): SiteInfo {
  return { id, name, color: '#0072b2', context: id, server, labels: { ...DEFAULT_LABELS }, training: true };
}

interface SiteData {
  nodes: NodeView[];
  pods: PodView[];
  workloads: WorkloadView[];
  events: EventView[];
}

/**
 * Lists every collection the mirrors watch at each site and returns sources
 * over the result. A site whose lists fail is unreachable. The audit trail
 * is given (the audit module is built separately); `audit(since)` filters it.
 */
export async function snapshot(sites: readonly { info: SiteInfo; http: KubeHttp }[], audit: readonly AuditEntry[] = []): Promise<HandoverSources> {
  const data = new Map<string, SiteData | undefined>();
  await Promise.all(
    sites.map(async ({ info, http }) => {
      const d: SiteData = { nodes: [], pods: [], workloads: [], events: [] };
      try {
        for (const source of mirrorSources(info)) {
          if (source.kind !== 'nodes' && source.kind !== 'pods' && source.kind !== 'workloads' && source.kind !== 'events') continue;
          const list = await http.getJson<{ items: unknown[] }>(source.path, {}, undefined, 15_000);
          (d[source.kind] as unknown[]).push(...list.items.map(source.project));
        }
        data.set(info.id, d);
      } catch {
        data.set(info.id, undefined);
      }
    }),
  );
  const get = (site: string): SiteData => data.get(site) ?? { nodes: [], pods: [], workloads: [], events: [] };
  const http = new Map(sites.map((s) => [s.info.id, s.http]));
  return {
    sites: () => sites.map((s) => ({ id: s.info.id, name: s.info.name })),
    reachable: (site) => data.get(site) !== undefined,
    nodes: (site) => get(site).nodes,
    pods: (site) => get(site).pods,
    workloads: (site) => get(site).workloads,
    events: (site) => get(site).events,
    maintenance: (site) => listMaintenance(http.get(site) as KubeHttp),
    audit: (since) => audit.filter((e) => Date.parse(e.at) >= since),
  };
}
