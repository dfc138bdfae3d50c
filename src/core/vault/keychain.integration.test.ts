/**
 * The Vault token in a real OS keychain, across restarts: separate console
 * processes (keychain-child.ts) in one D-Bus session with gnome-keyring as
 * the Secret Service, a throwaway HOME, and the emulator's Vault over HTTPS.
 * And the same console without a session bus: memory only, with a warning.
 *
 * The Debian packages (dbus, gnome-keyring) are installed by
 * scripts/system-packages.mjs when missing, as root; the real-keychain test
 * is skipped, saying why, only when they are missing and cannot be installed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultFleet, type VaultFleet } from './test-fleet';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHILD = path.join(ROOT, 'src/core/vault/keychain-child.ts');
const linux = process.platform === 'linux';

/** Installs (as root) or checks the packages; the reason when they are not there. */
function keychainStack(): string | undefined {
  if (!linux) return 'the Secret Service test is Linux-only';
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/system-packages.mjs'), 'keychain'], { encoding: 'utf8', timeout: 600_000 });
  return r.status === 0 ? undefined : `dbus and gnome-keyring are not installed and could not be installed here: ${(r.stderr || r.stdout).trim()}`;
}

let f: VaultFleet;
let dir: string;
let env: NodeJS.ProcessEnv;
let missing: string | undefined;

beforeAll(async () => {
  missing = keychainStack();
  f = await startVaultFleet();
  dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-keychain-'));
  const ca = path.join(dir, 'vault-ca.pem');
  await writeFile(ca, f.t.fleet.tls.caCert);
  const home = path.join(dir, 'home');
  // A throwaway desktop: HOME (where gnome-keyring keeps its files) and runtime dir of our own.
  // The admin's setup: a kubeconfig without tokens, and a triptych.yaml whose sites take credentials from Vault.
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfig, f.t.fleet.kubeconfig().replace(/^(\s+)token: .*$/gm, '$1token: ""'));
  const config = path.join(dir, 'triptych.yaml');
  const sites = f.sites.map((s) => `  - {id: ${s}, name: ${s}, context: ${s}, vault: {kubernetesRole: {mount: kubernetes-${s}, role: operator, namespace: default}}}`);
  await writeFile(config, ['vault:', `  address: ${f.vault.url}`, `  caCert: ${ca}`, '  auth: {method: userpass, username: operator}', 'sites:', ...sites, ''].join('\n'));
  env = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_RUNTIME_DIR: path.join(dir, 'run'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    TRIPTYCH_CONFIG: config,
    KUBECONFIG: kubeconfig,
    VAULT_ADDR: f.vault.url,
    VAULT_CACERT: ca,
    NODE: process.execPath,
    CHILD,
  };
  await mkdir(home, { recursive: true });
  await mkdir(path.join(dir, 'run'), { mode: 0o700 });
}, 600_000);
afterAll(async () => {
  await f?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Runs a process without blocking this one: the Vault the children talk to
 * lives in this process, so a synchronous spawn would leave them unanswered.
 */
function run(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; timeout: number }): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, encoding: 'utf8', ...opts }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ status: code, stdout, stderr });
    });
  });
}

/** Files under the test's folder (HOME, config, data dir) that hold any token or lease id the Vault issued. */
async function tokensOnDisk(): Promise<string[]> {
  const secrets = f.vault.issued();
  expect(secrets.length).toBeGreaterThan(0);
  const hits: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    const text = (await readFile(file).catch(() => Buffer.alloc(0))).toString('latin1');
    if (secrets.some((x) => text.includes(x))) hits.push(file);
  }
  return hits;
}

/** The JSON lines the children printed, in order. */
function parseLines(stdout: string): Record<string, any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the Vault token in the OS keychain', () => {
  it.runIf(linux)('no session bus: memory only, with a warning; sites connect; nothing on disk', async () => {
    const r = await run(process.execPath, ['--import', 'tsx', CHILD, 'sign-in'], { timeout: 60_000, env: { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/triptych-no-bus' } });
    expect(r.stderr).toBe('');
    const [out] = parseLines(r.stdout);
    expect(out?.keychain).toBe('memory');
    const warning = (out?.warnings as string[]).find((w) => w.startsWith('No keychain is available'));
    expect(warning).toMatch(/^No keychain is available \(.+\)\. Your Vault token is kept in memory only and is never written to disk/);
    expect(out?.status).toMatchObject({ state: 'signed-in', storage: 'memory', identity: 'userpass-operator', storageWarning: warning });
    expect(out?.live).toBe(true);
    expect(await tokensOnDisk()).toEqual([]);
  });

  it('sign in, restart: the token is found; sign out: it is gone, at Vault and in the keychain', async (ctx) => {
    if (missing) ctx.skip(missing);
    const script = [
      'printf pw | gnome-keyring-daemon --unlock --daemonize --components=secrets >/dev/null || exit 3',
      '"$NODE" --import tsx "$CHILD" sign-in || exit 4',
      '"$NODE" --import tsx "$CHILD" restore-and-sign-out || exit 5',
      '"$NODE" --import tsx "$CHILD" restore || exit 6',
    ].join('\n');
    const r = await run('dbus-run-session', ['--', 'sh', '-c', script], { timeout: 120_000, env });
    expect(r.status, r.stderr).toBe(0);
    const [signIn, restart, after] = parseLines(r.stdout);
    expect(signIn).toMatchObject({ action: 'sign-in', keychain: 'os', accounts: 1, live: true, status: { state: 'signed-in', storage: 'keychain', identity: 'userpass-operator' } });
    expect(signIn?.warnings).toEqual([]);
    expect(signIn?.sites.map((c: { state: string }) => c.state)).toEqual(['ok', 'ok', 'ok']);
    // The restart: the token from the keychain, and the sites connect with credentials fetched with it.
    expect(restart).toMatchObject({ action: 'restore-and-sign-out', keychain: 'os', live: true, restored: { state: 'signed-in', identity: 'userpass-operator', storage: 'keychain' } });
    expect(restart?.accessor).toBe(signIn?.accessor);
    expect(restart?.signedOut).toMatchObject({ state: 'signed-out' });
    expect(restart?.afterSignOut).toBe('permission-denied');
    expect(restart?.accounts).toBe(0);
    expect(after).toMatchObject({ action: 'restore', keychain: 'os', restored: { state: 'signed-out' }, accounts: 0 });
    expect(after?.accessor).toBeUndefined();
    // gnome-keyring keeps the keyring encrypted: no token or lease id is in any file of the user's HOME.
    expect(await tokensOnDisk()).toEqual([]);
  });
});
