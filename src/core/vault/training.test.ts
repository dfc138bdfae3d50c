/**
 * Training mode: with nothing configured, the training fleet's own Vault is
 * the default, so a new user goes through the real flow — sign in as
 * operator, each site connects with a short-lived token from its Kubernetes
 * secrets engine mount — without a real Vault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { MemoryKeychain } from '../keychain';
import { trainingVault } from './training';
import { VaultAccess } from './vault-access';

let t: TestFleet;
beforeAll(async () => {
  t = await startTestFleet({ sites: 3, nodes: 4, podsPerNode: 2 });
});
afterAll(async () => t?.close());

describe('trainingVault', () => {
  it("signs in to the fleet's Vault and connects every site with Vault-issued credentials", async () => {
    const { settings, sources } = trainingVault(t.fleet.info, t.fleet.tls.caCert);
    expect(settings).toMatchObject({ address: t.fleet.info.vault.address, addressFrom: 'training fleet', auth: { method: 'userpass', username: 'operator' } });
    expect([...sources.keys()]).toEqual(['fra', 'ams', 'dub']);
    const access = new VaultAccess({ settings, sources, keychain: new MemoryKeychain() });
    try {
      await access.session.signInWithPassword({ method: 'userpass', username: settings.auth.username ?? '', password: 'training' });
      const statuses = await access.credentials.connectAll();
      expect(statuses.map((s) => [s.site, s.state, s.source])).toEqual([
        ['fra', 'ok', 'Vault kubernetes-fra/creds/operator (namespace default)'],
        ['ams', 'ok', 'Vault kubernetes-ams/creds/operator (namespace default)'],
        ['dub', 'ok', 'Vault kubernetes-dub/creds/operator (namespace default)'],
      ]);
      for (const site of ['fra', 'ams', 'dub']) {
        const token = access.credentials.token(site) as string;
        expect(token).not.toBe(t.fleet.site(site).tokens.operator);
        expect((await t.request(site, 'GET', '/api/v1/nodes', { token })).status).toBe(200);
      }
      expect(t.fleet.vault.leases()).toHaveLength(3);
    } finally {
      await access.quit();
    }
    expect(t.fleet.vault.leases()).toHaveLength(0);
  });
});
