// `npm run test:e2e`: Playwright specs in e2e/ (browser project; electron where a binary exists).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'e2e');
if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('.spec.ts'))) {
  console.log('No end-to-end specs yet (they arrive with the console).');
  process.exit(0);
}
const r = spawnSync('npx', ['playwright', 'test', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
