/**
 * Child: Triptych's core connects to the three sites of a running fleet
 * (configured through triptych.yaml, as an admin would) and reports how long
 * until every site is live, how it synced, and the process's memory then.
 */
import { parseArgs } from 'node:util';
import { allLive, coreOnFleet, wholeSnapshot } from '../lib/core';

const { values } = parseArgs({ options: { dir: { type: 'string' }, list: { type: 'boolean' } } });
const t0 = performance.now();
const core = await coreOnFleet(values.dir as string, values.list ? { watchList: false } : undefined);
await allLive(core);
const syncMs = performance.now() - t0;
global.gc?.();
const mem = process.memoryUsage();
const counts = await Promise.all(core.sites.map(async (s) => (await wholeSnapshot(core, s.id)).items));
console.log(JSON.stringify({ syncMs, rss: mem.rss, heapUsed: mem.heapUsed, pods: counts.reduce((n, c) => n + c.pods.length, 0), nodes: counts.reduce((n, c) => n + c.nodes.length, 0) }));
await core.close();
process.exit(0);
