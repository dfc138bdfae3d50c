import { useEffect, useMemo, useRef } from 'react';
import { drawRackMap, readRackColors } from '../rack/draw';
import { layoutRackMap, PAD, type RackLayout } from '../rack/layout';
import { useElementWidth } from '../hooks/useElementWidth';
import type { Derived } from '../store/initialState';

/** The most a rack map is enlarged (a small site's racks would otherwise turn into blocks). */
export const MAX_ZOOM = 2.5;

/**
 * How much to enlarge a laid-out map to fill `width` × `maxHeight`: the
 * overview's roomiest scale is sized for a desk, not for a room.
 */
export function rackZoom(layout: RackLayout, width: number, maxHeight: number): { zoom: number; contentW: number } {
  let contentW = 0;
  for (const r of layout.racks) contentW = Math.max(contentW, r.x + r.w);
  for (const n of layout.nodes) contentW = Math.max(contentW, n.x + n.w);
  contentW = Math.min(layout.width, contentW + PAD);
  if (contentW <= 0 || layout.height <= 0) return { zoom: 1, contentW: layout.width };
  return { zoom: Math.max(1, Math.min(MAX_ZOOM, width / contentW, maxHeight / layout.height)), contentW };
}

/**
 * A site's rack map for a wall screen: the overview's layout and painter,
 * enlarged to fill its space, and nothing to point at — no hover, no click, no
 * menu (the screen is read-only, and nobody holds a mouse to it).
 */
export function WarRoomRack({ site, siteName, derived, maxHeight }: { site: string; siteName: string; derived: Derived | undefined; maxHeight: number }) {
  const [wrapRef, width] = useElementWidth<HTMLDivElement>();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const layout = useMemo(() => (derived && width > 0 ? layoutRackMap(derived.rack, { width, maxHeight, podCounts: derived.podCounts }) : undefined), [derived, width, maxHeight]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !layout) return;
    const { zoom, contentW } = rackZoom(layout, width, maxHeight);
    // Drawn at the enlarged size (not stretched by CSS), so units stay sharp.
    const scale = (window.devicePixelRatio || 1) * zoom;
    // Assigning the size clears and reuses the same backing store: redraws allocate nothing that accumulates.
    canvas.width = Math.round(contentW * scale);
    canvas.height = Math.round(layout.height * scale);
    canvas.style.width = `${Math.round(contentW * zoom)}px`;
    canvas.style.height = `${Math.round(layout.height * zoom)}px`;
    drawRackMap(ctx, layout, readRackColors(canvas), scale);
  }, [layout, width, maxHeight]);

  const nodes = layout?.nodes.length ?? 0;
  const notReady = layout?.notReady ?? 0;
  return (
    <div className="wr-rack" ref={wrapRef}>
      <canvas ref={canvasRef} role="img" hidden={layout === undefined} data-testid={`wr-rack-${site}`} data-nodes={nodes} data-notready={notReady} aria-label={`${siteName}: ${nodes} nodes, ${notReady} not ready`} />
      {layout === undefined && <p className="wr-muted">Waiting for the first snapshot…</p>}
    </div>
  );
}
