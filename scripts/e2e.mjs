// `npm run test:e2e`: builds the console, then runs the Playwright specs in e2e/
// (browser project on Debian Chromium; the electron project where a binary exists).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureSystemPackages } from './system-packages.mjs';

const root = path.resolve(import.meta.dirname, '..');
if (!ensureSystemPackages([{ pkg: 'chromium', why: 'the browser the end-to-end tests drive (Playwright cannot download its own here)' }])) process.exit(1);
const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The console did not build; the end-to-end tests need it.');
  process.exit(build.status ?? 1);
}
const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
