/**
 * Defaults for what triptych.yaml may leave out: node label keys (the
 * training fleet's, see docs/fleet-labels.md) and site colours.
 */
import { LABEL_RACK, LABEL_RACK_UNIT, LABEL_ZONE } from '../../shared/labels';
import type { SiteInfo } from '../../shared/model';

/** Node label keys used when a site does not name its own. */
export const DEFAULT_LABELS: Readonly<SiteInfo['labels']> = Object.freeze({ room: LABEL_ZONE, rack: LABEL_RACK, unit: LABEL_RACK_UNIT });

/**
 * Site colours, in the order sites get them: the Okabe–Ito palette, chosen to
 * stay distinguishable with the common colour-vision deficiencies, since the
 * colour is what tells an operator which cluster a dialog acts on. Black and
 * yellow are left out (they vanish on dark and light themes respectively).
 */
export const DEFAULT_PALETTE: readonly string[] = Object.freeze(['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9']);

/**
 * Colours for sites without one: palette colours no site has claimed, in
 * order; when the palette runs out, it repeats.
 */
export function assignColors(chosen: readonly (string | undefined)[]): string[] {
  const taken = new Set(chosen.filter((c): c is string => c !== undefined));
  const free = DEFAULT_PALETTE.filter((c) => !taken.has(c));
  let next = 0;
  return chosen.map((c) => {
    if (c !== undefined) return c;
    const color = free[next] ?? DEFAULT_PALETTE[next % DEFAULT_PALETTE.length] ?? '#0072b2';
    next++;
    return color;
  });
}
