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
