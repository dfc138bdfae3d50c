/**
 * A shell in a pod from the console: operator consoles get one, read-only
 * (viewer) screens are refused; the exit status shows when it ends, and the
 * session is in the audit log.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { AuditEntry } from '../src/shared/audit';
import { expect, loaded, test } from './fixtures';
import { readSnapshot } from '../src/shared/contract/snapshot';
import type { SiteSnapshot } from '../src/shared/contract/triptych';

async function openPod(app: Page, site: string, name: string): Promise<void> {
  await app.keyboard.press('Control+K');
  await app.getByTestId('palette-input').fill(`${site}: ${name}`);
  await app.locator('[data-testid="palette-result"][data-kind="pod"]').first().click();
  await expect(app.getByTestId('pod-detail')).toBeVisible();
}

test.describe('pod shell', () => {
  test('an operator runs hostname in a pod, sees the exit status; it is audited', async ({ app, triptych }) => {
    await app.goto(triptych.host.operatorUrl);
    await loaded(app);
    const snap = await readSnapshot(async (t) => triptych.core.impl.sites.snapshot('ams', t) as SiteSnapshot);
    const pod = snap.items.pods.find((p) => p.status === 'Running' && p.namespace === 'checkout') ?? snap.items.pods.find((p) => p.status === 'Running')!;
    await openPod(app, 'ams', pod.name);
    await app.getByTestId('open-shell').click();
    const dock = app.getByTestId('shell-dock');
    await expect(dock).toHaveAttribute('data-phase', 'open');
    const rows = dock.locator('.xterm-rows');
    await expect(rows).toContainText(/[#$]\s/);
    await app.keyboard.type('hostname\n');
    await expect(rows).toContainText(pod.name);
    await app.keyboard.type('exit 3\n');
    await expect(dock).toHaveAttribute('data-phase', 'ended');
    await expect(dock).toHaveAttribute('data-exit-code', '3');
    await expect(dock.getByTestId('shell-state')).toHaveText(/exited with status 3/);
    await app.screenshot({ path: test.info().outputPath('shell.png') });
    const audit = (await readFile(triptych.auditFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    const end = audit.find((e) => e.verb === 'exec' && e.data?.phase === 'end' && e.object?.name === pod.name);
    expect(end).toMatchObject({ site: 'ams', result: 'ok', object: { kind: 'Pod', namespace: pod.namespace }, data: { command: ['sh'], exitCode: 3 } });
    expect(end?.who).toBeTruthy();
    // The entry is chained to the one before it.
    expect(end?.prev).toBe(audit[audit.indexOf(end!) - 1]?.hash);
  });

  test('a read-only screen is refused a shell', async ({ app, triptych }) => {
    await loaded(app);
    const snap = await readSnapshot(async (t) => triptych.core.impl.sites.snapshot('fra', t) as SiteSnapshot);
    const pod = snap.items.pods.find((p) => p.status === 'Running')!;
    await openPod(app, 'fra', pod.name);
    await app.getByTestId('open-shell').click();
    const dock = app.getByTestId('shell-dock');
    await expect(dock).toHaveAttribute('data-phase', 'failed');
    await expect(dock.getByRole('alert')).toContainText(/operator role/);
  });
});
