/**
 * The Recordings dialog's slice of the store: the recordings in the console's
 * folder, the replay playing in the training fleet, and the last refusal.
 * Plain data, no store imports, so initialState can use it without an import cycle.
 */
import type { RecordingInfo, ReplayStatus } from '../../../shared/recording';

export interface RecordingsState {
  open: boolean;
  /** Newest first, as `recordings.list` gives them, kept current by `recording.status`. */
  list: RecordingInfo[];
  replay: ReplayStatus | null;
  /** A call to the host is on its way (buttons wait for it). */
  busy: boolean;
  /** The last refusal or failure, in the host's words. */
  error: string | undefined;
}

export function initialRecordingsState(): RecordingsState {
  return { open: false, list: [], replay: null, busy: false, error: undefined };
}
