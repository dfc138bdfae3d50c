import type { CSSProperties, ReactNode } from 'react';
import { useModalDialog } from '../hooks/useModalDialog';

interface Props {
  title: ReactNode;
  testId: string;
  onClose(): void;
  /** The close button's test id. */
  closeTestId: string;
  /** Colours the dialog's frame (the site an edit goes to). */
  accent?: string | undefined;
  /** Controls in the header, right of the title. */
  actions?: ReactNode;
  children: ReactNode;
}

/**
 * The editors' frame: a large native modal <dialog> (the console behind is
 * inert while it is open). Escape does not close it: in an editor Escape
 * dismisses completion and hovers, and a draft must not be lost to a stray
 * key; the close button does.
 */
export function EditorDialog({ title, testId, onClose, closeTestId, accent, actions, children }: Props) {
  const { ref, onCancel } = useModalDialog();



  return (
    <dialog
      ref={ref}
      className={`editor-dialog modal${accent ? ' editor-dialog--site' : ''}`}
      style={accent ? ({ '--site-color': accent } as CSSProperties) : undefined}
      data-testid={testId}
      aria-label={typeof title === 'string' ? title : undefined}
      onCancel={onCancel}
    >
      <div className="editor-dialog__head modal__head">
        <h2 className="editor-dialog__title modal__title">{title}</h2>
        <span className="editor-dialog__spacer" />
        {actions}
        <button type="button" className="icon-button" aria-label="Close" title="Close" data-testid={closeTestId} onClick={onClose}>
          ✕
        </button>
      </div>
      {children}
    </dialog>
  );
}
