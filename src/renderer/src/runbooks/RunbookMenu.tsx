import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useActions, useApp } from '../store/store';
import { MenuPopover } from './MenuPopover';
import { RunbookMenuItems } from './RunbookMenuItems';
import { menuFor, targetText, type MenuEntry, type RunbookTargetRef } from './view';

/**
 * A "Runbooks" button opening the runbooks that fit a node, rack, site or
 * workload; choosing one opens its plan with the target's parameters filled
 * in. Keyboard: Enter, Space or ↓ opens on the first item, ↑ on the last.
 * Nothing is shown once the library is known to hold nothing for the target.
 */
export function RunbookMenu({ target, className }: { target: RunbookTargetRef; className?: string }) {
  const list = useApp((s) => s.runbooks.list);
  const error = useApp((s) => s.runbooks.listError);
  const { openPlan, loadRunbooks } = useActions();
  const [open, setOpen] = useState<{ x: number; y: number; focus: 'first' | 'last' }>();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const groups = useMemo(() => menuFor(target, list ?? []), [target, list]);
  if (list !== undefined && groups.length === 0) return null;

  const show = (focus: 'first' | 'last'): void => {
    const r = buttonRef.current?.getBoundingClientRect();
    if (r === undefined) return;
    // Read again on every opening: an admin may have saved a runbook since.
    void loadRunbooks();
    setOpen({ x: r.left, y: r.bottom + 2, focus });
  };
  const close = (): void => {
    setOpen(undefined);
    // Escape or Tab: back to the button, where the keyboard user was.
    if (buttonRef.current && (document.activeElement === document.body || document.activeElement?.closest('[role="menu"]'))) buttonRef.current.focus();
  };
  const choose = (entry: MenuEntry): void => {
    // Focus the button first, so the plan dialog gives the focus back to it when it closes.
    buttonRef.current?.focus();
    setOpen(undefined);
    openPlan(entry.runbook.name, entry.target);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      show(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className={`small rb-menu-button${className ? ` ${className}` : ''}`}
        data-testid="runbook-menu-button"
        aria-haspopup="menu"
        aria-expanded={open !== undefined}
        title={`Runbooks for ${targetText(target)}`}
        onClick={() => (open ? setOpen(undefined) : show('first'))}
        onKeyDown={onKeyDown}
      >
        Runbooks ▾
      </button>
      {open && (
        <MenuPopover x={open.x} y={open.y} focus={open.focus} label={`Runbooks for ${targetText(target)}`} opener={buttonRef.current} onClose={close}>
          <RunbookMenuItems groups={groups} loading={list === undefined} error={error} empty={`No runbooks for ${targetText(target)}`} onChoose={choose} />
        </MenuPopover>
      )}
    </>
  );
}
