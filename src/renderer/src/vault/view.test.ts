import { describe, expect, it } from 'vitest';
import type { SiteCredentialStatus, VaultOverview } from '../../../shared/vault';
import { credentialView, initialMethod, openableUrl, timeLeft, vaultBadgeView } from './view';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const MIN = 60_000;

function overview(session: Partial<VaultOverview['session']> = {}): VaultOverview {
  return {
    addressFrom: 'training fleet',
    auth: { method: 'userpass', mount: 'userpass', username: 'operator' },
    session: { address: 'https://127.0.0.1:8200', state: 'signed-out', storage: 'keychain', ...session },
    sites: [],
  };
}

const SOURCE = 'Vault kubernetes-fra/creds/operator (namespace default)';

function creds(over: Partial<SiteCredentialStatus>): SiteCredentialStatus {
  return { site: 'fra', source: SOURCE, state: 'ok', ...over };
}

describe('timeLeft', () => {
  it('counts down to the end, then says expired', () => {
    expect(timeLeft(NOW + 43 * MIN, NOW)).toBe('43 min left');
    expect(timeLeft(NOW + 30_000, NOW)).toBe('30 s left');
    expect(timeLeft(NOW, NOW)).toBe('expired');
    expect(timeLeft(undefined, NOW)).toBeUndefined();
  });
});

describe('vaultBadgeView', () => {
  it('shows who is signed in, the time left and where the token is kept', () => {
    const v = vaultBadgeView(overview({ state: 'signed-in', identity: 'userpass-operator', expiresAt: NOW + 52 * MIN }), NOW);
    expect(v).toEqual({ state: 'signed-in', signedIn: true, label: 'userpass-operator', timeLeft: '52 min left', storage: 'keychain' });
  });

  it('says memory only, with the reason, when there is no keychain', () => {
    const v = vaultBadgeView(overview({ state: 'signed-in', identity: 'op', storage: 'memory', storageWarning: 'No keychain is available' }), NOW);
    expect(v.storage).toBe('memory only');
    expect(v.storageWarning).toBe('No keychain is available');
    // A token without an end (root) shows no countdown.
    expect(v.timeLeft).toBeUndefined();
  });

  it('carries the problem message while still signed in, and a sign-in prompt when not', () => {
    const sealed = vaultBadgeView(overview({ state: 'signed-in', identity: 'op', problem: { kind: 'sealed', message: 'Vault at https://v is sealed (503)' } }), NOW);
    expect(sealed.problem).toBe('Vault at https://v is sealed (503)');
    expect(vaultBadgeView(overview(), NOW)).toMatchObject({ signedIn: false, label: 'signed out' });
    expect(vaultBadgeView(overview({ state: 'expired', identity: 'op', expiresAt: NOW - MIN }), NOW)).toMatchObject({ signedIn: false, label: 'sign-in expired' });
    expect(vaultBadgeView(overview({ state: 'expiring', identity: 'op', expiresAt: NOW + 2 * MIN }), NOW)).toMatchObject({ signedIn: true, timeLeft: '2 min left' });
  });
});

describe('credentialView', () => {
  it('shows the source and the lease time left', () => {
    expect(credentialView(creds({ expiresAt: NOW + 43 * MIN }), NOW)).toEqual({ state: 'ok', summary: `${SOURCE} · 43 min left`, signedOut: false, canReconnect: false });
  });

  it('keeps the problem of a failing refresh next to the credentials still in use', () => {
    const v = credentialView(creds({ expiresAt: NOW + 5 * MIN, problem: { kind: 'sealed', message: 'Vault is sealed (503)' } }), NOW);
    expect(v.summary).toBe(`${SOURCE} · 5 min left`);
    expect(v.problem).toBe('Vault is sealed (503)');
    expect(v.canReconnect).toBe(false);
  });

  it('offers a new fetch after a failure or expiry, but not while signed out', () => {
    expect(credentialView(creds({ state: 'failed', problem: { kind: 'permission-denied', message: 'permission denied' } }), NOW)).toMatchObject({ summary: `${SOURCE} · failed`, canReconnect: true });
    expect(credentialView(creds({ state: 'expired', problem: { kind: 'rejected', message: '401' } }), NOW).canReconnect).toBe(true);
    expect(credentialView(creds({ state: 'failed', problem: { kind: 'signed-out', message: 'Sign in to Vault' } }), NOW)).toMatchObject({
      summary: `${SOURCE} · waiting for a Vault sign-in`,
      signedOut: true,
      canReconnect: false,
    });
    expect(credentialView(creds({ state: 'idle' }), NOW)).toMatchObject({ summary: `${SOURCE} · not fetched`, canReconnect: false });
    expect(credentialView(creds({ state: 'fetching' }), NOW).summary).toBe(`${SOURCE} · fetching…`);
  });

  it('shows a state word from a newer host as it is', () => {
    expect(credentialView(creds({ state: 'revoking' as never }), NOW).summary).toBe(`${SOURCE} · revoking`);
  });
});

describe('initialMethod', () => {
  it('starts on the configured method', () => {
    expect(initialMethod({ auth: { method: 'oidc', mount: 'oidc' } })).toBe('oidc');
    expect(initialMethod({ auth: { method: 'kerberos' as never, mount: 'k' } })).toBe('userpass');
  });
});

describe('openableUrl', () => {
  it('links https and loopback http only', () => {
    expect(openableUrl('https://dex.example/auth?state=x')).toBe('https://dex.example/auth?state=x');
    expect(openableUrl('http://localhost:8250/oidc/callback')).toBe('http://localhost:8250/oidc/callback');
    expect(openableUrl('http://127.0.0.1:8250/x')).toBe('http://127.0.0.1:8250/x');
    expect(openableUrl('http://[::1]:8250/x')).toBe('http://[::1]:8250/x');
    expect(openableUrl('http://dex.example/auth')).toBeUndefined();
    expect(openableUrl('http://localhost.evil.example/')).toBeUndefined();
    expect(openableUrl('javascript:alert(1)')).toBeUndefined();
    expect(openableUrl('file:///etc/passwd')).toBeUndefined();
    expect(openableUrl('not a url')).toBeUndefined();
  });
});
