// `npm start`: builds the console and opens it. The Electron window where the
// Electron binary is (or can be) installed; otherwise the browser host, whose
// URL is printed. With no sites configured both run on the training fleet.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const dev = process.argv.includes('--dev');

if (spawnSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'inherit' }).status !== 0) {
  console.error('The console did not build (see above).');
  process.exit(1);
}
const electronBinary = path.join(root, 'node_modules', 'electron', 'dist', process.platform === 'darwin' ? 'Electron.app' : 'electron');
if (!existsSync(electronBinary)) {
  // Electron >= 42 fetches its binary on demand.
  spawnSync(bin('install-electron'), [], { cwd: root, stdio: 'ignore', timeout: 120_000 });
}
let child;
if (existsSync(electronBinary)) {
  child = spawn(bin(dev ? 'electron-vite' : 'electron'), dev ? ['dev'] : ['.'], { cwd: root, stdio: 'inherit' });
} else {
  console.log('Electron is not available on this machine (its binary could not be downloaded); opening the console in your browser instead:');
  child = spawn(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'src', 'server', 'cli.ts')], { cwd: root, stdio: 'inherit' });
}
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
