import { useModalDialog } from '../hooks/useModalDialog';
import { useActions, useApp } from '../store/store';
import { HandoverCompose } from './HandoverCompose';
import { HandoverReportPane } from './HandoverReportPane';
import './handover.css';

/**
 * The shift handover dialog: the notes form (with the previous handover's
 * open notes to close), then the report. A native modal <dialog> as the
 * Vault dialog is: the page behind is inert, Escape closes it. Printing
 * shows the report alone (handover.css), which is how it becomes a PDF.
 */
export function HandoverDialog() {
  const open = useApp((s) => s.handover.open);
  if (!open) return null;
  return <HandoverModal />;
}

function HandoverModal() {
  const view = useApp((s) => s.handover.view);
  const saving = useApp((s) => s.handover.saving);
  const error = useApp((s) => s.handover.error);
  const { closeHandover } = useActions();
  const { ref, onCancel } = useModalDialog(closeHandover);



  return (
    <dialog ref={ref} className="handover-dialog modal" data-testid="handover-dialog" data-view={saving ? 'saving' : view} aria-labelledby="handover-dialog-title" onCancel={onCancel}>
      <div className="handover-dialog__head modal__head no-print">
        <h2 id="handover-dialog-title" className="handover-dialog__title modal__title">
          Shift handover
        </h2>
        <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={closeHandover}>
          ✕
        </button>
      </div>
      {error !== undefined && (
        <p className="handover-error no-print" role="alert" data-testid="handover-error">
          {error}
        </p>
      )}
      {view === 'compose' ? <HandoverCompose /> : <HandoverReportPane />}
    </dialog>
  );
}
