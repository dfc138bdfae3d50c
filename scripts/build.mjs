// `npm run build`: builds the Electron console with electron-vite once it exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'electron.vite.config.ts'))) {
  console.log('Nothing to build yet: the console (src/main, src/preload, src/renderer) lands with the console issue. The training fleet runs from source (npm run fleet).');
  process.exit(0);
}
const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
