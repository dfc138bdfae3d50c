/**
 * The audit view's slice of the store: the filter the table answers, the
 * entries, and the hash chain's verification. Plain data, no store imports,
 * so initialState can use it without an import cycle.
 */
import type { AuditEntry, AuditQuery, AuditVerification } from '../../../shared/audit';

/**
 * The most entries the view asks for and keeps. Large trails are narrowed
 * with the filter; an export always writes every matching entry.
 */
export const AUDIT_VIEW_LIMIT = 500;

/** The filter as the view applies it; the row limit is the view's own ({@link AUDIT_VIEW_LIMIT}). */
export type AuditFilter = Omit<AuditQuery, 'limit'>;

export interface AuditState {
  open: boolean;
  filter: AuditFilter;
  /** Newest first, at most {@link AUDIT_VIEW_LIMIT}. */
  entries: AuditEntry[];
  /** A query for `filter` is on its way (live entries wait for it). */
  loading: boolean;
  /** Why the last query or export failed. */
  error: string | undefined;
  /** The last walk of the hash chain; undefined until it answered. */
  verification: AuditVerification | undefined;
  /** Why the chain could not be checked. */
  verifyError: string | undefined;
}

/** Closed, no filter, nothing loaded. */
export function initialAuditState(): AuditState {
  return { open: false, filter: {}, entries: [], loading: false, error: undefined, verification: undefined, verifyError: undefined };
}
