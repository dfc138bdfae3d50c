/**
 * The Recordings dialog's actions: listing the recordings (and the replay
 * playing), starting and stopping a recording of a site, replaying one into
 * a training site, and following `recording.status` while the dialog is
 * open or closed. A refusal lands in `recordings.error` in the host's words
 * and never rejects, so the dialog has one place to show it.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { TriptychClient } from '../api';
import type { RecordingInfo, ReplayStatus } from '../../../shared/recording';
import type { AppStore } from '../store/actions';
import type { StoreDeps } from '../store/deps';
import type { RecordingsState } from './state';

export interface RecordingsActions {
  /** Opens the dialog and reads the list. */
  openRecordings(): Promise<void>;
  closeRecordings(): void;
  startRecording(site: string, minutes: number): Promise<void>;
  stopRecording(id: string): Promise<void>;
  /** Plays a recording into a training site, `speed` times faster than recorded. */
  replayRecording(id: string, site: string, speed: number): Promise<void>;
}

type SetState = StoreApi<AppStore>['setState'];
type GetState = StoreApi<AppStore>['getState'];

/** The list with `r` in place of its entry (new ones first). */
export function upsertRecording(list: readonly RecordingInfo[], r: RecordingInfo): RecordingInfo[] {
  const i = list.findIndex((x) => x.id === r.id);
  return i < 0 ? [r, ...list] : list.map((x, j) => (j === i ? r : x));
}

/** The slice's actions, and `attach`, which start() calls once connected; its result undoes it. */
export function createRecordingsSlice(set: SetState, get: GetState, deps: StoreDeps): { actions: RecordingsActions; attach(c: TriptychClient): () => void } {
  const patch = (p: Partial<RecordingsState>): void => set((st) => ({ recordings: { ...st.recordings, ...p } }));
  const api = async (): Promise<TriptychClient['api']['recordings']> => (await deps.client()).api.recordings;

  async function act(what: string, fn: (r: TriptychClient['api']['recordings']) => Promise<Partial<RecordingsState> | void>): Promise<void> {
    if (get().recordings.busy) return;
    patch({ busy: true, error: undefined });
    try {
      patch({ ...(await fn(await api())), busy: false });
    } catch (e) {
      patch({ busy: false, error: `${what}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  return {
    attach(c) {
      return c.on('recording.status', (e) => {
        if (typeof e !== 'object' || e === null) return;
        if (isRecording(e.recording)) {
          const r = e.recording;
          set((st) => ({ recordings: { ...st.recordings, list: upsertRecording(st.recordings.list, r) } }));
        }
        if (isReplay(e.replay)) patch({ replay: e.replay });
      });
    },
    actions: {
      async openRecordings() {
        set((st) => ({ recordings: { ...st.recordings, open: true, error: undefined }, ui: { ...st.ui, paletteOpen: false } }));
        try {
          const { recordings, replay } = await (await api()).list();
          patch({ list: recordings.filter(isRecording), replay: isReplay(replay) ? replay : null });
        } catch (e) {
          patch({ error: `The recordings could not be listed: ${e instanceof Error ? e.message : String(e)}` });
        }
      },
      closeRecordings() {
        patch({ open: false, error: undefined });
      },
      startRecording(site, minutes) {
        return act(`Recording ${site} could not start`, async (r) => {
          const info = await r.start(site, { minutes });
          return { list: upsertRecording(get().recordings.list, info) };
        });
      },
      stopRecording(id) {
        return act(`${id} could not be stopped`, async (r) => {
          const info = await r.stop(id);
          return { list: upsertRecording(get().recordings.list, info) };
        });
      },
      replayRecording(id, site, speed) {
        return act(`${id} could not be replayed`, async (r) => ({ replay: await r.replay(id, { site, speed }) }));
      },
    },
  };
}

function isRecording(r: unknown): r is RecordingInfo {
  if (typeof r !== 'object' || r === null) return false;
  const x = r as Partial<RecordingInfo>;
  return typeof x.id === 'string' && typeof x.site === 'string' && typeof x.state === 'string' && typeof x.startedAt === 'number' && typeof x.events === 'number' && typeof x.bytes === 'number';
}

function isReplay(r: unknown): r is ReplayStatus {
  if (typeof r !== 'object' || r === null) return false;
  const x = r as Partial<ReplayStatus>;
  return typeof x.recording === 'string' && typeof x.site === 'string' && typeof x.state === 'string' && typeof x.applied === 'number' && typeof x.total === 'number';
}
