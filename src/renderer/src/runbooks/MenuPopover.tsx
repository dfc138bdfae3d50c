import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import './runbooks.css';

interface Props {
  /** Where the menu's top-left corner goes, viewport px (kept inside the window). */
  x: number;
  y: number;
  /** Which item gets the focus when the menu opens. */
  focus: 'first' | 'last';
  label: string;
  /** The button that opened it: a press on it is its own (it toggles the menu), not a press outside. */
  opener?: HTMLElement | null | undefined;
  onClose(): void;
  children: ReactNode;
}

/**
 * A menu in the browser's top layer (a manual popover): never clipped by
 * the drawer's or the overview's scrolling. Escape, Tab, a press elsewhere
 * or leaving the window close it (useGlobalKeys leaves Escape to an open
 * popover); the arrow keys, Home and End move between items. Manual rather
 * than `auto`: the browser's light dismiss would close it on the press on
 * its own button, whose click would then open it again.
 */
export function MenuPopover({ x, y, focus, label, opener, onClose, children }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const outside = (e: Event): void => {
      const t = e.target instanceof Node ? e.target : null;
      if (t !== null && (el.contains(t) || opener?.contains(t))) return;
      onCloseRef.current();
    };
    document.addEventListener('pointerdown', outside, true);
    window.addEventListener('resize', outside);
    window.addEventListener('blur', outside);
    el.showPopover();
    // Inside the window: a right-click near the bottom or the right edge opens the menu up or to the left.
    const r = el.getBoundingClientRect();
    el.style.left = `${Math.max(4, Math.min(x, window.innerWidth - r.width - 4))}px`;
    el.style.top = `${y + r.height > window.innerHeight - 4 ? Math.max(4, y - r.height) : y}px`;
    const items = menuItems(el);
    (focus === 'first' ? items[0] : items.at(-1))?.focus();
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      window.removeEventListener('resize', outside);
      window.removeEventListener('blur', outside);
      // Hidden before React removes it, so :popover-open (which useGlobalKeys asks) never matches a menu that is gone.
      if (el.matches(':popover-open')) el.hidePopover();
    };
  }, [x, y, focus, opener]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const items = menuItems(e.currentTarget);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const move = (i: number): void => {
      e.preventDefault();
      items[(i + items.length) % items.length]?.focus();
    };
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at < 0 ? -1 : at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(-1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (e.key === 'Tab') onClose();
  };

  return (
    <div ref={ref} popover="manual" role="menu" aria-label={label} className="rb-menu" data-testid="runbook-menu" style={{ left: x, top: y }} onKeyDown={onKeyDown}>
      {children}
    </div>
  );
}

function menuItems(menu: HTMLElement): HTMLElement[] {
  return [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)')];
}
