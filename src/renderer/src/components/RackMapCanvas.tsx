import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { Derived } from '../store/initialState';
import { drawRackMap, readRackColors } from '../rack/draw';
import { findRack, hitTest, layoutRackMap, type Hit } from '../rack/layout';
import { useElementWidth } from '../hooks/useElementWidth';
import { resolvedTheme } from '../store/selectors';
import { useActions, useApp } from '../store/store';
import { RackTooltip } from './RackTooltip';
import { RackMaintenanceMarks } from '../runbooks/RackMaintenanceMarks';
import { useRackRunbookMenu } from '../runbooks/RackRunbookMenu';

/** The performance measure each full draw of a rack map records. */
export const RACK_DRAW_MEASURE = 'triptych:rack-draw';

interface Props {
  site: string;
  siteName: string;
  derived: Derived | undefined;
}

/**
 * A site's racks on a canvas (thousands of nodes would be thousands of DOM
 * elements): rooms, racks of units, nodes coloured by state with a pod-load
 * bar. Hover names the node, a click opens it, a right-click offers the
 * runbooks of the node and its rack (of the rack, on its label or an empty
 * unit); the palette's rack requests scroll here and outline the rack. Racks
 * and nodes under maintenance are outlined.
 */
export function RackMapCanvas({ site, siteName, derived }: Props) {
  const [wrapRef, width] = useElementWidth<HTMLDivElement>();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const highlightRef = useRef<HTMLDivElement>(null);
  const theme = useApp((s) => resolvedTheme(s.ui));
  const highlight = useApp((s) => (s.ui.highlight?.site === site ? s.ui.highlight : undefined));
  const { openDetail } = useActions();
  const runbookMenu = useRackRunbookMenu(site);
  const [hover, setHover] = useState<{ hit: Hit; x: number; y: number } | undefined>();
  // A 5,000-node site should fit a screen without scrolling far; a small one should not look lost.
  const maxHeight = Math.max(420, Math.round((typeof window === 'undefined' ? 900 : window.innerHeight) * 0.6));

  const layout = useMemo(
    () => (derived && width > 0 ? layoutRackMap(derived.rack, { width, maxHeight, podCounts: derived.podCounts }) : undefined),
    [derived, width, maxHeight],
  );

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !layout) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(layout.width * dpr);
    canvas.height = Math.round(layout.height * dpr);
    canvas.style.width = `${layout.width}px`;
    canvas.style.height = `${layout.height}px`;
    const t0 = performance.now();
    drawRackMap(ctx, layout, readRackColors(canvas), dpr);
    // Benchmarks read this measure (the canvas's cost with 5,000 nodes a site).
    performance.measure(RACK_DRAW_MEASURE, { start: t0, end: performance.now() });
  }, [layout, theme]);

  const highlighted = highlight && layout ? findRack(layout, highlight.rack) : undefined;
  useEffect(() => {
    if (highlight && highlightRef.current) highlightRef.current.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'smooth' });
    // Scroll once per request (its token), not on every re-layout.
  }, [highlight?.token, highlighted !== undefined]);

  const locate = (e: MouseEvent<HTMLCanvasElement>): { hit: Hit | undefined; x: number; y: number } => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    return { hit: layout ? hitTest(layout, x, y) : undefined, x, y };
  };
  const onMove = (e: MouseEvent<HTMLCanvasElement>): void => {
    const { hit, x, y } = locate(e);
    if (hit === undefined) setHover(undefined);
    else setHover({ hit, x, y });
  };
  const onClick = (e: MouseEvent<HTMLCanvasElement>): void => {
    const { hit } = locate(e);
    if (hit?.kind === 'node') openDetail({ kind: 'node', site, name: hit.node.name });
  };

  const nodes = layout?.nodes.length ?? 0;
  const notReady = layout?.notReady ?? 0;
  const hoverNode = hover?.hit.kind === 'node' ? hover.hit.node : undefined;
  return (
    <section className="rack-map" aria-label="Rack map">
      <h3 className="section-title">Racks</h3>
      <div className="rack-map__wrap" ref={wrapRef}>
        <canvas
          ref={canvasRef}
          className={`rack-map__canvas${hover ? ' is-pointing' : ''}`}
          data-testid={`rack-map-${site}`}
          data-nodes={nodes}
          data-notready={notReady}
          role="img"
          hidden={layout === undefined}
          aria-label={`${siteName}: ${nodes} nodes, ${notReady} not ready`}
          title={hoverNode ? hoverNode.name : hover?.hit.kind === 'rack' ? hover.hit.rack.name : undefined}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(undefined)}
          onClick={onClick}
          onContextMenu={(e) => runbookMenu.open(e, locate(e).hit)}
        />
        {hoverNode && <div className="rack-map__outline" style={{ left: hoverNode.x - 1, top: hoverNode.y - 1, width: hoverNode.w + 2, height: hoverNode.h + 2 }} />}
        {highlighted && (
          <div
            ref={highlightRef}
            key={highlight?.token}
            className="rack-map__highlight"
            data-testid={`rack-highlight-${site}`}
            data-rack={highlighted.name}
            style={{ left: highlighted.x - 3, top: highlighted.y - 3, width: highlighted.w + 6, height: highlighted.h + 6 }}
          />
        )}
        <RackMaintenanceMarks site={site} layout={layout} />
        {hover && <RackTooltip hit={hover.hit} x={hover.x} y={hover.y} width={layout?.width ?? 0} />}
        {runbookMenu.element}
        {layout === undefined && <p className="muted rack-map__empty">Waiting for the first snapshot…</p>}
        {layout !== undefined && nodes === 0 && <p className="muted rack-map__empty">No nodes</p>}
      </div>
    </section>
  );
}
