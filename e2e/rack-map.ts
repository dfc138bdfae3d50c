/** The rack map as the specs reach it: a canvas, found through the palette. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * Right-clicks a rack's label on the rack map. The map is a canvas: the
 * palette's "go to rack" outlines the rack (an element), which says where.
 */
export async function rightClickRack(app: Page, site: string, rack: string): Promise<void> {
  await app.keyboard.press('Control+K');
  await app.getByTestId('palette-input').fill(`${site}: ${rack}`);
  const hit = app.locator(`[data-testid="palette-result"][data-kind="rack"][data-site="${site}"]`, { hasText: rack });
  await hit.first().click();
  const outline = app.locator(`[data-testid="rack-highlight-${site}"][data-rack="${rack}"]`);
  await expect(outline).toHaveCount(1);
  // The palette scrolls the rack into view smoothly: wait until the outline stands still.
  await outline.scrollIntoViewIfNeeded();
  const canvas = app.getByTestId(`rack-map-${site}`);
  // The outline sits 3 px around the rack; the rack's label is its top 12 px.
  const [o, c] = await Promise.all([outline.boundingBox(), canvas.boundingBox()]);
  if (!o || !c) throw new Error('the rack map or the rack outline is not on screen');
  await canvas.click({ button: 'right', position: { x: o.x - c.x + o.width / 2, y: o.y - c.y + 3 + 5 } });
}
