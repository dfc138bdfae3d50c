/**
 * Secret hygiene: a whole Vault flow — configuration from triptych.yaml and
 * a kubeconfig in a data dir, sign-in, site credentials, a re-fetch, a sealed
 * Vault, refusals, a KV secret that is broken, sign-out — with everything
 * printed captured and every object dumped the way a log line or a crash
 * report would. Then the issued tokens (the Vault token, every site token,
 * every lease id) are searched for in the output and in every file of the
 * data dir and the fleet's folder. None may be there.
 */
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveSites } from '../config';
import { MemoryKeychain } from '../keychain';
import { resolveVaultSettings } from './settings';
import { startVaultFleet, type VaultFleet } from './test-fleet';
import { VaultAccess } from './vault-access';

let f: VaultFleet;
let dataDir: string;

beforeAll(async () => {
  f = await startVaultFleet();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'triptych-data-'));
});
afterAll(async () => {
  await f?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('secret hygiene', () => {
  it('no issued token or lease id appears in the output, the data dir, the config or a crash dump', async () => {
    const [A, B, C] = f.sites as [string, string, string];
    // The admin's setup, in the data dir: a kubeconfig without tokens and a triptych.yaml with Vault sources.
    const kubeconfig = f.t.fleet.kubeconfig().replace(/^(\s+)token: .*$/gm, '$1token: ""');
    await mkdir(path.join(dataDir, 'config'), { recursive: true });
    await writeFile(path.join(dataDir, 'kubeconfig'), kubeconfig);
    await writeFile(path.join(dataDir, 'vault-ca.pem'), f.t.fleet.tls.caCert);
    await writeFile(
      path.join(dataDir, 'config', 'triptych.yaml'),
      [
        'vault:',
        `  address: ${f.vault.url}`,
        '  caCert: ../vault-ca.pem',
        '  auth: {method: userpass}',
        'sites:',
        `  - {id: ${A}, name: A, context: ${A}, vault: {kubernetesRole: {mount: kubernetes-${A}, role: operator, namespace: default}}}`,
        `  - {id: ${B}, name: B, context: ${B}, vault: {kubernetesRole: {mount: kubernetes-${B}, role: operator, namespace: default}}}`,
        `  - {id: ${C}, name: C, context: ${C}, vault: {kv: {path: triptych/broken/${C}, field: kubeconfig}}}`,
        '',
      ].join('\n'),
    );

    const printed: string[] = [];
    const capture = (...args: unknown[]): void => {
      printed.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 20 }))).join(' '));
    };
    const spies = [
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(capture)),
      vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (printed.push(String(c)), true)),
      vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (printed.push(String(c)), true)),
    ];
    const issued = new Set<string>();
    const remember = (): void => {
      for (const l of f.vault.leases()) {
        issued.add(l.siteToken);
        issued.add(l.leaseId);
      }
    };
    let access: VaultAccess | undefined;
    try {
      const resolved = await resolveSites({ env: { TRIPTYCH_CONFIG: path.join(dataDir, 'config', 'triptych.yaml'), KUBECONFIG: path.join(dataDir, 'kubeconfig') }, home: dataDir, platform: 'linux' });
      const settings = await resolveVaultSettings(resolved.config?.vault, {});
      const sources = new Map(resolved.config?.sites.flatMap((s) => (s.vault ? [[s.id, s.vault] as const] : [])));
      expect(sources.size).toBe(3);
      access = new VaultAccess({ settings: settings!, sources, keychain: new MemoryKeychain('no keychain in this test'), timers: f.timers, random: Math.random, tuning: { replacedLeaseGraceMs: 1_000 } });
      // A logging layer that writes every change, as the app will.
      access.session.subscribe((s) => console.warn('vault session', s));
      access.credentials.onRefresh((c) => console.warn('site credentials', JSON.stringify(c)));

      // A KV secret holding a kubeconfig that YAML cannot parse, with a real token in it.
      const admin = await f.vaultCall('POST', '/v1/auth/userpass/login/admin', undefined, { password: 'training' });
      const adminToken = (admin.json.auth as { client_token: string }).client_token;
      issued.add(adminToken);
      await f.vaultCall('POST', `/v1/secret/data/triptych/broken/${C}`, adminToken, { data: { kubeconfig: `users:\n- name: x\n  user: {token: ${adminToken}\n: [` } });

      const wrong = await access.session.signInWithPassword({ method: 'userpass', username: 'operator', password: 'not-the-password' }).catch((e: unknown) => e);
      console.error(wrong);
      await access.session.signInWithPassword({ method: 'userpass', username: 'operator', password: 'training' });
      const vaultToken = access.session.auth()?.token as string;
      issued.add(vaultToken);
      for (const s of await access.credentials.connectAll()) console.warn('connected', s);
      remember();
      await f.timers.advance(60_000);
      remember();
      f.vault.seal();
      await f.timers.advance(60_000);
      f.vault.unseal();
      await f.timers.advance(60_000);
      remember();
      await f.t.fleet.faults.apply({ fault: 'credentials-expire', site: A, inSeconds: 0 });
      await access.credentials.reportUnauthorized(A, access.credentials.token(A));
      remember();
      // What a crash report prints: the error and whatever it carries, deeply.
      const crash = Object.assign(new Error('simulated crash'), { access, session: access.session, credentials: access.credentials, client: access.client });
      console.error(crash);
      console.error(inspect(access, { depth: 30, showHidden: true }));
      process.stderr.write(`${JSON.stringify({ access, statuses: access.credentials.statuses() })}\n`);
      await access.signOut();
      remember();
    } finally {
      await access?.quit();
      for (const s of spies) s.mockRestore();
    }

    const output = printed.join('\n');
    // The flow ran: the output is not empty, and it did hold tokens to leak.
    expect(output).toContain('vault session');
    expect(output).toContain('is sealed (503)');
    expect(issued.size).toBeGreaterThan(8);
    const leaks = [...issued].filter((s) => output.includes(s));
    expect(leaks).toEqual([]);
    for (const dir of [dataDir, f.t.dir]) {
      for (const file of await filesUnder(dir)) {
        const text = await readFile(file, 'utf8');
        expect([file, [...issued].filter((s) => text.includes(s))]).toEqual([file, []]);
      }
    }
  });
});
