import { useActions } from '../store/store';

/** The top bar's way into the audit trail. */
export function AuditButton() {
  const { openAudit } = useActions();
  return (
    <button type="button" data-testid="audit-open" onClick={() => void openAudit()} title="Every action taken from this console, hash-chained: filter and export">
      Audit trail
    </button>
  );
}
