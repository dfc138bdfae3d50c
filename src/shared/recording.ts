/**
 * Recordings: a site's watch events and logs over a window of time, written
 * to a file, to be replayed into the training fleet so that a real incident
 * can be rehearsed later.
 */

export interface RecordingInfo {
  /** File name under the console's recordings folder (no path). */
  id: string;
  /** The site recorded. */
  site: string;
  state: 'recording' | 'done' | 'failed';
  /** Epoch ms. */
  startedAt: number;
  endedAt?: number;
  /** Watch events written (initial state included). */
  events: number;
  /** Log lines written. */
  logLines: number;
  bytes: number;
  error?: string;
}

/** A replay running (or done) in the training fleet. */
export interface ReplayStatus {
  recording: string;
  /** The training site it plays into. */
  site: string;
  state: 'playing' | 'done' | 'failed' | 'stopped';
  /** Events applied of all recorded. */
  applied: number;
  total: number;
  /** 1 = as recorded; 10 = ten times faster. */
  speed: number;
  error?: string;
}

/*
 * The recording file, which the console's recorder writes and the training
 * fleet's replay reads: both ends take its name, version and contents from
 * here, so they cannot drift apart.
 */

/** The header line's `format`: a reader refuses any other. */
export const RECORDING_FORMAT = 'triptych-recording';
export const RECORDING_VERSION = 1;

/** What a recording holds (never Secrets), with its API group, in load order (namespaces first). */
export const RECORDED_RESOURCES: readonly { resource: string; group: string; namespaced: boolean }[] = [
  { resource: 'namespaces', group: '', namespaced: false },
  { resource: 'nodes', group: '', namespaced: false },
  { resource: 'deployments', group: 'apps', namespaced: true },
  { resource: 'replicasets', group: 'apps', namespaced: true },
  { resource: 'daemonsets', group: 'apps', namespaced: true },
  { resource: 'statefulsets', group: 'apps', namespaced: true },
  { resource: 'poddisruptionbudgets', group: 'policy', namespaced: true },
  { resource: 'pods', group: '', namespaced: true },
  { resource: 'events', group: '', namespaced: true },
];

/** The file's first line. */
export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  site: string;
  /** The API server recorded. */
  server: string;
  /** ISO time recording began. */
  startedAt: string;
}
