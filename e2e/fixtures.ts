/**
 * One console per worker on a fresh training fleet, reached the way a user
 * reaches it: the browser project opens the browser host's URL in Chromium;
 * the electron project launches the built app where an Electron binary exists.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startCore, type CoreApp } from '../src/core/app';
import { MemoryKeychain } from '../src/core/keychain';
import { TRAINING_PASSWORD } from '../src/core/vault';
import { triptych } from '../src/shared/contract/triptych';
import { startBrowserHost, type BrowserHost } from '../src/server/host';
import { captureOutput, issuedSecrets, leaks } from './hygiene';

export interface Console {
  core: CoreApp;
  /** The worker's throwaway HOME (the console's data dir is `data/` in it). */
  home: string;
  host: BrowserHost;
  /** The console's audit log (JSONL). */
  auditFile: string;
  /** Injects a training-fleet fault through its control endpoint. */
  fault(body: Record<string, unknown>): Promise<string>;
  /** Where any token or lease id the training Vault issued turns up in the console's files or output so far. */
  secretLeaks(): Promise<string[]>;
}

const root = path.resolve(import.meta.dirname, '..');

export const test = base.extend<{ app: Page }, { triptych: Console; vaultSignIn: boolean; keychainWarning: string | undefined }>({
  /**
   * The training fleet's sites get their credentials from its Vault: by default the worker signs in
   * (as operator) before its tests; a spec about signing in turns this off with `test.use`.
   */
  vaultSignIn: [true, { scope: 'worker', option: true }],
  /** Tests never touch a real keychain; a spec can make the console's (memory) keychain carry the "no keychain" warning. */
  keychainWarning: [undefined, { scope: 'worker', option: true }],
  triptych: [
    async ({ vaultSignIn, keychainWarning }, use) => {
      const home = await mkdtemp(path.join(os.tmpdir(), 'triptych-e2e-'));
      const output = captureOutput();
      const core = await startCore({
        env: { HOME: home },
        home,
        platform: process.platform,
        dataDir: path.join(home, 'data'),
        mirror: { backoff: { initialMs: 200, maxMs: 1000 }, probeEveryMs: 2000 },
        training: { seed: 'e2e' },
        keychain: new MemoryKeychain(keychainWarning),
        vaultHealthEveryMs: 500,
        alertsEveryMs: 1000,
      });
      if (vaultSignIn) await core.impl.vault.signInPassword({ method: 'userpass', username: 'operator', password: TRAINING_PASSWORD });
      const host = await startBrowserHost({ staticDir: path.join(root, 'out/renderer'), contract: triptych, impl: core.impl, bus: core.bus, release: core.release });
      const t = core.training as NonNullable<CoreApp['training']>;
      const fault = (body: Record<string, unknown>): Promise<string> =>
        new Promise((resolve, reject) => {
          const req = https.request(new URL('/v1/faults', t.controlUrl), { method: 'POST', ca: t.caCert, headers: { authorization: `Bearer ${t.controlToken}` } }, (res) => {
            let text = '';
            res.on('data', (c) => (text += String(c)));
            res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve(text) : reject(new Error(text))));
          });
          req.on('error', reject);
          req.end(JSON.stringify(body));
        });
      const secretLeaks = async (): Promise<string[]> => leaks(await issuedSecrets(t), [home], output.text());
      await use({ core, host, home, fault, secretLeaks, auditFile: path.join(home, 'data', 'audit', 'trail.jsonl') });
      // Every worker ends with the hygiene check, after all its tests: it fails the run (a worker teardown error) if a secret leaked.
      const leaked = await secretLeaks();
      output.stop();
      await host.close();
      await core.close();
      if (leaked.length === 0) await rm(home, { recursive: true, force: true });
      else throw new Error(`a token or lease id issued by the training Vault was found in: ${leaked.join(', ')} (kept for inspection: ${home})`);
    },
    { scope: 'worker' },
  ],
  app: async ({ page, triptych: c }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      const electronBinary = path.join(root, 'node_modules/electron/dist/electron');
      test.skip(!existsSync(electronBinary), 'no Electron binary on this machine: its download host is unreachable here, so these specs run in the browser project only');
      // Where the binary exists, the same specs drive the real app window, configured
      // (triptych.yaml) for this worker's fleet so that faults reach what it shows.
      const { _electron } = await import('@playwright/test');
      const home = await mkdtemp(path.join(os.tmpdir(), 'triptych-electron-'));
      const config = path.join(home, 'triptych.yaml');
      const sites = c.core.sites.map((s) => `  - { id: ${s.id}, name: ${s.name}, context: ${s.context}, color: "${s.color}" }`).join('\n');
      await writeFile(config, `sites:\n${sites}\n`);
      const env = { ...process.env, HOME: home, TRIPTYCH_CONFIG: config, KUBECONFIG: c.core.training?.kubeconfigPath ?? '' };
      const electronApp = await _electron.launch({ args: [path.join(root, 'out/main/index.js')], env });
      const win = await electronApp.firstWindow();
      await use(win);
      await electronApp.close();
      return;
    }
    await page.goto(c.host.viewerUrl);
    await use(page);
  },
});

/** Resolves once every site has delivered its first snapshot. */
export async function loaded(page: Page): Promise<void> {
  await expect(page.locator('html[data-app-state="loaded"]')).toHaveCount(1, { timeout: 30_000 });
}

export { expect };
