/**
 * A console process for the keychain tests (keychain.integration.test.ts):
 * each run is one start of Triptych's core (startCore, as the app and the
 * browser host start it) configured by TRIPTYCH_CONFIG and KUBECONFIG, whose
 * sites take their credentials from the Vault that triptych.yaml names,
 * with the real OS keychain. It prints one JSON line: what it found and did,
 * never a token (the test searches HOME for every token Vault issued).
 *
 *   sign-in                 sign in as operator/training; the token goes to the keychain; sites connect
 *   restore-and-sign-out    find the token (a restart), see the sites connect, then sign out
 *   restore                 find the token, if any
 */
import os from 'node:os';
import path from 'node:path';
import { startCore, type CoreApp } from '../app';
import type { SiteStatus } from '../../shared/contract/triptych';
import type { VaultOverview } from '../../shared/vault';
import { VaultClient } from './client';
import type { VaultError } from './errors';
import { TRAINING_PASSWORD } from './training';
import { resolveVaultSettings } from './settings';

/** Resolves once `ok` holds for the core's state; the core's own events are the signal. */
function until(core: CoreApp, ok: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const check = async (): Promise<void> => {
      if (!(await ok())) return;
      clearTimeout(timer);
      off();
      resolve();
    };
    const off = core.bus.tap(() => void check());
    void check();
  });
}

async function main(): Promise<void> {
  const action = process.argv[2];
  const home = os.homedir();
  const core = await startCore({ env: process.env, home, platform: process.platform, dataDir: path.join(home, 'data'), mirror: { backoff: { initialMs: 100, maxMs: 500 } } });
  const vault = core.impl.vault;
  const overview = async (): Promise<VaultOverview> => (await vault.status()) as VaultOverview;
  const allLive = async (): Promise<boolean> => ((await core.impl.sites.status()) as SiteStatus[]).every((s) => s.state === 'live');
  const out: Record<string, unknown> = { action, warnings: core.warnings };
  // The token itself is looked up only to compare accessors across processes; it is never printed.
  const settings = await resolveVaultSettings(undefined, process.env);
  const client = new VaultClient(settings!);
  try {
    if (action === 'sign-in') {
      out.status = await vault.signInPassword({ method: 'userpass', username: 'operator', password: TRAINING_PASSWORD });
    } else {
      // Startup looked in the keychain in the background: the sites say when it is done.
      await until(core, async () => (await overview()).sites.every((c) => c.state !== 'idle' && c.state !== 'fetching'), 'the keychain lookup');
      out.restored = (await overview()).session;
    }
    if ((await overview()).session.state === 'signed-in') {
      await until(core, allLive, 'every site live on Vault-issued credentials');
      out.sites = (await overview()).sites.map((c) => ({ site: c.site, state: c.state, source: c.source }));
      out.live = true;
      const token = await findToken();
      if (token) {
        out.accessor = (await client.lookupSelf(token)).accessor;
        if (action === 'restore-and-sign-out') {
          out.signedOut = await vault.signOut();
          out.afterSignOut = await client.lookupSelf(token).then(
            () => 'still valid',
            (e: VaultError) => e.kind,
          );
        }
      }
    }
  } finally {
    await core.close();
    client.close();
  }
  const { openKeychain } = await import('../keychain');
  const keychain = await openKeychain({ platform: process.platform });
  out.keychain = keychain.kind;
  out.accounts = (await keychain.accounts()).length;
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

/** The token the keychain holds for this Vault (the test compares it across processes; memory-only runs have none to read back). */
async function findToken(): Promise<string | undefined> {
  const { openKeychain } = await import('../keychain');
  const keychain = await openKeychain({ platform: process.platform });
  const account = (await keychain.accounts())[0];
  return account ? keychain.get(account) : undefined;
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
