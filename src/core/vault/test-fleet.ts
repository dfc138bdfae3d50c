/**
 * Test fixture: a small training fleet on a manual clock plus a Vault
 * emulator with short TTLs that mints into the fleet's token registry, so
 * the tokens it issues are the ones the fleet's API servers accept. Both
 * speak HTTPS with the fleet's CA, as a real deployment would.
 */
import type { SiteVaultSource } from '../config';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { startVault, type VaultEmulator, type VaultOptions } from '../../emulator/vault';
import { Rng } from '../../emulator/rng';
import type { VaultSettings } from './settings';
import { ManualTimers } from './testing';

/** Short lifetimes (seconds): renewals and re-fetches happen within minutes of fake time. */
export const SHORT = { defaultTokenTtl: 60, maxTokenTtl: 300, credsTtl: 120, credsMaxTtl: 600 } as const;

export interface VaultFleet {
  t: TestFleet;
  vault: VaultEmulator;
  timers: ManualTimers;
  settings: VaultSettings;
  sites: string[];
  /** Kubernetes secrets engine sources for every site, role operator. */
  sources: Map<string, SiteVaultSource>;
  /** Status of `GET /api/v1/namespaces` at `site` with `token`. */
  siteStatus(site: string, token: string | undefined): Promise<number>;
  /** A raw Vault call (for checks the code under test must not do itself). */
  vaultCall(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Another Vault on the same fleet and clock, with other lifetimes (closed with the fleet). */
  anotherVault(overrides: Partial<VaultOptions>): Promise<{ vault: VaultEmulator; settings: VaultSettings }>;
  close(): Promise<void>;
}

export async function startVaultFleet(overrides: Partial<VaultOptions> = {}): Promise<VaultFleet> {
  const timers = new ManualTimers(Date.parse('2026-11-28T03:00:00Z'));
  const now = (): number => timers.now();
  const t = await startTestFleet({ sites: 3, nodes: 4, podsPerNode: 2, now });
  const sites = t.fleet.sites.map((s) => s.site.name);
  const extra: VaultEmulator[] = [];
  const start = (o: Partial<VaultOptions>): Promise<VaultEmulator> =>
    startVault({
      tls: { key: t.fleet.tls.key, cert: t.fleet.tls.cert },
      now,
      rng: new Rng(`core-vault-test-${extra.length}`),
      registry: t.fleet.registry,
      sites,
      kv: Object.fromEntries(t.fleet.sites.map((s) => [`triptych/sites/${s.site.name}`, { token: s.tokens.viewer, server: s.server.url }])),
      ...SHORT,
      ...o,
    });
  const settingsFor = (v: VaultEmulator): VaultSettings => ({ address: v.url, ca: t.fleet.tls.caCert, auth: { method: 'userpass', mount: 'userpass' }, addressFrom: 'triptych.yaml' });
  const vault = await start(overrides);
  const settings = settingsFor(vault);
  const sources = new Map<string, SiteVaultSource>(sites.map((s) => [s, { kubernetesRole: { mount: `kubernetes-${s}`, role: 'operator', namespace: 'default' } }]));
  const vaultCall: VaultFleet['vaultCall'] = async (method, path, token, body) => {
    const { default: https } = await import('node:https');
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(path, vault.url), { method, ca: t.fleet.tls.caCert, headers: { ...(token ? { 'x-vault-token': token } : {}), 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  };
  return {
    t,
    vault,
    timers,
    settings,
    sites,
    sources,
    siteStatus: async (site, token) => (await t.request(site, 'GET', '/api/v1/namespaces', { token: token ?? 'none' })).status,
    vaultCall,
    async anotherVault(o) {
      const v = await start(o);
      extra.push(v);
      return { vault: v, settings: settingsFor(v) };
    },
    async close() {
      for (const v of extra) await v.close();
      await vault.close();
      await t.close();
    },
  };
}
