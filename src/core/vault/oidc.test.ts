/**
 * The OIDC sign-in's loopback part. The emulator's Vault has no OIDC auth
 * method, so a local fake plays Vault's oidc endpoints and the identity
 * provider (a Dex that has already signed the user in), and `openExternal`
 * plays the browser: it follows the provider's redirect to the loopback
 * listener the way a browser would.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../keychain';
import { VaultClient } from './client';
import type { VaultError } from './errors';
import { VaultSession } from './session';
import { realTimers } from './timers';

let server: http.Server;
let base: string;
const flows = new Map<string, { redirectUri: string; clientNonce: string; code: string }>();
const TOKEN = 'hvs.oidc-issued-token-for-alice';
/** How the provider answers the next authorization request. */
let idp: 'consent' | 'refuse' = 'consent';

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      if (req.method === 'POST' && url.pathname === '/v1/auth/oidc/oidc/auth_url') {
        const b = JSON.parse(body) as { redirect_uri: string; client_nonce: string; role?: string };
        // As Vault does for a redirect URI the role does not allow: an empty URL.
        if (b.role === 'strict') return json(res, 200, { data: { auth_url: '' } });
        const state = `st_${randomBytes(8).toString('hex')}`;
        flows.set(state, { redirectUri: b.redirect_uri, clientNonce: b.client_nonce, code: `code_${randomBytes(8).toString('hex')}` });
        const q = new URLSearchParams({ client_id: 'vault', redirect_uri: b.redirect_uri, response_type: 'code', scope: 'openid', state, nonce: 'n' });
        return json(res, 200, { data: { auth_url: `${base}/idp/auth?${q}` } });
      }
      if (url.pathname === '/idp/auth') {
        const state = url.searchParams.get('state') ?? '';
        const flow = flows.get(state);
        if (!flow) return json(res, 400, { error: 'unknown state' });
        const back = new URL(flow.redirectUri);
        back.searchParams.set('state', state);
        if (idp === 'refuse') {
          back.searchParams.set('error', 'access_denied');
          back.searchParams.set('error_description', 'user is not in group ops');
        } else back.searchParams.set('code', flow.code);
        res.writeHead(302, { location: back.toString() }).end();
        return;
      }
      if (req.method === 'GET' && url.pathname === '/v1/auth/oidc/oidc/callback') {
        const flow = flows.get(url.searchParams.get('state') ?? '');
        if (!flow || flow.code !== url.searchParams.get('code') || flow.clientNonce !== url.searchParams.get('client_nonce')) return json(res, 400, { errors: ['invalid state, code or client nonce'] });
        return json(res, 200, { auth: { client_token: TOKEN, accessor: 'acc-oidc', policies: ['default', 'ops'], lease_duration: 3600, renewable: true } });
      }
      if (url.pathname === '/v1/auth/token/lookup-self' && req.headers['x-vault-token'] === TOKEN) {
        return json(res, 200, { data: { accessor: 'acc-oidc', display_name: 'oidc-alice@example.com', ttl: 3600, renewable: true, policies: ['default', 'ops'], expire_time: null } });
      }
      json(res, 403, { errors: ['permission denied'] });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server?.close(r)));
beforeEach(() => {
  idp = 'consent';
});

/** The browser: opens the provider's page and follows its redirect to the loopback listener. */
async function browser(url: string, before?: (callback: URL) => Promise<void>): Promise<void> {
  const r = await fetch(url, { redirect: 'manual' });
  const location = new URL(r.headers.get('location') as string);
  await before?.(location);
  const page = await fetch(location);
  await page.text();
}

function session(): { s: VaultSession; client: VaultClient } {
  const client = new VaultClient({ address: base });
  return { s: new VaultSession({ client, keychain: new MemoryKeychain(), timers: realTimers, random: Math.random }), client };
}

describe('OIDC sign-in through the system browser', () => {
  it('opens the provider, takes code and state on the loopback, and ends with a Vault token', async () => {
    const { s, client } = session();
    let opened = '';
    let port = 0;
    const st = await s.signInWithOidc({
      role: 'ops',
      port: 0,
      openExternal: async (url) => {
        opened = url;
        const auth = new URL(url);
        const redirect = new URL(auth.searchParams.get('redirect_uri') as string);
        port = Number(redirect.port);
        // The vault CLI's redirect URI shape, on the port the listener got.
        expect(redirect.toString()).toBe(`http://localhost:${port}/oidc/callback`);
        await browser(url);
      },
    });
    expect(opened.startsWith(`${base}/idp/auth?`)).toBe(true);
    expect(st).toMatchObject({ state: 'signed-in', identity: 'oidc-alice@example.com', method: 'oidc', policies: ['default', 'ops'] });
    expect(s.auth()?.token).toBe(TOKEN);
    // The listener is gone once the sign-in is over.
    await expect(fetch(`http://127.0.0.1:${port}/oidc/callback`)).rejects.toThrow();
    s.close();
    client.close();
  });

  it('ignores a callback with another state (a forged link) and still completes with the real one', async () => {
    const { s, client } = session();
    let forgedStatus = 0;
    await s.signInWithOidc({
      port: 0,
      openExternal: (url) =>
        browser(url, async (callback) => {
          const forged = new URL(callback);
          forged.searchParams.set('state', 'st_attacker');
          forged.searchParams.set('code', 'code_attacker');
          forgedStatus = (await fetch(forged)).status;
        }),
    });
    expect(forgedStatus).toBe(400);
    expect(s.status().state).toBe('signed-in');
    s.close();
    client.close();
  });

  it("the provider's refusal, a role without our redirect URI, no answer, and cancelling each end with a clear error", async () => {
    const { s, client } = session();
    idp = 'refuse';
    const refused = await s.signInWithOidc({ port: 0, openExternal: (url) => browser(url) }).catch((e: unknown) => e as VaultError);
    expect((refused as VaultError).kind).toBe('sign-in');
    expect((refused as VaultError).message).toBe('The identity provider refused the sign-in: access_denied (user is not in group ops)');
    idp = 'consent';
    const strict = await s.signInWithOidc({ role: 'strict', port: 0, openExternal: () => undefined }).catch((e: unknown) => e as VaultError);
    expect((strict as VaultError).message).toMatch(/^Vault gave no sign-in URL for the OIDC role 'strict': ask your Vault administrator to add http:\/\/localhost:\d+\/oidc\/callback to the role's allowed_redirect_uris\.$/);
    const silent = await s.signInWithOidc({ port: 0, timeoutMs: 200, openExternal: () => undefined }).catch((e: unknown) => e as VaultError);
    expect((silent as VaultError).message).toBe('No answer from the browser within 0 s; sign in again.');
    const ac = new AbortController();
    const cancelled = s.signInWithOidc({ port: 0, signal: ac.signal, openExternal: () => ac.abort() }).catch((e: unknown) => e as VaultError);
    expect(((await cancelled) as VaultError).message).toBe('Sign-in cancelled.');
    expect(s.status().state).toBe('signed-out');
    client.close();
  });
});
