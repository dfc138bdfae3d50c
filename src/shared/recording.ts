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
