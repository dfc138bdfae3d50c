import { useEffect } from 'react';
import { getAppStore } from '../store/store';

/**
 * Ctrl/Cmd+K toggles the palette and Escape closes the topmost overlay. In
 * the capture phase, so an editor with focus (Monaco binds Ctrl+K as a
 * chord) does not swallow the palette shortcut. While the Vault dialog is
 * open it is modal: the palette stays shut and Escape closes the dialog.
 */
export function useGlobalKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const { ui, actions } = getAppStore().getState();
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        if (ui.vaultDialogOpen || nativeOverlayOpen('dialog:modal')) return;
        e.preventDefault();
        e.stopPropagation();
        actions.togglePalette();
      } else if (e.key === 'Escape') {
        // A modal <dialog> or an open popover (the runbook menus) closes itself on Escape, and only itself: leave the key to it.
        if (nativeOverlayOpen('dialog:modal, :popover-open')) return;
        if (ui.vaultDialogOpen) actions.closeVaultDialog();
        else if (ui.paletteOpen) actions.setPaletteOpen(false);
        else if (ui.detail !== undefined) actions.closeDetail();
        else return;
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
}

/** Whether a native top-layer overlay matching `selector` is showing. */
function nativeOverlayOpen(selector: string): boolean {
  return document.querySelector(selector) !== null;
}
