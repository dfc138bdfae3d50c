/**
 * One simulated data-center site: its store, the controllers, scheduler and
 * kubelets that act on it, and the faults a scenario can inject. Implements
 * what the HTTP layer needs (SiteApi) with the semantics of a real cluster.
 */
import type { WebSocket } from 'ws';
import type { TokenRegistry } from '../auth';
import { resourceFor, typeKey, type ResourceType } from '../api/resources';
import type { DeleteOptions, SiteApi } from '../api/site-api';
import { ApiError, internal, tooManyRequests } from '../api/status';
import { runExecSession } from '../api/exec';
import { Rng } from '../rng';
import { Store, type Change } from '../store/store';
import type { KObject } from '../types';
import { pickStyle, type LogSource, type LogStyle } from './logs';
import { EventRecorder } from './events';
import { logStyleOf } from './catalog';
import { SiteIndex, nodeInfo, podInfo } from './index';
import { Controllers } from './controllers';
import { applyPodDefaults } from './kubelet';
import { ts as k8sTime } from './objects';
import type { ReplayedLine } from '../replay/logs';

export const PODS = resourceFor('', 'pods');
export const NODES = resourceFor('', 'nodes');
export const NAMESPACES = resourceFor('', 'namespaces');
export const PDBS = resourceFor('policy', 'poddisruptionbudgets');

export interface SiteTiming {
  /** Scheduled → Running and Ready. */
  podStartMs: number;
  /** Upper bound on graceful termination, so drains finish in seconds, not 30 s per pod. */
  podStopMs: number;
  /** How long pods stay on a NotReady node before the taint manager evicts them (real default 300 s). */
  nodeEvictionMs: number;
  /** How long a crashing container runs before it dies again. */
  crashAfterMs: number;
}

export const DEFAULT_TIMING: SiteTiming = { podStartMs: 1500, podStopMs: 1000, nodeEvictionMs: 40_000, crashAfterMs: 3000 };

export interface SiteOptions {
  name: string;
  index: number;
  seed: string;
  registry: TokenRegistry;
  now?: () => number;
  historySize?: number;
  bookmarkIntervalMs?: number;
  timing?: Partial<SiteTiming>;
}

export class Site implements SiteApi {
  readonly name: string;
  readonly index: number;
  readonly store: Store;
  readonly registry: TokenRegistry;
  readonly rng: Rng;
  readonly seed: string;
  readonly idx = new SiteIndex();
  readonly events: EventRecorder;
  readonly timing: SiteTiming;
  readonly bookmarkIntervalMs: number;
  readonly controllers: Controllers;
  stallWatches = false;
  /** Images whose containers crash on start: the "bad rollout" fault. */
  readonly crashImages = new Set<string>();
  private readonly gone = new Map<string, AbortController>();
  /** Pod uid → what to tell of each change of that pod (log follows waiting for their instance to end). */
  private readonly podChanges = new Map<string, Set<(pod: KObject) => void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly clock: () => number;
  private closed = false;
  private pausedBy: string | undefined;
  /**
   * Recorded log lines served instead of generated ones once a replay has played into this site
   * (until the next replay); undefined for a container the replay has no lines of.
   */
  replayedLog: ((ns: string, pod: string, container: string) => ReplayedLine[] | undefined) | undefined;

  constructor(opts: SiteOptions) {
    this.name = opts.name;
    this.index = opts.index;
    this.seed = opts.seed;
    this.registry = opts.registry;
    this.clock = opts.now ?? Date.now;
    this.rng = new Rng(`${opts.seed}:${opts.name}:runtime`);
    const uidRng = new Rng(`${opts.seed}:${opts.name}:uids`);
    this.store = new Store({ historySize: opts.historySize, now: this.clock, uid: () => uuidFrom(uidRng) });
    this.events = new EventRecorder(this.store, this.clock);
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 10_000;
    this.controllers = new Controllers(this);
    this.store.onChange((c) => this.onChange(c));
  }

  now(): number {
    return this.clock();
  }

  /** Loads the generated fleet in one go, before any client connects. */
  load(groups: [ResourceType, KObject[]][]): void {
    for (const [rt, objects] of groups) {
      this.store.load(rt, objects);
      const tkey = typeKey(rt);
      for (const o of objects) {
        if (tkey === '/pods') this.idx.addPod(podInfo(o));
        else if (tkey === '/nodes') this.idx.nodes.set(o.metadata.name, nodeInfo(o));
        else this.idx.trackChild(tkey, o, false);
      }
    }
    this.controllers.afterLoad();
  }

  /** Who paused the simulation (a replay), or undefined while it runs. */
  get paused(): string | undefined {
    return this.pausedBy;
  }

  /**
   * Stops the simulation — controllers, scheduler, kubelets, delayed work — so that a replay
   * alone writes this site's objects. The API keeps serving; `resume` hands the site back.
   */
  pause(by: string): void {
    this.pausedBy = by;
    this.controllers.pause();
  }

  resume(): void {
    this.pausedBy = undefined;
    this.controllers.resume();
  }

  private onChange(c: Change): void {
    if (this.closed) return;
    const prevNode = c.tkey === '/nodes' ? this.idx.nodes.get(c.cur.name) : undefined;
    const prevPod = c.tkey === '/pods' ? this.idx.pods.get(c.cur.key) : undefined;
    const obj = this.idx.apply(c);
    // Log streams of a deleted pod end, a replay's deletions too (and the entry goes: a replay runs for long).
    if (c.tkey === '/pods' && c.type === 'DELETED' && obj.metadata.uid) {
      this.gone.get(obj.metadata.uid)?.abort();
      this.gone.delete(obj.metadata.uid);
    }
    // Paused, the controllers react to nothing: the replay writes what happened next.
    if (this.pausedBy !== undefined) return;
    if (c.tkey === '/pods' && c.type === 'MODIFIED' && obj.metadata.uid) for (const fn of this.podChanges.get(obj.metadata.uid) ?? []) fn(obj);
    this.controllers.onChange(c, obj, prevPod, prevNode);
  }

  /** Runs `fn` after `ms`, unless the site is closed first. */
  after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      // Paused, delayed work is dropped: the replay's recorded state says what happened instead.
      if (!this.closed && this.pausedBy === undefined) fn();
    }, ms);
    this.timers.add(t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.controllers.close();
    for (const g of this.gone.values()) g.abort();
    this.store.closeWatches();
  }

  prepareCreate(rt: ResourceType, obj: KObject): void {
    if (rt.plural === 'pods') {
      const spec = (obj.spec ?? {}) as Record<string, unknown>;
      applyPodDefaults(spec);
      obj.spec = spec;
      obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
    } else if (rt.plural === 'namespaces') {
      obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: 'Active' };
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
    } else if (rt.hasStatus && rt.plural !== 'nodes') {
      // Controllers own status; a create starts with an empty one.
      obj.status = {};
    }
  }

  deleteObject(rt: ResourceType, ns: string | undefined, name: string, opts: DeleteOptions): KObject {
    if (rt.plural === 'pods') return this.deletePod(ns as string, name, opts.gracePeriodSeconds);
    if (rt.plural === 'namespaces') return this.deleteNamespace(name);
    const current = this.store.getObject(rt, ns, name);
    if (current && (current.metadata.finalizers ?? []).length > 0) {
      // Finalizers hold the object: it is only marked, and goes when the last one is removed.
      if (current.metadata.deletionTimestamp) return current;
      current.metadata.deletionTimestamp = k8sTime(this.now());
      current.metadata.deletionGracePeriodSeconds = 0;
      return this.store.update(rt, current);
    }
    const obj = this.store.delete(rt, ns, name);
    this.controllers.collectGarbage(obj, opts.propagationPolicy ?? 'Background');
    return obj;
  }

  /**
   * Graceful pod deletion: the pod is marked with a deletionTimestamp and the
   * kubelet removes it once its containers stopped. On a node that does not
   * answer, nobody confirms, and the pod stays Terminating (as in a real
   * cluster) until the node returns or someone force-deletes it.
   */
  deletePod(ns: string, name: string, gracePeriodSeconds?: number): KObject {
    const pod = this.store.getObject(PODS, ns, name);
    if (!pod) throw new ApiError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const spec = pod.spec as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const grace = gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    const node = spec.nodeName ? this.idx.nodes.get(spec.nodeName) : undefined;
    if (grace <= 0 || !spec.nodeName) return this.store.delete(PODS, ns, name);
    if (pod.metadata.deletionTimestamp) return pod;
    pod.metadata.deletionTimestamp = k8sTime(this.now() + grace * 1000);
    pod.metadata.deletionGracePeriodSeconds = grace;
    const updated = this.store.update(PODS, pod);
    for (const c of (pod.spec as { containers: { name: string }[] }).containers) {
      this.events.record(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, { component: 'kubelet', host: spec.nodeName }, `spec.containers{${c.name}}`);
    }
    if (node?.ready) this.scheduleRemoval(pod, Math.min(grace * 1000, this.timing.podStopMs));
    return updated;
  }

  /** The kubelet confirms a terminated pod: it leaves the store. */
  scheduleRemoval(pod: KObject, ms: number): void {
    const uid = pod.metadata.uid;
    this.after(ms, () => {
      const cur = this.store.getObject(PODS, pod.metadata.namespace, pod.metadata.name);
      // A pod with finalizers stays (Terminating) until its finalizers are removed.
      if (cur && cur.metadata.uid === uid && (cur.metadata.finalizers ?? []).length === 0) this.store.delete(PODS, pod.metadata.namespace, pod.metadata.name);
    });
  }

  private deleteNamespace(name: string): KObject {
    const ns = this.store.getObject(NAMESPACES, undefined, name);
    if (!ns) throw new ApiError(404, 'NotFound', `namespaces "${name}" not found`, { name, kind: 'namespaces' });
    if (ns.metadata.deletionTimestamp) return ns;
    ns.metadata.deletionTimestamp = k8sTime(this.now());
    (ns.status as Record<string, unknown>).phase = 'Terminating';
    const out = this.store.update(NAMESPACES, ns);
    this.controllers.emptyNamespace(name);
    return out;
  }

  evict(ns: string, name: string, opts: DeleteOptions): void {
    const info = this.idx.pods.get(`${ns}/${name}`);
    if (!info) throw new ApiError(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    if (info.terminating) return;
    const pdbs = this.controllers.pdbsFor(info);
    if (pdbs.length > 1) {
      throw internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    }
    const pdb = pdbs[0];
    if (pdb) {
      const st = (pdb.status ?? {}) as { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number };
      const allowed = st.disruptionsAllowed ?? 0;
      const unhealthyOk = !info.ready && (st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0);
      if (allowed <= 0 && !unhealthyOk) {
        throw tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 0, [
          { reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently` },
        ]);
      }
      if (opts.dryRun) return;
      if (info.ready) {
        // The eviction API itself spends the budget, before the pod is gone.
        this.store.mutate(PDBS, ns, pdb.metadata.name, (p) => {
          const s = p.status as Record<string, unknown>;
          s.disruptionsAllowed = Math.max(0, allowed - 1);
          s.disruptedPods = { ...(s.disruptedPods as object | undefined), [name]: k8sTime(this.now()) };
        });
      }
    }
    if (opts.dryRun) return;
    const pod = this.store.getObject(PODS, ns, name) as KObject;
    this.events.record(pod, 'Normal', 'Evicted', 'Evicted pod', { component: 'eviction-api' });
    this.deletePod(ns, name, opts.gracePeriodSeconds);
  }

  logSources(pod: KObject, container: string): { current: LogSource; previous?: LogSource } {
    const cs = ((pod.status as { containerStatuses?: Record<string, unknown>[] } | undefined)?.containerStatuses ?? []).find((c) => c.name === container);
    const image = ((pod.spec as { containers: { name: string; image: string }[] }).containers.find((c) => c.name === container)?.image) ?? '';
    const style =
      (pod.metadata.annotations?.['triptych.io/log-style'] as LogStyle | undefined) ??
      logStyleOf(pod.metadata.namespace ?? '', pod.metadata.labels ?? {}) ??
      pickStyle(image, new Rng(`${this.seed}:${image}`));
    const state = (cs?.state ?? {}) as { running?: { startedAt?: string }; waiting?: unknown; terminated?: { startedAt?: string; finishedAt?: string } };
    const last = ((cs?.lastState ?? {}) as { terminated?: { startedAt?: string; finishedAt?: string } }).terminated;
    const restarts = (cs?.restartCount as number | undefined) ?? 0;
    const crashLoop = this.crashImages.has(image) || (state.waiting as { reason?: string } | undefined)?.reason === 'CrashLoopBackOff';
    const started = Date.parse(state.running?.startedAt ?? state.terminated?.startedAt ?? last?.finishedAt ?? (pod.status as { startTime?: string } | undefined)?.startTime ?? pod.metadata.creationTimestamp ?? '') || this.now();
    // `triptych.io/log-rate`: lines per second per container (the generator clamps it to 0.01–200), for tests and benchmarks.
    const rate = Number(pod.metadata.annotations?.['triptych.io/log-rate']);
    const base = { seed: `${this.seed}:${restarts}`, podUid: pod.metadata.uid ?? '', container, style, ...(rate > 0 ? { linesPerSecond: rate } : {}) };
    const current: LogSource = { ...base, startedAt: started, crashLoop, ...(state.terminated?.finishedAt ? { endedAt: Date.parse(state.terminated.finishedAt) } : {}) };
    const previous: LogSource | undefined = last?.startedAt
      ? { ...base, seed: `${this.seed}:${restarts - 1}`, startedAt: Date.parse(last.startedAt), endedAt: Date.parse(last.finishedAt ?? last.startedAt), crashLoop }
      : undefined;
    return previous ? { current, previous } : { current };
  }

  instanceEnd(pod: KObject, container: string): { endedAt: () => number | undefined; release: () => void } {
    const uid = pod.metadata.uid ?? '';
    const status = (p: KObject): { restartCount?: number; state?: { running?: unknown } } | undefined =>
      ((p.status as { containerStatuses?: { name: string; restartCount?: number; state?: { running?: unknown } }[] } | undefined)?.containerStatuses ?? []).find((c) => c.name === container);
    const restarts = status(pod)?.restartCount ?? 0;
    let endedAt: number | undefined;
    const onChange = (p: KObject): void => {
      const cs = status(p);
      // The first change that shows another instance (or none running) is when this one ended.
      if (endedAt === undefined && (!cs?.state?.running || (cs.restartCount ?? 0) !== restarts)) endedAt = this.now();
    };
    let set = this.podChanges.get(uid);
    if (!set) this.podChanges.set(uid, (set = new Set()));
    set.add(onChange);
    return {
      endedAt: () => endedAt,
      release: () => {
        set.delete(onChange);
        if (set.size === 0 && this.podChanges.get(uid) === set) this.podChanges.delete(uid);
      },
    };
  }

  podGone(ns: string, name: string, uid: string): AbortSignal {
    let c = this.gone.get(uid);
    if (!c) {
      c = new AbortController();
      this.gone.set(uid, c);
      // The pod may already be gone by the time a log stream asks.
      if (this.idx.pods.get(`${ns}/${name}`)?.uid !== uid) c.abort();
    }
    return c.signal;
  }

  exec(ws: WebSocket, protocol: string, pod: KObject, container: string, q: URLSearchParams): void {
    runExecSession(ws, {
      protocol,
      command: q.getAll('command'),
      stdin: q.get('stdin') === 'true' || q.get('stdin') === '1',
      stdout: q.get('stdout') === 'true' || q.get('stdout') === '1',
      stderr: q.get('stderr') === 'true' || q.get('stderr') === '1',
      tty: q.get('tty') === 'true' || q.get('tty') === '1',
      pod,
      container,
      podGone: this.podGone(pod.metadata.namespace ?? '', pod.metadata.name, pod.metadata.uid ?? ''),
      now: () => this.now(),
    });
  }
}

/** RFC 4122-shaped v4 UUID from the seeded generator. */
export function uuidFrom(rng: Rng): string {
  const h = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(rng.float() * 16).toString(16);
    return s;
  };
  return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[rng.int(0, 3)]}${h(3)}-${h(12)}`;
}
