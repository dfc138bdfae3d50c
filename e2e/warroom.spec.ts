/**
 * The war-room screen as a wall display sees it, on the browser host at
 * 1920×1080 with the viewer (read-only) token: the three sites, a fault on
 * screen within 5 s, an operator's note (typed in an operator console) on
 * screen live, the token gone from the address bar, no control to press —
 * and, below the page, the host refusing every mutating method of the
 * contract to a viewer's WebSocket.
 */
import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import { triptych as contract } from '../src/shared/contract/triptych';
import type { Message } from '../src/shared/contract/rpc';
import { expect, loaded, test, type Console } from './fixtures';

test.use({ viewport: { width: 1920, height: 1080 } });

const SITES = ['fra', 'ams', 'dub'];

async function openWarRoom(page: Page, t: Console, rotate: number): Promise<void> {
  await page.goto(`${t.host.viewerUrl}&view=warroom&rotate=${rotate}`);
  await loaded(page);
  await expect(page.getByTestId('warroom')).toBeVisible();
}

/** Every `mutates: true` method of the contract, as `service.method`. */
function mutatingMethods(): { service: string; method: string }[] {
  const out: { service: string; method: string }[] = [];
  for (const [service, methods] of Object.entries(contract)) for (const [method, spec] of Object.entries(methods)) if (spec.mutates) out.push({ service, method });
  return out;
}

test.describe('war-room screen', () => {
  test('shows the three sites read-only, the token gone from the address bar', async ({ app, triptych: t }) => {
    await openWarRoom(app, t, 0);
    for (const site of SITES) {
      await expect(app.getByTestId(`wr-site-${site}`)).toBeVisible();
      await expect(app.getByTestId(`wr-state-${site}`)).toHaveText('live', { timeout: 15_000 });
      await expect(app.getByTestId(`wr-rack-${site}`)).toBeVisible();
      expect(Number(await app.getByTestId(`wr-rack-${site}`).getAttribute('data-nodes'))).toBeGreaterThan(0);
    }
    // Side by side, all within the 1920×1080 screen.
    const boxes = await Promise.all(SITES.map((s) => app.getByTestId(`wr-site-${s}`).boundingBox()));
    for (const b of boxes) {
      expect(b).not.toBeNull();
      expect((b?.x ?? -1) + (b?.width ?? 0)).toBeLessThanOrEqual(1920);
      expect((b?.y ?? -1) + (b?.height ?? 0)).toBeLessThanOrEqual(1080);
    }
    expect(new Set(boxes.map((b) => Math.round(b?.y ?? -1))).size).toBe(1);
    await expect(app.getByTestId('wr-strip')).toBeVisible();
    // Connected: the token is no longer in the address bar (nor anywhere on the page).
    await expect.poll(() => new URL(app.url()).searchParams.has('token')).toBe(false);
    expect(new URL(app.url()).searchParams.get('view')).toBe('warroom');
    const token = new URL(t.host.viewerUrl).searchParams.get('token') ?? '';
    expect(await app.content()).not.toContain(token);
    // Read-only by construction: nothing to press, type in, open or follow.
    await expect(app.locator('button, input, textarea, select, a[href], dialog, [role="button"], [role="menu"], [role="dialog"], [contenteditable]')).toHaveCount(0);
    await expect(app.getByTestId('palette')).toHaveCount(0);
    await app.keyboard.press('Control+K');
    await expect(app.locator('[role="dialog"], dialog')).toHaveCount(0);
  });

  test('a node going NotReady shows within 5 s of the fault', async ({ app, triptych: t }) => {
    await openWarRoom(app, t, 0);
    const notReady = app.getByTestId('wr-notready-dub');
    const rack = app.getByTestId('wr-rack-dub');
    await expect(notReady).not.toHaveText('–');
    const before = Number(await rack.getAttribute('data-notready'));
    // Measured from the fault's request: the fleet answers once the node is changed.
    const t0 = Date.now();
    const result = await t.fault({ fault: 'node-not-ready', site: 'dub', node: 'pick' });
    const node = /node-not-ready: (\S+) at/.exec(result)?.[1] ?? '';
    expect(node).not.toBe('');
    await expect(rack).toHaveAttribute('data-notready', String(before + 1), { timeout: 5_000 });
    await expect(notReady).toHaveText(String(before + 1), { timeout: 5_000 });
    test.info().annotations.push({ type: 'fault-to-screen-ms', description: String(Date.now() - t0) });
    // Its alert follows once the rule's (shortened) `for:` has passed, naming the node, so the room knows which one.
    await expect(app.getByTestId('wr-site-dub').locator('.wr-alert').filter({ hasText: 'KubeNodeNotReady' }).filter({ hasText: node })).toHaveCount(1, { timeout: 30_000 });
    await app.screenshot({ path: test.info().outputPath('warroom-node-not-ready.png') });
    await t.fault({ fault: 'node-ready', site: 'dub', node });
    await expect(rack).toHaveAttribute('data-notready', String(before), { timeout: 10_000 });
  });

  test("an operator's note shows on the war-room screen live; a viewer's is refused", async ({ app, triptych: t }) => {
    await openWarRoom(app, t, 0);
    const operator = await app.context().newPage();
    await operator.goto(t.host.operatorUrl);
    await loaded(operator);
    await operator.getByTestId('incident-open').click();
    const dialog = operator.getByTestId('incident-dialog');
    await expect(dialog).toBeVisible();
    // Markup and control characters stay text.
    const note = `Failover of <b>checkout</b> to AMS decided ${Date.now()}`;
    await operator.getByTestId('incident-note-input').fill(`${note}\u0007`);
    await operator.getByTestId('incident-note-input').press('Enter');
    const t0 = Date.now();
    await expect(operator.getByTestId('incident-note-input')).toHaveValue('');
    await expect(dialog.getByTestId('incident-timeline')).toContainText(note);
    await operator.screenshot({ path: test.info().outputPath('incident-dialog.png') });
    await expect(app.getByTestId('wr-strip')).toContainText(`${note}\uFFFD`, { timeout: 5_000 });
    test.info().annotations.push({ type: 'note-to-warroom-ms', description: String(Date.now() - t0) });
    await expect(app.getByTestId('wr-strip').locator('b')).toHaveCount(0);
    // The operator console links to a war-room screen on the same host, which runs on the viewer's token, not the operator's.
    const href = await dialog.getByTestId('incident-warroom-link').getAttribute('href');
    const screen = await app.context().newPage();
    await screen.goto(href ?? '');
    await expect(screen.getByTestId('warroom')).toBeVisible();
    expect(await screen.evaluate(() => sessionStorage.getItem('triptych.warroom.token'))).toBe(t.host.tokens.viewer);
    await screen.close();
    await operator.close();

    // A viewer console may read the timeline, but a note is refused in words.
    const viewer = await app.context().newPage();
    await viewer.goto(t.host.viewerUrl);
    await loaded(viewer);
    await viewer.getByTestId('incident-open').click();
    await expect(viewer.getByTestId('incident-timeline')).toContainText(note);
    await viewer.getByTestId('incident-note-input').fill('not allowed');
    await viewer.getByTestId('incident-note-input').press('Enter');
    await expect(viewer.getByTestId('incident-error')).toContainText(/needs the operator role.*read-only/);
    await viewer.close();
  });

  test("every mutating method is refused with forbidden on the viewer's WebSocket", async ({ triptych: t }) => {
    const base = new URL(t.host.viewerUrl);
    const token = base.searchParams.get('token') ?? '';
    const ws = new WebSocket(`ws://${base.host}/ws?token=${encodeURIComponent(token)}`, { headers: { origin: `http://${base.host}` } });
    const answers = new Map<number, Extract<Message, { t: 'res' }>>();
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Message;
      if (msg.t === 'res') answers.set(msg.id, msg);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const methods = mutatingMethods();
    expect(methods.length).toBeGreaterThan(20);
    expect(methods).toContainEqual({ service: 'incident', method: 'note' });
    // A read works on the same connection: the refusals below are about the role, not a dead socket.
    const send = (id: number, service: string, method: string, args: unknown[]): void => ws.send(JSON.stringify({ t: 'req', id, service, method, args }));
    send(1, 'sites', 'list', []);
    // Sent with arguments a valid call would not have: the role is checked before anything else.
    // In batches under the host's limit of calls in flight (MAX_IN_FLIGHT), which would answer `unavailable`.
    for (let from = 0; from < methods.length; from += 16) {
      methods.slice(from, from + 16).forEach((m, i) => send(100 + from + i, m.service, m.method, []));
      await expect.poll(() => answers.size, { timeout: 10_000 }).toBe(Math.min(methods.length, from + 16) + 1);
    }
    expect(answers.get(1)).toMatchObject({ ok: true });
    const refused = methods.map((m, i) => ({ ...m, answer: answers.get(100 + i) }));
    for (const r of refused) expect(r.answer, `${r.service}.${r.method}`).toMatchObject({ ok: false, code: 'forbidden', message: expect.stringContaining('read-only') });
    ws.close();
  });

  test('rotates between the sites and the timeline, each view saved as a 1920×1080 screenshot', async ({ app, triptych: t }, testInfo) => {
    await t.core.impl.incident.note({ text: 'War-room screenshot: rack B-02 at FRA under watch' });
    await openWarRoom(app, t, 5);
    const root = app.getByTestId('warroom');
    await expect(root).toHaveAttribute('data-view', 'sites');
    await expect(app.getByTestId('wr-view-sites')).toHaveAttribute('aria-current', 'true');
    await expect(app.getByTestId('wr-next')).toHaveText(/next in \d+ s/);
    for (const view of ['sites', 'timeline'] as const) {
      await expect(root).toHaveAttribute('data-view', view, { timeout: 12_000 });
      if (view === 'timeline') await expect(app.getByTestId('wr-timeline')).toContainText('rack B-02 at FRA under watch');
      const file = testInfo.outputPath(`warroom-${view}.png`);
      await app.screenshot({ path: file });
      await testInfo.attach(`warroom-${view}`, { path: file, contentType: 'image/png' });
      // The strip of the latest entries is on every view (which entries depends on what the fleet's alerts did meanwhile).
      await expect(app.getByTestId('wr-strip')).toBeVisible();
      await expect(app.getByTestId('wr-strip').locator('.timeline__entry')).not.toHaveCount(0);
    }
    // And back to the sites.
    await expect(root).toHaveAttribute('data-view', 'sites', { timeout: 12_000 });
    expect(Number(await root.getAttribute('data-rotations'))).toBeGreaterThanOrEqual(2);
  });
});
