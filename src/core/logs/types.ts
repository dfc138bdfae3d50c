/**
 * The engine's own settings. The data a tail is asked for and hands out is
 * in shared/logs (the contract carries it); re-exported here.
 */
import type { BackoffOptions } from '../kube/backoff';
import type { KubeHttp } from '../kube/http';
import type { LogBatch } from '../../shared/logs';

export type { LogBatch, LogEntry, LogLineEntry, LogMarkerEntry, LogTailOptions, LogTailStats, LogTarget, MarkerType, WorkloadKind } from '../../shared/logs';

/** Bounds and pacing; the defaults suit an operator's window. */
export interface LogTailLimits {
  /** Lines the scrollback holds at most; older ones are dropped (and counted). */
  scrollbackLines: number;
  /** Approximate bytes the scrollback holds at most. */
  scrollbackBytes: number;
  /** Bytes of one line kept; the rest of a longer line is cut with a marker. */
  maxLineBytes: number;
  /** How often batches go out. */
  flushMs: number;
  /** Entries in one batch at most. */
  maxBatch: number;
  /** Batches the consumer may hold unacknowledged (its onBatch promise unresolved). */
  maxInFlight: number;
  /**
   * How far the view may fall behind the newest line (not while paused) before it skips
   * ahead; skipped lines are counted as dropped for the view and stay in the scrollback.
   */
  maxLagLines: number;
  /** Log streams open at once per site (each holds a connection); others wait for a slot. */
  maxStreamsPerSite: number;
  /** Retry pacing for broken log streams. */
  backoff: BackoffOptions;
}

export const DEFAULT_LIMITS: LogTailLimits = {
  scrollbackLines: 100_000,
  scrollbackBytes: 64 * 1024 * 1024,
  maxLineBytes: 64 * 1024,
  flushMs: 50,
  maxBatch: 5_000,
  maxInFlight: 2,
  maxLagLines: 20_000,
  maxStreamsPerSite: 100,
  backoff: { initialMs: 250, maxMs: 5_000, resetAfterMs: 10_000 },
};

/** One site to tail: its id and the client to reach it (or a factory; the tail then closes what it made). */
export interface LogSite {
  id: string;
  http: KubeHttp | (() => KubeHttp);
}

/** Receives batches; returning a promise holds the batch "in flight" until it settles (back-pressure). */
export type BatchSink = (batch: LogBatch) => void | Promise<void>;
