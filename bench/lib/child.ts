/**
 * Runs one measurement in a fresh process, so that each figure (and its
 * memory) is not disturbed by the others. The child prints one JSON line.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export function runChild<T>(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', '--expose-gc', '--import', 'tsx', path.join(root, 'bench', script), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`${script} exited ${code}: ${out.slice(-500)}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${script} printed no result: ${out.slice(-500)}`));
      }
    });
  });
}

/** Starts the training fleet in its own process and resolves once it is up. */
export function startFleet(dir: string, nodes: number, podsPerNode: number): Promise<{ stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=16384', '--import', 'tsx', path.join(root, 'src/emulator/cli.ts'), '--nodes', String(nodes), '--pods-per-node', String(podsPerNode), '--seed', 'bench', '--dir', dir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += String(c);
      if (out.includes('Ctrl-C stops the fleet.')) resolve({ stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`the fleet exited (${code}) before it was up: ${out.slice(-500)}`)));
  });
}
