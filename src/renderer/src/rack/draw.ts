/**
 * Paints a laid-out rack map on a 2D canvas. One pass per colour (a handful
 * of fillStyle changes for 5,000 nodes), no text per node: a site's map
 * redraws in a few milliseconds.
 */
import type { RackNodeState } from '../../../shared/derive';
import { RACK_LABEL_H, type RackLayout } from './layout';

export interface RackColors {
  state: Record<RackNodeState, string>;
  /** An empty unit. */
  slot: string;
  /** The pod-load bar. */
  load: string;
  label: string;
  /** The font family of labels. */
  font: string;
}

const STATES: readonly RackNodeState[] = ['ready', 'pressure', 'cordoned', 'unknown', 'notready'];

/** Reads the palette from CSS variables on `el` (so themes are CSS only). */
export function readRackColors(el: Element): RackColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    state: {
      ready: v('--rack-ready', '#3a9a5b'),
      notready: v('--rack-notready', '#d33'),
      unknown: v('--rack-unknown', '#8a4fd1'),
      cordoned: v('--rack-cordoned', '#5b7fa6'),
      pressure: v('--rack-pressure', '#e0a030'),
    },
    slot: v('--rack-slot', '#e3e6ea'),
    load: v('--rack-load', '#1b1f24'),
    label: v('--fg-muted', '#666'),
    font: css.fontFamily || 'sans-serif',
  };
}

/** Draws `layout` at device-pixel ratio `dpr` onto a canvas sized for it. */
export function drawRackMap(ctx: CanvasRenderingContext2D, layout: RackLayout, colors: RackColors, dpr: number): void {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, layout.width, layout.height);

  // Rack bodies: the empty units show as a column, so a missing node reads as a gap.
  ctx.fillStyle = colors.slot;
  for (const r of layout.racks) ctx.fillRect(r.x, r.y + RACK_LABEL_H, r.w, r.h - RACK_LABEL_H);

  for (const state of STATES) {
    ctx.fillStyle = colors.state[state];
    for (const n of layout.nodes) if (n.state === state) ctx.fillRect(n.x, n.y, n.w, n.h);
  }

  // Pod load: a bar along the bottom edge of each node, as long as the node is full.
  ctx.fillStyle = colors.load;
  const barH = layout.scale.unitH >= 4 ? 1 : 0.75;
  for (const n of layout.nodes) {
    if (n.load > 0) ctx.fillRect(n.x, n.y + n.h - barH, Math.max(1, n.w * n.load), barH);
  }

  ctx.fillStyle = colors.label;
  ctx.textBaseline = 'top';
  ctx.font = `600 11px ${colors.font}`;
  for (const l of layout.labels) ctx.fillText(l.text, l.x, l.y + 2);
  ctx.font = `9px ${colors.font}`;
  for (const r of layout.racks) if (r.label) ctx.fillText(r.label, r.x, r.y + 1, r.w + 4);
}
