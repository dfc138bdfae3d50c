// `npm start`: the console on the training fleet. Until the console lands
// (issue "The console"), it starts the training fleet and says so.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!existsSync(path.join(root, 'out', 'main', 'index.js'))) {
  console.log('Triptych: console not built yet — starting the training fleet on its own (npm run fleet).');
}
const child = spawn(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'src', 'emulator', 'cli.ts'), ...process.argv.slice(2).filter((a) => a !== '--dev')], { stdio: 'inherit', cwd: root });
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
