/**
 * One site's live mirror: a reflector per resource, slim projections, the
 * connection state the UI shows, and on-demand detail fetched from the API.
 * Deltas leave as one batch per resource and flush, numbered per site, so a
 * UI that took a snapshot knows which batches it still needs.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { ConnectionState, NodeDetail, PodDetail, ResourceKind, SiteSnapshot, SiteStatus, TriptychEvents, ViewOf } from '../../shared/contract/triptych';
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { SiteInfo } from '../../shared/model';
import { KubeHttp, KubeHttpError, type BearerSource } from './http';
import { projectEvent, projectNamespace, projectNode, projectPdb, projectPod, projectWorkload, text } from './projections';
import { SnapshotPages } from './snapshot-pages';
import { Reflector, type Delta, type ReflectorStatus } from './reflector';

export interface Source {
  kind: ResourceKind;
  path: string;
  /** Workloads share one kind across three API resources; their keys carry the Kind. */
  prefix?: string;
  project: (o: unknown) => ViewOf[ResourceKind];
}

/**
 * What a site's mirror keeps: one source per API collection, with the
 * projection applied to its objects. Exported so checks (the benchmark's
 * correctness pass) can project a plain list exactly as the mirror does.
 */
export function mirrorSources(site: SiteInfo, inventory?: ReadonlyMap<string, { room?: string; rack?: string; unit?: number }>): Source[] {
  return [
    { kind: 'nodes', path: '/api/v1/nodes', project: (o) => projectNode(o, site.labels, inventory) },
    { kind: 'pods', path: '/api/v1/pods', project: projectPod },
    { kind: 'events', path: '/api/v1/events', project: projectEvent },
    { kind: 'namespaces', path: '/api/v1/namespaces', project: projectNamespace },
    { kind: 'workloads', path: '/apis/apps/v1/deployments', prefix: 'Deployment/', project: (o) => projectWorkload(o, 'Deployment') },
    { kind: 'workloads', path: '/apis/apps/v1/statefulsets', prefix: 'StatefulSet/', project: (o) => projectWorkload(o, 'StatefulSet') },
    { kind: 'workloads', path: '/apis/apps/v1/daemonsets', prefix: 'DaemonSet/', project: (o) => projectWorkload(o, 'DaemonSet') },
    { kind: 'pdbs', path: '/apis/policy/v1/poddisruptionbudgets', project: projectPdb },
  ];
}

export interface MirrorOptions {
  pageSize?: number;
  stallMs?: number;
  backoff?: { initialMs?: number; maxMs?: number };
  /** How often the API round-trip time is measured. */
  probeEveryMs?: number;
  /** Try the streaming list (WatchList) before LIST; default true. The benchmark compares both. */
  watchList?: boolean;
  /** Items per snapshot page (tests use small pages to exercise paging). */
  snapshotPageItems?: number;
}

/** Per site: bearer tokens from Vault instead of the kubeconfig user's credentials. */
export interface SiteConnectOptions extends MirrorOptions {
  bearer?: BearerSource;
}

export class SiteMirror {
  private readonly http: KubeHttp;
  private readonly reflectors: { source: Source; r: Reflector<ViewOf[ResourceKind]> }[] = [];
  private seq = 0;
  private status: SiteStatus;
  private everLive = false;
  private probe: NodeJS.Timeout | undefined;
  private readonly pages: SnapshotPages;
  private readonly kc: KubeConfig;
  /** Clients handed out by newHttp (log tails, shells, actions), to interrupt when credentials are withdrawn. */
  private readonly clients = new Set<KubeHttp>();

  constructor(
    readonly site: SiteInfo,
    kubeconfig: KubeConfig,
    private readonly bus: EventBus<TriptychEvents>,
    inventory: ReadonlyMap<string, { room?: string; rack?: string; unit?: number }> | undefined,
    private readonly opts: SiteConnectOptions = {},
  ) {
    // A private copy pinned to the site's context: each site authenticates on its own.
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig.exportConfig());
    kc.setCurrentContext(site.context);
    this.kc = kc;
    this.http = new KubeHttp(kc, kc.getCurrentCluster()?.server ?? site.server, { bearer: opts.bearer });
    this.status = { site: site.id, state: 'connecting' };
    this.pages = new SnapshotPages(opts.snapshotPageItems);
    const sources = mirrorSources(site, inventory);
    for (const source of sources) {
      const r = new Reflector<ViewOf[ResourceKind]>({
        http: this.http,
        path: source.path,
        project: source.project as (o: unknown) => ViewOf[ResourceKind],
        onDeltas: (ds, receivedAt) => this.emit(source, ds, receivedAt),
        onStatus: () => this.updateStatus(),
        pageSize: opts.pageSize,
        stallMs: opts.stallMs,
        backoff: opts.backoff,
        watchList: opts.watchList,
      });
      this.reflectors.push({ source, r });
    }
  }

  start(): void {
    for (const { r } of this.reflectors) r.start();
    const every = this.opts.probeEveryMs ?? 15_000;
    const measure = async (): Promise<void> => {
      const t0 = performance.now();
      try {
        await this.http.getJson('/version', {}, undefined, 5_000);
        this.status.rttMs = Math.round(performance.now() - t0);
        this.bus.emit('site.status', { ...this.status });
      } catch {
        // The reflectors report failures; the probe only measures.
      }
    };
    void measure();
    this.probe = setInterval(() => void measure(), every);
  }

  async stop(): Promise<void> {
    clearInterval(this.probe);
    this.pages.close();
    await Promise.all(this.reflectors.map(({ r }) => r.stop()));
    this.http.close();
  }

  private emit(source: Source, ds: Delta<ViewOf[ResourceKind]>[], receivedAt: number): void {
    const upserts: [string, ViewOf[ResourceKind]][] = [];
    const deletes: string[] = [];
    for (const d of ds) {
      const key = (source.prefix ?? '') + d.key;
      if (d.type === 'upsert') upserts.push([key, d.value]);
      else deletes.push(key);
    }
    this.bus.emit('site.deltas', { site: this.site.id, kind: source.kind, seq: ++this.seq, upserts, deletes, receivedAt });
  }

  private updateStatus(): void {
    const states: ReflectorStatus[] = this.reflectors.map(({ r }) => r.state);
    const failing = states.find((s) => s.phase === 'retrying');
    let state: ConnectionState;
    const bearer = this.opts.bearer;
    let error = failing?.error;
    if (failing && bearer && bearer.token() === undefined) {
      // No token to send (not signed in to Vault, or the site's credentials expired): say why, not "401".
      ({ state, message: error } = bearer.missing());
    } else if (failing) {
      state = /\b401\b|Unauthorized/.test(failing.error ?? '') ? 'credentials-expired' : this.everLive ? 'stale' : 'unreachable';
    } else if (states.every((s) => s.synced && s.phase === 'watching')) {
      state = 'live';
      this.everLive = true;
    } else {
      state = this.everLive ? 'stale' : 'connecting';
    }
    const lastSyncAt = Math.max(0, ...states.map((s) => s.lastSyncAt ?? 0)) || undefined;
    const next: SiteStatus = { site: this.site.id, state, rttMs: this.status.rttMs, lastSyncAt };
    if (error) next.error = error;
    if (failing?.retryInMs !== undefined) next.retryInMs = failing.retryInMs;
    const changed = next.state !== this.status.state || next.error !== this.status.error;
    this.status = next;
    if (changed) this.bus.emit('site.status', { ...next });
  }

  /**
   * The site's credentials changed: a new token ends the reconnection wait at
   * once; no token changes what the status says.
   */
  credentialsChanged(): void {
    const withdrawn = this.opts.bearer !== undefined && this.opts.bearer.token() === undefined;
    for (const { r } of this.reflectors) {
      if (withdrawn) r.interrupt('the credentials were withdrawn');
      else r.retryNow();
    }
    // Log follows and other long requests on this site's clients end too: none goes on under revoked credentials.
    if (withdrawn) for (const h of this.clients) h.interrupt('the credentials were withdrawn (signed out of Vault)');
    this.updateStatus();
  }

  /** The watch cache of one kind, read in place (runbook waits and checks, the handover): not a copy. */
  *items<K extends ResourceKind>(kind: K): Iterable<ViewOf[K]> {
    for (const { source, r } of this.reflectors) if (source.kind === kind) yield* r.items.values() as Iterable<ViewOf[K]>;
  }

  getStatus(): SiteStatus {
    return { ...this.status };
  }

  /**
   * A separate client with this site's credentials, for work that holds
   * connections for long (log tails follow one per container): it must not
   * take the sockets the mirror's watches need. The caller closes it.
   */
  newHttp(opts: { maxSockets?: number } = {}): KubeHttp {
    const h = new KubeHttp(this.kc, this.http.server, { ...opts, bearer: this.opts.bearer });
    for (const c of this.clients) if (c.closed) this.clients.delete(c);
    this.clients.add(h);
    return h;
  }

  /** A page of the site's snapshot: the first of a new one, or the one `token` names (see SnapshotPages). */
  snapshot(token?: string): SiteSnapshot {
    return this.pages.page(() => this.freeze(), token);
  }

  private freeze(): SiteSnapshot {
    const items = { nodes: [], pods: [], events: [], namespaces: [], workloads: [], pdbs: [] } as unknown as SiteSnapshot['items'];
    for (const { source, r } of this.reflectors) {
      const list = items[source.kind] as ViewOf[ResourceKind][];
      for (const v of r.items.values()) list.push(v);
    }
    return { site: this.site.id, seq: this.seq, items };
  }

  private async fetch<T>(path: string): Promise<T> {
    try {
      return await this.http.getJson<T>(path);
    } catch (e) {
      if (e instanceof KubeHttpError && e.status === 404) throw new ContractError('not-found', e.message);
      if (e instanceof KubeHttpError && (e.status === 401 || e.status === 403)) throw new ContractError('forbidden', e.message);
      throw new ContractError('unavailable', `${this.site.name} cannot be reached: ${(e as Error).message}`);
    }
  }

  async nodeDetail(name: string): Promise<NodeDetail> {
    const node = await this.fetch<{ metadata: { labels?: Record<string, string> }; status?: { conditions?: NodeDetail['conditions'] } }>(`/api/v1/nodes/${encodeURIComponent(name)}`);
    const pods = [...(this.reflectors.find((x) => x.source.kind === 'pods')?.r.items.values() ?? [])].filter((p) => (p as ViewOf['pods']).node === name) as ViewOf['pods'][];
    const events = await this.eventsFor('Node', name);
    return {
      site: this.site.id,
      node: projectNode(node, this.site.labels),
      pods,
      events,
      labels: Object.fromEntries(Object.entries(node.metadata.labels ?? {}).map(([k, v]) => [text(k, 317), text(v, 63)])),
      conditions: (node.status?.conditions ?? []).map((c) => ({ type: text(c.type, 64), status: text(c.status, 16), reason: text(c.reason, 128) || undefined, message: text(c.message) || undefined, lastTransitionTime: c.lastTransitionTime })),
    };
  }

  async podDetail(namespace: string, name: string): Promise<PodDetail> {
    const pod = await this.fetch<Record<string, unknown> & { metadata: Record<string, unknown>; spec?: { containers?: { name: string; image: string }[] }; status?: { containerStatuses?: { name: string; ready: boolean; restartCount: number; state?: Record<string, { reason?: string }> }[] } }>(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`,
    );
    delete pod.metadata.managedFields;
    redact(pod);
    const statuses = new Map((pod.status?.containerStatuses ?? []).map((c) => [c.name, c]));
    return {
      site: this.site.id,
      pod: projectPod(pod),
      events: await this.eventsFor('Pod', name, namespace),
      containers: (pod.spec?.containers ?? []).map((c) => {
        const s = statuses.get(c.name);
        const [state, detail] = Object.entries(s?.state ?? {})[0] ?? ['unknown', {}];
        return { name: c.name, image: c.image, ready: s?.ready ?? false, restarts: s?.restartCount ?? 0, state, reason: detail?.reason };
      }),
      yaml: stringify(pod),
    };
  }

  private async eventsFor(kind: string, name: string, namespace?: string): Promise<ViewOf['events'][]> {
    const sel = encodeURIComponent(`involvedObject.kind=${kind},involvedObject.name=${name}`);
    const list = await this.fetch<{ items: unknown[] }>(`/api/v1/${namespace ? `namespaces/${encodeURIComponent(namespace)}/` : ''}events?fieldSelector=${sel}`);
    return list.items.map(projectEvent).sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
  }
}

/**
 * What a pod's YAML must not show on a shared screen: literal environment
 * values (often credentials) and the last-applied copy of the whole manifest.
 */
function redact(pod: Record<string, unknown>): void {
  const meta = pod.metadata as { annotations?: Record<string, string> };
  if (meta.annotations) delete meta.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const c of (Array.isArray(spec[key]) ? spec[key] : []) as { env?: { value?: string }[] }[]) {
      for (const e of c.env ?? []) if (typeof e.value === 'string') e.value = `<redacted: ${e.value.length} characters>`;
    }
  }
}
