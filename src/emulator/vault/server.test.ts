import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenRegistry } from '../auth';
import { Rng } from '../rng';
import { startVault } from './server';
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

describe('sys/health', () => {
  it('answers 200 with Vault\'s body when active and unsealed', async () => {
    const { call } = await start();
    const res = await call('GET', '/v1/sys/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({
      initialized: true,
      sealed: false,
      standby: false,
      performance_standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: T0 / 1000,
      version: '1.19.0',
    });
    expect(res.json.cluster_name).toMatch(/^vault-cluster-[0-9a-z]{8}$/);
    expect(res.json.cluster_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 429 on a standby, 200 with standbyok, and custom codes', async () => {
    const { call, vault } = await start();
    vault.setStandby(true);
    expect(vault.status()).toEqual({ sealed: false, standby: true });
    const res = await call('GET', '/v1/sys/health');
    expect(res.status).toBe(429);
    expect(res.json).toMatchObject({ standby: true, sealed: false });
    expect((await call('GET', '/v1/sys/health?standbyok=true')).status).toBe(200);
    expect((await call('GET', '/v1/sys/health?standbyok=1&activecode=204')).status).toBe(204);
    expect((await call('GET', '/v1/sys/health?standbyok=false')).status).toBe(429);
    // An empty value decodes to false in Vault's parameter parsing.
    expect((await call('GET', '/v1/sys/health?standbyok')).status).toBe(429);
    expect((await call('GET', '/v1/sys/health?standbycode=299')).status).toBe(299);
    // A standby forwards requests to the active node, so the API keeps working.
    expect((await call('GET', '/v1/sys/leader')).json).toMatchObject({ ha_enabled: true, is_self: false });
    expect((await call('POST', '/v1/auth/userpass/login/viewer', { body: { password: 'training' } })).status).toBe(200);
    vault.setStandby(false);
    expect((await call('GET', '/v1/sys/health')).status).toBe(200);
    expect((await call('GET', '/v1/sys/leader')).json).toMatchObject({ is_self: true, leader_address: vault.url });
  });

  it('answers 503 when sealed, or sealedcode; standbyok does not help', async () => {
    const { call, vault } = await start();
    vault.seal();
    const res = await call('GET', '/v1/sys/health');
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ initialized: true, sealed: true, standby: true });
    expect(res.json.cluster_name).toBeUndefined();
    expect((await call('GET', '/v1/sys/health?standbyok=true')).status).toBe(503);
    expect((await call('GET', '/v1/sys/health?sealedcode=200')).status).toBe(200);
  });

  it('answers 400 with an empty error list for unparsable parameters', async () => {
    const { call } = await start();
    for (const q of ['activecode=abc', 'sealedcode=20x', 'standbyok=maybe', 'activecode=42']) {
      const res = await call('GET', `/v1/sys/health?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json).toEqual({ errors: [] });
    }
  });

  it('answers HEAD with the status code only', async () => {
    const { call, vault } = await start();
    vault.setStandby(true);
    const res = await call('HEAD', '/v1/sys/health');
    expect(res.status).toBe(429);
    expect(res.text).toBe('');
  });
});

describe('sealing', () => {
  it('reports the seal state in sys/seal-status', async () => {
    const { call, vault } = await start();
    const open = await call('GET', '/v1/sys/seal-status');
    expect(open.status).toBe(200);
    expect(open.json).toMatchObject({ type: 'shamir', initialized: true, sealed: false, t: 3, n: 5, progress: 0 });
    expect(open.json.cluster_name).toBeDefined();
    vault.seal();
    const sealed = await call('GET', '/v1/sys/seal-status');
    expect(sealed.status).toBe(200);
    expect(sealed.json).toMatchObject({ sealed: true, version: '1.19.0' });
    expect(sealed.json.cluster_id).toBeUndefined();
  });

  it('answers 503 "Vault is sealed" everywhere else, then resumes with state intact', async () => {
    const { call, login, vault } = await start({ kv: { 'triptych/x': { a: 1 } } });
    const token = await login('admin');
    vault.seal();
    const requests: [string, string, unknown?][] = [
      ['GET', '/v1/auth/token/lookup-self'],
      ['POST', '/v1/auth/userpass/login/admin', { password: 'training' }],
      ['GET', '/v1/secret/data/triptych/x'],
      ['POST', '/v1/kubernetes-a/creds/admin', { kubernetes_namespace: 'default' }],
      ['PUT', '/v1/sys/leases/revoke', { lease_id: 'x' }],
      ['GET', '/v1/sys/leader'],
      ['GET', '/v1/no/such/path'],
      ['GET', '/v1/'],
    ];
    for (const [method, path, body] of requests) {
      const res = await call(method, path, { token, body });
      expect(res.status, path).toBe(503);
      expect(res.json).toEqual({ errors: ['Vault is sealed'] });
    }
    vault.unseal();
    expect((await call('GET', '/v1/auth/token/lookup-self', { token })).status).toBe(200);
    expect((await call('GET', '/v1/secret/data/triptych/x', { token })).json.data.data).toEqual({ a: 1 });
  });
});

describe('KV v2 at secret/', () => {
  const seeded = { kv: { 'triptych/db': { user: 'app', password: 'pw' }, 'ops/root': { key: 'k' } } };

  it('reads seeded secrets with their metadata', async () => {
    const { call, login } = await start(seeded);
    const token = await login('viewer');
    const res = await call('GET', '/v1/secret/data/triptych/db', { token });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      data: { user: 'app', password: 'pw' },
      metadata: {
        created_time: new Date(T0).toISOString(),
        custom_metadata: null,
        deletion_time: '',
        destroyed: false,
        version: 1,
      },
    });
  });

  it('applies the role policies', async () => {
    const { call, login } = await start(seeded);
    const viewer = await login('viewer');
    const operator = await login('operator');
    const admin = await login('admin');
    expect((await call('GET', '/v1/secret/data/ops/root', { token: viewer })).status).toBe(403);
    expect((await call('GET', '/v1/secret/data/ops/root', { token: operator })).status).toBe(403);
    expect((await call('GET', '/v1/secret/data/ops/root', { token: admin })).status).toBe(200);
    const denied = await call('POST', '/v1/secret/data/triptych/db', { token: viewer, body: { data: { x: 1 } } });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ errors: ['permission denied'] });
    const written = await call('POST', '/v1/secret/data/triptych/db', { token: operator, body: { data: { x: 1 } } });
    expect(written.status).toBe(200);
    expect(written.json.data).toMatchObject({ version: 2, deletion_time: '', destroyed: false });
    expect((await call('PUT', '/v1/secret/data/triptych/new', { token: operator, body: { data: {} } })).status).toBe(200);
    expect((await call('PUT', '/v1/secret/data/ops/new', { token: operator, body: { data: {} } })).status).toBe(403);
    expect((await call('DELETE', '/v1/secret/data/triptych/db', { token: operator })).status).toBe(403);
  });

  it('serves versions, metadata, lists, check-and-set and soft delete', async () => {
    const { call, login, clock } = await start(seeded);
    const admin = await login('admin');
    clock.advance(60);
    await call('POST', '/v1/secret/data/triptych/db', { token: admin, body: { data: { user: 'v2' } } });
    expect((await call('GET', '/v1/secret/data/triptych/db?version=1', { token: admin })).json.data.data.user).toBe('app');
    expect((await call('GET', '/v1/secret/data/triptych/db?version=x', { token: admin })).status).toBe(400);
    const meta = await call('GET', '/v1/secret/metadata/triptych/db', { token: admin });
    expect(meta.json.data).toMatchObject({ current_version: 2, oldest_version: 1, max_versions: 0 });
    expect(Object.keys(meta.json.data.versions)).toEqual(['1', '2']);
    const list = await call('GET', '/v1/secret/metadata/?list=true', { token: admin });
    expect(list.json.data.keys).toEqual(['ops/', 'triptych/']);
    const cas = await call('POST', '/v1/secret/data/triptych/db', {
      token: admin,
      body: { data: {}, options: { cas: 1 } },
    });
    expect(cas.status).toBe(400);
    expect(cas.json.errors).toEqual(['check-and-set parameter did not match the current version']);
    expect((await call('DELETE', '/v1/secret/data/triptych/db', { token: admin })).status).toBe(204);
    const gone = await call('GET', '/v1/secret/data/triptych/db', { token: admin });
    expect(gone.status).toBe(404);
    expect(gone.json.data.data).toBeNull();
    expect(gone.json.data.metadata.deletion_time).toBe(new Date(T0 + 60_000).toISOString());
  });

  it('lets a viewer list under triptych/ only', async () => {
    const { call, login } = await start(seeded);
    const viewer = await login('viewer');
    const ok = await call('GET', '/v1/secret/metadata/triptych?list=true', { token: viewer });
    expect(ok.json.data.keys).toEqual(['db']);
    expect((await call('GET', '/v1/secret/metadata/?list=true', { token: viewer })).status).toBe(403);
  });

  it('answers 404 with an empty error list for a missing secret', async () => {
    const { call, login } = await start(seeded);
    const admin = await login('admin');
    const res = await call('GET', '/v1/secret/data/triptych/missing', { token: admin });
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ errors: [] });
    expect((await call('GET', '/v1/secret/metadata/nothing?list=true', { token: admin })).status).toBe(404);
  });

  it('needs a data object to write', async () => {
    const { call, login } = await start();
    const admin = await login('admin');
    const res = await call('POST', '/v1/secret/data/x', { token: admin, body: { nodata: true } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: ['no data provided'] });
  });
});

describe('bad input', () => {
  it('answers 404 {"errors":[]} for unknown paths', async () => {
    const { call } = await start();
    for (const path of ['/v1/sys/nothing', '/v1/kubernetes-a/roles/x', '/v2/sys/health', '/', '/v1/']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.json).toEqual({ errors: [] });
    }
  });

  it('answers 405 for a method the path does not take', async () => {
    const { call } = await start();
    const res = await call('DELETE', '/v1/auth/token/lookup-self');
    expect(res.status).toBe(405);
    expect(res.json).toEqual({ errors: ['unsupported operation'] });
    expect(res.headers.get('allow')).toBe('GET');
    expect((await call('GET', '/v1/auth/userpass/login/admin')).status).toBe(405);
    expect((await call('POST', '/v1/sys/health')).status).toBe(405);
    expect((await call('PATCH', '/v1/secret/data/x')).status).toBe(405);
  });

  it('answers 400 with a clear message for malformed JSON, then keeps serving', async () => {
    const { call, login } = await start();
    const token = await login('admin');
    const broken = await call('POST', '/v1/auth/userpass/login/admin', { raw: '{"password": "training"' });
    expect(broken.status).toBe(400);
    expect(broken.json.errors[0]).toMatch(/^failed to parse JSON input: /);
    const array = await call('POST', '/v1/kubernetes-a/creds/admin', { token, raw: '["x"]' });
    expect(array.status).toBe(400);
    expect(array.json).toEqual({ errors: ['failed to parse JSON input: request body must be a JSON object'] });
    const nul = await call('PUT', '/v1/auth/token/renew-self', { token, raw: 'null' });
    expect(nul.status).toBe(400);
    const escape = await call('GET', '/v1/secret/data/%E0%A4%A');
    expect(escape.status).toBe(400);
    expect((await call('GET', '/v1/sys/health')).status).toBe(200);
  });

  it('refuses oversized bodies with 413 and keeps the connection usable', async () => {
    const { call } = await start();
    const res = await call('POST', '/v1/auth/userpass/login/admin', { raw: 'x'.repeat(2 << 20) });
    expect(res.status).toBe(413);
    expect((await call('GET', '/v1/sys/health')).status).toBe(200);
  });

  it('survives a client that hangs up mid-body', async () => {
    const { call, vault } = await start();
    const url = new URL(vault.url);
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/v1/auth/userpass/login/admin',
        headers: { 'Content-Length': '1000' },
      });
      req.on('error', () => resolve());
      req.write('{"password":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 20);
    });
    expect((await call('GET', '/v1/sys/health')).status).toBe(200);
  });

  it('treats a missing body on a write as no parameters', async () => {
    const { call, login } = await start();
    const token = await login('admin');
    const res = await call('POST', '/v1/kubernetes-a/creds/admin', { token });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: ["'kubernetes_namespace' is required"] });
  });
});

/**
 * Self-signed P-256 test certificate for IP 127.0.0.1, valid until 2126.
 * A throwaway fixture (made with openssl), kept inline so the test needs no
 * certificate tooling at run time. Never use it for anything else.
 */
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrerMpszPztskVL5l
dhl/PnNM5/p/DqxQghFRrSQtWXWhRANCAATHorB/BWYRHFfzAUVv/Jb4Cmw6Ex17
C22n83OayCJtEidrLYPsOSmnS0HbRsN8kh0ER5usLcWjdAY6c8Jqyw6w
-----END PRIVATE KEY-----
`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUCgAwIBAgIUMkbC7GEiYsxSFG+oon+Fb0/VhewwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOdmF1bHQudHJhaW5pbmcwIBcNMjYxMTI4MDMyMDI4WhgPMjEy
NjExMDQwMzIwMjhaMBkxFzAVBgNVBAMMDnZhdWx0LnRyYWluaW5nMFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAEx6KwfwVmERxX8wFFb/yW+ApsOhMdewttp/Nzmsgi
bRInay2D7Dkpp0tB20bDfJIdBEebrC3Fo3QGOnPCassOsKNkMGIwHQYDVR0OBBYE
FE61CO7pGrv5WrQgjP6YUbrYq7T/MB8GA1UdIwQYMBaAFE61CO7pGrv5WrQgjP6Y
UbrYq7T/MA8GA1UdEwEB/wQFMAMBAf8wDwYDVR0RBAgwBocEfwAAATAKBggqhkjO
PQQDAgNJADBGAiEA7uH5YAJpFKpFa6jYy9UXuYUuJSUVpd53sGx/a8+fRM8CIQC/
dpDVkIXRmG2cGvlv2Q6eRgdCZUU+yhF96+57Qbc84Q==
-----END CERTIFICATE-----
`;

describe('TLS', () => {
  it('serves HTTPS with the given key and certificate', async () => {
    const vault = await startVault({
      tls: { key: TEST_KEY, cert: TEST_CERT },
      now: () => T0,
      rng: new Rng('tls'),
      registry: new TokenRegistry(),
      sites: ['a'],
    });
    try {
      expect(vault.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(`${vault.url}/v1/sys/health`, { ca: TEST_CERT }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(JSON.parse(body)).toMatchObject({ sealed: false });
    } finally {
      await vault.close();
    }
  });
});

describe('startVault', () => {
  it('rejects site names that cannot be mount names', async () => {
    await expect(
      startVault({ now: () => T0, rng: new Rng(1), registry: new TokenRegistry(), sites: ['Bad/Site'] }),
    ).rejects.toThrow(/invalid site name/);
  });
});
