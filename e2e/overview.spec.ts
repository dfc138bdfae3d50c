/**
 * The first screen: three sites side by side with their rack maps, live
 * through faults injected into the training fleet.
 */
import { expect, loaded, test } from './fixtures';
import { readSnapshot } from '../src/shared/contract/snapshot';
import type { SiteSnapshot } from '../src/shared/contract/triptych';

test.describe('overview', () => {
  test('three sites side by side, every node on its rack map', async ({ app, triptych }) => {
    await loaded(app);
    // Time to the first full overview, from navigation start (reported, not asserted: timing goals live in bench/).
    const ms = await app.evaluate(() => Math.round(performance.now()));
    test.info().annotations.push({ type: 'time-to-overview-ms', description: String(ms) });
    console.log(`time to first full overview: ${ms} ms`);
    for (const site of triptych.core.sites) {
      const column = app.getByTestId(`site-column-${site.id}`);
      await expect(column).toBeVisible();
      await expect(column).toContainText(site.name);
      await expect(app.getByTestId(`site-state-${site.id}`)).toHaveText(/live/i);
      const snap = await readSnapshot(async (t) => triptych.core.impl.sites.snapshot(site.id, t) as SiteSnapshot);
      await expect(app.getByTestId(`rack-map-${site.id}`)).toHaveAttribute('data-nodes', String(snap.items.nodes.length));
    }
    const boxes = await Promise.all(triptych.core.sites.map((s) => app.getByTestId(`site-column-${s.id}`).boundingBox()));
    // Side by side: same top, increasing left.
    expect(new Set(boxes.map((b) => Math.round(b?.y ?? -1))).size).toBe(1);
    expect(boxes.map((b) => b?.x ?? 0)).toEqual([...boxes.map((b) => b?.x ?? 0)].sort((a, b) => a - b));
    await app.screenshot({ path: test.info().outputPath('overview.png'), fullPage: true });
  });

  test('a rack power loss turns that rack NotReady on screen within 5 s', async ({ app, triptych }) => {
    await loaded(app);
    const map = app.getByTestId('rack-map-fra');
    await expect(map).toHaveAttribute('data-notready', '0');
    const result = await triptych.fault({ fault: 'rack-power-loss', site: 'fra', rack: 'B-02' });
    const count = Number(/(\d+) nodes of rack/.exec(result)?.[1]);
    expect(count).toBeGreaterThan(0);
    await expect(map).toHaveAttribute('data-notready', String(count), { timeout: 5_000 });
    await app.screenshot({ path: test.info().outputPath('rack-power-loss.png') });
    await triptych.fault({ fault: 'rack-power-restore', site: 'fra', rack: 'B-02' });
    await expect(map).toHaveAttribute('data-notready', '0', { timeout: 10_000 });
  });

  test('a site whose API stops shows as stale while the others keep updating, then recovers', async ({ app, triptych }) => {
    await loaded(app);
    await triptych.fault({ fault: 'site-outage', site: 'ams' });
    await expect(app.getByTestId('site-state-ams')).toHaveText(/stale/i, { timeout: 15_000 });
    // The other sites still follow changes.
    await triptych.fault({ fault: 'node-not-ready', site: 'dub', node: 'pick' });
    await expect(app.getByTestId('rack-map-dub')).toHaveAttribute('data-notready', '1', { timeout: 5_000 });
    await expect(app.getByTestId('site-state-fra')).toHaveText(/live/i);
    await app.screenshot({ path: test.info().outputPath('site-outage.png') });
    await triptych.fault({ fault: 'site-restore', site: 'ams' });
    await expect(app.getByTestId('site-state-ams')).toHaveText(/live/i, { timeout: 15_000 });
  });

  test('node detail and pod detail open; the palette finds a pod at another site', async ({ app, triptych }) => {
    await loaded(app);
    const snap = await readSnapshot(async (t) => triptych.core.impl.sites.snapshot('dub', t) as SiteSnapshot);
    const pod = snap.items.pods.find((p) => p.namespace === 'checkout') ?? snap.items.pods[0];
    await app.keyboard.press('Control+K');
    await expect(app.getByTestId('palette')).toBeVisible();
    await app.getByTestId('palette-input').fill(`dub: ${pod?.name ?? ''}`);
    await expect(app.getByTestId('palette-result').first()).toContainText(pod?.name ?? '');
    await app.keyboard.press('Enter');
    const detail = app.getByTestId('pod-detail');
    await expect(detail).toBeVisible();
    await expect(detail).toContainText(pod?.name ?? '');
    // The drawer names the site the pod belongs to (wrong-cluster safety).
    await expect(app.getByRole('dialog', { name: /pod detail, Dublin/ })).toBeVisible();
    // From the pod to its node, and the node's detail.
    await detail.getByText(/^dub-/).first().click();
    await expect(app.getByTestId('node-detail')).toBeVisible();
    await expect(app.getByTestId('node-detail')).toContainText('Ready');
    await app.screenshot({ path: test.info().outputPath('pod-detail.png') });
  });
});
