// `npm run bench`: the benchmarks in bench/. For now the fleet's own figures.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const r = spawnSync('npm', ['run', '-s', 'bench:fleet', '--', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
