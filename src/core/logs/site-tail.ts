/**
 * One site of a log tail: finds the pods (a watch with the target's
 * selectors, through the same Reflector the site mirror uses), follows each
 * matching container with a {@link ContainerStream}, starts streams for pods
 * that appear and ends them for pods that go.
 */
import { Backoff } from '../kube/backoff';
import { KubeHttpError, type KubeHttp } from '../kube/http';
import { Reflector, type Delta, type ReflectorStatus } from '../kube/reflector';
import { ContainerStream, type FirstRead, type StreamPhase } from './container-stream';
import type { LineFilters } from './filters';
import type { RawLine } from './line-reader';
import { projectLogPod, type LogPod } from './pod-view';
import { Slots } from './slots';
import { describeTarget, podQueries, podQueryPath, type PodQuery } from './target';
import type { LogTailLimits, LogTailOptions, LogTarget, MarkerType } from './types';
import { describeError } from './words';

/** A marker as a site reports it; the tail numbers and dates it. */
export interface SiteMarker {
  type: MarkerType;
  text: string;
  site: string;
  namespace?: string;
  pod?: string;
  container?: string;
  gapMs?: number;
}

export interface SiteTailOptions {
  site: string;
  http: KubeHttp;
  target: LogTarget;
  options: LogTailOptions;
  limits: LogTailLimits;
  filters: LineFilters;
  onLine: (pod: LogPod, container: string, line: RawLine) => void;
  onMarker: (m: SiteMarker) => void;
  onPhase: (from: StreamPhase | undefined, to: StreamPhase) => void;
  onDuplicates: (n: number) => void;
  now?: () => number;
}

/** After its pod is deleted, a stream still open (the server did not end it) is cut after this long. */
const GONE_GRACE_MS = 5_000;
/** A pod watch that has not failed again for this long after reconnecting is back. */
const WATCH_BACK_MS = 1_500;

export class SiteTail {
  private readonly reflectors: Reflector<LogPod>[] = [];
  /** Pods by uid (a pod re-created under the same name is another pod). */
  private readonly pods = new Map<string, LogPod>();
  /** Reflector key (namespace/name) → uid, to find the pod a delete is about. */
  private readonly uidByKey = new Map<string, string>();
  private readonly streams = new Map<string, ContainerStream>();
  private readonly slots: Slots;
  private readonly abort = new AbortController();
  private stopped = false;
  private watchDown = false;
  private backTimer: NodeJS.Timeout | undefined;
  private run: Promise<void> | undefined;

  constructor(private readonly o: SiteTailOptions) {
    this.slots = new Slots(o.limits.maxStreamsPerSite, () =>
      this.marker('notice', `more than ${o.limits.maxStreamsPerSite} containers to follow at this site: the rest wait for a free connection`),
    );
  }

  start(): void {
    this.run ??= this.begin();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.backTimer);
    this.abort.abort();
    await this.run;
    await Promise.all(this.reflectors.map((r) => r.stop()));
    await Promise.all([...this.streams.values()].map((s) => s.stop()));
  }

  private marker(type: MarkerType, text: string, about: Partial<SiteMarker> = {}): void {
    this.o.onMarker({ type, text, site: this.o.site, ...about });
  }

  private async begin(): Promise<void> {
    const queries = await this.resolve();
    if (!queries || this.stopped) return;
    for (const q of queries) this.watch(q);
  }

  /** The target's pod queries at this site; retried while the site cannot be reached. */
  private async resolve(): Promise<PodQuery[] | undefined> {
    const backoff = new Backoff(this.o.limits.backoff);
    let told = false;
    while (!this.stopped) {
      try {
        return await podQueries(this.o.http, this.o.target, this.abort.signal);
      } catch (e) {
        if (this.stopped) return undefined;
        if (e instanceof KubeHttpError && e.status === 404) {
          this.marker('error', `${describeTarget(this.o.target)} does not exist at this site`);
          return undefined;
        }
        if (e instanceof KubeHttpError && (e.status === 403 || e.status === 400)) {
          this.marker('error', `cannot look up ${describeTarget(this.o.target)}: ${describeError(e)}`);
          return undefined;
        }
        if (!(e instanceof KubeHttpError)) {
          if (!told) this.marker('site', `cannot reach the site (${describeError(e)}); retrying`);
          told = true;
        } else {
          this.marker('error', `cannot look up ${describeTarget(this.o.target)}: ${describeError(e)}`);
          if (e.status < 500 && e.status !== 429) return undefined;
        }
        await this.sleep(backoff.next());
      }
    }
    return undefined;
  }

  /** Waits ms, or until the tail stops. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }

  private watch(q: PodQuery): void {
    const r: Reflector<LogPod> = new Reflector<LogPod>({
      http: this.o.http,
      // The selectors ride in the path's query string: KubeHttp keeps it and adds the watch's own.
      path: podQueryPath(q),
      project: projectLogPod,
      onDeltas: (ds) => {
        // The first sync's batch (the reflector is not yet marked synced while it delivers it) is
        // the state at the start: containers already running then get the user's since/tail
        // limits; anything later is new and is read from its first line.
        this.apply(ds, !r.state.synced);
      },
      onStatus: (s) => this.watchStatus(s),
      flushMs: 50,
      backoff: { initialMs: 500, maxMs: 10_000 },
    });
    this.reflectors.push(r);
    r.start();
  }

  /**
   * One marker when the pod watch loses its server and one when it is back. The reflector
   * reports 'watching' as it sends each attempt, so "back" waits until an attempt has gone
   * unrefuted for a moment rather than flapping with every retry.
   */
  private watchStatus(s: ReflectorStatus): void {
    if (s.phase === 'retrying') {
      clearTimeout(this.backTimer);
      this.backTimer = undefined;
      if (!this.watchDown) {
        this.watchDown = true;
        this.marker('site', `lost the site's pod watch (${s.error ?? 'unknown error'}); new and deleted pods show once it is back`);
      }
    } else if (s.phase === 'watching' && this.watchDown && !this.backTimer) {
      this.backTimer = setTimeout(() => {
        this.backTimer = undefined;
        if (!this.watchDown || this.stopped) return;
        this.watchDown = false;
        this.marker('site', 'pod watch connected again');
      }, WATCH_BACK_MS);
    }
  }

  private apply(deltas: Delta<LogPod>[], initial: boolean): void {
    for (const d of deltas) {
      if (d.type === 'upsert') {
        const pod = d.value;
        const previousUid = this.uidByKey.get(d.key);
        if (previousUid !== undefined && previousUid !== pod.uid) this.removed(previousUid);
        this.uidByKey.set(d.key, pod.uid);
        const isNew = !this.pods.has(pod.uid);
        this.pods.set(pod.uid, pod);
        this.reconcile(pod, isNew, initial);
      } else {
        const uid = this.uidByKey.get(d.key);
        this.uidByKey.delete(d.key);
        if (uid !== undefined) this.removed(uid);
      }
    }
  }

  private wanted(pod: LogPod): LogPod['containers'] {
    return pod.containers.filter((c) => (!c.extra || this.o.options.initContainers !== false) && this.o.filters.container(c.name));
  }

  private reconcile(pod: LogPod, isNew: boolean, initial: boolean): void {
    if (this.stopped) return;
    const containers = this.wanted(pod);
    if (isNew) {
      this.marker('pod-added', `${initial ? 'following' : 'new pod'} ${pod.namespace}/${pod.name}${pod.node ? ` on ${pod.node}` : ''} (${containers.map((c) => c.name).join(', ') || 'no matching containers'})`, {
        namespace: pod.namespace,
        pod: pod.name,
      });
    }
    for (const c of containers) {
      const key = `${pod.uid}/${c.name}`;
      const existing = this.streams.get(key);
      if (existing) {
        existing.notify();
        continue;
      }
      const u = this.o.options;
      const userFirst: FirstRead = {};
      if (u.sinceSeconds !== undefined) userFirst.sinceSeconds = u.sinceSeconds;
      if (u.sinceTime !== undefined) userFirst.sinceTime = u.sinceTime;
      if (u.tailLines !== undefined) userFirst.tailLines = u.tailLines;
      // The user's limits are about history: a container that had none when the tail began
      // (waiting then, or in a pod that appeared later) is read from its first line.
      const first = u.previous || (initial && c.state !== 'waiting') ? userFirst : undefined;
      const about = { namespace: pod.namespace, pod: pod.name, container: c.name };
      const stream = new ContainerStream({
        http: this.o.http,
        slots: this.slots,
        namespace: pod.namespace,
        pod: pod.name,
        container: c.name,
        first,
        previous: u.previous ?? false,
        maxLineBytes: this.o.limits.maxLineBytes,
        backoff: this.o.limits.backoff,
        state: () => this.pods.get(pod.uid)?.containers.find((x) => x.name === c.name),
        onLine: (line) => this.o.onLine(pod, c.name, line),
        onMarker: (type, text, extra) => this.marker(type, text, { ...about, ...extra }),
        onPhase: this.o.onPhase,
        onDuplicates: this.o.onDuplicates,
        now: this.o.now,
      });
      this.streams.set(key, stream);
      stream.start();
      void stream.done.then(() => {
        if (this.streams.get(key) === stream) this.streams.delete(key);
      });
    }
  }

  private removed(uid: string): void {
    const pod = this.pods.get(uid);
    if (!pod) return;
    this.pods.delete(uid);
    this.marker('pod-removed', `pod ${pod.namespace}/${pod.name} is gone`, { namespace: pod.namespace, pod: pod.name });
    for (const c of pod.containers) {
      const key = `${uid}/${c.name}`;
      const s = this.streams.get(key);
      if (!s) continue;
      // Its stream ends when the server ends it (after the last lines); a stream the server
      // keeps open is cut after a grace period.
      s.notify();
      const timer = setTimeout(() => void s.stop(), GONE_GRACE_MS);
      void s.done.then(() => clearTimeout(timer));
    }
  }

  /** Pods currently matched (for tests and status). */
  get podCount(): number {
    return this.pods.size;
  }
}
