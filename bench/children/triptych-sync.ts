/**
 * Child: Triptych's core connects to the three sites of a running fleet
 * (configured through triptych.yaml, as an admin would) and reports how long
 * until every site is live, and the process's memory after that.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCore } from '../../src/core/app';

const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const dir = values.dir as string;
const info = JSON.parse(await readFile(path.join(dir, 'fleet.json'), 'utf8')) as { sites: { name: string; contexts: { viewer: string } }[] };
const home = await mkdtemp(path.join(os.tmpdir(), 'triptych-bench-'));
const config = path.join(home, 'triptych.yaml');
await writeFile(config, `sites:\n${info.sites.map((s) => `  - { id: ${s.name}, name: ${s.name}, context: ${s.contexts.viewer} }`).join('\n')}\n`);
const t0 = performance.now();
const core = await startCore({ env: { HOME: home, TRIPTYCH_CONFIG: config, KUBECONFIG: path.join(dir, 'kubeconfig') }, home, platform: process.platform, dataDir: home });
await new Promise<void>((resolve) => {
  const check = (): void => {
    const all = core.impl.sites.status() as { state: string }[];
    if (all.every((s) => s.state === 'live')) resolve();
  };
  core.bus.tap(() => check());
  check();
});
const syncMs = performance.now() - t0;
global.gc?.();
const mem = process.memoryUsage();
const counts = core.sites.map((s) => (core.impl.sites.snapshot(s.id) as { items: { pods: unknown[]; nodes: unknown[] } }).items);
console.log(JSON.stringify({ syncMs, rss: mem.rss, heapUsed: mem.heapUsed, pods: counts.reduce((n, c) => n + c.pods.length, 0), nodes: counts.reduce((n, c) => n + c.nodes.length, 0) }));
await core.close();
process.exit(0);
