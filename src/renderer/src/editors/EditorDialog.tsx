import { useLayoutEffect, useRef, type CSSProperties, type ReactNode, type SyntheticEvent } from 'react';

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
  const ref = useRef<HTMLDialogElement>(null);

  // A layout effect, so the dialog is modal (and sized) before Monaco measures its host.
  useLayoutEffect(() => {
    const d = ref.current;
    if (d === null) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    return () => {
      d.close();
      // Back where the admin was (the detail panel's button, the top bar).
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onCancel = (e: SyntheticEvent<HTMLDialogElement>): void => e.preventDefault();

  return (
    <dialog
      ref={ref}
      className={`editor-dialog${accent ? ' editor-dialog--site' : ''}`}
      style={accent ? ({ '--site-color': accent } as CSSProperties) : undefined}
      data-testid={testId}
      aria-label={typeof title === 'string' ? title : undefined}
      onCancel={onCancel}
    >
      <div className="editor-dialog__head">
        <h2 className="editor-dialog__title">{title}</h2>
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
