/**
 * Record and replay in the browser host, as an operator on the training
 * fleet: record a site while a node goes NotReady and back, stop, find the
 * recording listed with its events and size, and replay it at 50× into the
 * same site (which leaves the fleet as later specs expect it: the site ends
 * in the state it was recorded in, then its simulation resumes).
 */
import { expect, loaded, test } from './fixtures';

test.describe('recordings', () => {
  test('record a site, stop, list, replay into the training fleet', async ({ app, triptych }, testInfo) => {
    test.setTimeout(120_000);
    await app.goto(triptych.host.operatorUrl);
    await loaded(app);
    const site = triptych.core.sites[0]?.id ?? 'fra';

    await app.getByTestId('recordings-open').click();
    const dialog = app.getByTestId('recordings-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('recording-site').selectOption(site);
    await dialog.getByTestId('recording-minutes').fill('0');
    await expect(dialog.getByTestId('recording-start')).toBeDisabled();
    await expect(dialog).toContainText('Minutes must be a whole number from 1 to 1440');
    await dialog.getByTestId('recording-minutes').fill('2');
    await dialog.getByTestId('recording-start').click();
    const row = dialog.locator('[data-testid="recording-row"][data-state="recording"]');
    await expect(row).toHaveCount(1);
    const id = (await row.getAttribute('data-id')) ?? '';
    expect(id).toMatch(new RegExp(`^${site}-\\d{8}-\\d{6}Z(-\\d+)?\\.jsonl$`));
    await expect(app.getByTestId('recordings-open')).toHaveText('Recordings (1 recording)');

    const picked = await triptych.fault({ fault: 'node-not-ready', site, node: 'pick' });
    const node = /node-not-ready: (\S+)/.exec(picked)?.[1] ?? '';
    await triptych.fault({ fault: 'node-ready', site, node });
    await dialog.getByTestId('recording-stop').click();
    const done = dialog.locator(`[data-testid="recording-row"][data-id="${id}"]`);
    await expect(done).toHaveAttribute('data-state', 'done');
    const cells = done.locator('td');
    expect(Number(await cells.nth(4).textContent())).toBeGreaterThan(100);
    await expect(cells.nth(6)).toContainText(/KiB|MiB/);

    await done.getByTestId('recording-choose').click();
    const form = dialog.getByTestId('replay-form');
    await form.getByTestId('replay-site').selectOption(site);
    await form.getByTestId('replay-speed').fill('5000');
    await expect(form.getByTestId('replay-start')).toBeDisabled();
    await form.getByTestId('replay-speed').fill('50');
    await form.getByTestId('replay-start').click();
    const status = dialog.getByTestId('replay-status');
    await expect(status).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    await expect(status).toContainText(`Replayed ${id} into ${site} at 50×`);
    await expect(dialog.getByTestId('recordings-error')).toHaveCount(0);
    await app.screenshot({ path: testInfo.outputPath('recordings-dialog.png') });
  });
});
