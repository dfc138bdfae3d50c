import { afterEach, describe, expect, it } from 'vitest';
import { T0, startTestVault } from './testing';
import type { TestVault } from './testing';

let tv: TestVault | undefined;
afterEach(async () => {
  await tv?.vault.close();
  tv = undefined;
});

async function start(overrides?: Parameters<typeof startTestVault>[0]): Promise<TestVault> {
  tv = await startTestVault(overrides);
  return tv;
}

describe('userpass login', () => {
  it('returns an auth block with a hvs. token and the role policy', async () => {
    const { call } = await start();
    const res = await call('POST', '/v1/auth/userpass/login/operator', { body: { password: 'training' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const auth = res.json.auth;
    expect(auth.client_token).toMatch(/^hvs\.[0-9A-Za-z]{24}$/);
    expect(auth.accessor).toMatch(/^[0-9A-Za-z]{24}$/);
    expect(auth).toMatchObject({
      policies: ['default', 'triptych-operator'],
      token_policies: ['default', 'triptych-operator'],
      metadata: { username: 'operator' },
      lease_duration: 3600,
      renewable: true,
      token_type: 'service',
    });
    expect(res.json).toMatchObject({ lease_id: '', renewable: false, lease_duration: 0, data: null });
    expect(res.json.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts PUT and is case-insensitive on the user name', async () => {
    const { call } = await start();
    const res = await call('PUT', '/v1/auth/userpass/login/Admin', { body: { password: 'training' } });
    expect(res.status).toBe(200);
    expect(res.json.auth.policies).toEqual(['default', 'triptych-admin']);
  });

  it('answers 400 for a wrong password, an unknown user or no password', async () => {
    const { call } = await start();
    for (const [user, body] of [
      ['admin', { password: 'nope' }],
      ['mallory', { password: 'training' }],
    ] as const) {
      const res = await call('POST', `/v1/auth/userpass/login/${user}`, { body });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ errors: ['invalid username or password'] });
    }
    const none = await call('POST', '/v1/auth/userpass/login/admin', { body: {} });
    expect(none.status).toBe(400);
    expect(none.json).toEqual({ errors: ['missing password'] });
  });

  it('uses configured users and TTLs', async () => {
    const { call } = await start({
      users: [{ name: 'alice', password: 's3cret', role: 'viewer' }],
      defaultTokenTtl: 600,
    });
    const res = await call('POST', '/v1/auth/userpass/login/alice', { body: { password: 's3cret' } });
    expect(res.json.auth.lease_duration).toBe(600);
    expect(res.json.auth.policies).toEqual(['default', 'triptych-viewer']);
    expect((await call('POST', '/v1/auth/userpass/login/admin', { body: { password: 'training' } })).status).toBe(400);
  });
});

describe('auth/token/lookup-self', () => {
  it('describes the calling token, with the TTL following the clock', async () => {
    const { call, login, clock } = await start();
    const token = await login('viewer');
    clock.advance(600);
    const res = await call('GET', '/v1/auth/token/lookup-self', { token });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({
      id: token,
      policies: ['default', 'triptych-viewer'],
      ttl: 3000,
      creation_ttl: 3600,
      creation_time: T0 / 1000,
      issue_time: new Date(T0).toISOString(),
      expire_time: new Date(T0 + 3600_000).toISOString(),
      display_name: 'userpass-viewer',
      path: 'auth/userpass/login/viewer',
      meta: { username: 'viewer' },
      renewable: true,
      explicit_max_ttl: 0,
      num_uses: 0,
      type: 'service',
    });
    expect(res.json.data.accessor).toMatch(/^[0-9A-Za-z]{24}$/);
  });

  it('accepts Authorization: Bearer as well as X-Vault-Token', async () => {
    const { call, login } = await start();
    const token = await login('viewer');
    const res = await call('GET', '/v1/auth/token/lookup-self', { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.json.data.id).toBe(token);
  });

  it('describes the root token as never expiring', async () => {
    const { call, vault } = await start({ rootToken: 'root-for-tests' });
    expect(vault.rootToken).toBe('root-for-tests');
    const res = await call('GET', '/v1/auth/token/lookup-self', { token: vault.rootToken });
    expect(res.json.data).toMatchObject({ policies: ['root'], ttl: 0, expire_time: null, renewable: false });
  });

  it('answers 403 permission denied for a missing, unknown or expired token', async () => {
    const { call, login, clock } = await start();
    expect((await call('GET', '/v1/auth/token/lookup-self')).json).toEqual({ errors: ['permission denied'] });
    const unknown = await call('GET', '/v1/auth/token/lookup-self', { token: 'hvs.nope' });
    expect(unknown.status).toBe(403);
    expect(unknown.json).toEqual({ errors: ['permission denied'] });
    const token = await login('viewer');
    clock.advance(3599);
    expect((await call('GET', '/v1/auth/token/lookup-self', { token })).status).toBe(200);
    clock.advance(1);
    expect((await call('GET', '/v1/auth/token/lookup-self', { token })).status).toBe(403);
  });
});

describe('auth/token/renew-self', () => {
  it('grants the requested increment, as a Go duration or seconds', async () => {
    const { call, login, clock } = await start();
    const token = await login('operator');
    clock.advance(1800);
    const res = await call('POST', '/v1/auth/token/renew-self', { token, body: { increment: '2h' } });
    expect(res.status).toBe(200);
    expect(res.json.auth).toMatchObject({ client_token: token, lease_duration: 7200, renewable: true });
    expect(res.json.warnings).toBeNull();
    const again = await call('PUT', '/v1/auth/token/renew-self', { token, body: { increment: 600 } });
    expect(again.json.auth.lease_duration).toBe(600);
    const look = await call('GET', '/v1/auth/token/lookup-self', { token });
    expect(look.json.data.ttl).toBe(600);
    expect(look.json.data.last_renewal_time).toBe((T0 + 1800_000) / 1000);
  });

  it('asks for the creation TTL again when no increment is given', async () => {
    const { call, login, clock } = await start();
    const token = await login('operator');
    clock.advance(3000);
    const res = await call('POST', '/v1/auth/token/renew-self', { token });
    expect(res.json.auth.lease_duration).toBe(3600);
  });

  it('caps the TTL at the max TTL counted from login, with a warning', async () => {
    const { call, login, clock } = await start({ defaultTokenTtl: 3600, maxTokenTtl: 7200 });
    const token = await login('admin');
    clock.advance(3000);
    const res = await call('POST', '/v1/auth/token/renew-self', { token, body: { increment: '10h' } });
    expect(res.status).toBe(200);
    expect(res.json.auth.lease_duration).toBe(4200);
    expect(res.json.warnings).toEqual([
      'TTL of "10h0m0s" exceeded the effective max_ttl of "1h10m0s"; TTL value is capped accordingly',
    ]);
    clock.advance(4199);
    expect((await call('GET', '/v1/auth/token/lookup-self', { token })).json.data.ttl).toBe(1);
    clock.advance(1);
    expect((await call('POST', '/v1/auth/token/renew-self', { token })).status).toBe(403);
  });

  it('refuses bad increments and the root token', async () => {
    const { call, login, vault } = await start();
    const token = await login('admin');
    const bad = await call('POST', '/v1/auth/token/renew-self', { token, body: { increment: 'soon' } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0]).toMatch(/invalid increment/);
    const root = await call('POST', '/v1/auth/token/renew-self', { token: vault.rootToken });
    expect(root.status).toBe(400);
    expect(root.json).toEqual({ errors: ['lease is not renewable'] });
  });
});

describe('auth/token/revoke-self', () => {
  it('revokes the token and the site tokens of every lease it created', async () => {
    const { call, login, registry, vault, clock } = await start();
    const admin = await login('admin');
    const other = await login('operator');
    const mine = [];
    for (const site of ['a', 'b']) {
      const res = await call('POST', `/v1/kubernetes-${site}/creds/operator`, {
        token: admin,
        body: { kubernetes_namespace: 'default' },
      });
      expect(res.status).toBe(200);
      mine.push({ site, token: res.json.data.service_account_token as string });
    }
    const theirs = await call('POST', '/v1/kubernetes-a/creds/viewer', {
      token: other,
      body: { kubernetes_namespace: 'default' },
    });
    const theirToken = theirs.json.data.service_account_token as string;
    for (const m of mine) expect(registry.check(m.token, m.site, clock.now()).ok).toBe(true);

    const res = await call('POST', '/v1/auth/token/revoke-self', { token: admin });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await call('GET', '/v1/auth/token/lookup-self', { token: admin })).status).toBe(403);
    for (const m of mine) expect(registry.check(m.token, m.site, clock.now())).toEqual({ ok: false, reason: 'unknown' });
    expect(registry.check(theirToken, 'a', clock.now()).ok).toBe(true);
    expect(vault.leases().map((l) => l.siteToken)).toEqual([theirToken]);
  });
});

describe('determinism', () => {
  it('hands out the same tokens for the same seed', async () => {
    const first = await startTestVault();
    const second = await startTestVault();
    try {
      expect(first.vault.rootToken).toBe(second.vault.rootToken);
      expect(await first.login('viewer')).toBe(await second.login('viewer'));
    } finally {
      await first.vault.close();
      await second.vault.close();
    }
  });
});
