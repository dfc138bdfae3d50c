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

const decodeJwtPayload = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8'));

describe('kubernetes-<site>/creds/<role>', () => {
  it('mints a site token valid only at that site, for the requested role', async () => {
    const { call, login, registry, clock } = await start();
    const token = await login('admin');
    const res = await call('POST', '/v1/kubernetes-b/creds/operator', {
      token,
      body: { kubernetes_namespace: 'payments' },
    });
    expect(res.status).toBe(200);
    expect(res.json.lease_id).toMatch(/^kubernetes-b\/creds\/operator\/[0-9A-Za-z]{24}$/);
    expect(res.json).toMatchObject({ lease_duration: 900, renewable: false, mount_type: 'kubernetes', auth: null });
    const data = res.json.data;
    expect(data.service_account_namespace).toBe('payments');
    expect(data.service_account_name).toMatch(/^v-userpass-operator-\d+-[0-9a-z]{24}$/);
    const sat = data.service_account_token as string;
    expect(sat.split('.')).toHaveLength(3);
    expect(decodeJwtPayload(sat)).toMatchObject({
      exp: (T0 + 900_000) / 1000,
      iat: T0 / 1000,
      sub: `system:serviceaccount:payments:${data.service_account_name}`,
    });

    const check = registry.check(sat, 'b', clock.now());
    expect(check).toEqual({
      ok: true,
      identity: {
        user: `system:serviceaccount:payments:${data.service_account_name}`,
        groups: ['system:serviceaccounts', 'system:serviceaccounts:payments', 'system:authenticated'],
        role: 'operator',
      },
    });
    expect(registry.check(sat, 'a', clock.now())).toEqual({ ok: false, reason: 'wrong-site' });
  });

  it('remembers every secret it issued, also after revocation, for secret-hygiene checks', async () => {
    const { call, login, vault } = await start();
    const token = await login('operator');
    const res = await call('POST', '/v1/kubernetes-a/creds/operator', { token, body: { kubernetes_namespace: 'default' } });
    expect((await call('PUT', '/v1/sys/leases/revoke', { token, body: { lease_id: res.json.lease_id } })).status).toBe(204);
    expect(vault.leases()).toEqual([]);
    expect(vault.issued()).toEqual(expect.arrayContaining([token, res.json.data.service_account_token, res.json.lease_id]));
    expect(vault.issued()).not.toContain(vault.rootToken);
  });

  it('expires the site token in the registry when the lease ends', async () => {
    const { call, login, registry, clock, vault } = await start({ credsTtl: 1200 });
    const token = await login('operator');
    const res = await call('PUT', '/v1/kubernetes-a/creds/viewer', { token, body: { kubernetes_namespace: 'default' } });
    expect(res.json.lease_duration).toBe(1200);
    const sat = res.json.data.service_account_token as string;
    clock.advance(1199);
    expect(registry.check(sat, 'a', clock.now()).ok).toBe(true);
    clock.advance(1);
    expect(registry.check(sat, 'a', clock.now())).toEqual({ ok: false, reason: 'expired' });
    // Vault forgets the lease; the registry keeps the expired entry a while, then drops it.
    vault.sweep();
    expect(vault.leases()).toEqual([]);
    expect(registry.check(sat, 'a', clock.now())).toEqual({ ok: false, reason: 'expired' });
    clock.advance(3600);
    vault.sweep();
    expect(registry.check(sat, 'a', clock.now())).toEqual({ ok: false, reason: 'unknown' });
  });

  it('honours a requested ttl and caps it at the role max with a warning', async () => {
    const { call, login } = await start({ credsMaxTtl: 3600 });
    const token = await login('admin');
    const ok = await call('POST', '/v1/kubernetes-c/creds/admin', {
      token,
      body: { kubernetes_namespace: 'default', ttl: '20m' },
    });
    expect(ok.json.lease_duration).toBe(1200);
    const capped = await call('POST', '/v1/kubernetes-c/creds/admin', {
      token,
      body: { kubernetes_namespace: 'default', ttl: 7200 },
    });
    expect(capped.json.lease_duration).toBe(3600);
    expect(capped.json.warnings).toEqual([
      "ttl of 2h0m0s is greater than the role's token_max_ttl of 1h0m0s; capping accordingly",
    ]);
  });

  it('fails like Kubernetes for a requested ttl under 10 minutes', async () => {
    const { call, login, vault } = await start();
    const token = await login('admin');
    const res = await call('POST', '/v1/kubernetes-a/creds/admin', {
      token,
      body: { kubernetes_namespace: 'default', ttl: '5m' },
    });
    expect(res.status).toBe(500);
    expect(res.json.errors[0]).toMatch(/may not specify a duration less than 10 minutes/);
    expect(vault.leases()).toEqual([]);
  });

  it('validates the request', async () => {
    const { call, login } = await start();
    const token = await login('admin');
    const cases: [unknown, string][] = [
      [{}, "'kubernetes_namespace' is required"],
      [{ kubernetes_namespace: 'Not_Valid' }, "kubernetes_namespace 'Not_Valid' is not a valid namespace name"],
      [{ kubernetes_namespace: 42 }, "kubernetes_namespace '42' is not a valid namespace name"],
      [{ kubernetes_namespace: 'default', ttl: 'later' }, 'invalid ttl: "later"'],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/v1/kubernetes-a/creds/viewer', { token, body });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ errors: [message] });
    }
    const role = await call('POST', '/v1/kubernetes-a/creds/superuser', { token, body: { kubernetes_namespace: 'x' } });
    expect(role.status).toBe(400);
    expect(role.json).toEqual({ errors: ["role 'superuser' does not exist"] });
    const mount = await call('POST', '/v1/kubernetes-z/creds/admin', { token, body: { kubernetes_namespace: 'x' } });
    expect(mount.status).toBe(404);
  });

  it('denies roles above the user role', async () => {
    const { call, login, vault } = await start();
    const viewer = await login('viewer');
    const operator = await login('operator');
    const body = { kubernetes_namespace: 'default' };
    for (const [token, role, status] of [
      [viewer, 'admin', 403],
      [viewer, 'operator', 403],
      [viewer, 'viewer', 200],
      [operator, 'admin', 403],
      [operator, 'operator', 200],
      // A role that does not exist is refused by policy before the engine sees it.
      [viewer, 'superuser', 403],
    ] as const) {
      const res = await call('POST', `/v1/kubernetes-a/creds/${role}`, { token, body });
      expect(res.status, `${role}`).toBe(status);
      if (status === 403) expect(res.json).toEqual({ errors: ['permission denied'] });
    }
    expect(vault.leases().map((l) => l.role)).toEqual(['viewer', 'operator']);
    expect((await call('POST', '/v1/kubernetes-a/creds/viewer', { body })).status).toBe(403);
  });

  it('ends site tokens with the Vault token that requested them unless it is renewed', async () => {
    const { call, login, registry, clock } = await start({ defaultTokenTtl: 3600, credsMaxTtl: 7200 });
    const token = await login('admin');
    clock.advance(1800);
    const res = await call('POST', '/v1/kubernetes-a/creds/admin', {
      token,
      body: { kubernetes_namespace: 'default', ttl: '1h' },
    });
    const sat = res.json.data.service_account_token as string;
    // The lease says 1h, but the parent token ends in 30m and takes the lease with it.
    expect(res.json.lease_duration).toBe(3600);
    clock.advance(1200);
    await call('POST', '/v1/auth/token/renew-self', { token, body: { increment: '1h' } });
    // Renewed: the site token now lives to the lease end (T0+90m), not the new token end (T0+110m).
    clock.set(T0 + 90 * 60_000 - 1);
    expect(registry.check(sat, 'a', clock.now()).ok).toBe(true);
    clock.set(T0 + 90 * 60_000);
    expect(registry.check(sat, 'a', clock.now())).toEqual({ ok: false, reason: 'expired' });

    // Without a renewal the site token dies at the token's expiry.
    const token2 = await login('admin');
    const res2 = await call('POST', '/v1/kubernetes-a/creds/admin', {
      token: token2,
      body: { kubernetes_namespace: 'default', ttl: '2h' },
    });
    const sat2 = res2.json.data.service_account_token as string;
    clock.advance(3599);
    expect(registry.check(sat2, 'a', clock.now()).ok).toBe(true);
    clock.advance(1);
    expect(registry.check(sat2, 'a', clock.now())).toEqual({ ok: false, reason: 'expired' });
    // Vault revokes the expired token's leases (applied on the next request or sweep).
    await call('GET', '/v1/sys/health');
    expect(tv?.vault.leases().map((l) => l.leaseId)).not.toContain(res2.json.lease_id);
    expect(registry.check(sat2, 'a', clock.now())).toEqual({ ok: false, reason: 'expired' });
  });

  it('leaves a scenario-shortened expiry alone when the owner renews', async () => {
    const { call, login, registry, clock } = await start();
    const token = await login('admin');
    const res = await call('POST', '/v1/kubernetes-a/creds/admin', { token, body: { kubernetes_namespace: 'default' } });
    const sat = res.json.data.service_account_token as string;
    registry.expireAt('a', clock.now() + 60_000);
    await call('POST', '/v1/auth/token/renew-self', { token });
    clock.advance(60);
    expect(registry.check(sat, 'a', clock.now())).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('sys/leases', () => {
  async function withLease(): Promise<{ t: TestVault; token: string; leaseId: string; sat: string }> {
    const t = await start();
    const token = await t.login('operator');
    const res = await t.call('POST', '/v1/kubernetes-a/creds/operator', {
      token,
      body: { kubernetes_namespace: 'default' },
    });
    return { t, token, leaseId: res.json.lease_id, sat: res.json.data.service_account_token };
  }

  it('refuses to renew: these leases are not renewable', async () => {
    const { t, token, leaseId } = await withLease();
    const res = await t.call('PUT', '/v1/sys/leases/renew', { token, body: { lease_id: leaseId, increment: 600 } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: ['lease is not renewable'] });
    const path = await t.call('PUT', `/v1/sys/leases/renew/${leaseId}`, { token });
    expect(path.json).toEqual({ errors: ['lease is not renewable'] });
  });

  it('answers "invalid lease" for unknown and ended leases', async () => {
    const { t, token, leaseId } = await withLease();
    const unknown = await t.call('PUT', '/v1/sys/leases/renew', { token, body: { lease_id: 'kubernetes-a/creds/x/y' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({ errors: ['invalid lease'] });
    t.clock.advance(900);
    const ended = await t.call('PUT', '/v1/sys/leases/lookup', { token, body: { lease_id: leaseId } });
    expect(ended.json).toEqual({ errors: ['invalid lease'] });
    const missing = await t.call('PUT', '/v1/sys/leases/renew', { token, body: {} });
    expect(missing.json).toEqual({ errors: ['lease_id is required'] });
  });

  it('looks a lease up', async () => {
    const { t, token, leaseId } = await withLease();
    t.clock.advance(100);
    const res = await t.call('POST', '/v1/sys/leases/lookup', { token, body: { lease_id: leaseId } });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      id: leaseId,
      issue_time: new Date(T0).toISOString(),
      expire_time: new Date(T0 + 900_000).toISOString(),
      last_renewal_time: null,
      renewable: false,
      ttl: 800,
    });
  });

  it('revokes a lease and its site token at once; revoking again is fine', async () => {
    const { t, token, leaseId, sat } = await withLease();
    const res = await t.call('PUT', '/v1/sys/leases/revoke', { token, body: { lease_id: leaseId } });
    expect(res.status).toBe(204);
    expect(t.registry.check(sat, 'a', t.clock.now())).toEqual({ ok: false, reason: 'unknown' });
    expect(t.vault.leases()).toEqual([]);
    expect((await t.call('PUT', `/v1/sys/leases/revoke/${leaseId}`, { token })).status).toBe(204);
  });

  it('needs a valid token', async () => {
    const { t, leaseId } = await withLease();
    const res = await t.call('PUT', '/v1/sys/leases/revoke', { body: { lease_id: leaseId } });
    expect(res.status).toBe(403);
    expect(t.vault.leases()).toHaveLength(1);
  });
});
