/**
 * For tests and the crash runner: the part of a SiteMirror the engine's
 * ClusterCache needs (MirrorLike), built from the same reflectors and
 * projections (mirrorSources), publishing `site.deltas` and `site.status` on
 * an EventBus as SiteMirror does. Stands in until SiteMirror has `items()`.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { ConnectionState, ResourceKind, SiteStatus, TriptychEvents, ViewOf } from '../../../../shared/contract/triptych';
import { EventBus } from '../../../../shared/contract/rpc';
import type { SiteInfo } from '../../../../shared/model';
import { DEFAULT_LABELS } from '../../../config/defaults';
import { KubeHttp } from '../../../kube/http';
import { Reflector } from '../../../kube/reflector';
import { mirrorSources, type Source } from '../../../kube/site-mirror';
import { mirrorCache, type ClusterCache, type MirrorLike } from '../cluster-cache';

/** The kinds the engine reads. */
const KINDS: ReadonlySet<ResourceKind> = new Set(['nodes', 'pods', 'workloads', 'pdbs']);

export class ReflectorMirror implements MirrorLike {
  private readonly http: KubeHttp;
  private readonly reflectors: { source: Source; r: Reflector<ViewOf[ResourceKind]> }[] = [];
  private state: ConnectionState = 'connecting';
  private everLive = false;
  private seq = 0;

  constructor(
    readonly site: SiteInfo,
    kc: KubeConfig,
    private readonly bus: EventBus<TriptychEvents>,
  ) {
    const own = new KubeConfig();
    own.loadFromString(kc.exportConfig());
    own.setCurrentContext(site.context);
    this.http = new KubeHttp(own, own.getCurrentCluster()?.server ?? site.server);
    for (const source of mirrorSources(site).filter((s) => KINDS.has(s.kind))) {
      const r = new Reflector<ViewOf[ResourceKind]>({
        http: this.http,
        path: source.path,
        project: source.project as (o: unknown) => ViewOf[ResourceKind],
        flushMs: 20,
        backoff: { initialMs: 100, maxMs: 1000 },
        onDeltas: (ds, receivedAt) => {
          const upserts: [string, ViewOf[ResourceKind]][] = [];
          const deletes: string[] = [];
          for (const d of ds) {
            if (d.type === 'upsert') upserts.push([(source.prefix ?? '') + d.key, d.value]);
            else deletes.push((source.prefix ?? '') + d.key);
          }
          this.bus.emit('site.deltas', { site: site.id, kind: source.kind, seq: ++this.seq, upserts, deletes, receivedAt });
        },
        onStatus: () => this.updateStatus(),
      });
      this.reflectors.push({ source, r });
    }
  }

  start(): void {
    for (const { r } of this.reflectors) r.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.reflectors.map(({ r }) => r.stop()));
    this.http.close();
  }

  *items<K extends ResourceKind>(kind: K): Iterable<ViewOf[K]> {
    for (const { source, r } of this.reflectors) if (source.kind === kind) yield* r.items.values() as IterableIterator<ViewOf[K]>;
  }

  getStatus(): SiteStatus {
    return { site: this.site.id, state: this.state };
  }

  /** SiteMirror's rule, without credentials: live once every reflector synced and watches. */
  private updateStatus(): void {
    const states = this.reflectors.map(({ r }) => r.state);
    let next: ConnectionState;
    if (states.some((s) => s.phase === 'retrying')) next = this.everLive ? 'stale' : 'unreachable';
    else if (states.every((s) => s.synced && s.phase === 'watching')) next = 'live';
    else next = this.everLive ? 'stale' : 'connecting';
    if (next === 'live') this.everLive = true;
    if (next !== this.state) {
      this.state = next;
      this.bus.emit('site.status', this.getStatus());
    }
  }
}

/** A site as the console would configure it, for the training fleet's site `name` (context: its operator). */
export function trainingSite(name: string, server: string, context = name): SiteInfo {
  return { id: name, name: name.toUpperCase(), color: '#888888', context, server, labels: { ...DEFAULT_LABELS }, training: true };
}

/** Resolves once `pred` holds of the cache, checked on every change (the cache's own signal). */
export function cacheReady(cache: ClusterCache, pred: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (pred()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = cache.onChange(() => {
      if (!pred()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/**
 * Mirrors of every site in `kubeconfig` named in `sites` (contexts `<site>`),
 * started, behind one ClusterCache.
 */
export function startCache(kc: KubeConfig, sites: string[]): { cache: ClusterCache; mirrors: ReflectorMirror[]; bus: EventBus<TriptychEvents>; stop(): Promise<void> } {
  const bus = new EventBus<TriptychEvents>();
  const mirrors = sites.map((s) => new ReflectorMirror(trainingSite(s, kc.getCluster(s)?.server ?? ''), kc, bus));
  const cache = mirrorCache(mirrors, bus);
  for (const m of mirrors) m.start();
  return {
    cache,
    mirrors,
    bus,
    async stop() {
      cache.close();
      await Promise.all(mirrors.map((m) => m.stop()));
    },
  };
}
