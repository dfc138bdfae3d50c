/**
 * `npm run bench [-- --scale small|seed|large|limit] [--runs N]`: how long
 * Triptych takes to sync three sites of the training fleet, and what it
 * holds afterwards, next to baselines on the same data in the same run:
 *   (a) the floor — the same paginated lists, plain HTTPS + JSON.parse;
 *   (b) `kubectl get pods -A -o json`, one per site, concurrently.
 * Each figure is the median of --runs fresh processes. Results go to stdout
 * and to bench/RESULTS.md. (Event latency, frame time, idle CPU, soak drift
 * and the client-node informer baseline are not measured yet.)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runChild, startFleet } from './lib/child';
import { median, SCALES, type ScaleName } from './lib/scales';

const { values } = parseArgs({ options: { scale: { type: 'string' }, runs: { type: 'string' }, out: { type: 'string' } } });
const scaleName = (values.scale ?? 'small') as ScaleName;
const scale = SCALES[scaleName];
if (!scale) {
  console.error(`unknown scale "${values.scale}"; one of: ${Object.keys(SCALES).join(', ')}`);
  process.exit(2);
}
const runs = Number(values.runs ?? 3);
const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function kubectlAll(dir: string, sites: string[]): Promise<number> {
  const t0 = performance.now();
  return Promise.all(
    sites.map(
      (site) =>
        new Promise<void>((resolve, reject) => {
          // Output to /dev/null: kubectl still decodes and prints it all.
          const k = spawn('kubectl', ['--context', `${site}-viewer`, 'get', 'pods', '-A', '-o', 'json'], { env: { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig'), HOME: dir }, stdio: 'ignore' });
          k.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(signal ? `kubectl was killed (${signal}${signal === 'SIGKILL' ? ', most likely out of memory' : ''})` : `kubectl exited ${code}`))));
        }),
    ),
  ).then(() => performance.now() - t0);
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-bench-fleet-'));
const f0 = performance.now();
const fleet = await startFleet(dir, scale.nodes, scale.podsPerNode);
const fleetStart = performance.now() - f0;
try {
  const sites = ['fra', 'ams', 'dub'];
  const sync: { syncMs: number; rss: number; heapUsed: number; pods: number; nodes: number }[] = [];
  const floor: { ms: number; items: number }[] = [];
  const kubectl: number[] = [];
  let kubectlFailed: string | undefined;
  for (let i = 0; i < runs; i++) {
    floor.push(await runChild('children/floor.ts', ['--dir', dir]));
    sync.push(await runChild('children/triptych-sync.ts', ['--dir', dir]));
    if (!kubectlFailed) {
      try {
        kubectl.push(await kubectlAll(dir, sites));
      } catch (e) {
        kubectlFailed = (e as Error).message;
      }
    }
    process.stderr.write(`[bench] run ${i + 1}/${runs} done\n`);
  }
  const t = median(sync.map((x) => x.syncMs));
  const a = median(floor.map((x) => x.ms));
  const b = kubectl.length ? median(kubectl) : NaN;
  const last = sync.at(-1) as (typeof sync)[number];
  const rows = [
    '| figure | value |',
    '|---|---|',
    `| scale | ${scaleName}: 3 sites × ${scale.nodes} nodes, ${scale.podsPerNode} pods/node → ${last.nodes} nodes, ${last.pods} pods mirrored |`,
    `| training fleet start-up | ${s(fleetStart)} |`,
    `| **Triptych: all three sites synced (live)** | **${s(t)}** |`,
    `| (a) floor: same lists, HTTPS + JSON.parse only | ${s(a)} — Triptych is ${(t / a).toFixed(2)}× the floor |`,
    kubectlFailed ? `| (b) kubectl get pods -A -o json, 3 sites at once | did not finish: ${kubectlFailed} |` : `| (b) kubectl get pods -A -o json, 3 sites at once | ${s(b)} — Triptych is ${(t / b).toFixed(2)}× kubectl |`,
    `| Triptych process RSS after sync | ${mb(median(sync.map((x) => x.rss)))} |`,
    `| Triptych JS heap after sync | ${mb(median(sync.map((x) => x.heapUsed)))} (${(median(sync.map((x) => x.heapUsed)) / Math.max(1, last.pods)).toFixed(0)} B per pod, all resources included) |`,
  ];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())}, Node ${process.version}`;
  const section = `## ${scaleName}\n\n${new Date().toISOString().slice(0, 10)} on ${machine}; median of ${runs} run(s), each in a fresh process.\n\n${rows.join('\n')}\n`;
  console.log(section);
  // One section per scale: a run replaces its own scale's figures and keeps the others.
  const file = values.out ?? path.join(import.meta.dirname, 'RESULTS.md');
  const old = await readFile(file, 'utf8').catch(() => '# Triptych benchmarks\n\n`npm run bench -- --scale NAME [--runs N]`\n');
  const sections = old.split(/^(?=## )/m);
  const head = sections[0]?.startsWith('## ') ? '# Triptych benchmarks\n\n' : (sections.shift() ?? '');
  const kept = sections.filter((x) => !x.startsWith(`## ${scaleName}\n`));
  const order = Object.keys(SCALES);
  const all = [...kept, section].sort((x, y) => order.indexOf(x.slice(3).split('\n')[0] ?? '') - order.indexOf(y.slice(3).split('\n')[0] ?? ''));
  await writeFile(file, `${head.trimEnd()}\n\n${all.map((x) => x.trimEnd()).join('\n\n')}\n`);
} finally {
  fleet.stop();
  await rm(dir, { recursive: true, force: true });
}
