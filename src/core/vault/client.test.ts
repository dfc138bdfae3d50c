/**
 * VaultClient's wire behaviour and error messages: against the emulator's
 * Vault over HTTPS where it has the behaviour (sealed, 403, 404, TLS), and a
 * scripted local server for what it does not (standby codes, a proxy's
 * HTML, a Vault that never answers, the headers sent).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultClient } from './client';
import { VaultError } from './errors';
import { resolveVaultSettings } from './settings';
import { startVaultFleet, type VaultFleet } from './test-fleet';

let f: VaultFleet;
let fake: http.Server;
let fakeUrl: string;
/** What the scripted server answers next, and the headers it saw. */
let reply: { status: number; body: string; hang?: boolean } = { status: 200, body: '{}' };
let seen: http.IncomingHttpHeaders = {};

beforeAll(async () => {
  f = await startVaultFleet();
  fake = http.createServer((req, res) => {
    seen = req.headers;
    if (reply.hang) return;
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  fake?.closeAllConnections();
  await new Promise((r) => fake?.close(r));
  await f?.close();
});

async function failure(p: Promise<unknown>): Promise<VaultError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VaultError);
  return err as VaultError;
}

describe('VaultClient against the emulator', () => {
  it('sealed: 503 becomes a `sealed` error that says an operator must unseal', async () => {
    const c = new VaultClient(f.settings);
    f.vault.seal();
    try {
      const e = await failure(c.lookupSelf(f.vault.rootToken));
      expect(e.kind).toBe('sealed');
      expect(e.transient).toBe(true);
      expect(e.message).toBe(`Vault at ${f.vault.url} is sealed (503): a Vault operator must unseal it. Sites keep working with the credentials already issued until those expire.`);
    } finally {
      f.vault.unseal();
      c.close();
    }
  });

  it('403 and 404 say what to check, and never carry the token', async () => {
    const c = new VaultClient(f.settings);
    const bogus = 'hvs.NotARealTokenButLongEnough';
    const self = await failure(c.lookupSelf(bogus));
    expect(self.kind).toBe('permission-denied');
    expect(self.message).toContain('Sign in to Vault again');
    const login = await c.login('auth/userpass/login/viewer', { body: { password: 'training' }, secrets: ['training'] });
    const denied = await failure(c.request('POST', 'kubernetes-fra/creds/admin', { token: login.client_token, body: { kubernetes_namespace: 'default' } }));
    expect(denied.kind).toBe('permission-denied');
    expect(denied.message).toContain('Vault refused kubernetes-fra/creds/admin (403 permission denied)');
    expect(denied.message).toContain('policy');
    const missing = await failure(c.request('GET', 'secret/data/triptych/nope', { token: f.vault.rootToken }));
    expect(missing.kind).toBe('not-found');
    expect(missing.message).toContain('Vault also answers 404 when your policies do not let you see a path');
    for (const e of [self, denied, missing]) {
      expect(e.message).not.toContain(bogus);
      expect(e.message).not.toContain(login.client_token);
      expect(e.message).not.toContain(f.vault.rootToken);
    }
    c.close();
  });

  it('an untrusted certificate: a `tls` error that names VAULT_CACERT', async () => {
    const c = new VaultClient({ address: f.vault.url });
    const e = await failure(c.lookupSelf(f.vault.rootToken));
    expect(e.kind).toBe('tls');
    expect(e.message).toContain('set vault.caCert in triptych.yaml or VAULT_CACERT');
    c.close();
  });

  it('nothing listening: `unreachable`, naming the address', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const c = new VaultClient({ address: `http://127.0.0.1:${port}` });
    const e = await failure(c.lookupSelf('x'));
    expect(e.kind).toBe('unreachable');
    expect(e.message).toBe(`Cannot reach Vault at http://127.0.0.1:${port} (ECONNREFUSED): check vault.address in triptych.yaml or VAULT_ADDR, and that Vault is running and reachable from here.`);
    c.close();
  });
});

describe('VaultClient against a scripted server', () => {
  it('sends X-Vault-Token, X-Vault-Namespace and X-Vault-Request', async () => {
    const c = new VaultClient({ address: fakeUrl, namespace: 'ops/eu' });
    reply = { status: 200, body: JSON.stringify({ data: { accessor: 'a', display_name: 'token', ttl: 0, renewable: false, policies: ['root'], expire_time: null } }) };
    await c.lookupSelf('hvs.sent');
    expect(seen['x-vault-token']).toBe('hvs.sent');
    expect(seen['x-vault-namespace']).toBe('ops/eu');
    expect(seen['x-vault-request']).toBe('true');
    c.close();
  });

  it('standby codes, other 503s, 5xx, a proxy page and silence each get their own kind', async () => {
    const c = new VaultClient({ address: fakeUrl }, { timeoutMs: 300 });
    const cases: [number, string, string][] = [
      [429, '{"errors":[]}', 'standby'],
      [473, '{"errors":[]}', 'standby'],
      [503, '{"errors":["no active node"]}', 'unavailable'],
      [500, '{"errors":["internal error"]}', 'server-error'],
      [200, '<html>proxy login</html>', 'invalid-response'],
    ];
    for (const [status, body, kind] of cases) {
      reply = { status, body };
      const e = await failure(c.lookupSelf('hvs.x'));
      expect([status, e.kind]).toEqual([status, kind]);
    }
    reply = { status: 429, body: '{"errors":[]}' };
    expect((await failure(c.lookupSelf('hvs.x'))).message).toContain('point vault.address at the active node');
    reply = { status: 200, body: '', hang: true };
    const slow = await failure(c.lookupSelf('hvs.x'));
    expect(slow.kind).toBe('timeout');
    c.close();
  });

  it("cuts secrets the request carried out of Vault's messages", async () => {
    const c = new VaultClient({ address: fakeUrl });
    reply = { status: 400, body: JSON.stringify({ errors: ['bad password s3cret-pw for token hvs.leaky'] }) };
    const e = await failure(c.request('POST', 'auth/userpass/login/a', { token: 'hvs.leaky', body: { password: 's3cret-pw' }, secrets: ['s3cret-pw'] }));
    expect(e.message).toBe('Vault refused auth/userpass/login/a (400: bad password <redacted> for token <redacted>).');
    c.close();
  });
});

describe('resolveVaultSettings', () => {
  it('triptych.yaml first, then VAULT_ADDR, VAULT_CACERT and VAULT_NAMESPACE; nothing when neither names a Vault', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-ca-'));
    try {
      const ca = path.join(dir, 'ca.pem');
      await writeFile(ca, f.t.fleet.tls.caCert);
      expect(await resolveVaultSettings(undefined, {})).toBeUndefined();
      const fromEnv = await resolveVaultSettings(undefined, { VAULT_ADDR: 'https://vault.example.com:8200/', VAULT_CACERT: ca, VAULT_NAMESPACE: 'ops' });
      expect(fromEnv).toMatchObject({ address: 'https://vault.example.com:8200', caFile: ca, namespace: 'ops', addressFrom: 'VAULT_ADDR', auth: { method: 'oidc', mount: 'oidc' } });
      expect(fromEnv?.ca).toContain('BEGIN CERTIFICATE');
      const fromFile = await resolveVaultSettings({ address: 'https://v.corp:8200', auth: { method: 'ldap', mount: 'ldap' } }, { VAULT_ADDR: 'https://other:8200', VAULT_NAMESPACE: 'ops' });
      expect(fromFile).toMatchObject({ address: 'https://v.corp:8200', addressFrom: 'triptych.yaml', namespace: 'ops', auth: { method: 'ldap' } });
      const bad = await resolveVaultSettings(undefined, { VAULT_ADDR: 'http://vault.corp:8200' }).catch((e: unknown) => e as VaultError);
      expect((bad as VaultError).kind).toBe('settings');
      expect((bad as VaultError).message).toContain('plain http');
      const noCa = await resolveVaultSettings(undefined, { VAULT_ADDR: 'https://v:8200', VAULT_CACERT: path.join(dir, 'missing.pem') }).catch((e: unknown) => e as VaultError);
      expect((noCa as VaultError).message).toBe(`Cannot read the Vault CA file ${path.join(dir, 'missing.pem')} named by VAULT_CACERT: ENOENT`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
