import { useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import type { Hit } from '../rack/layout';
import { useActions, useApp } from '../store/store';
import { MenuPopover } from './MenuPopover';
import { RunbookMenuItems } from './RunbookMenuItems';
import { menuFor, targetOfHit, targetText, type MenuEntry, type RunbookTargetRef } from './view';

interface Request {
  target: RunbookTargetRef;
  /** The pointer, viewport px. */
  x: number;
  y: number;
}

/**
 * The rack map's right-click menu: on a node, the node's runbooks and its
 * rack's; on a rack's label or an empty unit, the rack's. `open` takes the
 * rack map's own hit test; a right-click on nothing keeps the browser's menu.
 */
export function useRackRunbookMenu(site: string): { open(e: MouseEvent, hit: Hit | undefined): void; element: ReactNode } {
  const [req, setReq] = useState<Request>();
  return {
    open(e, hit) {
      if (hit === undefined) return;
      e.preventDefault();
      setReq({ target: targetOfHit(site, hit), x: e.clientX, y: e.clientY });
    },
    // Keyed by position: a second right-click elsewhere opens a new menu there.
    element: req ? <RackRunbookMenu key={`${req.x},${req.y}`} req={req} onClose={() => setReq(undefined)} /> : null,
  };
}

function RackRunbookMenu({ req, onClose }: { req: Request; onClose(): void }) {
  const list = useApp((s) => s.runbooks.list);
  const error = useApp((s) => s.runbooks.listError);
  const { openPlan } = useActions();
  const groups = useMemo(() => menuFor(req.target, list ?? []), [req.target, list]);
  const choose = (entry: MenuEntry): void => {
    onClose();
    openPlan(entry.runbook.name, entry.target);
  };
  return (
    <MenuPopover x={req.x} y={req.y} focus="first" label={`Runbooks for ${targetText(req.target)}`} onClose={onClose}>
      <RunbookMenuItems groups={groups} loading={list === undefined} error={error} empty={`No runbooks for ${targetText(req.target)}`} onChoose={choose} />
    </MenuPopover>
  );
}
