/**
 * Vault and the site API servers together: a token that Vault's Kubernetes
 * secrets engine issues works at its own site only, stops working when its
 * lease ends or is revoked, and a sealed Vault answers 503 while the sites
 * keep serving the credentials already issued.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from './testing/fleet-fixture';

let t: TestFleet;
let clock = Date.parse('2026-11-28T03:00:00Z');
const [A, B] = ['fra', 'ams'];

beforeAll(async () => {
  t = await startTestFleet({ sites: 2, now: () => clock });
});
afterAll(async () => t?.close());

function vault(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, t.fleet.vault.url), { method, ca: t.fleet.tls.caCert, headers: { ...(token ? { 'x-vault-token': token } : {}), 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function login(user: string): Promise<string> {
  const r = await vault('POST', `/v1/auth/userpass/login/${user}`, undefined, { password: 'training' });
  expect(r.status).toBe(200);
  return (r.json.auth as { client_token: string }).client_token;
}

describe('Vault-issued site credentials', () => {
  it('a creds token works at its site, not at another, and ends with its lease', async () => {
    const vt = await login('operator');
    const creds = await vault('POST', `/v1/kubernetes-${A}/creds/operator`, vt, { kubernetes_namespace: 'default' });
    expect(creds.status).toBe(200);
    const token = (creds.json.data as { service_account_token: string }).service_account_token;
    const lease = creds.json.lease_duration as number;
    expect((await t.request(A, 'GET', '/api/v1/namespaces', { token })).status).toBe(200);
    expect((await t.request(B, 'GET', '/api/v1/namespaces', { token })).status).toBe(401);
    clock += (lease + 1) * 1000;
    const after = await t.request(A, 'GET', '/api/v1/namespaces', { token });
    expect(after.status).toBe(401);
    expect(after.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
  });

  it('revoking the lease revokes the site token; a viewer cannot get operator creds', async () => {
    const vt = await login('operator');
    const creds = await vault('POST', `/v1/kubernetes-${A}/creds/operator`, vt, { kubernetes_namespace: 'default' });
    const token = (creds.json.data as { service_account_token: string }).service_account_token;
    expect((await t.request(A, 'GET', '/api/v1/nodes', { token })).status).toBe(200);
    expect((await vault('PUT', '/v1/sys/leases/revoke', vt, { lease_id: creds.json.lease_id })).status).toBe(204);
    expect((await t.request(A, 'GET', '/api/v1/nodes', { token })).status).toBe(401);
    const viewer = await login('viewer');
    const denied = await vault('POST', `/v1/kubernetes-${A}/creds/operator`, viewer, { kubernetes_namespace: 'default' });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ errors: ['permission denied'] });
  });

  it('the vault-seal fault: 503 from Vault, issued tokens keep working until they expire', async () => {
    const vt = await login('admin');
    const creds = await vault('POST', `/v1/kubernetes-${B}/creds/viewer`, vt, { kubernetes_namespace: 'default' });
    const token = (creds.json.data as { service_account_token: string }).service_account_token;
    await t.fleet.faults.apply({ fault: 'vault-seal' });
    const sealed = await vault('GET', '/v1/auth/token/lookup-self', vt);
    expect(sealed.status).toBe(503);
    expect(sealed.json).toEqual({ errors: ['Vault is sealed'] });
    expect((await vault('GET', '/v1/sys/health')).json).toMatchObject({ sealed: true });
    expect((await t.request(B, 'GET', '/api/v1/namespaces', { token })).status).toBe(200);
    await t.fleet.faults.apply({ fault: 'vault-unseal' });
    expect((await vault('GET', '/v1/auth/token/lookup-self', vt)).status).toBe(200);
  });

  it('the credentials-expire fault ends every token at one site only', async () => {
    await t.fleet.faults.apply({ fault: 'credentials-expire', site: A, inSeconds: 0 });
    expect((await t.request(A, 'GET', '/api/v1/namespaces', { role: 'operator' })).status).toBe(401);
    expect((await t.request(B, 'GET', '/api/v1/namespaces', { role: 'operator' })).status).toBe(200);
  });
});
