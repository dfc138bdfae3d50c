import { useLayoutEffect, useRef, type RefObject, type SyntheticEvent } from 'react';

/**
 * A native modal <dialog> the store opens and closes: shown modal on mount
 * (the rest of the page inert), closed on unmount with the focus handed back
 * to where the admin was. The browser's own Escape-close is cancelled and
 * `onEscape` called instead, so the store stays the one that says whether
 * the dialog is open (without `onEscape`, Escape does nothing: an editor
 * that must not lose a draft to a stray key).
 */
export function useModalDialog(onEscape?: () => void): { ref: RefObject<HTMLDialogElement | null>; onCancel: (e: SyntheticEvent<HTMLDialogElement>) => void } {
  const ref = useRef<HTMLDialogElement>(null);
  // A layout effect, so the dialog is modal (and sized) before anything inside moves focus or measures itself.
  useLayoutEffect(() => {
    const d = ref.current;
    if (d === null) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    return () => {
      d.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const onCancel = (e: SyntheticEvent<HTMLDialogElement>): void => {
    e.preventDefault();
    onEscape?.();
  };
  return { ref, onCancel };
}
