/**
 * The audit view's actions: query with the filter, follow new entries live
 * while the view is open, verify the hash chain, and export. The view
 * subscribes to `audit.entry` only while it is open, so a console that never
 * opens it costs nothing per action.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { AuditEntry } from '../../../shared/audit';
import type { TriptychClient } from '../api';
import type { AppStore } from '../store/actions';
import type { StoreDeps } from '../store/deps';
import { isAuditEntry, matchesFilter, prependLive } from './query';
import { AUDIT_VIEW_LIMIT, type AuditFilter } from './state';

/**
 * New entries re-walk the chain at most this often: a runbook writes a burst
 * of entries, and each walk reads the whole file.
 */
export const REVERIFY_MS = 1_500;

export interface AuditActions {
  /** Opens the view: loads the entries for the current filter, checks the chain, and follows new entries. */
  openAudit(): Promise<void>;
  /** Closes the view and stops following new entries. */
  closeAudit(): void;
  /** Replaces the filter and loads the newest entries that match it. */
  filterAudit(filter: AuditFilter): Promise<void>;
  /** Walks the hash chain again. */
  verifyAudit(): Promise<void>;
  /**
   * Every entry matching the current filter (not only the rows shown) as a
   * file's text, oldest first; undefined when the host refused (the reason
   * is in `audit.error`).
   */
  exportAudit(format: 'csv' | 'jsonl'): Promise<string | undefined>;
}

type SetState = StoreApi<AppStore>['setState'];
type GetState = StoreApi<AppStore>['getState'];

/** The audit actions over the app store's `set`/`get`. */
export function createAuditActions(set: SetState, get: GetState, deps: StoreDeps): AuditActions {
  let off: (() => void) | undefined;
  /** Bumped by every query and close: an answer for an older one is dropped. */
  let generation = 0;
  /** Entries that arrived while a query was on its way, merged into its answer. */
  let waiting: AuditEntry[] = [];
  let cancelReverify: (() => void) | undefined;
  /** Bumped by every open and close, so an open that waited for the client knows whether it still stands. */
  let session = 0;
  let verifying = 0;

  const patch = (p: Partial<AppStore['audit']>): void => set((st) => ({ audit: { ...st.audit, ...p } }));

  function onEntry(e: AuditEntry): void {
    const a = get().audit;
    if (!a.open || !isAuditEntry(e)) return;
    scheduleReverify();
    if (!matchesFilter(a.filter, e)) return;
    if (a.loading) waiting.push(e);
    else patch({ entries: prependLive(a.entries, [e], AUDIT_VIEW_LIMIT) });
  }

  function scheduleReverify(): void {
    cancelReverify ??= deps.timer(() => {
      cancelReverify = undefined;
      if (get().audit.open) void verify();
    }, REVERIFY_MS);
  }

  async function verify(): Promise<void> {
    // Walks can overlap (a new entry while the view opens): only the latest one asked for may answer.
    const mine = ++verifying;
    try {
      const verification = await (await deps.client()).api.audit.verify();
      if (mine === verifying) patch({ verification, verifyError: undefined });
    } catch (e) {
      if (mine === verifying) patch({ verifyError: errorText(e) });
    }
  }

  async function load(filter: AuditFilter): Promise<void> {
    const mine = ++generation;
    waiting = [];
    patch({ filter, loading: true, error: undefined });
    try {
      const entries = await (await deps.client()).api.audit.query({ ...filter, limit: AUDIT_VIEW_LIMIT });
      if (mine !== generation) return;
      patch({ entries: prependLive(entries, waiting, AUDIT_VIEW_LIMIT), loading: false });
    } catch (e) {
      if (mine !== generation) return;
      patch({ entries: [], loading: false, error: errorText(e) });
    } finally {
      if (mine === generation) waiting = [];
    }
  }

  return {
    async openAudit() {
      if (get().audit.open) return;
      const mine = ++session;
      set((st) => ({ audit: { ...st.audit, open: true, error: undefined }, ui: { ...st.ui, paletteOpen: false } }));
      let c: TriptychClient;
      try {
        c = await deps.client();
      } catch (e) {
        patch({ error: errorText(e) });
        return;
      }
      if (mine !== session) return;
      // Subscribed before the query is sent: what arrives meanwhile waits for its answer, so nothing falls between the two.
      off = c.on('audit.entry', onEntry);
      await Promise.all([load(get().audit.filter), verify()]);
    },
    closeAudit() {
      session++;
      generation++;
      off?.();
      off = undefined;
      cancelReverify?.();
      cancelReverify = undefined;
      waiting = [];
      patch({ open: false, loading: false });
    },
    filterAudit: load,
    verifyAudit: verify,
    async exportAudit(format) {
      try {
        return await (await deps.client()).api.audit.export(get().audit.filter, format);
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
