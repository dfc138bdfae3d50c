/**
 * The Vault sign-in against the emulator's Vault (HTTPS, short TTLs, manual
 * clock): sign-in, keychain, restart, renewal until the max TTL, revoked
 * tokens, a sealed Vault at start, sign-out.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKeychain, type Keychain } from '../keychain';
import { VaultClient } from './client';
import { VaultError } from './errors';
import { VaultSession, type VaultSessionStatus } from './session';
import { SHORT, startVaultFleet, type VaultFleet } from './test-fleet';

let f: VaultFleet;
let client: VaultClient;
const sessions: VaultSession[] = [];

beforeAll(async () => {
  f = await startVaultFleet();
  client = new VaultClient(f.settings);
});
afterAll(async () => {
  client?.close();
  await f?.close();
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.close();
  if (f.vault.status().sealed) f.vault.unseal();
});

function session(keychain: Keychain = new MemoryKeychain()): VaultSession {
  const s = new VaultSession({ client, keychain, timers: f.timers, random: () => 0.5 });
  sessions.push(s);
  return s;
}

const signIn = (s: VaultSession, username = 'operator') => s.signInWithPassword({ method: 'userpass', username, password: 'training' });
const lookup = async (token: string) => f.vaultCall('GET', '/v1/auth/token/lookup-self', token);

describe('VaultSession: sign-in and the keychain', () => {
  it('userpass sign-in: who, until when, and the token in the keychain under address + identity', async () => {
    const keychain = new MemoryKeychain();
    const s = session(keychain);
    const st = await signIn(s);
    expect(st).toMatchObject({ state: 'signed-in', identity: 'userpass-operator', method: 'userpass', storage: 'memory', address: f.vault.url });
    expect(st.policies).toEqual(['default', 'triptych-operator']);
    expect(st.expiresAt).toBe(f.timers.now() + SHORT.defaultTokenTtl * 1000);
    expect(await keychain.accounts()).toEqual([`${f.vault.url} userpass-operator`]);
    const token = s.auth()?.token as string;
    expect(await keychain.get(`${f.vault.url} userpass-operator`)).toBe(token);
    expect((await lookup(token)).status).toBe(200);
    // Nothing a log line could be made of shows the token.
    expect(JSON.stringify(st)).not.toContain(token);
    expect(inspect(s, { depth: 10 })).not.toContain(token);
  });

  it('a wrong password: a clear refusal that does not repeat the password', async () => {
    const err = await session()
      .signInWithPassword({ method: 'userpass', username: 'operator', password: 'hunter2-wrong' })
      .catch((e: unknown) => e as VaultError);
    expect(err).toBeInstanceOf(VaultError);
    expect((err as VaultError).kind).toBe('bad-request');
    expect((err as VaultError).message).toBe('Vault refused auth/userpass/login/operator (400: invalid username or password).');
  });

  it('restart: a new session finds the token in the keychain; sign-out revokes it and removes it; the next start finds nothing', async () => {
    const keychain = new MemoryKeychain();
    const first = session(keychain);
    await signIn(first);
    const token = first.auth()?.token as string;
    const accessor = (await lookup(token)).json.data as { accessor: string };
    first.close();

    const second = session(keychain);
    const restored = await second.restore();
    expect(restored).toMatchObject({ state: 'signed-in', identity: 'userpass-operator' });
    expect(second.auth()?.token).toBe(token);
    expect(((await lookup(token)).json.data as { accessor: string }).accessor).toBe(accessor.accessor);

    const out = await second.signOut();
    expect(out.state).toBe('signed-out');
    expect(out.problem).toBeUndefined();
    expect((await lookup(token)).status).toBe(403);
    expect(await keychain.accounts()).toEqual([]);

    const third = session(keychain);
    expect((await third.restore()).state).toBe('signed-out');
  });

  it('restore drops a token Vault no longer accepts, and keeps one it cannot check now (sealed)', async () => {
    const keychain = new MemoryKeychain();
    const a = session(keychain);
    await signIn(a);
    a.close();
    f.vault.seal();
    const sealed = await session(keychain).restore();
    expect(sealed.state).toBe('signed-out');
    expect(sealed.problem?.kind).toBe('sealed');
    expect(sealed.problem?.message).toContain('is sealed (503)');
    expect(await keychain.accounts()).toHaveLength(1);
    f.vault.unseal();
    const token = (await keychain.get((await keychain.accounts())[0] as string)) as string;
    await f.vaultCall('POST', '/v1/auth/token/revoke-self', token);
    expect((await session(keychain).restore()).state).toBe('signed-out');
    expect(await keychain.accounts()).toEqual([]);
  });

  it('keychain unavailable: memory only, with the warning in the status', async () => {
    const st = await signIn(session(new MemoryKeychain('No keychain is available (test).')));
    expect(st).toMatchObject({ state: 'signed-in', storage: 'memory', storageWarning: 'No keychain is available (test).' });
  });

  it('a keychain that refuses to store: the sign-in works for this run, and says so', async () => {
    const refusing: Keychain = Object.assign(new MemoryKeychain(), {
      kind: 'os' as const,
      set: async () => {
        throw new Error('the keyring is locked');
      },
    });
    const st = await signIn(session(refusing));
    expect(st.state).toBe('signed-in');
    expect(st.storage).toBe('memory');
    expect(st.storageWarning).toContain('the keyring is locked');
  });

  it('imports VAULT_TOKEN, else ~/.vault-token', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'triptych-home-'));
    try {
      const s = session();
      expect(await s.importExistingToken({}, home)).toBeUndefined();
      const root = f.vault.rootToken;
      const viaEnv = await s.importExistingToken({ VAULT_TOKEN: `${root}\n` }, home);
      expect(viaEnv).toMatchObject({ state: 'signed-in', identity: 'root', method: 'token' });
      // A root token never expires: nothing to renew.
      expect(viaEnv?.expiresAt).toBeUndefined();
      const user = await f.vaultCall('POST', '/v1/auth/userpass/login/viewer', undefined, { password: 'training' });
      await writeFile(path.join(home, '.vault-token'), (user.json.auth as { client_token: string }).client_token);
      const viaFile = await session().importExistingToken({}, home);
      expect(viaFile).toMatchObject({ state: 'signed-in', identity: 'userpass-viewer' });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('VaultSession: renewal', () => {
  it('renews before each expiry until the max TTL, then asks to sign in again; the token works throughout', async () => {
    const keychain = new MemoryKeychain();
    const s = session(keychain);
    const seen: VaultSessionStatus[] = [];
    s.subscribe((x) => seen.push(x));
    const start = f.timers.now();
    await signIn(s);
    const token = s.auth()?.token as string;
    // Step through the token's whole life in 5 s steps, checking it at Vault each time.
    let expiringAt: number | undefined;
    while (f.timers.now() < start + (SHORT.maxTokenTtl - 5) * 1000) {
      await f.timers.advance(5_000);
      expect((await lookup(token)).status).toBe(200);
      if (s.status().state === 'expiring' && expiringAt === undefined) expiringAt = f.timers.now();
    }
    const renewals = seen.filter((x, i) => x.state === 'signed-in' && i > 0 && x.expiresAt !== seen[i - 1]?.expiresAt);
    // 60 s TTL over 300 s: without renewals it would have died after 60 s.
    expect(renewals.length).toBeGreaterThanOrEqual(4);
    expect(expiringAt).toBeDefined();
    expect(s.status()).toMatchObject({ state: 'expiring', expiresAt: start + SHORT.maxTokenTtl * 1000 });
    await f.timers.advanceTo(start + SHORT.maxTokenTtl * 1000);
    expect(s.status()).toMatchObject({ state: 'expired', problem: { kind: 'permission-denied', message: 'Your Vault token has expired; sign in again.' } });
    expect(s.auth()).toBeUndefined();
    expect(await keychain.accounts()).toEqual([]);
  });

  it('a token revoked elsewhere: the next renewal ends the session with a clear state', async () => {
    const s = session();
    await signIn(s);
    const token = s.auth()?.token as string;
    expect((await f.vaultCall('POST', '/v1/auth/token/revoke-self', token)).status).toBe(204);
    await f.timers.advance(SHORT.defaultTokenTtl * 1000);
    expect(s.status()).toMatchObject({ state: 'expired', problem: { kind: 'permission-denied' } });
    expect(s.status().problem?.message).toBe('Vault no longer accepts your token (403 permission denied): it has expired or been revoked. Sign in to Vault again.');
    expect(s.auth()).toBeUndefined();
  });

  it('a sealed Vault during renewal: the problem is shown, the session recovers after unsealing', async () => {
    const s = session();
    await signIn(s);
    f.vault.seal();
    // First renewal at 2/3 × 60 s + grace/3; the retry 10 s later.
    await f.timers.advance(45_000);
    expect(s.status()).toMatchObject({ state: 'signed-in', problem: { kind: 'sealed' } });
    expect(s.status().problem?.message).toContain('Renewing your Vault token failed; trying again.');
    f.vault.unseal();
    await f.timers.advance(10_000);
    expect(s.status().state).toBe('signed-in');
    expect(s.status().problem).toBeUndefined();
  });
});
