/**
 * What the runbook engine reads of the watch caches: the projected views of
 * every site and a signal when any of them changes. `wait` steps and `check`
 * guards are evaluated against it, so they follow the same state the console
 * shows. The app implements it over its SiteMirrors ({@link mirrorCache}).
 */
import type { ConnectionState, ResourceKind, SiteStatus, TriptychEvents, ViewOf } from '../../../shared/contract/triptych';
import type { EventBus } from '../../../shared/contract/rpc';
import type { NodeView, PdbView, PodView, SiteInfo, WorkloadView } from '../../../shared/model';

export interface ClusterCache {
  /** Site ids in the configured order (the order `forEachSite` steps run in). */
  sites(): readonly string[];
  /** The site's connection; only `live` data is current. */
  status(site: string): ConnectionState;
  nodes(site: string): Iterable<NodeView>;
  pods(site: string): Iterable<PodView>;
  workloads(site: string): Iterable<WorkloadView>;
  pdbs(site: string): Iterable<PdbView>;
  /** Called with the site id after its views or its connection changed; returns the unsubscribe function. */
  onChange(listener: (site: string) => void): () => void;
}

/**
 * The part of a SiteMirror the cache needs. `items` is the one accessor
 * SiteMirror still lacks: the views its reflectors hold for one kind, live
 * (not a copy).
 */
export interface MirrorLike {
  readonly site: SiteInfo;
  getStatus(): SiteStatus;
  items<K extends ResourceKind>(kind: K): Iterable<ViewOf[K]>;
}

/**
 * A ClusterCache over the app's site mirrors, in the order given. Changes
 * are read off the event bus the mirrors publish on (`site.deltas` is
 * emitted after the reflector's store took the batch, `site.status` on every
 * change of connection state). `close()` stops listening.
 */
export function mirrorCache(mirrors: Iterable<MirrorLike>, bus: EventBus<TriptychEvents>): ClusterCache & { close(): void } {
  const byId = new Map<string, MirrorLike>();
  for (const m of mirrors) byId.set(m.site.id, m);
  const listeners = new Set<(site: string) => void>();
  const off = bus.tap((name, payload) => {
    if (name !== 'site.deltas' && name !== 'site.status') return;
    const site = (payload as { site?: unknown }).site;
    if (typeof site !== 'string' || !byId.has(site)) return;
    for (const l of [...listeners]) l(site);
  });
  const mirror = (site: string): MirrorLike | undefined => byId.get(site);
  return {
    sites: () => [...byId.keys()],
    status: (site) => mirror(site)?.getStatus().state ?? 'unreachable',
    nodes: (site) => mirror(site)?.items('nodes') ?? [],
    pods: (site) => mirror(site)?.items('pods') ?? [],
    workloads: (site) => mirror(site)?.items('workloads') ?? [],
    pdbs: (site) => mirror(site)?.items('pdbs') ?? [],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: off,
  };
}
