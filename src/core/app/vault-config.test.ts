/**
 * A configured console whose sites take credentials from Vault: mistakes in
 * where Vault is are startup errors that name the file, not silent fallbacks
 * to the kubeconfig's credentials.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../keychain';
import { startCore } from './index';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(yaml: string, env: Record<string, string> = {}): Promise<unknown> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-vault-config-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: prod-fra\n  context: {cluster: c, user: u}\n');
  const config = path.join(dir, 'triptych.yaml');
  await writeFile(config, yaml);
  const core = await startCore({ env: { HOME: dir, KUBECONFIG: kubeconfig, TRIPTYCH_CONFIG: config, ...env }, home: dir, platform: 'linux', dataDir: dir, keychain: new MemoryKeychain() });
  await core.close();
  return core;
}

const SITE = 'sites:\n  - { id: fra, name: Frankfurt, context: prod-fra, vault: { kubernetesRole: { role: operator, namespace: default } } }\n';

describe('Vault in triptych.yaml', () => {
  it('a site with vault: but no Vault named anywhere is a startup error naming the file', async () => {
    await expect(start(SITE)).rejects.toThrow(/triptych\.yaml.*site\(s\) fra take their credentials from Vault, but no Vault is named: add vault\.address to this file or set VAULT_ADDR/s);
  });

  it('an address that would send the token in clear text is refused', async () => {
    await expect(start(SITE, { VAULT_ADDR: 'http://vault.example.com:8200' })).rejects.toThrow(/Vault address from VAULT_ADDR .*plain http/);
  });

  it('with VAULT_ADDR the site waits for a sign-in instead of using the kubeconfig user', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-vault-config-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {token: from-kubeconfig}\ncontexts:\n- name: prod-fra\n  context: {cluster: c, user: u}\n');
    const config = path.join(dir, 'triptych.yaml');
    await writeFile(config, SITE);
    // Vault itself is unreachable here (port 1): the console still starts, and says what it waits for.
    const core = await startCore({ env: { HOME: dir, KUBECONFIG: kubeconfig, TRIPTYCH_CONFIG: config, VAULT_ADDR: 'https://127.0.0.1:1' }, home: dir, platform: 'linux', dataDir: dir, keychain: new MemoryKeychain() });
    try {
      const overview = await core.impl.vault.status();
      expect(overview).toMatchObject({ addressFrom: 'VAULT_ADDR', auth: { method: 'oidc', mount: 'oidc' }, session: { address: 'https://127.0.0.1:1', state: 'signed-out' } });
      expect(overview).not.toHaveProperty('trainingPassword');
      await expect.poll(() => (core.impl.sites.status() as { state: string; error?: string }[])[0], { timeout: 10_000 }).toMatchObject({ state: 'awaiting-credentials', error: expect.stringMatching(/Sign in to Vault to connect to fra/) });
    } finally {
      await core.close();
    }
  });
});
