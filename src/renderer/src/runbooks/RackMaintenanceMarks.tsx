import { useMemo } from 'react';
import { findRack, type RackLayout } from '../rack/layout';
import { useApp } from '../store/store';
import { maintainedAt } from './view';

/**
 * Outlines on a site's rack map around the racks and nodes under
 * maintenance (their Leases), drawn as elements over the canvas so the
 * canvas's drawing stays as it is. Decoration only: the site header says
 * the same in words.
 */
export function RackMaintenanceMarks({ site, layout }: { site: string; layout: RackLayout | undefined }) {
  const all = useApp((s) => s.runbooks.maintenance);
  const marks = useMemo(() => {
    if (layout === undefined) return [];
    const { racks, nodes } = maintainedAt(all, site);
    const out: { key: string; kind: 'rack' | 'node'; name: string; box: { x: number; y: number; w: number; h: number } }[] = [];
    for (const name of racks.keys()) {
      const r = findRack(layout, name);
      if (r) out.push({ key: `rack:${name}`, kind: 'rack', name, box: r });
    }
    if (nodes.size > 0) {
      for (const n of layout.nodes) {
        if (nodes.has(n.name)) out.push({ key: `node:${n.name}`, kind: 'node', name: n.name, box: n });
      }
    }
    return out;
  }, [all, site, layout]);
  return (
    <>
      {marks.map((m) => (
        <div
          key={m.key}
          className={`rb-rack-mark rb-rack-mark--${m.kind}`}
          data-testid={`rack-maintenance-${site}`}
          data-kind={m.kind}
          data-name={m.name}
          aria-hidden="true"
          style={{ left: m.box.x - 2, top: m.box.y - 2, width: m.box.w + 4, height: m.box.h + 4 }}
        />
      ))}
    </>
  );
}
