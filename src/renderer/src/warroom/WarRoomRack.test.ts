import { describe, expect, it } from 'vitest';
import type { RackLayout } from '../rack/layout';
import { MAX_ZOOM, rackZoom } from './WarRoomRack';

function layout(racksRight: number, height: number, width = 600): RackLayout {
  return { width, height, racks: [{ x: 4, w: racksRight - 4 }], nodes: [], labels: [] } as unknown as RackLayout;
}

describe('rack map zoom on a wall screen', () => {
  it('enlarges the racks to fill the space, bounded by height and by MAX_ZOOM', () => {
    expect(rackZoom(layout(296, 200), 600, 400)).toEqual({ zoom: 2, contentW: 300 });
    expect(rackZoom(layout(296, 200), 600, 300).zoom).toBe(1.5);
    expect(rackZoom(layout(96, 50), 600, 1000).zoom).toBe(MAX_ZOOM);
  });

  it('never shrinks a map that already fills its space', () => {
    expect(rackZoom(layout(596, 500), 600, 400)).toEqual({ zoom: 1, contentW: 600 });
  });
});
