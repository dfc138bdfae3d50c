import { useModalDialog } from '../hooks/useModalDialog';
import { useActions, useApp } from '../store/store';
import { AuditChain } from './AuditChain';
import { AuditExports } from './AuditExports';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { AUDIT_VIEW_LIMIT } from './state';
import './audit.css';

/**
 * The audit trail: the hash chain's state, the filter, the newest matching
 * entries (following new ones live) and the exports. A native modal
 * <dialog>, as the Vault dialog is; Escape closes it.
 */
export function AuditView() {
  const open = useApp((s) => s.audit.open);
  if (!open) return null;
  return <AuditModal />;
}

function AuditModal() {
  const { closeAudit } = useActions();
  const { ref, onCancel } = useModalDialog(closeAudit);
  const error = useApp((s) => s.audit.error);
  const loading = useApp((s) => s.audit.loading);
  const shown = useApp((s) => s.audit.entries.length);



  return (
    <dialog ref={ref} className="audit-view modal" data-testid="audit-view" data-loading={loading} aria-labelledby="audit-view-title" onCancel={onCancel}>
      <div className="audit-view__head modal__head">
        <h2 id="audit-view-title" className="audit-view__title modal__title">
          Audit trail
        </h2>
        <AuditChain />
        <span className="top-bar__spacer" />
        <AuditExports />
        <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={closeAudit}>
          ✕
        </button>
      </div>
      <AuditFilters />
      {error !== undefined && (
        <p className="audit-view__error" role="alert" data-testid="audit-error">
          {error}
        </p>
      )}
      {shown >= AUDIT_VIEW_LIMIT && (
        <p className="audit-view__limit" data-testid="audit-truncated">
          Showing the newest {AUDIT_VIEW_LIMIT} matching entries: narrow the filter (site, who, verb, time) to see older ones. The exports hold every matching entry.
        </p>
      )}
      <AuditTable />
    </dialog>
  );
}
