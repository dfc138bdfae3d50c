/**
 * Records one site for a window of time into a recording file (format.ts):
 * the full state of the recorded resources first, then every watch event
 * with its offset, and the log lines of pods that are failing (crashlooping,
 * not ready) or that the caller names. It talks to the API server through
 * the console's own KubeHttp, the production code path.
 *
 * Unlike the reflector it keeps every intermediate state (no coalescing): a
 * replay must show what happened, not only where it ended. A 410 Expired
 * (HTTP or in-stream) relists and writes the difference to what it knew as
 * events, so nothing is lost but the intermediate states the server no
 * longer has.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { KubeHttpError, type KubeHttp } from '../kube/http';
import { entryLine, FORMAT, RECORDED_RESOURCES, VERSION, type EndLine, type LogLine, type ObjectLine, type RecordingHeader } from './format';
import type { RecordingInfo } from '../../shared/recording';

export interface RecorderOptions {
  http: KubeHttp;
  site: string;
  /** The file to create (mode 0600; it must not exist). */
  file: string;
  /** Recording ends by itself after this long. */
  durationMs: number;
  /** The file may not grow beyond this: the recording then fails, keeping what it has. Default 256 MiB. */
  maxBytes?: number;
  /** Pods (`namespace/name`) whose logs are recorded even when healthy. */
  logPods?: RegExp;
  /** Log follows at once, at most (each holds a connection). Default 16. */
  maxLogFollows?: number;
  /** A site that answers nothing for this long ends the recording as failed. Default 30 s. */
  giveUpMs?: number;
  /** Called after writes (at most every `progressMs`) and when the recording ends. */
  onProgress?: (s: RecorderStatus) => void;
  progressMs?: number;
}

/** How a recording is going: the contract's RecordingInfo without the file and site, which the service adds. */
export type RecorderStatus = Omit<RecordingInfo, 'id' | 'site'>;

type Obj = { kind?: string; apiVersion?: string; metadata: { name: string; namespace?: string; resourceVersion?: string; deletionTimestamp?: string }; status?: unknown; spec?: unknown };
type List = { kind?: string; apiVersion?: string; metadata?: { resourceVersion?: string; continue?: string }; items?: Obj[] };

/** A watch that reported 410 Expired in its stream. */
class Expired extends Error {}
/** The recording ended (stopped, done, failed) while a request ran. */
class Ended extends Error {}

const MAX_LOG_LINE = 16 * 1024;
/** Bytes kept free for the end line, so a full recording still says how it ended. */
const END_RESERVE = 1024;

function keyOf(o: Obj): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

/** Why a pod's logs are worth recording: a container waiting in a crash loop or erroring, or a running pod not ready. */
export function failing(pod: Obj): boolean {
  const st = (pod.status ?? {}) as { phase?: string; containerStatuses?: { ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string } } }[] };
  if (pod.metadata.deletionTimestamp || st.phase === 'Succeeded') return false;
  const cs = st.containerStatuses ?? [];
  if (cs.some((c) => ['CrashLoopBackOff', 'Error', 'RunContainerError'].includes(c.state?.waiting?.reason ?? ''))) return true;
  return st.phase === 'Running' && cs.some((c) => c.ready === false);
}

export class Recorder {
  private fh: FileHandle | undefined;
  private readonly st: RecorderStatus;
  private readonly abort = new AbortController();
  private ended = false;
  /**
   * What is known of each object (by resource, then key): only its identity and resourceVersion, enough to
   * tell a relist's changes and to write a deletion; whole objects of a 150,000-pod site would not fit.
   */
  private readonly state = new Map<string, Map<string, Obj>>();
  private readonly rvs = new Map<string, string>();
  private pending: string[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private lastProgress = 0;
  private endTimer: NodeJS.Timeout | undefined;
  /** When the site last failed to answer while it had been answering (undefined: it answers). */
  private failingSince: number | undefined;
  /** `ns/pod/container` → the follow running, and the last log timestamp seen (to resume a follow without repeats). */
  private readonly follows = new Map<string, AbortController>();
  private readonly lastLogTime = new Map<string, string>();
  private resolveDone!: (s: RecorderStatus) => void;
  /** Settles when the recording has ended and the file is closed. */
  readonly done: Promise<RecorderStatus>;

  constructor(private readonly o: RecorderOptions) {
    this.st = { state: 'recording', startedAt: Date.now(), events: 0, logLines: 0, bytes: 0 };
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  status(): RecorderStatus {
    return { ...this.st };
  }

  /**
   * Creates the file, writes the header and the initial state, and starts the watches.
   * Rejects (the recording then ends as failed, its file kept) when the site cannot be listed.
   */
  async start(): Promise<void> {
    try {
      this.fh = await open(this.o.file, 'wx', 0o600);
    } catch (e) {
      const why = `cannot create ${this.o.file}: ${(e as Error).message}`;
      await this.finish('failed', why);
      throw new Error(why, { cause: e });
    }
    const header: RecordingHeader = { format: FORMAT, version: VERSION, site: this.o.site, server: this.o.http.server, startedAt: new Date(this.st.startedAt).toISOString() };
    this.write(JSON.stringify(header));
    const failingPods: Obj[] = [];
    try {
      for (const r of RECORDED_RESOURCES) {
        const list = await this.list(r.path);
        const known = new Map<string, Obj>();
        for (const item of list.items) {
          known.set(keyOf(item), identity(item));
          this.object({ t: 0, type: 'INITIAL', resource: r.resource, object: item });
          if (r.resource === 'pods') failingPods.push(item);
        }
        this.state.set(r.resource, known);
        this.rvs.set(r.resource, list.rv);
      }
    } catch (e) {
      const why = e instanceof Ended ? (this.st.error ?? 'stopped') : `could not list the site's state: ${(e as Error).message}`;
      await this.finish('failed', why);
      throw new Error(why, { cause: e });
    }
    if (this.ended) return;
    // Log lines only once the whole initial state is written: the file is in time order.
    for (const pod of failingPods) this.considerLogs('pods', pod);
    this.endTimer = setTimeout(() => void this.finish('done'), this.o.durationMs);
    for (const r of RECORDED_RESOURCES) void this.watchLoop(r.resource, r.path);
  }

  /** Ends the recording now (as done), keeping what it has. */
  async stop(): Promise<RecorderStatus> {
    await this.finish('done');
    return this.done;
  }

  /** Ends the recording as failed with `error` (its site went away, say), keeping what it has. */
  async fail(error: string): Promise<RecorderStatus> {
    await this.finish('failed', error);
    return this.done;
  }

  private t(): number {
    return Date.now() - this.st.startedAt;
  }

  /** One list of the whole collection, in pages; an expired continue token lists again without pages. */
  private async list(path: string): Promise<{ items: Obj[]; rv: string }> {
    const items: Obj[] = [];
    let cont: string | undefined;
    let rv = '';
    for (;;) {
      if (this.ended) throw new Ended();
      let page: List;
      try {
        page = await this.o.http.getJson<List>(path, { limit: 500, continue: cont }, this.abort.signal);
      } catch (e) {
        if (cont && e instanceof KubeHttpError && e.status === 410) {
          const whole = await this.o.http.getJson<List>(path, {}, this.abort.signal);
          return { items: (whole.items ?? []).map((i) => typed(i, whole)), rv: whole.metadata?.resourceVersion ?? '' };
        }
        throw e;
      }
      for (const i of page.items ?? []) items.push(typed(i, page));
      rv = page.metadata?.resourceVersion ?? rv;
      cont = page.metadata?.continue || undefined;
      if (!cont) return { items, rv };
    }
  }

  private async watchLoop(resource: string, path: string): Promise<void> {
    let backoff = 500;
    while (!this.ended) {
      const started = Date.now();
      try {
        await this.o.http.watch(
          path,
          { resourceVersion: this.rvs.get(resource), allowWatchBookmarks: true, timeoutSeconds: 300 + Math.floor(Math.random() * 300) },
          { onLine: (line) => this.onWatchLine(resource, line), onResponse: () => this.answering() },
          this.abort.signal,
        );
        if (Date.now() - started > 1000) backoff = 500;
        else {
          // A watch the server closes at once is a failure, not a success: reconnecting at once would hammer it.
          await new Promise((r) => setTimeout(r, backoff));
          backoff = Math.min(backoff * 2, 5000);
        }
      } catch (caught) {
        if (this.ended) return;
        let e = caught;
        if (e instanceof Expired || (e instanceof KubeHttpError && e.status === 410)) {
          try {
            await this.relist(resource, path);
            continue;
          } catch (err) {
            if (this.ended) return;
            e = err;
          }
        }
        if (e instanceof KubeHttpError && [401, 403, 404].includes(e.status)) {
          return void this.finish('failed', `the site refused to let ${resource} be watched (${e.status}): ${e.message}`);
        }
        this.failingSince ??= Date.now();
        const down = Date.now() - this.failingSince;
        if (down >= (this.o.giveUpMs ?? 30_000)) {
          return void this.finish('failed', `the site stopped answering at ${new Date(this.failingSince).toISOString()} (${(e as Error).message}); the recording keeps everything up to then`);
        }
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private answering(): void {
    this.failingSince = undefined;
  }

  private onWatchLine(resource: string, line: string): void {
    if (this.ended) throw new Ended();
    const ev = JSON.parse(line) as { type: string; object: Obj & { code?: number; message?: string } };
    if (ev.type === 'ERROR') {
      if (ev.object.code === 410) throw new Expired(ev.object.message ?? 'Expired');
      throw new KubeHttpError(ev.object.code ?? 500, '', ev.object.message ?? 'watch error');
    }
    const rv = ev.object.metadata?.resourceVersion;
    if (rv) this.rvs.set(resource, rv);
    if (ev.type === 'BOOKMARK') return;
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
    const known = this.state.get(resource) as Map<string, Obj>;
    if (ev.type === 'DELETED') known.delete(keyOf(ev.object));
    else known.set(keyOf(ev.object), identity(ev.object));
    this.object({ t: this.t(), type: ev.type, resource, object: ev.object });
    this.considerLogs(resource, ev.object, ev.type === 'DELETED');
  }

  /** After a 410: the current state, written as the events that lead from what was known to it. */
  private async relist(resource: string, path: string): Promise<void> {
    const list = await this.list(path);
    const known = this.state.get(resource) as Map<string, Obj>;
    const now = new Map(list.items.map((i) => [keyOf(i), i]));
    const t = this.t();
    // A deletion the watch missed: its last state is not known any more, only which object it was.
    for (const [k, prev] of known) if (!now.has(k)) this.object({ t, type: 'DELETED', resource, object: prev });
    for (const [k, cur] of now) {
      const prev = known.get(k);
      if (!prev) this.object({ t, type: 'ADDED', resource, object: cur });
      else if (prev.metadata.resourceVersion !== cur.metadata.resourceVersion) this.object({ t, type: 'MODIFIED', resource, object: cur });
      this.considerLogs(resource, cur);
    }
    this.state.set(resource, new Map([...now].map(([k, o]) => [k, identity(o)])));
    this.rvs.set(resource, list.rv);
  }

  private object(line: ObjectLine): void {
    if (this.write(entryLine(line))) this.st.events++;
  }

  // ---- logs ------------------------------------------------------------

  private considerLogs(resource: string, obj: Obj, deleted = false): void {
    if (resource !== 'pods') return;
    const ns = obj.metadata.namespace ?? '';
    const prefix = `${ns}/${obj.metadata.name}/`;
    if (deleted) {
      for (const [k, c] of this.follows) if (k.startsWith(prefix)) c.abort();
      return;
    }
    if (!failing(obj) && !this.o.logPods?.test(`${ns}/${obj.metadata.name}`)) return;
    const containers = ((obj.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => c.name);
    for (const c of containers) {
      const k = prefix + c;
      if (this.follows.has(k) || this.follows.size >= (this.o.maxLogFollows ?? 16)) continue;
      void this.follow(ns, obj.metadata.name, c, k);
    }
  }

  private async follow(ns: string, pod: string, container: string, k: string): Promise<void> {
    const ctl = new AbortController();
    this.follows.set(k, ctl);
    const since = this.lastLogTime.get(k);
    try {
      const res = await this.o.http.stream(
        `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}/log`,
        { container, follow: true, timestamps: true, ...(since ? { sinceTime: since.replace(/\.\d+Z$/, 'Z') } : { tailLines: 100 }) },
        AbortSignal.any([ctl.signal, this.abort.signal]),
      );
      res.setEncoding('utf8');
      let buf = '';
      for await (const chunk of res) {
        buf += chunk as string;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          this.logLine(ns, pod, container, k, buf.slice(0, nl));
          buf = buf.slice(nl + 1);
        }
        if (buf.length > MAX_LOG_LINE) {
          this.logLine(ns, pod, container, k, buf);
          buf = '';
        }
      }
    } catch {
      // A pod still starting (400), gone (404) or a cut connection: the next change of the pod tries again.
    } finally {
      if (this.follows.get(k) === ctl) this.follows.delete(k);
    }
  }

  private logLine(ns: string, pod: string, container: string, k: string, raw: string): void {
    if (this.ended) return;
    const sp = raw.indexOf(' ');
    const ts = sp > 0 ? raw.slice(0, sp) : '';
    if (!/^\d{4}-\d\d-\d\dT/.test(ts)) return;
    const last = this.lastLogTime.get(k);
    // A resumed follow starts at the last line's second: the lines already written are skipped.
    if (last && ts <= last) return;
    this.lastLogTime.set(k, ts);
    const line: LogLine = { t: this.t(), log: { namespace: ns, pod, container, line: raw.slice(sp + 1, sp + 1 + MAX_LOG_LINE) } };
    if (this.write(entryLine(line))) this.st.logLines++;
  }

  // ---- the file ---------------------------------------------------------

  /** Queues a line; false when it is not written (ended, or it would pass the size limit, which ends the recording). */
  private write(line: string, reserve = END_RESERVE): boolean {
    if (this.ended && reserve > 0) return false;
    const bytes = Buffer.byteLength(line) + 1;
    const max = this.o.maxBytes ?? 256 * 1024 * 1024;
    if (this.st.bytes + bytes + reserve > max) {
      void this.finish('failed', `the recording reached its size limit of ${formatBytes(max)} after ${Math.round(this.t() / 1000)} s; it keeps everything up to then`);
      return false;
    }
    this.st.bytes += bytes;
    this.pending.push(line);
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => {
        this.flushQueued = false;
        void this.flush();
      });
    }
    return true;
  }

  private flush(): Promise<void> {
    const data = this.pending.length > 0 ? this.pending.join('\n') + '\n' : '';
    this.pending = [];
    if (data) this.flushing = this.flushing.then(async () => void (await this.fh?.write(data)));
    if (this.o.onProgress && Date.now() - this.lastProgress >= (this.o.progressMs ?? 1000)) {
      this.lastProgress = Date.now();
      this.o.onProgress(this.status());
    }
    return this.flushing;
  }

  private async finish(state: 'done' | 'failed', error?: string): Promise<void> {
    if (this.ended) return this.done.then(() => undefined);
    this.ended = true;
    clearTimeout(this.endTimer);
    this.abort.abort();
    for (const c of this.follows.values()) c.abort();
    this.st.state = state;
    this.st.endedAt = Date.now();
    if (error) this.st.error = error;
    const end: EndLine = { t: this.t(), end: error ? { state, error } : { state } };
    this.write(JSON.stringify(end), 0);
    try {
      await this.flush();
      await this.fh?.close();
    } catch (e) {
      this.st.state = 'failed';
      this.st.error ??= `writing the recording failed: ${(e as Error).message}`;
    }
    this.fh = undefined;
    this.o.onProgress?.(this.status());
    this.resolveDone(this.status());
  }
}

/** What the recorder keeps of an object between events. */
function identity(o: Obj): Obj {
  const m = o.metadata as Obj['metadata'] & { uid?: string };
  return { kind: o.kind, apiVersion: o.apiVersion, metadata: { name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}), ...(m.uid ? { uid: m.uid } : {}), resourceVersion: m.resourceVersion } };
}

/** List items come without kind and apiVersion; the replay needs them. */
function typed(item: Obj, list: List): Obj {
  return { kind: list.kind?.replace(/List$/, ''), apiVersion: list.apiVersion, ...item };
}

function formatBytes(n: number): string {
  return n >= 1048576 ? `${Math.round(n / 1048576)} MiB` : `${Math.round(n / 1024)} KiB`;
}
