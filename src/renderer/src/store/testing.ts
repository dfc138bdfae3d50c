/**
 * Test support for the store (imported only by *.test.ts): a fake contract
 * client whose snapshots resolve when the test says so, and deps with a
 * manual frame and timer clock.
 */
import type { TriptychClient } from '../api';
import type { SiteDeltas, SiteSnapshot, SiteStatus, TriptychEvents } from '../../../shared/contract/triptych';
import type { NodeView, PodView, SiteInfo } from '../../../shared/model';
import type { StoreDeps } from './deps';

/** A training site with the fleet's label keys; override any field. */
export function siteInfo(id: string, over: Partial<SiteInfo> = {}): SiteInfo {
  return {
    id,
    name: id.toUpperCase(),
    color: '#3366cc',
    context: id,
    server: `https://${id}.example:6443`,
    labels: { room: 'topology.kubernetes.io/zone', rack: 'triptych.io/rack', unit: 'triptych.io/rack-unit' },
    training: true,
    ...over,
  };
}

/** A snapshot of `site` at `seq` holding only the given items. */
export function emptySnapshot(site: string, seq: number, over: Partial<SiteSnapshot['items']> = {}): SiteSnapshot {
  return { site, seq, items: { nodes: [], pods: [], events: [], namespaces: [], workloads: [], pdbs: [], ...over } };
}

/** A nodes batch keyed as the contract keys nodes. */
export function nodeDeltas(site: string, seq: number, nodes: NodeView[], deletes: string[] = []): SiteDeltas {
  return { site, kind: 'nodes', seq, upserts: nodes.map((n) => [n.name, n]), deletes };
}

/** A pods batch keyed `namespace/name`. */
export function podDeltas(site: string, seq: number, pods: PodView[], deletes: string[] = []): SiteDeltas {
  return { site, kind: 'pods', seq, upserts: pods.map((p) => [`${p.namespace}/${p.name}`, p]), deletes };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface FakeClient {
  client: TriptychClient;
  /** Calls in order, e.g. `on:site.deltas`, `sites.snapshot:fra`. */
  log: string[];
  emit<K extends keyof TriptychEvents & string>(name: K, payload: TriptychEvents[K]): void;
  /** Resolves (or rejects) the oldest pending snapshot call of a site. */
  snapshot(site: string, snap: SiteSnapshot | Error): void;
  pendingSnapshots(site: string): number;
}

/** Calls a test answers itself; the rest reject with "not in this test" (and `vault.status` says no Vault). */
export interface FakeOverrides {
  vault?: Partial<TriptychClient['api']['vault']>;
  reconnectCredentials?: TriptychClient['api']['sites']['reconnectCredentials'];
  audit?: Partial<TriptychClient['api']['audit']>;
  handover?: Partial<TriptychClient['api']['handover']>;
  /** Runbook calls; by default the library, the runs and the maintenance are empty (start() asks for them). */
  runbooks?: Partial<TriptychClient['api']['runbooks']>;
  /** The YAML editor's calls (resources.yaml, resources.apply). */
  resources?: Partial<TriptychClient['api']['resources']>;
  /** By default every site has no Alertmanager and the timeline is empty (start() may ask). */
  alerts?: Partial<TriptychClient['api']['alerts']>;
  incident?: Partial<TriptychClient['api']['incident']>;
  /** By default training is unavailable (a configured console). */
  training?: Partial<TriptychClient['api']['training']>;
  recordings?: Partial<TriptychClient['api']['recordings']>;
}

/** A client over fixed sites and statuses whose snapshot calls wait for {@link FakeClient.snapshot}. */
export function fakeClient(sites: SiteInfo[], statuses: SiteStatus[] = [], over: FakeOverrides = {}): FakeClient {
  const log: string[] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const pending = new Map<string, Deferred<SiteSnapshot>[]>();
  const unsupported = (): Promise<never> => Promise.reject(new Error('not in this test'));
  const client: TriptychClient = {
    api: {
      sites: {
        list: () => (log.push('sites.list'), Promise.resolve(sites)),
        status: () => (log.push('sites.status'), Promise.resolve(statuses)),
        snapshot: (id: string) => {
          log.push(`sites.snapshot:${id}`);
          const d = deferred<SiteSnapshot>();
          let list = pending.get(id);
          if (list === undefined) pending.set(id, (list = []));
          list.push(d);
          return d.promise;
        },
        reconnectCredentials: over.reconnectCredentials ?? unsupported,
      },
      vault: {
        status: () => (log.push('vault.status'), Promise.resolve(null)),
        signInPassword: unsupported,
        signInToken: unsupported,
        signInOidc: unsupported,
        cancelOidc: unsupported,
        importCliToken: unsupported,
        signOut: unsupported,
        ...over.vault,
      },
      runbooks: {
        list: () => (log.push('runbooks.list'), Promise.resolve({ runbooks: [], issues: [] })),
        runs: () => (log.push('runbooks.runs'), Promise.resolve([])),
        maintenance: () => (log.push('runbooks.maintenance'), Promise.resolve([])),
        plan: unsupported,
        start: unsupported,
        confirm: unsupported,
        pause: unsupported,
        resume: unsupported,
        abort: unsupported,
        source: unsupported,
        validate: unsupported,
        save: unsupported,
        ...over.runbooks,
      },
      resources: { yaml: unsupported, apply: unsupported, ...over.resources },
      audit: { query: unsupported, export: unsupported, verify: unsupported, ...over.audit },
      handover: { latest: unsupported, create: unsupported, export: unsupported, ...over.handover },
      nodes: { detail: unsupported },
      pods: { detail: unsupported },
      alerts: { list: () => (log.push('alerts.list'), Promise.resolve([])), ...over.alerts },
      incident: { timeline: () => (log.push('incident.timeline'), Promise.resolve([])), note: unsupported, ...over.incident },
      training: {
        status: () => (log.push('training.status'), Promise.resolve({ available: false, run: null })),
        catalogue: unsupported,
        start: unsupported,
        advance: unsupported,
        inject: unsupported,
        stop: unsupported,
        debrief: () => Promise.resolve(null),
        ...over.training,
      },
      recordings: { list: () => Promise.resolve({ recordings: [], replay: null }), start: unsupported, stop: unsupported, replay: unsupported, ...over.recordings },
      exec: { start: unsupported, input: unsupported, resize: unsupported, close: unsupported },
      logs: { start: unsupported, ack: unsupported, pause: unsupported, resume: unsupported, search: unsupported, export: unsupported, stop: unsupported },
    },
    on(name, fn) {
      log.push(`on:${name}`);
      let set = listeners.get(name);
      if (set === undefined) listeners.set(name, (set = new Set()));
      set.add(fn as (p: unknown) => void);
      return () => set.delete(fn as (p: unknown) => void);
    },
  };
  return {
    client,
    log,
    emit(name, payload) {
      for (const fn of listeners.get(name) ?? []) fn(payload);
    },
    snapshot(site, snap) {
      const d = pending.get(site)?.shift();
      if (d === undefined) throw new Error(`no snapshot call pending for ${site}`);
      if (snap instanceof Error) d.reject(snap);
      else d.resolve(snap);
    },
    pendingSnapshots: (site) => pending.get(site)?.length ?? 0,
  };
}

export interface ManualDeps extends StoreDeps {
  marks: string[];
  /** The detail of each mark, in the same order. */
  markDetails: (Record<string, number> | undefined)[];
  /** Runs the pending animation frame, if any. */
  runFrame(): boolean;
  /** Advances the clock, firing due timers and intervals in order. */
  advance(ms: number): void;
  frames(): number;
  clock: { now: number };
}

/** Store deps driven by the test: frames run on `runFrame()`, time moves on `advance()`. */
export function manualDeps(client: TriptychClient, start = Date.parse('2025-06-01T12:00:00Z')): ManualDeps {
  const clock = { now: start };
  let frame: (() => void) | undefined;
  let frameCount = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void; every?: number }>();
  const marks: string[] = [];
  const markDetails: (Record<string, number> | undefined)[] = [];
  return {
    client: () => Promise.resolve(client),
    frame(fn) {
      frame = fn;
      return () => {
        if (frame === fn) frame = undefined;
      };
    },
    timer(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: clock.now + ms, fn });
      return () => timers.delete(id);
    },
    every(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: clock.now + ms, fn, every: ms });
      return () => timers.delete(id);
    },
    now: () => clock.now,
    mark(name, detail) {
      marks.push(name);
      markDetails.push(detail);
    },
    marks,
    markDetails,
    clock,
    runFrame() {
      const f = frame;
      frame = undefined;
      if (f === undefined) return false;
      frameCount++;
      f();
      return true;
    },
    frames: () => frameCount,
    advance(ms) {
      const until = clock.now + ms;
      for (;;) {
        let next: [number, { at: number; fn: () => void; every?: number }] | undefined;
        for (const e of timers) if (e[1].at <= until && (next === undefined || e[1].at < next[1].at)) next = e;
        if (next === undefined) break;
        const [id, t] = next;
        clock.now = t.at;
        if (t.every !== undefined) t.at += t.every;
        else timers.delete(id);
        t.fn();
      }
      clock.now = until;
    },
  };
}

/** Lets pending promise continuations run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
