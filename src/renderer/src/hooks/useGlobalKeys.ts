import { useEffect } from 'react';
import { getAppStore } from '../store/store';

/**
 * Ctrl/Cmd+K toggles the palette and Escape closes the topmost overlay. In
 * the capture phase, so an editor with focus (Monaco binds Ctrl+K as a
 * chord) does not swallow the palette shortcut.
 */
export function useGlobalKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const { ui, actions } = getAppStore().getState();
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        e.stopPropagation();
        actions.togglePalette();
      } else if (e.key === 'Escape') {
        if (ui.paletteOpen) actions.setPaletteOpen(false);
        else if (ui.detail !== undefined) actions.closeDetail();
        else return;
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);
}
