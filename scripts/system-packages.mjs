// Makes sure the Debian packages the tests need are installed: as root through
// apt-get, otherwise by telling the user the exact command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/**
 * @param {{ pkg: string, why: string, check?: () => boolean }[]} needs
 * @returns {boolean} true when everything is there
 */
export function ensureSystemPackages(needs) {
  const missing = needs.filter((n) => !(n.check ? n.check() : installed(n.pkg)));
  if (missing.length === 0) return true;
  const names = [...new Set(missing.map((m) => m.pkg))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log(`Installing system packages: ${names.join(' ')} (${missing.map((m) => m.why).join('; ')})`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { stdio: 'inherit', env });
    return true;
  }
  console.error(`Missing system packages: ${names.join(' ')}\n  ${missing.map((m) => `${m.pkg}: ${m.why}`).join('\n  ')}\nInstall them with:\n  sudo apt-get install ${names.join(' ')}`);
  return false;
}

export const hasCommand = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/**
 * The keychain tests need a session D-Bus (dbus-run-session) and a Secret
 * Service to talk to (gnome-keyring's daemon): the same stack a Linux desktop
 * gives Triptych. @napi-rs/keyring speaks D-Bus itself (libdbus is linked
 * in), so no libsecret is needed.
 */
export const KEYCHAIN_PACKAGES = [
  { pkg: 'dbus', why: 'dbus-run-session, a private session bus for the keychain tests', check: () => hasCommand('dbus-run-session') },
  { pkg: 'gnome-keyring', why: 'gnome-keyring-daemon, the Secret Service the keychain tests store the Vault token in', check: () => hasCommand('gnome-keyring-daemon') },
];

/**
 * The alerts integration test starts a real Alertmanager on loopback and posts
 * alerts to it; Debian's package puts the binary at /usr/bin/prometheus-alertmanager.
 * Checked by the binary, not by dpkg: an Alertmanager installed another way will do.
 */
export const ALERTMANAGER_PACKAGES = [
  { pkg: 'prometheus-alertmanager', why: 'the Alertmanager the alerts integration test starts on loopback', check: () => existsSync('/usr/bin/prometheus-alertmanager') },
];

/** Package sets by name, for `node scripts/system-packages.mjs <name>…` (CI, or a test that needs them). */
const SETS = {
  keychain: KEYCHAIN_PACKAGES,
  alertmanager: ALERTMANAGER_PACKAGES,
  chromium: [{ pkg: 'chromium', why: 'the browser the end-to-end tests drive (Playwright cannot download its own here)' }],
};

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in SETS));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`usage: node scripts/system-packages.mjs ${Object.keys(SETS).join('|')}…${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
    process.exit(2);
  }
  process.exit(ensureSystemPackages(names.flatMap((n) => SETS[n])) ? 0 : 1);
}
