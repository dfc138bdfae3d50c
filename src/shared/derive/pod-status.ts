/**
 * kubectl's pod columns: STATUS, READY and RESTARTS, a port of printPod in
 * kubernetes/pkg/printers/internalversion/printers.go (v1.32). One
 * implementation for the console's pod projection and the training fleet's
 * Table printer, so the two can never disagree on what a pod "is".
 *
 * Input is untyped JSON (a v1 Pod from an API server, a proxy or the
 * emulator's store): it never throws, and a field of an unexpected type
 * counts as absent.
 */
import { arr, isObj, num, rec, str, type Obj } from '../json';

/** The kubelet's reason for a node-lost pod, which kubectl shows as Unknown once it is being deleted. */
const NODE_LOST = 'NodeLost';

/** 0001-01-01T00:00:00Z, Go's zero time.Time, which kubectl treats as "no time". */
const GO_ZERO_MS = -62135596800000;

/** kubectl's READY, STATUS and RESTARTS columns for one pod. */
export interface PodPrintStatus {
  /** The STATUS column: `Running`, `CrashLoopBackOff`, `Init:1/3`, `Terminating`, … (empty for a status-less pod). */
  reason: string;
  /** READY's numerator: ready app containers plus started, ready sidecars. */
  readyContainers: number;
  /** READY's denominator: app containers plus sidecars (init containers with restartPolicy Always). */
  totalContainers: number;
  /** The RESTARTS count. */
  restarts: number;
  /**
   * Epoch ms of the latest restart counted in `restarts` (the newest
   * `lastState.terminated.finishedAt`), for RESTARTS' `(5m ago)` suffix;
   * undefined when no such time is known. kubectl shows the suffix only when
   * `restarts` is not 0 as well.
   */
  lastRestartAt?: number;
}

export interface PodPrintStatusOptions {
  /**
   * Reads a `finishedAt` timestamp to epoch ms; a non-finite result (NaN,
   * ±Infinity) means "no time". The default is Date.parse, with Go's zero
   * time read as no time; a caller that must match the API server to the
   * second (metav1.Time truncates) passes its own.
   */
  parseTime?: (v: unknown) => number;
}

function defaultParseTime(v: unknown): number {
  if (typeof v !== 'string') return Number.NEGATIVE_INFINITY;
  const t = Date.parse(v);
  return t === GO_ZERO_MS ? Number.NEGATIVE_INFINITY : t;
}

/**
 * kubectl's READY, STATUS and RESTARTS for a v1 Pod; follows printPod step by
 * step, sidecars (restartable init containers) included.
 *
 * - STATUS starts as `status.reason`, else the phase; a SchedulingGated
 *   PodScheduled condition overrides it.
 * - While an init container has not finished, STATUS is `Init:<reason>`,
 *   `Init:ExitCode:N` / `Init:Signal:N` or `Init:i/n`, and RESTARTS counts the
 *   init containers' restarts.
 * - Otherwise (or once the pod is Initialized) the first app container with a
 *   waiting or terminated reason decides STATUS, and RESTARTS counts app
 *   containers and sidecars only.
 * - A deleted pod is `Terminating` (or `Unknown` when its node was lost)
 *   unless it already Succeeded or Failed.
 */
export function podPrintStatus(pod: unknown, options: PodPrintStatusOptions = {}): PodPrintStatus {
  const parseTime = options.parseTime ?? defaultParseTime;
  const o = rec(pod);
  const spec = rec(o.spec);
  const status = rec(o.status);
  const initContainers = arr(spec.initContainers);
  let totalContainers = arr(spec.containers).length;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = Number.NEGATIVE_INFINITY;
  let lastSidecarRestart = Number.NEGATIVE_INFINITY;

  const phase = str(status.phase);
  const statusReason = str(status.reason);
  let reason = statusReason !== '' ? statusReason : phase;
  const conditions = arr(status.conditions);
  for (const c of conditions) {
    const cond = rec(c);
    if (cond.type === 'PodScheduled' && cond.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  // Sidecars (init containers with restartPolicy Always) count as containers
  // and towards READY. Built only when there are init containers; a name map,
  // as in printers.go: the last declaration of a name wins.
  let sidecar: Map<string, boolean> | undefined;
  if (initContainers.length > 0) {
    sidecar = new Map();
    for (const ic of initContainers) {
      const c = rec(ic);
      const always = c.restartPolicy === 'Always';
      sidecar.set(str(c.name), always);
      if (always) totalContainers++;
    }
  }

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = rec(initStatuses[i]);
    const rc = num(cs.restartCount);
    restarts += rc;
    const lastTerm = rec(cs.lastState).terminated;
    let finished = Number.NEGATIVE_INFINITY;
    if (isObj(lastTerm)) {
      finished = parseTime(lastTerm.finishedAt);
      if (lastRestart < finished) lastRestart = finished;
    }
    const isSidecar = sidecar?.get(str(cs.name)) === true;
    if (isSidecar) {
      sidecarRestarts += rc;
      if (lastSidecarRestart < finished) lastSidecarRestart = finished;
    }
    const state = rec(cs.state);
    const term = state.terminated;
    const waiting = state.waiting;
    if (isObj(term) && num(term.exitCode) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) readyContainers++;
      continue;
    }
    if (isObj(term)) {
      const r = str(term.reason);
      reason = r !== '' ? `Init:${r}` : `Init:${exitText(term)}`;
    } else if (isObj(waiting) && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(conditions, 'Initialized')) {
    // Plain init containers are done: only sidecars' restarts still count.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses);
    // Walked backwards, so the first container's state is the one that shows.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = rec(statuses[i]);
      restarts += num(cs.restartCount);
      const lastTerm = rec(cs.lastState).terminated;
      if (isObj(lastTerm)) {
        const finished = parseTime(lastTerm.finishedAt);
        if (lastRestart < finished) lastRestart = finished;
      }
      const state = rec(cs.state);
      const waiting = state.waiting;
      const term = state.terminated;
      if (isObj(waiting) && str(waiting.reason) !== '') reason = str(waiting.reason);
      else if (isObj(term) && str(term.reason) !== '') reason = str(term.reason);
      else if (isObj(term)) reason = exitText(term);
      else if (cs.ready === true && isObj(state.running)) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A completed container next to a still-running one does not make the pod Completed.
    if (reason === 'Completed' && hasRunning) reason = hasReadyCondition(conditions) ? 'Running' : 'NotReady';
  }

  const deletion = rec(o.metadata).deletionTimestamp;
  if (deletion !== undefined && deletion !== null && deletion !== '') {
    if (statusReason === NODE_LOST) reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  const out: PodPrintStatus = { reason, readyContainers, totalContainers, restarts };
  if (Number.isFinite(lastRestart)) out.lastRestartAt = lastRestart;
  return out;
}

/** A terminated container without a reason: `Signal:N` when a signal killed it, else `ExitCode:N`. */
function exitText(term: Obj): string {
  const signal = num(term.signal);
  return signal !== 0 ? `Signal:${signal}` : `ExitCode:${num(term.exitCode)}`;
}

/** printers.go's isPodInitializedConditionTrue: the first condition of the type decides. */
function conditionTrue(conditions: readonly unknown[], type: string): boolean {
  for (const c of conditions) {
    const cond = rec(c);
    if (cond.type === type) return cond.status === 'True';
  }
  return false;
}

/** printers.go's hasPodReadyCondition: unlike conditionTrue, any Ready=True entry. */
function hasReadyCondition(conditions: readonly unknown[]): boolean {
  for (const c of conditions) {
    const cond = rec(c);
    if (cond.type === 'Ready' && cond.status === 'True') return true;
  }
  return false;
}
