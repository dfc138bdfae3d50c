/**
 * The handover dialog's actions: the newest handover stored at the sites
 * (for its open notes, and for the next admin to read), writing a new one,
 * and its Markdown export. Failures land in `handover.error` in the host's
 * words — a viewer connection's read-only refusal among them — and never
 * reject, so the dialog has one place to show them.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AppStore } from '../store/actions';
import type { StoreDeps } from '../store/deps';
import { notesProblem, splitNotes } from './notes';
import type { HandoverState } from './state';

export interface HandoverActions {
  /** Opens the dialog on the notes form and loads the latest handover (its open notes can be closed). */
  openHandover(): Promise<void>;
  closeHandover(): void;
  /** Back from a report to the notes form. */
  composeHandover(): void;
  /** Replaces the notes field's text. */
  setHandoverDraft(text: string): void;
  /** Marks one of the previous handover's open notes as closed by this shift, or not. */
  setHandoverNoteClosed(id: string, closed: boolean): void;
  /**
   * Writes the handover with the draft's notes and the notes closed
   * (operator only), then shows its report with where it was stored.
   */
  createHandover(): Promise<void>;
  /** Shows the newest handover stored at any reachable site (viewers may). */
  openLatestHandover(): Promise<void>;
  /** A handover as Markdown; undefined when the host refused (the reason is in `handover.error`). */
  handoverMarkdown(id: string): Promise<string | undefined>;
}

type SetState = StoreApi<AppStore>['setState'];
type GetState = StoreApi<AppStore>['getState'];

/** The handover actions over the app store's `set`/`get`. */
export function createHandoverActions(set: SetState, get: GetState, deps: StoreDeps): HandoverActions {
  /**
   * Bumped by every request for the latest handover and by every handover
   * written: an older answer must not replace a newer report (a slow
   * `latest` after `create` would bring back the previous handover).
   */
  let latestGen = 0;

  const patch = (p: Partial<HandoverState>): void => set((st) => ({ handover: { ...st.handover, ...p } }));

  /** Loads the latest handover; resolves true when this answer was the one applied. */
  async function loadLatest(): Promise<boolean> {
    const mine = ++latestGen;
    patch({ loadingLatest: true, error: undefined });
    try {
      const latest = await (await deps.client()).api.handover.latest();
      if (mine !== latestGen) return false;
      patch({ latest, loadingLatest: false });
      return true;
    } catch (e) {
      if (mine !== latestGen) return false;
      patch({ loadingLatest: false, error: `The latest handover could not be read: ${errorText(e)}` });
      return false;
    }
  }

  return {
    async openHandover() {
      set((st) => ({ handover: { ...st.handover, open: true, view: 'compose', error: undefined }, ui: { ...st.ui, paletteOpen: false } }));
      await loadLatest();
    },
    closeHandover() {
      patch({ open: false, error: undefined });
    },
    composeHandover() {
      patch({ view: 'compose', error: undefined });
    },
    setHandoverDraft(text) {
      patch({ draft: text });
    },
    setHandoverNoteClosed(id, closed) {
      const rest = get().handover.closing.filter((x) => x !== id);
      patch({ closing: closed ? [...rest, id] : rest });
    },
    async createHandover() {
      const h = get().handover;
      if (h.saving) return;
      const notes = splitNotes(h.draft);
      const problem = notesProblem(notes);
      if (problem !== undefined) return patch({ error: problem });
      // Only notes the previous handover really left open: a stale tick (another admin closed it since) is not sent.
      const open = new Set((h.latest?.notes ?? []).filter((n) => n.open).map((n) => n.id));
      const close = h.closing.filter((id) => open.has(id));
      patch({ saving: true, error: undefined });
      try {
        const { report, stored } = await (await deps.client()).api.handover.create({ ...(notes.length > 0 ? { notes } : {}), ...(close.length > 0 ? { close } : {}) });
        // The new report is the latest now: a `latest` still on its way may answer with the one before, so it is dropped.
        latestGen++;
        patch({ saving: false, view: 'report', report, stored, latest: report, loadingLatest: false, draft: '', closing: [] });
      } catch (e) {
        patch({ saving: false, error: errorText(e) });
      }
    },
    async openLatestHandover() {
      if (!(await loadLatest())) return;
      const latest = get().handover.latest;
      if (latest === null || latest === undefined) return patch({ error: 'No handover is stored at any reachable site yet.' });
      patch({ view: 'report', report: latest, stored: undefined });
    },
    async handoverMarkdown(id) {
      try {
        return await (await deps.client()).api.handover.export(id, 'markdown');
      } catch (e) {
        patch({ error: errorText(e) });
        return undefined;
      }
    },
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
