/**
 * Load for benchmarks and soak runs: a steady stream of pod changes at a
 * chosen rate per site, the way a busy cluster looks from a watch.
 *
 * Most changes are a container restart (restartCount + 1: one MODIFIED
 * event, the most common churn in a real cluster). A share can instead
 * delete a ReplicaSet-owned pod gracefully, so the controller replaces it
 * under a new name: objects come and go, which is what finds leaks.
 *
 * Every restart is written to a journal — `namespace/name#restarts` → the
 * wall-clock time it was committed — so a client that sees the same pod with
 * the same restart count can tell how long the event took to reach it. The
 * time is epoch milliseconds with sub-millisecond precision
 * (`performance.timeOrigin + performance.now()`), comparable across processes
 * on one machine.
 */
import type { KObject } from '../types';
import type { Site } from './site';
import { PODS } from './site';
import { ts as k8sTime } from './objects';

export interface ChurnOptions {
  /** Changes per second at this site. */
  rate: number;
  /** Share of changes (0–1) that replace a pod instead of restarting a container. */
  replaceShare?: number;
}

export interface ChurnStats {
  site: string;
  running: boolean;
  rate: number;
  replaceShare: number;
  restarts: number;
  replaced: number;
  /** Changes that fell behind schedule and were skipped (the emulator could not keep up). */
  behind: number;
}

/** Entries kept before the oldest are dropped (bounded memory on long soaks). */
export const JOURNAL_MAX = 2_000_000;
const TICK_MS = 10;
/** Refresh the list of candidate pods this often; pods that went away since are skipped. */
const CANDIDATES_EVERY_MS = 2_000;
/** How far behind schedule the generator may fall before it skips rather than bursts. */
const MAX_BACKLOG_S = 1;

export const wallClock = (): number => performance.timeOrigin + performance.now();

export class Churn {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private done = 0;
  private candidates: string[] = [];
  private candidatesAt = -Infinity;
  private journal = new Map<string, number>();
  private readonly stats: ChurnStats;

  constructor(
    private readonly site: Site,
    private readonly opts: ChurnOptions,
  ) {
    this.stats = { site: site.name, running: false, rate: opts.rate, replaceShare: opts.replaceShare ?? 0, restarts: 0, replaced: 0, behind: 0 };
  }

  start(): void {
    if (this.timer || this.opts.rate <= 0) return;
    this.startedAt = performance.now();
    this.stats.running = true;
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stats.running = false;
  }

  status(): ChurnStats {
    return { ...this.stats };
  }

  /** Hands over the journal collected so far and starts a new one. */
  drainJournal(): Record<string, number> {
    const out = Object.fromEntries(this.journal);
    this.journal = new Map();
    return out;
  }

  private tick(): void {
    // Catch up with the schedule rather than counting ticks: timers fire late under load.
    const due = Math.floor(((performance.now() - this.startedAt) / 1000) * this.opts.rate);
    let owed = due - this.done;
    const cap = Math.ceil(this.opts.rate * MAX_BACKLOG_S);
    if (owed > cap) {
      this.stats.behind += owed - cap;
      this.done += owed - cap;
      owed = cap;
    }
    for (let i = 0; i < owed; i++) this.one();
    this.done += owed;
  }

  private one(): void {
    const key = this.pick();
    if (key === undefined) return;
    const [ns, name] = key.split('/') as [string, string];
    const info = this.site.idx.pods.get(key);
    if (info && info.ownerKind === 'ReplicaSet' && this.site.rng.float() < this.stats.replaceShare) {
      this.site.deletePod(ns, name);
      this.stats.replaced++;
      return;
    }
    let restarts = -1;
    const now = this.site.now();
    // Before the write: the store sends the event to watchers inside mutate().
    const at = wallClock();
    this.site.store.mutate(PODS, ns, name, (pod) => {
      restarts = restartOne(pod, this.site.rng.float(), now);
      return restarts >= 0;
    });
    if (restarts < 0) return;
    this.stats.restarts++;
    if (this.journal.size >= JOURNAL_MAX) this.journal.delete(this.journal.keys().next().value as string);
    this.journal.set(`${key}#${restarts}`, at);
  }

  /** A random running pod, from a list refreshed every few seconds (150,000 keys are not copied per change). */
  private pick(): string | undefined {
    const t = performance.now();
    if (t - this.candidatesAt > CANDIDATES_EVERY_MS) {
      this.candidates = [];
      for (const p of this.site.idx.pods.values()) if (p.node && !p.terminating && p.phase === 'Running') this.candidates.push(p.key);
      this.candidatesAt = t;
    }
    for (let tries = 0; tries < 5 && this.candidates.length > 0; tries++) {
      const key = this.candidates[Math.floor(this.site.rng.float() * this.candidates.length)] as string;
      const p = this.site.idx.pods.get(key);
      if (p && !p.terminating) return key;
    }
    return undefined;
  }
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  containerID?: string;
  state?: { running?: { startedAt?: string } };
  lastState?: unknown;
}

/**
 * A container exited and the kubelet started it again at once: restartCount
 * + 1, lastState terminated, running since now. Returns the pod's total
 * restarts afterwards (what `kubectl get pods` and the console show), or -1
 * when the pod has no container status yet.
 */
export function restartOne(pod: KObject, random: number, now: number): number {
  const statuses = ((pod.status as { containerStatuses?: ContainerStatus[] } | undefined)?.containerStatuses ?? []) as ContainerStatus[];
  const cs = statuses[Math.floor(random * statuses.length)];
  return cs ? restartContainer(pod, cs.name, now) : -1;
}

/** {@link restartOne} for a named container; -1 when it has no status (yet). */
export function restartContainer(pod: KObject, container: string, now: number): number {
  const statuses = ((pod.status as { containerStatuses?: ContainerStatus[] } | undefined)?.containerStatuses ?? []) as ContainerStatus[];
  const cs = statuses.find((c) => c.name === container);
  if (!cs) return -1;
  const startedAt = cs.state?.running?.startedAt ?? k8sTime(now - 60_000);
  cs.restartCount = (cs.restartCount ?? 0) + 1;
  cs.lastState = { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt, finishedAt: k8sTime(now), containerID: cs.containerID } };
  cs.state = { running: { startedAt: k8sTime(now) } };
  return statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
}
