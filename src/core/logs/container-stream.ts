/**
 * One container's log, followed for as long as its pod exists: through
 * broken connections (a site outage, a proxy cutting idle streams) and
 * through restarts of the container.
 *
 * - Every request asks for `timestamps=true`, so that the stream can always
 *   resume with `sinceTime` from where it got to ({@link ResumeCursor}); the
 *   lines the server sends again are skipped, so nothing shows twice and
 *   nothing is left out.
 * - A broken stream is retried with backoff; the first failure says so (an
 *   'interrupted' marker) and the resumed stream marks the gap and its length.
 * - When the container restarted while the stream was down, what its old
 *   instance wrote after our cursor is read from `previous=true` first.
 * - A stream that ends cleanly (the container stopped) waits for the pod watch
 *   to report the next instance, then goes on with it.
 * - The user's sinceSeconds/sinceTime/tailLines apply to the first read only,
 *   and only for a container that was already running when the tail began:
 *   a container started later is read from its first line.
 */
import type { IncomingMessage } from 'node:http';
import { Backoff, type BackoffOptions } from '../kube/backoff';
import { KubeHttpError, type KubeHttp, type Query } from '../kube/http';
import { LineReader, rfc3339Second, type RawLine } from './line-reader';
import { projectLogPod, type LogContainer } from './pod-view';
import { ResumeCursor } from './resume-cursor';
import type { Slots } from './slots';
import type { MarkerType } from './types';
import { describeError, duration } from './words';

export type StreamPhase = 'following' | 'retrying' | 'waiting' | 'ended';

export interface FirstRead {
  sinceSeconds?: number;
  sinceTime?: string;
  tailLines?: number;
}

export interface ContainerStreamOptions {
  http: KubeHttp;
  slots: Slots;
  namespace: string;
  pod: string;
  container: string;
  /** Limits of the first read (the user's since/tail); undefined reads the instance from its start. */
  first?: FirstRead;
  /** Read the previous instance once instead of following. */
  previous: boolean;
  maxLineBytes: number;
  backoff: BackoffOptions;
  /** The container as the pod watch sees it now; undefined once the pod is gone. */
  state: () => LogContainer | undefined;
  onLine: (line: RawLine) => void;
  onMarker: (type: MarkerType, text: string, extra?: { gapMs?: number }) => void;
  onPhase: (from: StreamPhase | undefined, to: StreamPhase) => void;
  /** Lines skipped because a resumed server sent them again. */
  onDuplicates?: (n: number) => void;
  now?: () => number;
}

/**
 * How long a stream that ended while its container still shows as running waits for the
 * pod watch to report the exit before it reads on (a moment in the fleet; seconds for a kubelet).
 */
const WATCH_LAG_MS = 3_000;
/** A stream that ends this often without anything new backs off up to this long. */
const MAX_QUIET_WAIT_MS = 10_000;

/** Why the last request ended, for the loop's decision. */
type Outcome = { kind: 'clean'; newLines: number } | { kind: 'broken'; error: unknown } | { kind: 'stopped' };

export class ContainerStream {
  private readonly cursor = new ResumeCursor();
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private phase: StreamPhase | undefined;
  private stopped = false;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  /** Whether a request has ever been answered: the first-read limits are used up. */
  private opened = false;
  private duplicatesReported = 0;
  /** Set while the stream is down after a failure: since when, and why. */
  private broken: { since: number; why: string } | undefined;

  constructor(private readonly o: ContainerStreamOptions) {
    this.now = o.now ?? Date.now;
    this.backoff = new Backoff({ now: this.now, ...o.backoff });
  }

  start(): void {
    this.loop ??= this.run().catch((e: unknown) => {
      // Nothing above should throw; if it does, say so rather than end silently.
      this.o.onMarker('error', `log stream stopped: ${describeError(e)}`);
    }).finally(() => this.setPhase('ended'));
  }

  /** The pod watch has news of this container (or its pod): re-check at once. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.stopWake?.();
    await this.loop;
  }

  get done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  private setPhase(p: StreamPhase): void {
    if (p === this.phase) return;
    const from = this.phase;
    this.phase = p;
    this.o.onPhase(from, p);
  }

  private get path(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.o.namespace)}/pods/${encodeURIComponent(this.o.pod)}/log`;
  }

  private async run(): Promise<void> {
    if (this.o.previous) return this.readPrevious();
    /** The instance (restart count) read last. */
    let instance: number | undefined;
    /** The instance whose log was read to its end: nothing more will come from it. */
    let finished: number | undefined;
    let quiet = 0;
    /** What the API server answered when the pod watch had not caught up with a restart yet (see below). */
    let ahead: LogContainer | undefined;
    while (!this.stopped) {
      let st = this.o.state();
      if (!st) return;
      if (ahead && ahead.restarts > st.restarts) st = ahead;
      ahead = undefined;
      if (this.broken) {
        // After a failure the pod watch may be as stale as the stream (it broke too): ask the
        // API server what runs now, so a restart during the gap is not missed.
        try {
          st = await this.freshState();
        } catch (e) {
          if (this.stopped) return;
          if (e instanceof KubeHttpError && e.status === 404) return;
          await this.retryAfter(e);
          continue;
        }
        if (!st) return;
      }
      if (st.state === 'waiting' || (st.state === 'terminated' && finished === st.restarts)) {
        // Nothing to read until the next instance runs; the pod watch wakes us.
        this.setPhase('waiting');
        await this.waitForChange(30_000);
        continue;
      }
      /** A new instance is about to be read for the first time: none of its lines were seen before. */
      let fresh = false;
      if (instance !== undefined && st.restarts > instance) {
        // While the stream was down, the old instance may have written more after our cursor.
        if (this.broken) await this.drainPrevious(st.restarts - instance);
        else this.o.onMarker('container-restarted', `container restarted (restart ${st.restarts}); following its new instance`);
        if (this.stopped) return;
        instance = st.restarts;
        fresh = true;
      }

      const outcome = await this.follow(!fresh && (instance === undefined || instance === st.restarts));
      if (outcome.kind === 'stopped') return;
      if (outcome.kind === 'broken') {
        const e = outcome.error;
        if (e instanceof KubeHttpError && e.status === 404) return;
        if (e instanceof KubeHttpError && e.status === 403) {
          this.o.onMarker('error', `cannot read this container's log: ${describeError(e)}`);
          return;
        }
        if (e instanceof KubeHttpError && e.status === 400) {
          // "container … is waiting to start": not yet; the pod watch will tell.
          this.setPhase('waiting');
          await this.waitForChange(this.backoff.next());
          continue;
        }
        if (this.opened) instance ??= st.restarts;
        await this.retryAfter(e);
        continue;
      }
      instance = st.restarts;

      // The server ended the stream: the container stopped, the pod is going, or something
      // between us closed it. Which one, the pod watch tells — but the kubelet reports a
      // container's exit a moment after it ends the log stream. Read on at once and a restart
      // would pass for more of the old instance (its new lines read as a resume of the old).
      let now = this.o.state();
      quiet = outcome.newLines === 0 ? quiet + 1 : 0;
      if (now?.state === 'running' && now.restarts === st.restarts) {
        // Ended with nothing new: the server may close streams at once; wait a little longer each time.
        await this.waitForChange(outcome.newLines === 0 ? Math.min(MAX_QUIET_WAIT_MS, 250 * 2 ** quiet) : WATCH_LAG_MS);
        now = this.o.state();
      }
      if (now?.state === 'running' && now.restarts === st.restarts) {
        // A busy console's pod watch can lag behind the API server: before reading on as the
        // same instance (and calling the lines it no longer has missing), ask the server.
        const fresh = await this.freshState().catch(() => undefined);
        if (this.stopped) return;
        if (fresh && fresh.restarts > st.restarts) now = ahead = fresh;
      }
      if (!now) return;
      if (now.state !== 'running' || now.restarts !== st.restarts) {
        if (finished !== st.restarts) this.o.onMarker('container-ended', `container stopped${now.ended ? ` (${now.ended})` : ''}`);
        finished = st.restarts;
      }
    }
  }

  /** A failure: say so once per gap, then back off. */
  private async retryAfter(e: unknown): Promise<void> {
    if (!this.broken) {
      this.broken = { since: this.now(), why: describeError(e) };
      this.o.onMarker('interrupted', `log stream interrupted (${this.broken.why}); retrying`);
    }
    this.setPhase('retrying');
    let delay = this.backoff.next();
    if (e instanceof KubeHttpError && e.status === 429 && e.retryAfterSeconds) delay = Math.max(delay, e.retryAfterSeconds * 1000);
    await this.sleep(delay);
  }

  /** The first answer after a failure: mark the gap. */
  private resumed(sinceTime: string | undefined): void {
    if (!this.broken) return;
    const gap = this.now() - this.broken.since;
    this.o.onMarker('gap', `gap of ${duration(gap)}: the log stream broke (${this.broken.why}) and resumed${sinceTime ? ` from ${sinceTime}` : ''}`, { gapMs: gap });
    this.broken = undefined;
  }

  /** The container as the API server has it now; undefined when the pod is gone. */
  private async freshState(): Promise<LogContainer | undefined> {
    const abort = (this.abort = new AbortController());
    try {
      const pod = projectLogPod(await this.o.http.getJson(this.path.slice(0, -'/log'.length), {}, abort.signal, 15_000));
      return pod.containers.find((c) => c.name === this.o.container);
    } finally {
      this.abort = undefined;
    }
  }

  /** One follow request, read to its end. */
  private async follow(sameInstance: boolean): Promise<Outcome> {
    const query: Query = { container: this.o.container, follow: true, timestamps: true };
    if (this.cursor.started) {
      query.sinceTime = rfc3339Second(this.cursor.since as number);
      this.cursor.beginResume();
    } else if (!this.opened && this.o.first) {
      Object.assign(query, this.o.first);
    }
    const release = await this.acquire();
    if (this.stopped) {
      release();
      return { kind: 'stopped' };
    }
    try {
      let res: IncomingMessage;
      const abort = (this.abort = new AbortController());
      try {
        res = await this.o.http.stream(this.path, query, abort.signal);
      } catch (e) {
        return this.stopped ? { kind: 'stopped' } : { kind: 'broken', error: e };
      }
      this.opened = true;
      this.setPhase('following');
      this.resumed(query.sinceTime as string | undefined);
      // Only a resume of the same instance can tell that lines went missing (a new instance
      // has none of the old one's lines to send again).
      return await this.read(res, sameInstance);
    } finally {
      release();
      this.abort = undefined;
    }
  }

  /** Reads a response to its end, through the cursor. */
  private async read(res: IncomingMessage, sameInstance: boolean): Promise<Outcome> {
    let newLines = 0;
    let checkResume = this.cursor.resuming;
    const reportMissing = (missing: number): void => {
      if (missing > 0 && sameInstance) {
        this.o.onMarker('notice', `${missing} line${missing === 1 ? '' : 's'} seen before the break could not be read again: the log was rotated meanwhile, so lines written during the gap may be missing`);
      }
    };
    const reader = new LineReader(this.o.maxLineBytes, (line) => {
      if (this.cursor.offer(line.ts, line.second) === 'duplicate') return;
      if (checkResume && !this.cursor.resuming) {
        checkResume = false;
        reportMissing(this.cursor.finishResume());
      }
      newLines++;
      this.o.onLine(line);
    });
    let error: unknown;
    try {
      for await (const chunk of res) {
        this.backoff.healthy();
        reader.push(chunk as Buffer);
      }
    } catch (e) {
      error = e;
    }
    this.reportDuplicates();
    // A chunked body that ended without its last chunk was cut, not finished.
    const clean = error === undefined && res.complete;
    reader.end(clean && !this.stopped);
    if (this.stopped) return { kind: 'stopped' };
    if (!clean) return { kind: 'broken', error: error ?? new Error('the log stream ended before the server finished it') };
    if (checkResume) reportMissing(this.cursor.finishResume());
    return { kind: 'clean', newLines };
  }

  private reportDuplicates(): void {
    const n = this.cursor.duplicates - this.duplicatesReported;
    if (n > 0) {
      this.duplicatesReported = this.cursor.duplicates;
      this.o.onDuplicates?.(n);
    }
  }

  /**
   * The container restarted while the stream was down: the previous instance's lines after
   * our cursor (if the kubelet still has them) come before the new instance's.
   */
  private async drainPrevious(restartsMeanwhile: number): Promise<void> {
    if (restartsMeanwhile > 1) {
      this.o.onMarker('notice', `the container restarted ${restartsMeanwhile} times while the stream was down: the logs of the instances in between are no longer available`);
    }
    if (!this.cursor.started) return;
    const query: Query = { container: this.o.container, previous: true, timestamps: true, sinceTime: rfc3339Second(this.cursor.since as number) };
    this.cursor.beginResume();
    const release = await this.acquire();
    try {
      const abort = (this.abort = new AbortController());
      const res = await this.o.http.stream(this.path, query, abort.signal);
      this.resumed(query.sinceTime as string);
      await this.read(res, false);
      this.o.onMarker('container-restarted', `container restarted (restart ${(this.o.state()?.restarts ?? 0)}); above: the end of its previous instance, read after the gap`);
    } catch (e) {
      if (!this.stopped) this.o.onMarker('notice', `could not read the end of the previous instance: ${describeError(e)}`);
    } finally {
      release();
      this.abort = undefined;
    }
  }

  /** `previous=true`: the last terminated instance, read once. */
  private async readPrevious(): Promise<void> {
    const release = await this.acquire();
    try {
      const abort = (this.abort = new AbortController());
      const res = await this.o.http.stream(this.path, { container: this.o.container, previous: true, timestamps: true, ...this.o.first }, abort.signal);
      this.setPhase('following');
      const out = await this.read(res, true);
      if (out.kind === 'broken') this.o.onMarker('error', `reading the previous instance failed: ${describeError(out.error)}`);
      else if (out.kind === 'clean') this.o.onMarker('container-ended', 'end of the previous instance');
    } catch (e) {
      if (this.stopped) return;
      if (e instanceof KubeHttpError && e.status === 400) this.o.onMarker('notice', `no previous instance: ${e.message}`);
      else this.o.onMarker('error', `cannot read the previous instance: ${describeError(e)}`);
    } finally {
      release();
    }
  }

  private async acquire(): Promise<() => void> {
    const abort = new AbortController();
    this.abort = abort;
    if (this.o.slots.free === 0) this.setPhase('waiting');
    return this.o.slots.acquire(abort.signal);
  }

  /** Waits for news from the pod watch, for `stop`, or `ms`. */
  private waitForChange(ms: number): Promise<void> {
    return this.pause(ms, true);
  }

  /** Backoff: only `stop` cuts it short. */
  private sleep(ms: number): Promise<void> {
    return this.pause(ms, false);
  }

  private pause(ms: number, onNews: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        this.stopWake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stopWake = done;
      this.wake = onNews ? done : undefined;
    });
  }

  private stopWake: (() => void) | undefined;
}
