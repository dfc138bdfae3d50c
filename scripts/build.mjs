// `npm run build`: production build of main, preload and renderer with electron-vite (types are checked by npm run typecheck).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
