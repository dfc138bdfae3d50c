/**
 * A console process for the keychain tests (keychain.integration.test.ts):
 * each run is one start of Triptych against the Vault named by VAULT_ADDR and
 * VAULT_CACERT, with the real OS keychain. It prints one JSON line: what it
 * found and did, never a token.
 *
 *   sign-in                 sign in as operator/training; the token goes to the keychain
 *   restore-and-sign-out    find the token (a restart), then sign out
 *   restore                 find the token, if any
 */
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openKeychain } from '../keychain';
import { VaultClient } from './client';
import type { VaultError } from './errors';
import { VaultSession } from './session';
import { resolveVaultSettings } from './settings';
import { realTimers } from './timers';

/** Every file under `dir` that contains `needle` in its bytes. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    const bytes = await readFile(file).catch(() => Buffer.alloc(0));
    if (bytes.includes(needle)) hits.push(file);
  }
  return hits;
}

async function main(): Promise<void> {
  const action = process.argv[2];
  const settings = await resolveVaultSettings(undefined, process.env);
  if (!settings) throw new Error('VAULT_ADDR is not set');
  const keychain = await openKeychain({ platform: process.platform });
  const client = new VaultClient(settings);
  const session = new VaultSession({ client, keychain, timers: realTimers, random: Math.random });
  const out: Record<string, unknown> = { action, keychain: keychain.kind, ...(keychain.warning ? { warning: keychain.warning } : {}) };
  if (action === 'sign-in') {
    out.status = await session.signInWithPassword({ method: 'userpass', username: 'operator', password: 'training' });
    const token = session.auth()?.token as string;
    out.accessor = (await client.lookupSelf(token)).accessor;
    out.tokenFilesInHome = await filesContaining(os.homedir(), token);
  } else {
    out.restored = await session.restore();
    const token = session.auth()?.token;
    if (token) out.accessor = (await client.lookupSelf(token)).accessor;
    if (action === 'restore-and-sign-out' && token) {
      out.signedOut = await session.signOut();
      out.afterSignOut = await client.lookupSelf(token).then(
        () => 'still valid',
        (e: VaultError) => e.kind,
      );
    }
  }
  out.accounts = (await keychain.accounts()).length;
  session.close();
  client.close();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
