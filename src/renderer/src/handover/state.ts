/**
 * The shift handover's slice of the store: the dialog, the newest handover
 * stored at the sites (whose open notes this shift may close), the report
 * on screen and where it was stored. Plain data, no store imports, so
 * initialState can use it without an import cycle.
 */
import type { HandoverReport } from '../../../shared/handover';

/** Where a handover was written, per site, as `handover.create` answers. */
export interface HandoverStored {
  site: string;
  ok: boolean;
  /** e.g. `stored as ConfigMap triptych-system/handover-…`, or why not. */
  detail: string;
}

export interface HandoverState {
  open: boolean;
  /** `compose`: the notes form; `report`: a handover's report. */
  view: 'compose' | 'report';
  /** The newest handover at the sites: undefined until asked for, null when none is stored. */
  latest: HandoverReport | null | undefined;
  loadingLatest: boolean;
  /** The report the report view shows. */
  report: HandoverReport | undefined;
  /** Where `report` was stored when this console just wrote it; undefined for one read back from the clusters. */
  stored: HandoverStored[] | undefined;
  /**
   * The notes field as typed (one note per paragraph, see notes.ts). Kept
   * here, not in the form, so closing the dialog by mistake loses nothing;
   * cleared once the handover is written.
   */
  draft: string;
  /** Ids of the previous handover's open notes this shift closes. */
  closing: string[];
  /** A `handover.create` is on its way. */
  saving: boolean;
  /** The last failure in the host's words (the viewer's read-only refusal, an unreachable site…). */
  error: string | undefined;
}

/** Closed, nothing loaded. */
export function initialHandoverState(): HandoverState {
  return { open: false, view: 'compose', latest: undefined, loadingLatest: false, report: undefined, stored: undefined, draft: '', closing: [], saving: false, error: undefined };
}
