/**
 * Where each room, rack and node of a site's rack map goes on the canvas:
 * pure geometry, so the drawing, the hover hit-test and the tests agree.
 *
 * Rooms flow left to right and wrap like words; a room wider than the column
 * wraps its racks onto further rows. Racks are columns of units (U1 at the
 * bottom, as on the floor). The scale is the largest of a few fixed steps
 * that keeps the map within `maxHeight`, so a 3-rack training site is
 * legible and a 5,000-node site still fits a column.
 */
import type { RackMap, RackNodeState } from '../../../shared/derive';
import { nodeState } from '../../../shared/derive';

export interface RackScale {
  /** Pixels per rack unit. */
  unitH: number;
  /** Rack width in pixels. */
  rackW: number;
}

/** From roomy to dense; the last one is used when nothing fits. */
export const SCALES: readonly RackScale[] = [
  { unitH: 6, rackW: 28 },
  { unitH: 5, rackW: 22 },
  { unitH: 4, rackW: 18 },
  { unitH: 3, rackW: 14 },
  { unitH: 2, rackW: 10 },
];

export const PAD = 4;
export const RACK_GAP = 4;
export const ROOM_GAP = 14;
export const ROW_GAP = 8;
export const ROOM_LABEL_H = 16;
export const RACK_LABEL_H = 12;
/** Approximate advance of one character of the rack label font (9px sans). */
const LABEL_CHAR_W = 5.6;

export interface PlacedNode {
  name: string;
  state: RackNodeState;
  /** Pods / pod capacity, 0–1. */
  load: number;
  podCount: number;
  podCapacity: number;
  /** The rack it is in; undefined for unplaced nodes. */
  rack: string | undefined;
  unit: number | undefined;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacedRack {
  name: string;
  room: string;
  /** What fits above the rack: the name, or its last part (`07` of `B-07`). */
  label: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Its nodes are `nodes[first]` … `nodes[first + count - 1]`. */
  first: number;
  count: number;
}

export interface PlacedLabel {
  text: string;
  x: number;
  y: number;
}

export interface RackLayout {
  width: number;
  height: number;
  scale: RackScale;
  nodes: PlacedNode[];
  racks: PlacedRack[];
  /** Room names, and the unplaced nodes' caption. */
  labels: PlacedLabel[];
  /** Index of the first unplaced node in `nodes` (= nodes.length when none). */
  unplacedFrom: number;
  /** Nodes drawn as notready or unknown. */
  notReady: number;
}

export interface LayoutOptions {
  width: number;
  maxHeight?: number;
  /** Pods per node, for unplaced nodes (placed ones carry their count). */
  podCounts?: ReadonlyMap<string, number>;
}

interface RackFrame {
  room: string;
  rack: RackMap['rooms'][number]['racks'][number];
  x: number;
  y: number;
  h: number;
}

/** Lays out a rack map at the best scale for the width. */
export function layoutRackMap(map: RackMap, opts: LayoutOptions): RackLayout {
  const width = Math.max(opts.width, SCALES[SCALES.length - 1]!.rackW + 2 * PAD);
  const maxHeight = opts.maxHeight ?? 640;
  let chosen: { scale: RackScale; frames: RackFrame[]; labels: PlacedLabel[]; bottom: number } | undefined;
  for (const scale of SCALES) {
    const attempt = { scale, ...placeRacks(map, width, scale) };
    chosen = attempt;
    if (attempt.bottom + unplacedHeight(map.unplaced.length, width, scale) <= maxHeight) break;
  }
  const { scale, frames, labels } = chosen!;
  let bottom = chosen!.bottom;

  const nodes: PlacedNode[] = [];
  const racks: PlacedRack[] = [];
  let notReady = 0;
  const count = (s: RackNodeState): void => {
    if (s === 'notready' || s === 'unknown') notReady++;
  };
  for (const f of frames) {
    const first = nodes.length;
    const top = f.y + RACK_LABEL_H + 1;
    for (const slot of f.rack.nodes) {
      const unit = Math.min(Math.max(1, Math.round(slot.unit)), f.rack.units);
      nodes.push({
        name: slot.name,
        state: slot.state,
        load: load(slot.podCount, slot.podCapacity),
        podCount: slot.podCount,
        podCapacity: slot.podCapacity,
        rack: f.rack.name,
        unit: slot.unit,
        x: f.x + 1,
        y: top + (f.rack.units - unit) * scale.unitH,
        w: scale.rackW - 2,
        h: Math.max(1, scale.unitH - 1),
      });
      count(slot.state);
    }
    racks.push({ name: f.rack.name, room: f.room, label: rackLabel(f.rack.name, scale.rackW), x: f.x, y: f.y, w: scale.rackW, h: f.h, first, count: nodes.length - first });
  }

  const unplacedFrom = nodes.length;
  if (map.unplaced.length > 0) {
    const y0 = bottom + (frames.length > 0 ? ROW_GAP : 0);
    labels.push({ text: `No rack position (${map.unplaced.length})`, x: PAD, y: y0 });
    const cell = unplacedCell(scale);
    const perRow = Math.max(1, Math.floor((width - 2 * PAD + 2) / (cell + 2)));
    map.unplaced.forEach((n, i) => {
      const state = nodeState(n);
      const pods = opts.podCounts?.get(n.name) ?? 0;
      nodes.push({
        name: n.name,
        state,
        load: load(pods, n.podsAllocatable),
        podCount: pods,
        podCapacity: n.podsAllocatable,
        rack: undefined,
        unit: undefined,
        x: PAD + (i % perRow) * (cell + 2),
        y: y0 + ROOM_LABEL_H + Math.floor(i / perRow) * (cell + 2),
        w: cell,
        h: cell,
      });
      count(state);
    });
    bottom = y0 + ROOM_LABEL_H + Math.ceil(map.unplaced.length / perRow) * (cell + 2);
  }
  return { width, height: Math.ceil(bottom + PAD), scale, nodes, racks, labels, unplacedFrom, notReady };
}

/** Places rooms and racks (not nodes) at one scale; `bottom` is the lowest pixel used. */
function placeRacks(map: RackMap, width: number, scale: RackScale): { frames: RackFrame[]; labels: PlacedLabel[]; bottom: number } {
  const frames: RackFrame[] = [];
  const labels: PlacedLabel[] = [];
  const right = width - PAD;
  let x = PAD;
  let y = PAD;
  let lineH = 0;
  let bottom = PAD;
  const newLine = (): void => {
    x = PAD;
    y += lineH + ROW_GAP;
    lineH = 0;
  };
  for (const room of map.rooms) {
    if (room.racks.length === 0) continue;
    const roomW = room.racks.length * (scale.rackW + RACK_GAP) - RACK_GAP;
    if (x > PAD && x + roomW > right) newLine();
    labels.push({ text: room.name, x, y });
    const left = x;
    let rx = x;
    let ry = y + ROOM_LABEL_H;
    let rowH = 0;
    let wrapped = false;
    for (const rack of room.racks) {
      if (rx > left && rx + scale.rackW > right) {
        rx = left;
        ry += rowH + ROW_GAP;
        rowH = 0;
        wrapped = true;
      }
      const h = RACK_LABEL_H + rack.units * scale.unitH + 2;
      frames.push({ room: room.name, rack, x: rx, y: ry, h });
      rowH = Math.max(rowH, h);
      rx += scale.rackW + RACK_GAP;
    }
    lineH = Math.max(lineH, ry + rowH - y);
    bottom = Math.max(bottom, ry + rowH);
    if (wrapped) {
      // The next room must not sit beside a block of several rows.
      newLine();
    } else x = rx - RACK_GAP + ROOM_GAP;
  }
  return { frames, labels, bottom };
}

function unplacedCell(scale: RackScale): number {
  return Math.max(6, scale.unitH * 2);
}

function unplacedHeight(n: number, width: number, scale: RackScale): number {
  if (n === 0) return 0;
  const cell = unplacedCell(scale);
  const perRow = Math.max(1, Math.floor((width - 2 * PAD + 2) / (cell + 2)));
  return ROW_GAP + ROOM_LABEL_H + Math.ceil(n / perRow) * (cell + 2);
}

function load(pods: number, capacity: number): number {
  return capacity > 0 ? Math.min(1, Math.max(0, pods / capacity)) : 0;
}

/** The rack's name if it fits over the rack, else its part after the last `-`, else nothing. */
export function rackLabel(name: string, rackW: number): string {
  const fits = (s: string): boolean => s.length * LABEL_CHAR_W <= rackW + RACK_GAP;
  if (fits(name)) return name;
  const tail = name.slice(name.lastIndexOf('-') + 1);
  return fits(tail) ? tail : '';
}

export type Hit = { kind: 'node'; node: PlacedNode } | { kind: 'rack'; rack: PlacedRack };

/** What is under a point (CSS pixels within the canvas): a node, else the rack around it, else nothing. */
export function hitTest(layout: RackLayout, x: number, y: number): Hit | undefined {
  const inside = (r: { x: number; y: number; w: number; h: number }): boolean => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
  for (const rack of layout.racks) {
    if (!inside(rack)) continue;
    for (let i = rack.first; i < rack.first + rack.count; i++) {
      const n = layout.nodes[i]!;
      // The 1px gap under a node belongs to it: hovering should not flicker between units.
      if (y >= n.y && y < n.y + layout.scale.unitH) return { kind: 'node', node: n };
    }
    return { kind: 'rack', rack };
  }
  for (let i = layout.unplacedFrom; i < layout.nodes.length; i++) {
    const n = layout.nodes[i]!;
    if (inside(n)) return { kind: 'node', node: n };
  }
  return undefined;
}

/** The rack of that name, if drawn. */
export function findRack(layout: RackLayout, name: string): PlacedRack | undefined {
  return layout.racks.find((r) => r.name === name);
}
