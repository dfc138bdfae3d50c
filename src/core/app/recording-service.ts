/**
 * Recordings: a site's watch events and logs written to
 * `<dataDir>/recordings/*.jsonl` (folder 0700, files 0600), and their replay
 * into the training fleet through its control endpoint. Progress of both
 * goes out as `recording.status`.
 */
import { createReadStream } from 'node:fs';
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import { controlRequest, type FleetControl } from './fleet-control';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { RecordingInfo, ReplayStatus } from '../../shared/recording';
import type { KubeHttp } from '../kube/http';
import { Recorder } from '../record/recorder';

export interface RecordingServiceOptions {
  dataDir: string;
  bus: EventBus<TriptychEvents>;
  /** A client for a site's API server (its own connections: watches run long). */
  http(site: string): KubeHttp | undefined;
  /** The fleet's control endpoint; absent when the console runs on configured clusters (no replay then). */
  control?: FleetControl;
  /** Largest recording file (default 256 MiB): a recording reaching it ends as failed, keeping what it has. */
  maxBytes?: number;
  /** A site that answers nothing for this long ends its recording (default 30 s). */
  giveUpMs?: number;
  /** How often a playing replay's progress is asked for (default 1 s). */
  pollMs?: number;
}

const NOT_TRAINING = 'replay plays into the training fleet, and this console is connected to configured clusters; start Triptych without sites configured to rehearse a recording';

interface Active {
  recorder: Recorder;
  info: RecordingInfo;
  http: KubeHttp;
  watchdog: NodeJS.Timeout;
}

type FleetReplay = ReplayStatus & { startedAt: number; endedAt?: number };

export class RecordingService {
  private readonly dir: string;
  private readonly active = new Map<string, Active>();
  /** Sites whose recording is being set up (not yet in `active`). */
  private readonly starting = new Set<string>();
  /** Summaries of finished files, by name, valid while size and mtime are unchanged (counting lines of a big file is slow). */
  private readonly summaries = new Map<string, { size: number; mtimeMs: number; info: RecordingInfo }>();
  private replayTimer: NodeJS.Timeout | undefined;
  private lastReplay: ReplayStatus | null = null;

  constructor(private readonly o: RecordingServiceOptions) {
    this.dir = path.join(o.dataDir, 'recordings');
  }

  async list(): Promise<{ recordings: RecordingInfo[]; replay: ReplayStatus | null }> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: RecordingInfo[] = [];
    for (const name of names.filter((n) => n.endsWith('.jsonl'))) {
      const a = this.active.get(name);
      if (a) out.push({ ...a.info });
      else {
        const info = await this.summary(name).catch(() => undefined);
        if (info) out.push(info);
      }
    }
    out.sort((x, y) => y.startedAt - x.startedAt);
    const replay = this.o.control ? await this.fleetReplay().catch(() => this.lastReplay) : null;
    return { recordings: out, replay };
  }

  /** Starts recording `site` for `minutes`; the file is named after the site and the time. */
  async start(site: string, opts: { minutes: number }): Promise<RecordingInfo> {
    const busy = [...this.active.values()].find((a) => a.info.site === site);
    if (busy) throw new ContractError('bad-request', `${site} is already being recorded (${busy.info.id}); stop that recording first`);
    if (this.starting.has(site)) throw new ContractError('bad-request', `${site} is already being recorded (it is starting); stop that recording first`);
    // A client of its own, closed when the recording ends (or here, when it cannot begin): the mirror keeps every open one.
    const http = this.o.http(site);
    if (!http) throw new ContractError('not-found', `no site "${site}" is connected; pick one of the sites shown in the overview`);
    // Held over the awaits below, until the recording is in `active`: two starts at once must not both pass the check above.
    this.starting.add(site);
    let id: string;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await chmod(this.dir, 0o700);
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
      id = `${site}-${stamp}.jsonl`;
      // Two recordings in one second (of different sites, or one right after another) get a suffix.
      for (let n = 2; this.active.has(id) || (await exists(path.join(this.dir, id))); n++) id = `${site}-${stamp}-${n}.jsonl`;
    } catch (e) {
      http.close();
      throw new ContractError('unavailable', `cannot create the recordings folder ${this.dir}: ${(e as Error).message}`);
    } finally {
      this.starting.delete(site);
    }
    const info: RecordingInfo = { id, site, state: 'recording', startedAt: Date.now(), events: 0, logLines: 0, bytes: 0 };
    const recorder = new Recorder({
      http,
      site,
      file: path.join(this.dir, id),
      durationMs: opts.minutes * 60_000,
      maxBytes: this.o.maxBytes,
      giveUpMs: this.o.giveUpMs,
      onProgress: (s) => {
        Object.assign(info, { state: s.state, events: s.events, logLines: s.logLines, bytes: s.bytes }, s.endedAt ? { endedAt: s.endedAt } : {}, s.error ? { error: s.error } : {});
        this.o.bus.emit('recording.status', { recording: { ...info } });
      },
    });
    // A site removed from the configuration (its client closed) ends the recording; it keeps what it has.
    const watchdog = setInterval(() => {
      if (http.closed) void recorder.fail(`the site ${site} went away (removed from the configuration or signed out); the recording keeps everything up to then`);
    }, 1000);
    watchdog.unref?.();
    const entry: Active = { recorder, info, http, watchdog };
    this.active.set(id, entry);
    void recorder.done.then(() => {
      clearInterval(watchdog);
      this.active.delete(id);
      http.close();
    });
    try {
      await recorder.start();
    } catch (e) {
      throw new ContractError('unavailable', `recording ${site} failed at the start: ${(e as Error).message}`);
    }
    return { ...info, ...pick(recorder.status()) };
  }

  async stop(id: string): Promise<RecordingInfo> {
    const a = this.active.get(id);
    if (!a) {
      const info = await this.summary(id).catch(() => undefined);
      if (!info) throw new ContractError('not-found', `no recording "${id}"`);
      throw new ContractError('bad-request', `${id} is not recording (it ${info.state === 'failed' ? 'failed' : 'ended'} at ${new Date(info.endedAt ?? info.startedAt).toISOString()})`);
    }
    const s = await a.recorder.stop();
    return { ...a.info, ...pick(s) };
  }

  async replay(id: string, opts: { site: string; speed: number }): Promise<ReplayStatus> {
    if (!this.o.control) throw new ContractError('bad-request', NOT_TRAINING);
    if (this.active.has(id)) throw new ContractError('bad-request', `${id} is still recording; stop it (or let it end) before replaying it`);
    const file = path.join(this.dir, id);
    try {
      await stat(file);
    } catch {
      throw new ContractError('not-found', `no recording "${id}" in ${this.dir}`);
    }
    const r = await this.call<{ replay: FleetReplay }>('POST', '/v1/replay', { file, site: opts.site, speed: opts.speed });
    const status = toStatus(r.replay);
    this.publish(status);
    this.followReplay();
    return status;
  }

  async close(): Promise<void> {
    clearTimeout(this.replayTimer);
    this.replayTimer = undefined;
    await Promise.all([...this.active.values()].map((a) => a.recorder.stop()));
  }

  private publish(replay: ReplayStatus): void {
    this.lastReplay = replay;
    this.o.bus.emit('recording.status', { replay });
  }

  /** Asks the fleet for the replay's progress until it ends, publishing each change. */
  private followReplay(): void {
    clearTimeout(this.replayTimer);
    this.replayTimer = setTimeout(() => {
      void this.fleetReplay()
        .then((r) => {
          if (r && (r.applied !== this.lastReplay?.applied || r.state !== this.lastReplay?.state)) this.publish(r);
          if (r?.state === 'playing') this.followReplay();
        })
        .catch(() => this.followReplay());
    }, this.o.pollMs ?? 1000);
    this.replayTimer.unref?.();
  }

  private async fleetReplay(): Promise<ReplayStatus | null> {
    const r = await this.call<{ replay: FleetReplay | null }>('GET', '/v1/replay');
    return r.replay ? toStatus(r.replay) : null;
  }

  /** A finished file's summary from its header, its lines and its end line. */
  private async summary(name: string): Promise<RecordingInfo> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.jsonl$/.test(name)) throw new Error('not a recording name');
    const file = path.join(this.dir, name);
    const st = await stat(file);
    const cached = this.summaries.get(name);
    if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached.info;
    const info: RecordingInfo = { id: name, site: '?', state: 'failed', startedAt: st.birthtimeMs || st.mtimeMs, events: 0, logLines: 0, bytes: st.size, error: 'the file has no end line: the recording was interrupted' };
    let first = true;
    let lastT = 0;
    const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (first) {
        first = false;
        const h = JSON.parse(line) as { site?: string; startedAt?: string };
        info.site = h.site ?? '?';
        info.startedAt = Date.parse(h.startedAt ?? '') || info.startedAt;
        continue;
      }
      // Cheap classification by prefix: {"t":N,"type":… | {"t":N,"log":… | {"t":N,"end":…
      const m = /^\{"t":(\d+(?:\.\d+)?),"(type|log|end)"/.exec(line);
      if (!m) continue;
      lastT = Number(m[1]);
      if (m[2] === 'type') info.events++;
      else if (m[2] === 'log') info.logLines++;
      else {
        const end = (JSON.parse(line) as { end: { state: 'done' | 'failed'; error?: string } }).end;
        info.state = end.state;
        if (end.error) info.error = end.error;
        else delete info.error;
      }
    }
    info.endedAt = info.startedAt + lastT;
    this.summaries.set(name, { size: st.size, mtimeMs: st.mtimeMs, info });
    return info;
  }

  /** One request to the fleet's control endpoint (see fleet-control). */
  private call<T>(method: string, p: string, body?: unknown): Promise<T> {
    const c = this.o.control;
    if (!c) return Promise.reject(new ContractError('bad-request', NOT_TRAINING));
    return controlRequest<T>(c, method, p, body, 'the training fleet refused the replay');
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function pick(s: { state: RecordingInfo['state']; events: number; logLines: number; bytes: number; endedAt?: number; error?: string }): Partial<RecordingInfo> {
  return { state: s.state, events: s.events, logLines: s.logLines, bytes: s.bytes, ...(s.endedAt ? { endedAt: s.endedAt } : {}), ...(s.error ? { error: s.error } : {}) };
}

function toStatus(r: FleetReplay): ReplayStatus {
  return { recording: r.recording, site: r.site, state: r.state, applied: r.applied, total: r.total, speed: r.speed, ...(r.error ? { error: r.error } : {}) };
}
