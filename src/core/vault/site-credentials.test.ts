/**
 * Site credentials from the emulator's Vault, used against the emulator's
 * API servers over HTTPS, on a manual clock: fetch, re-fetch before the
 * lease ends, sealed Vault, a 401 at one site, sign-out.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../keychain';
import { SiteCredentials, type CredentialChange } from './site-credentials';
import { SHORT, startVaultFleet, type VaultFleet } from './test-fleet';
import { VaultAccess } from './vault-access';

let f: VaultFleet;
let access: VaultAccess | undefined;
const [A, B, C] = ['fra', 'ams', 'dub'];

beforeAll(async () => {
  f = await startVaultFleet();
});
afterAll(async () => f?.close());
afterEach(async () => {
  await access?.quit();
  access = undefined;
  if (f.vault.status().sealed) f.vault.unseal();
});

/** Signed in as `user`, credentials for every site (role operator unless `sources` says otherwise). */
async function signedIn(user = 'operator', settings = f.settings): Promise<VaultAccess> {
  access = new VaultAccess({ settings, sources: f.sources, keychain: new MemoryKeychain(), timers: f.timers, random: () => 0.5, tuning: { replacedLeaseGraceMs: 5_000 } });
  await access.session.signInWithPassword({ method: 'userpass', username: user, password: 'training' });
  return access;
}

describe('SiteCredentials: Kubernetes secrets engine', () => {
  it('fetches a service-account token when the site connects; it works at that site only', async () => {
    const a = await signedIn();
    const st = await a.credentials.connect(A);
    expect(st).toMatchObject({ site: A, state: 'ok', source: `Vault kubernetes-${A}/creds/operator (namespace default)` });
    const token = a.credentials.token(A);
    expect(token).toMatch(/^ey/);
    expect(await f.siteStatus(A, token)).toBe(200);
    expect(await f.siteStatus(B, token)).toBe(401);
    // The lease is capped by the Vault token's own end (Vault revokes a token's leases with it).
    const vaultEnd = a.session.status().expiresAt as number;
    expect(st.expiresAt).toBe(Math.min(st.fetchedAt! + SHORT.credsTtl * 1000, vaultEnd));
    // Re-fetch at a random 85–95 % of the lease (random 0.5 → 90 %).
    expect(st.refreshAt).toBe(st.fetchedAt! + 0.9 * (st.expiresAt! - st.fetchedAt!));
    expect(JSON.stringify(st)).not.toContain(token);
  });

  it('re-fetches before the lease ends and revokes the replaced lease after a grace period', async () => {
    const a = await signedIn();
    const first = await a.credentials.connect(A);
    const changes: CredentialChange[] = [];
    a.credentials.onRefresh((c) => changes.push(c));
    const oldToken = a.credentials.token(A) as string;
    const leasesBefore = f.vault.leases().filter((l) => l.site === A).length;
    // Just past the scheduled re-fetch, still before the old lease ends.
    await f.timers.advanceTo(first.refreshAt! + 1);
    expect(f.timers.now()).toBeLessThan(first.expiresAt!);
    const second = a.credentials.status(A);
    const newToken = a.credentials.token(A) as string;
    expect(second.state).toBe('ok');
    expect(newToken).not.toBe(oldToken);
    expect(second.fetchedAt).toBeGreaterThan(first.fetchedAt!);
    expect(changes.filter((c) => c.tokenChanged && c.status.state === 'ok')).toHaveLength(1);
    // Both work during the grace; then the old lease is revoked and its token refused.
    expect(await f.siteStatus(A, oldToken)).toBe(200);
    expect(f.vault.leases().filter((l) => l.site === A)).toHaveLength(leasesBefore + 1);
    await f.timers.advance(5_001);
    expect(await f.siteStatus(A, oldToken)).toBe(401);
    expect(await f.siteStatus(A, newToken)).toBe(200);
    expect(f.vault.leases().filter((l) => l.site === A)).toHaveLength(leasesBefore);
  });

  it('keeps the site connected across Vault token renewals and re-fetches', async () => {
    const a = await signedIn();
    await a.credentials.connect(A);
    // 4 minutes: several Vault token renewals and site re-fetches, with no gap in which the site has no token.
    for (let i = 0; i < 24; i++) {
      await f.timers.advance(10_000);
      expect(await f.siteStatus(A, a.credentials.token(A))).toBe(200);
    }
    expect(a.session.status().state).toMatch(/signed-in|expiring/);
  });

  it('a sealed Vault: the site keeps its credentials until they expire, then fails with a clear reason; unsealing recovers', async () => {
    // A Vault token that outlives the seal, so only the site credentials run out.
    const { vault, settings } = await f.anotherVault({ defaultTokenTtl: 3600, maxTokenTtl: 28_800, credsTtl: 600 });
    const a = await signedIn('operator', settings);
    const st = await a.credentials.connect(B);
    expect(st.expiresAt! - st.fetchedAt!).toBe(600_000);
    const token = a.credentials.token(B) as string;
    vault.seal();
    await f.timers.advanceTo(st.refreshAt! + 1);
    const sealed = a.credentials.status(B);
    expect(sealed.state).toBe('ok');
    expect(sealed.problem?.kind).toBe('sealed');
    expect(sealed.problem?.message).toContain('is sealed (503)');
    expect(sealed.problem?.message).toContain('unseal');
    expect(a.credentials.token(B)).toBe(token);
    expect(await f.siteStatus(B, token)).toBe(200);
    // Retries are bounded by the lease: at its end the token is dropped.
    await f.timers.advanceTo(st.expiresAt! + 1);
    const failed = a.credentials.status(B);
    expect(failed.state).toBe('failed');
    expect(failed.problem?.kind).toBe('sealed');
    expect(a.credentials.token(B)).toBeUndefined();
    expect(failed.refreshAt).toBeGreaterThan(f.timers.now());
    vault.unseal();
    await f.timers.advanceTo(failed.refreshAt! + 1);
    expect(a.credentials.status(B).state).toBe('ok');
    expect(await f.siteStatus(B, a.credentials.token(B))).toBe(200);
  });

  it('a 401 at one site: one re-fetch, then credentials-expired for that site only; the others stay connected', async () => {
    const a = await signedIn();
    await a.credentials.connectAll();
    const before = Object.fromEntries([A, B, C].map((s) => [s, a.credentials.token(s) as string]));
    await f.t.fleet.faults.apply({ fault: 'credentials-expire', site: A, inSeconds: 0 });
    expect(await f.siteStatus(A, before[A])).toBe(401);
    // Eight watches fail at once: only one re-fetch comes of it.
    const reports = await Promise.all(Array.from({ length: 8 }, () => a.credentials.reportUnauthorized(A, before[A])));
    expect(reports.every((r) => r.state === 'ok')).toBe(true);
    const fresh = a.credentials.token(A) as string;
    expect(fresh).not.toBe(before[A]);
    expect(f.vault.leases().filter((l) => l.site === A)).toHaveLength(1);
    expect(await f.siteStatus(A, fresh)).toBe(200);
    // The fresh token is refused too: no second re-fetch, a clear state instead.
    await f.t.fleet.faults.apply({ fault: 'credentials-expire', site: A, inSeconds: 0 });
    expect(await f.siteStatus(A, fresh)).toBe(401);
    const expired = await a.credentials.reportUnauthorized(A, fresh);
    expect(expired.state).toBe('expired');
    expect(expired.problem?.kind).toBe('rejected');
    expect(expired.problem?.message).toContain('refused the credentials');
    expect(a.credentials.token(A)).toBeUndefined();
    expect(f.timers.due().length).toBeGreaterThan(0);
    for (const s of [B, C]) {
      expect(a.credentials.status(s).state).toBe('ok');
      expect(a.credentials.token(s)).toBe(before[s]);
      expect(await f.siteStatus(s, before[s])).toBe(200);
    }
    // Reconnecting (after the admin fixed things) starts over.
    expect((await a.credentials.connect(A)).state).toBe('ok');
    expect(await f.siteStatus(A, a.credentials.token(A))).toBe(200);
  });

  it('permission denied: a viewer asking for the operator role fails with the reason and no retry loop', async () => {
    const a = await signedIn('viewer');
    const st = await a.credentials.connect(C);
    expect(st.state).toBe('failed');
    expect(st.problem?.kind).toBe('permission-denied');
    expect(st.problem?.message).toContain(`kubernetes-${C}/creds/operator (403 permission denied)`);
    expect(st.refreshAt).toBeUndefined();
  });

  it('sign-out revokes every lease and then the Vault token', async () => {
    const a = await signedIn();
    await a.credentials.connectAll();
    const tokens = [A, B, C].map((s) => a.credentials.token(s) as string);
    const vaultToken = a.session.auth()?.token as string;
    expect(f.vault.leases()).toHaveLength(3);
    const out = await a.signOut();
    expect(out.leases).toEqual({ revoked: 3, failed: [] });
    expect(out.session.state).toBe('signed-out');
    expect(f.vault.leases()).toHaveLength(0);
    for (const [i, s] of [A, B, C].entries()) expect(await f.siteStatus(s, tokens[i])).toBe(401);
    expect((await f.vaultCall('GET', '/v1/auth/token/lookup-self', vaultToken)).status).toBe(403);
    expect(a.credentials.statuses().map((s) => [s.state, s.problem?.kind])).toEqual([
      ['failed', 'signed-out'],
      ['failed', 'signed-out'],
      ['failed', 'signed-out'],
    ]);
    // Signing in again reconnects the sites that were waiting.
    await a.session.signInWithPassword({ method: 'userpass', username: 'operator', password: 'training' });
    for (const s of [A, B, C]) await expect.poll(() => a.credentials.status(s).state).toBe('ok');
  });

  it('signing in as someone else: the old leases go with the old token, the sites reconnect with the new one', async () => {
    const a = await signedIn('operator');
    await a.credentials.connect(A);
    const old = a.credentials.token(A) as string;
    await a.session.signInWithPassword({ method: 'userpass', username: 'admin', password: 'training' });
    expect(a.session.status().identity).toBe('userpass-admin');
    await expect.poll(() => a.credentials.status(A).state === 'ok' && a.credentials.token(A) !== undefined && a.credentials.token(A) !== old).toBe(true);
    expect(await f.siteStatus(A, old)).toBe(401);
    expect(await f.siteStatus(A, a.credentials.token(A))).toBe(200);
    expect(f.vault.leases().map((l) => l.site)).toEqual([A]);
  });

  it('quit revokes the leases but keeps the Vault token', async () => {
    const a = await signedIn();
    await a.credentials.connect(A);
    const vaultToken = a.session.auth()?.token as string;
    await a.quit();
    access = undefined;
    expect(f.vault.leases()).toHaveLength(0);
    expect((await f.vaultCall('GET', '/v1/auth/token/lookup-self', vaultToken)).status).toBe(200);
  });

  it('the Vault token reaching its max TTL ends the sites\' credentials too, and they wait for a new sign-in', async () => {
    const a = await signedIn();
    const start = f.timers.now();
    await a.credentials.connect(A);
    await f.timers.advanceTo(start + SHORT.maxTokenTtl * 1000);
    expect(a.session.status().state).toBe('expired');
    await expect.poll(() => a.credentials.status(A).problem?.kind).toBe('signed-out');
    expect(a.credentials.status(A).state).toBe('failed');
    expect(a.credentials.token(A)).toBeUndefined();
    await a.session.signInWithPassword({ method: 'userpass', username: 'operator', password: 'training' });
    await expect.poll(() => a.credentials.status(A).state).toBe('ok');
    expect(await f.siteStatus(A, a.credentials.token(A))).toBe(200);
  });

  it('signed out: the site says to sign in', async () => {
    access = new VaultAccess({ settings: f.settings, sources: f.sources, keychain: new MemoryKeychain(), timers: f.timers, random: () => 0.5 });
    const st = await access.credentials.connect(A);
    expect(st).toMatchObject({ state: 'failed', problem: { kind: 'signed-out', message: `Sign in to Vault to connect to ${A}: its credentials come from Vault kubernetes-${A}/creds/operator (namespace default).` } });
  });
});

describe('SiteCredentials: KV v2', () => {
  it('reads a token field, and a kubeconfig field through its current user', async () => {
    const a = await signedIn('admin');
    const kubeconfig = f.t.fleet.kubeconfig().replace(/current-context: .*/, `current-context: ${B}-viewer`);
    const put = await f.vaultCall('POST', `/v1/secret/data/triptych/kubeconfigs/${B}`, f.vault.rootToken, { data: { kubeconfig } });
    expect(put.status).toBe(200);
    const creds = new SiteCredentials({
      client: a.client,
      auth: () => a.session.auth(),
      sources: new Map([
        [A, { kv: { mount: 'secret', path: `triptych/sites/${A}`, field: 'token' as const } }],
        [B, { kv: { mount: 'secret', path: `triptych/kubeconfigs/${B}`, field: 'kubeconfig' as const } }],
        [C, { kv: { mount: 'secret', path: `triptych/sites/${C}`, field: 'kubeconfig' as const } }],
      ]),
      timers: f.timers,
      random: () => 0.5,
      kvRefreshMs: 60_000,
    });
    try {
      const st = await creds.connect(A);
      expect(st).toMatchObject({ state: 'ok', source: `Vault KV secret/triptych/sites/${A} (token)` });
      expect(creds.token(A)).toBe(f.t.fleet.site(A).tokens.viewer);
      // KV has no lease: read again after the interval (capped by the Vault token's end).
      expect(st.refreshAt).toBe(st.fetchedAt! + 60_000);
      expect((await creds.connect(B)).state).toBe('ok');
      expect(creds.token(B)).toBe(f.t.fleet.site(B).tokens.viewer);
      expect(await f.siteStatus(B, creds.token(B))).toBe(200);
      const missing = await creds.connect(C);
      expect(missing.state).toBe('failed');
      expect(missing.problem).toEqual({ kind: 'invalid-secret', message: `${C}: The secret secret/data/triptych/sites/${C} has no 'kubeconfig' field with text in it; store the kubeconfig there.` });
    } finally {
      creds.close();
    }
  });
});
