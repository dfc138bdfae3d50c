/**
 * Plays a recording into one training site: the site's simulation is paused
 * (its controllers would fight the replay), its objects of the recorded
 * kinds are replaced by the recorded initial state, then the recorded watch
 * events are applied in order at their offsets divided by `speed`. Recorded
 * log lines are served by the pod log endpoint as far as the replay has
 * played them. When the replay ends or is stopped, the simulation resumes
 * from the state the replay left.
 */
import { resourceFor, type ResourceType } from '../api/resources';
import type { Site } from '../sim/site';
import type { KObject } from '../types';
import type { ReplayStatus } from '../../shared/recording';
import { RECORDED, type LogEntry, type ObjectEntry, type Recording } from './format';
import type { ReplayedLine } from './logs';

/** A replay as the control endpoint reports it: the contract's ReplayStatus, with its times (epoch ms). */
export interface ReplayState extends ReplayStatus {
  startedAt: number;
  endedAt?: number;
  /** The site's resourceVersion before the replay loaded its state, and when it ended: what lies between is the replay's doing. */
  fromResourceVersion?: string;
  toResourceVersion?: string;
}

function rtOf(resource: string): ResourceType {
  const r = RECORDED.find((x) => x.resource === resource);
  if (!r) throw new Error(`unknown recorded resource ${resource}`);
  return resourceFor(r.group, r.resource);
}

/** A copy the store may modify (it sets resourceVersion and fills metadata). */
function clone(o: unknown): KObject {
  return structuredClone(o) as KObject;
}

export class Replay {
  private readonly st: ReplayState;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private t0 = 0;
  /** How far into the recording it played, in recorded ms, once it ended (all of it when done). */
  private playedUntil = 0;
  /** Log lines per `namespace/pod/container`, in time order. */
  private readonly logs = new Map<string, LogEntry[]>();

  constructor(
    private readonly site: Site,
    private readonly rec: Recording,
    private readonly speed: number,
    private readonly onEnd: (s: ReplayState) => void = () => {},
  ) {
    this.st = { recording: rec.name, site: site.name, state: 'playing', applied: 0, total: rec.events.length, speed, startedAt: Date.now() };
    for (const l of rec.logs) {
      const k = `${l.namespace}/${l.pod}/${l.container}`;
      let list = this.logs.get(k);
      if (!list) this.logs.set(k, (list = []));
      list.push(l);
    }
  }

  status(): ReplayState {
    return { ...this.st };
  }

  /** Pauses the site, loads the initial state and starts the clock. Throws (and resumes the site) if the state cannot be loaded. */
  start(): void {
    this.site.pause(`replay of ${this.rec.name}`);
    // The last replay's lines are not this one's pods' (even when loading this one fails).
    this.site.replayedLog = undefined;
    this.st.fromResourceVersion = String(this.site.store.resourceVersion);
    try {
      this.loadInitial();
    } catch (e) {
      this.finish('failed', `loading the initial state failed: ${(e as Error).message}`);
      throw e;
    }
    this.t0 = Date.now();
    this.site.replayedLog = (ns, pod, container) => {
      const list = this.logs.get(`${ns}/${pod}/${container}`);
      if (!list) return undefined;
      const played = this.elapsedRecordedMs();
      const out: ReplayedLine[] = [];
      // Stamped with when the replay played them: a log client resumes from those times.
      for (const l of list) {
        if (l.t > played) break;
        out.push({ at: this.t0 + l.t / this.speed, line: l.line });
      }
      return out;
    };
    this.tick();
  }

  stop(): void {
    if (this.st.state === 'playing') this.finish('stopped');
  }

  /** How far into the recording the replay is, in recorded ms. */
  private elapsedRecordedMs(): number {
    if (this.st.state !== 'playing') return this.playedUntil;
    return (Date.now() - this.t0) * this.speed;
  }

  private loadInitial(): void {
    const store = this.site.store;
    const wanted = new Map<string, Map<string, ObjectEntry>>();
    for (const r of RECORDED) wanted.set(r.resource, new Map());
    for (const e of this.rec.initial) wanted.get(e.resource)?.set(key(e.object.metadata), e);
    // What the recording does not have goes, dependents first (pods before their namespaces).
    // So does an object of the same name but another identity (uid): owner references must point at the recorded owners.
    for (const r of [...RECORDED].reverse()) {
      const rt = rtOf(r.resource);
      const keep = wanted.get(r.resource) as Map<string, ObjectEntry>;
      for (const v of [...store.all(rt)]) {
        const uid = keep.get(v.key)?.object.metadata.uid;
        if (uid === undefined || !v.json.includes(`"uid":${JSON.stringify(uid)}`)) store.delete(rt, v.ns || undefined, v.name);
      }
    }
    for (const r of RECORDED) {
      const rt = rtOf(r.resource);
      for (const e of (wanted.get(r.resource) as Map<string, ObjectEntry>).values()) this.put(rt, e);
    }
  }

  private put(rt: ResourceType, e: ObjectEntry): void {
    const m = e.object.metadata;
    const store = this.site.store;
    if (store.get(rt, m.namespace, m.name)) store.update(rt, clone(e.object));
    else store.create(rt, clone(e.object));
  }

  private apply(e: ObjectEntry): void {
    const rt = rtOf(e.resource);
    const m = e.object.metadata;
    if (e.type === 'DELETED') {
      if (this.site.store.get(rt, m.namespace, m.name)) this.site.store.delete(rt, m.namespace, m.name);
    } else this.put(rt, e);
  }

  private tick(): void {
    this.timer = undefined;
    if (this.st.state !== 'playing') return;
    const played = this.elapsedRecordedMs();
    const events = this.rec.events;
    while (this.next < events.length && (events[this.next] as ObjectEntry).t <= played) {
      const e = events[this.next] as ObjectEntry;
      try {
        this.apply(e);
      } catch (err) {
        return this.finish('failed', `${this.rec.name}:${e.line}: could not apply ${e.type} of ${e.resource} "${key(e.object.metadata)}": ${(err as Error).message}`);
      }
      this.next++;
      this.st.applied = this.next;
    }
    const endAt = Math.max(this.rec.durationMs, this.rec.logs.at(-1)?.t ?? 0);
    const nextAt = this.next < events.length ? (events[this.next] as ObjectEntry).t : endAt;
    if (this.next >= events.length && played >= endAt) return this.finish('done');
    this.timer = setTimeout(() => this.tick(), Math.max(0, (nextAt - played) / this.speed));
  }

  private finish(state: ReplayState['state'], error?: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // The recorded log lines stay the replayed pods' logs (those it played: all once done) until the next replay.
    this.playedUntil = state === 'done' ? Infinity : this.t0 === 0 ? 0 : this.elapsedRecordedMs();
    this.st.state = state;
    this.st.endedAt = Date.now();
    if (error) this.st.error = error;
    this.st.toResourceVersion = String(this.site.store.resourceVersion);
    this.site.resume();
    this.onEnd(this.status());
  }
}

function key(m: { name: string; namespace?: string }): string {
  return m.namespace ? `${m.namespace}/${m.name}` : m.name;
}
