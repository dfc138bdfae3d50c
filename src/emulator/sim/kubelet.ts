/**
 * What a kubelet reports about a pod: status transitions from scheduled to
 * running, crash loops, and termination. Pure functions over pod JSON so the
 * controllers can apply them through the store like any status update.
 */
import type { KObject } from '../types';
import { ts as k8sTime } from './objects';

interface ContainerSpec {
  name: string;
  image: string;
}

interface PodSpec {
  nodeName?: string;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
}

export interface PodStatusShape {
  phase?: string;
  conditions?: { type: string; status: string; lastTransitionTime?: string; lastProbeTime?: null; reason?: string; message?: string }[];
  containerStatuses?: Record<string, unknown>[];
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  qosClass?: string;
  reason?: string;
  message?: string;
}

export function spec(pod: KObject): PodSpec {
  return pod.spec as PodSpec;
}

export function status(pod: KObject): PodStatusShape {
  pod.status ??= {};
  return pod.status as PodStatusShape;
}

function setCondition(st: PodStatusShape, type: string, value: boolean, now: number, reason?: string, message?: string): void {
  st.conditions ??= [];
  const s = value ? 'True' : 'False';
  const existing = st.conditions.find((c) => c.type === type);
  if (existing) {
    if (existing.status !== s) existing.lastTransitionTime = k8sTime(now);
    existing.status = s;
    if (reason) existing.reason = reason;
    else delete existing.reason;
    if (message) existing.message = message;
    else delete existing.message;
    return;
  }
  const c: NonNullable<PodStatusShape['conditions']>[number] = { type, status: s, lastProbeTime: null, lastTransitionTime: k8sTime(now) };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  st.conditions.push(c);
}

const CONDITION_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

function sortConditions(st: PodStatusShape): void {
  st.conditions?.sort((a, b) => CONDITION_ORDER.indexOf(a.type) - CONDITION_ORDER.indexOf(b.type));
}

/** A pod the scheduler could not place. */
export function markUnschedulable(pod: KObject, now: number, message: string): void {
  const st = status(pod);
  st.phase = 'Pending';
  setCondition(st, 'PodScheduled', false, now, 'Unschedulable', message);
}

/** Bound to a node: the kubelet has accepted it and is pulling images. */
export function markScheduled(pod: KObject, hostIP: string, now: number): void {
  const st = status(pod);
  st.phase = 'Pending';
  st.hostIP = hostIP;
  st.hostIPs = [{ ip: hostIP }];
  st.startTime = k8sTime(now);
  setCondition(st, 'PodScheduled', true, now);
  setCondition(st, 'PodReadyToStartContainers', false, now);
  setCondition(st, 'Initialized', true, now);
  setCondition(st, 'Ready', false, now, 'ContainersNotReady', `containers with unready status: [${spec(pod).containers.map((c) => c.name).join(' ')}]`);
  setCondition(st, 'ContainersReady', false, now, 'ContainersNotReady', `containers with unready status: [${spec(pod).containers.map((c) => c.name).join(' ')}]`);
  st.containerStatuses = spec(pod).containers.map((c) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready: false,
    restartCount: 0,
    started: false,
    state: { waiting: { reason: 'ContainerCreating' } },
    lastState: {},
  }));
  sortConditions(st);
}

function containerId(seed: string): string {
  // 64 hex chars derived from the seed: stable for a given pod/restart.
  let h = 2166136261;
  let out = '';
  for (let i = 0; out.length < 64; i++) {
    h = Math.imul(h ^ (seed.charCodeAt(i % seed.length) + i), 16777619) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

function imageId(image: string): string {
  const repo = image.split(':')[0] ?? image;
  return `${repo}@sha256:${containerId(image)}`;
}

/**
 * All containers started; ready unless listed in `unready` (a container that
 * is about to crash never passes its readiness probe).
 */
export function markRunning(pod: KObject, podIP: string, now: number, unready: ReadonlySet<string> = new Set()): void {
  const st = status(pod);
  st.phase = 'Running';
  st.podIP = podIP;
  st.podIPs = [{ ip: podIP }];
  setCondition(st, 'PodReadyToStartContainers', true, now);
  const names = spec(pod).containers.map((c) => c.name).filter((n) => unready.has(n));
  const why = names.length ? `containers with unready status: [${names.join(' ')}]` : undefined;
  setCondition(st, 'Ready', names.length === 0, now, why && 'ContainersNotReady', why);
  setCondition(st, 'ContainersReady', names.length === 0, now, why && 'ContainersNotReady', why);
  const prev = new Map((st.containerStatuses ?? []).map((c) => [c.name as string, c]));
  st.containerStatuses = spec(pod).containers.map((c) => {
    const p = prev.get(c.name);
    const restarts = (p?.restartCount as number | undefined) ?? 0;
    return {
      name: c.name,
      image: c.image,
      imageID: imageId(c.image),
      containerID: `containerd://${containerId(`${pod.metadata.uid ?? ''}/${c.name}/${restarts}`)}`,
      ready: !unready.has(c.name),
      restartCount: restarts,
      started: true,
      state: { running: { startedAt: k8sTime(now) } },
      lastState: p?.lastState ?? {},
    };
  });
  sortConditions(st);
}

/**
 * One more crash of a container that cannot start: the kubelet restarts it
 * with exponential back-off (10 s doubling to 5 min), showing CrashLoopBackOff.
 */
export function markCrashed(pod: KObject, container: string, now: number, exitCode = 1): number {
  const st = status(pod);
  const cs = st.containerStatuses?.find((c) => c.name === container);
  if (!cs) return 0;
  const restarts = ((cs.restartCount as number | undefined) ?? 0) + 1;
  const backoff = Math.min(300, 10 * 2 ** Math.min(restarts - 1, 5));
  const started = (cs.state as { running?: { startedAt?: string } } | undefined)?.running?.startedAt ?? k8sTime(now - 3000);
  cs.restartCount = restarts;
  cs.ready = false;
  cs.started = false;
  cs.lastState = { terminated: { exitCode, reason: 'Error', startedAt: started, finishedAt: k8sTime(now), containerID: cs.containerID } };
  cs.state = {
    waiting: {
      reason: 'CrashLoopBackOff',
      message: `back-off ${formatBackoff(backoff)} restarting failed container=${container} pod=${pod.metadata.name}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`,
    },
  };
  st.phase = 'Running';
  const names = (st.containerStatuses ?? []).filter((c) => !c.ready).map((c) => c.name as string);
  setCondition(st, 'Ready', false, now, 'ContainersNotReady', `containers with unready status: [${names.join(' ')}]`);
  setCondition(st, 'ContainersReady', false, now, 'ContainersNotReady', `containers with unready status: [${names.join(' ')}]`);
  return backoff * 1000;
}

/** The back-off ended: the container runs again (and will crash again). */
export function markRestarted(pod: KObject, container: string, now: number): void {
  const cs = status(pod).containerStatuses?.find((c) => c.name === container);
  if (!cs) return;
  cs.state = { running: { startedAt: k8sTime(now) } };
  cs.started = true;
}

function formatBackoff(s: number): string {
  const m = Math.floor(s / 60);
  return `${m}m${s % 60}s`;
}

/** The node stopped reporting: its pods are no longer Ready (the node lifecycle controller's MarkPodsNotReady). */
export function markNotReady(pod: KObject, now: number): boolean {
  const st = status(pod);
  const ready = st.conditions?.find((c) => c.type === 'Ready');
  if (!ready || ready.status === 'False') return false;
  setCondition(st, 'Ready', false, now);
  for (const cs of st.containerStatuses ?? []) cs.ready = false;
  return true;
}

/**
 * The kubelet reports a Running pod again that the node lifecycle controller marked not ready while its
 * node did not answer (MarkPodsNotReady: Ready False, no reason; a kubelet's own "not ready" says why):
 * containers that run pass their readiness probe again, and the pod is Ready when all do. Containers keep
 * their start times; one waiting (CrashLoopBackOff) or listed in `unready` stays not ready. False when the
 * pod is not such a pod.
 */
export function markReadyAgain(pod: KObject, now: number, unready: ReadonlySet<string> = new Set()): boolean {
  const st = status(pod);
  const cond = st.conditions?.find((c) => c.type === 'Ready');
  if (st.phase !== 'Running' || !st.containerStatuses?.length || cond?.status !== 'False' || cond.reason) return false;
  const before = JSON.stringify(st);
  for (const cs of st.containerStatuses) cs.ready = Boolean((cs.state as { running?: unknown } | undefined)?.running) && !unready.has(cs.name as string);
  const names = st.containerStatuses.filter((c) => !c.ready).map((c) => c.name as string);
  const why = names.length ? `containers with unready status: [${names.join(' ')}]` : undefined;
  setCondition(st, 'Ready', names.length === 0, now, why && 'ContainersNotReady', why);
  setCondition(st, 'ContainersReady', names.length === 0, now, why && 'ContainersNotReady', why);
  sortConditions(st);
  return JSON.stringify(st) !== before;
}

export function isReady(pod: KObject): boolean {
  const st = pod.status as PodStatusShape | undefined;
  return st?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The defaults the apiserver fills into a pod spec on create. */
export function applyPodDefaults(spec: Record<string, unknown>): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.serviceAccountName ??= 'default';
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
}
