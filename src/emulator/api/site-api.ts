/**
 * What the HTTP layer needs from a simulated site beyond its store: the
 * behaviour a real cluster's controllers, kubelets and admission give.
 */
import type { WebSocket } from 'ws';
import type { TokenRegistry } from '../auth';
import type { Store } from '../store/store';
import type { KObject } from '../types';
import type { ResourceType } from './resources';
import type { LogSource } from '../sim/logs';
import type { ReplayedLine } from '../replay/logs';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface SiteApi {
  readonly name: string;
  readonly store: Store;
  readonly registry: TokenRegistry;
  now(): number;
  /** Defaults applied to a new object before it is stored (admission + defaulting). */
  prepareCreate(rt: ResourceType, obj: KObject): void;
  /** Deletes with the resource's real semantics: graceful pods, garbage collection of dependents. */
  deleteObject(rt: ResourceType, ns: string | undefined, name: string, opts: DeleteOptions): KObject;
  /** policy/v1 Eviction: throws 429 when a PodDisruptionBudget forbids it. */
  evict(ns: string, name: string, opts: DeleteOptions): void;
  /** The log streams of one container of a pod (current and, after a restart, previous). */
  logSources(pod: KObject, container: string): { current: LogSource; previous?: LogSource };
  /**
   * When the container's instance running now ends (a restart, or it stops): the
   * time the pod showed it, undefined until then. `release` when done asking.
   */
  instanceEnd(pod: KObject, container: string): { endedAt: () => number | undefined; release: () => void };
  /** Recorded log lines of a container, as far as a replay has played them (served instead of generated ones). */
  replayedLog?: ((ns: string, pod: string, container: string) => ReplayedLine[] | undefined) | undefined;
  /** Aborts when the pod (by uid) is deleted. */
  podGone(ns: string, name: string, uid: string): AbortSignal;
  /** Runs an exec session on an upgraded socket. */
  exec(ws: WebSocket, protocol: string, pod: KObject, container: string, q: URLSearchParams): void;
  /** Watch bookmark interval, ms. */
  readonly bookmarkIntervalMs: number;
  /** The "watch stall" fault: watch streams stay open but deliver nothing (a half-open connection). */
  stallWatches: boolean;
}
