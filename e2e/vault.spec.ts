/**
 * Vault through the UI on the training fleet: the sites wait for a sign-in,
 * the admin signs in in the dialog, and the three sites connect with
 * credentials the training Vault issued; a sealed Vault is reported while
 * the sites keep working; sign-out sends them back to waiting. The worker
 * does not sign in for these tests, and its keychain is the in-memory one
 * with the "no keychain" warning a Linux desktop without a Secret Service gets.
 */
import { expect, test } from './fixtures';
import { unavailableWarning } from '../src/core/keychain/open';
import { TRAINING_PASSWORD } from '../src/core/vault';
import type { Page } from '@playwright/test';

const NO_KEYCHAIN = unavailableWarning('linux', new Error('no session bus'));

test.use({ vaultSignIn: false, keychainWarning: NO_KEYCHAIN });

/** Site connection states settle within a few reconnect backoffs (the fixture caps them at 1 s). */
const SETTLE = { timeout: 20_000 };

async function openSignIn(app: Page): Promise<void> {
  await app.getByTestId('vault-sign-in').click();
  await expect(app.getByTestId('vault-dialog')).toBeVisible();
}

test.describe('vault', () => {
  test('a read-only (viewer) screen cannot sign in, and says why', async ({ app, triptych }) => {
    // The fixture opened the viewer URL, as on a war-room screen.
    await expect(app.getByTestId('vault-badge')).toHaveAttribute('data-state', 'signed-out');
    await openSignIn(app);
    await app.getByTestId('vault-password').fill(TRAINING_PASSWORD);
    await app.getByTestId('vault-submit').click();
    await expect(app.getByTestId('vault-error')).toContainText(/read-only \(viewer\)/);
    await expect(app.getByTestId('vault-dialog')).toBeVisible();
    // Nothing changed at the host.
    expect((await triptych.core.impl.vault.status())?.session.state).toBe('signed-out');
  });

  test('sign in through the dialog: three sites connect with Vault-issued credentials; sealed Vault; sign-out', async ({ app, triptych }) => {
    await app.goto(triptych.host.operatorUrl);
    const ids = triptych.core.sites.map((s) => s.id);
    expect(ids).toHaveLength(3);

    // Before any sign-in every site waits, saying for what.
    for (const id of ids) {
      await expect(app.getByTestId(`site-state-${id}`)).toHaveAttribute('data-state', 'awaiting-credentials', SETTLE);
      await expect(app.getByTestId(`site-state-detail-${id}`)).toContainText('Sign in to Vault');
    }
    const badge = app.getByTestId('vault-badge');
    await expect(badge).toHaveAttribute('data-state', 'signed-out');

    // The dialog: focus in its first empty field, the training hint, where Vault is, and the no-keychain warning up front.
    await openSignIn(app);
    const dialog = app.getByTestId('vault-dialog');
    await expect(dialog).toContainText('Training fleet: sign in as operator (or viewer/admin), password training');
    await expect(dialog).toContainText('from training fleet');
    await expect(dialog.getByTestId('vault-storage-warning')).toHaveText(NO_KEYCHAIN);
    await expect(app.getByTestId('vault-username')).toHaveValue('operator');
    await expect(app.getByTestId('vault-password')).toBeFocused();

    // Escape closes it; the badge opens it again.
    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await openSignIn(app);

    // A wrong password: Vault's refusal is shown, the dialog stays, the password is cleared for another try.
    await app.getByTestId('vault-password').fill('not-the-password');
    await app.getByTestId('vault-submit').click();
    await expect(app.getByTestId('vault-error')).toContainText('invalid username or password');
    await expect(app.getByTestId('vault-password')).toHaveValue('');
    await expect(app.getByTestId('vault-password')).toBeFocused();
    await expect(badge).toHaveAttribute('data-state', 'signed-out');
    await app.screenshot({ path: test.info().outputPath('vault-dialog.png') });

    // The right one, typed and submitted with the keyboard.
    await app.keyboard.type(TRAINING_PASSWORD);
    await app.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(badge).toHaveAttribute('data-state', 'signed-in');
    await expect(badge).toContainText('operator');
    await expect(badge).toContainText(/\d+ min left/);
    await expect(badge).toContainText('memory only');

    // Every site connects, with credentials from its own Kubernetes secrets engine mount and a lease counting down.
    for (const id of ids) {
      await expect(app.getByTestId(`site-state-${id}`)).toHaveAttribute('data-state', 'live', SETTLE);
      const creds = app.getByTestId(`site-column-${id}`).getByTestId('site-credentials');
      await expect(creds).toHaveAttribute('data-state', 'ok');
      await expect(creds).toContainText(`Vault kubernetes-${id}/creds/operator`);
      await expect(creds).toContainText(/\d+ min left/);
    }
    await expect(app.locator('html[data-app-state="loaded"]')).toHaveCount(1);
    await app.screenshot({ path: test.info().outputPath('vault.png'), fullPage: true });

    // Signed in, the badge opens the session's details, the memory-only warning among them.
    await badge.getByRole('button').click();
    await expect(dialog.getByTestId('vault-identity')).toContainText('operator');
    await expect(dialog.getByTestId('vault-storage-warning')).toHaveText(NO_KEYCHAIN);
    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // Vault sealed: the badge says so within a health check, and the sites keep the credentials they have.
    const [first, second, third] = ids as [string, string, string];
    await triptych.fault({ fault: 'vault-seal' });
    await expect(app.getByTestId('vault-problem')).toContainText(/Vault at \S+ is sealed \(503\)/, SETTLE);
    // One site's tokens stop working (401): its re-fetch meets the sealed Vault and says so; the others stay live.
    await triptych.fault({ fault: 'credentials-expire', site: third, inSeconds: 0 });
    const thirdCreds = app.getByTestId(`site-column-${third}`).getByTestId('site-credentials');
    await expect(thirdCreds).toHaveAttribute('data-state', 'failed', SETTLE);
    await expect(app.getByTestId(`site-column-${third}`)).toContainText(/Vault at \S+ is sealed \(503\)/);
    await expect(app.getByTestId(`site-state-${first}`)).toHaveAttribute('data-state', 'live');
    await expect(app.getByTestId(`site-state-${second}`)).toHaveAttribute('data-state', 'live');
    await app.screenshot({ path: test.info().outputPath('vault-sealed.png') });

    // Unsealed, the admin fetches new credentials now rather than wait for the retry (5 s or more after the failure).
    await triptych.fault({ fault: 'vault-unseal' });
    await expect(app.getByTestId('vault-problem')).toHaveCount(0, SETTLE);
    await thirdCreds.getByTestId('site-reconnect-credentials').click();
    await expect(thirdCreds).toHaveAttribute('data-state', 'ok');
    await expect(thirdCreds).toContainText(/\d+ min left/);
    await expect(app.getByTestId(`site-state-${third}`)).toHaveAttribute('data-state', 'live', SETTLE);

    // Sign-out: the leases are revoked and every site's credentials wait for the next sign-in.
    await badge.getByRole('button').click();
    await dialog.getByTestId('vault-sign-out').click();
    await expect(dialog).toBeHidden();
    await expect(badge).toHaveAttribute('data-state', 'signed-out');
    await expect(app.getByTestId('vault-sign-in')).toBeVisible();
    for (const id of ids) {
      const creds = app.getByTestId(`site-column-${id}`).getByTestId('site-credentials');
      await expect(creds).toContainText('waiting for a Vault sign-in');
      await expect(creds.getByTestId('site-reconnect-credentials')).toHaveCount(0);
    }
    // The sites' open watches end with their credentials: none goes on looking live on a revoked token.
    for (const id of ids) {
      await expect(app.getByTestId(`site-state-${id}`)).toHaveAttribute('data-state', 'awaiting-credentials', SETTLE);
      await expect(app.getByTestId(`site-state-detail-${id}`)).toContainText('Sign in to Vault');
    }
  });
});
