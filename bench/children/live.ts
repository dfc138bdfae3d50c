/**
 * Child: Triptych's core live on a running fleet, measured while the fleet
 * is quiet and under load, in one process (one sync):
 *   1. correctness after the sync: each store equals the emulator's state;
 *   2. idle CPU with no events;
 *   3. watch event → store latency at each --rates (pod changes/s per site),
 *      joined on the emulator's restart journal (`namespace/name#restarts`);
 *   4. memory over a compressed soak (--soak seconds at --soak-rate, with 5 %
 *      of changes replacing pods), heap sampled after a forced GC;
 *   5. correctness after the soak, and after a watch-expiry storm at every
 *      site fired while load runs.
 * Prints one JSON line.
 */
import { parseArgs } from 'node:util';
import type { PodView } from '../../src/shared/model';
import type { SiteDeltas } from '../../src/shared/contract/triptych';
import { allLive, coreOnFleet } from '../lib/core';
import { fleetControl, type Journal } from '../lib/control';
import { percentile } from '../lib/stats';
import { converge, emulatorLister } from '../lib/verify';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    rates: { type: 'string', default: '200,1000' },
    seconds: { type: 'string', default: '10' },
    idle: { type: 'string', default: '10' },
    soak: { type: 'string', default: '360' },
    'soak-rate': { type: 'string', default: '1000' },
  },
});
const dir = values.dir as string;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const gcHeap = (): { heap: number; rss: number } => {
  global.gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
};

const control = await fleetControl(dir);
const list = await emulatorLister(dir);
const core = await coreOnFleet(dir);
await allLive(core);
const result: Record<string, unknown> = {};

// 1. Correctness after the sync.
result.afterSync = await converge(core, list, 60_000);

// 2. Idle CPU: the fleet sends nothing; only watches, bookmarks and the RTT probe remain.
const idleS = Number(values.idle);
const c0 = process.cpuUsage();
const i0 = performance.now();
await sleep(idleS * 1000);
const cpu = process.cpuUsage(c0);
result.idleCpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - i0)) * 100;

// 3. Event → store latency: every pod upsert the core publishes (after its store has it), by restart count.
/** id → [when the core published it, when its batch's oldest change arrived from the API server]. */
const seen = new Map<string, [number, number]>();
let recording = true;
const offTap = core.bus.tap((name, payload) => {
  if (!recording || name !== 'site.deltas') return;
  const d = payload as SiteDeltas<'pods'>;
  if (d.kind !== 'pods') return;
  const t = Date.now();
  for (const [key, v] of d.upserts) {
    const id = `${d.site}|${key}#${(v as PodView).restarts}`;
    if (!seen.has(id)) seen.set(id, [t, d.receivedAt ?? t]);
  }
});
const latency: Record<string, unknown> = {};
for (const rate of values.rates.split(',').map(Number)) {
  const seconds = Number(values.seconds);
  await control('POST', '/v1/churn', { rate: 0 });
  await control('POST', '/v1/churn/journal');
  seen.clear();
  const l0 = performance.now();
  await control('POST', '/v1/churn', { rate });
  await sleep(seconds * 1000);
  const stats = (await control('POST', '/v1/churn', { rate: 0 })) as { restarts: number; behind: number }[];
  const ran = (performance.now() - l0) / 1000;
  const journal = (await control('POST', '/v1/churn/journal')) as Journal;
  const ids = Object.entries(journal).flatMap(([site, entries]) => Object.entries(entries).map(([k, at]) => [`${site}|${k}`, at] as const));
  // The last changes are still in flight when the load stops: wait for them (bounded).
  for (let waited = 0; waited < 5000 && ids.some(([id]) => !seen.has(id)); waited += 50) await sleep(50);
  const matched = ids.filter(([id]) => seen.has(id)).map(([id, at]) => [seen.get(id) as [number, number], at] as const);
  // From the emulator's commit: includes the emulator's own queueing, which shares this machine's cores.
  const ms = matched.map(([[t], at]) => t - at);
  // From the moment the change reached the console (the oldest change of its batch: an upper bound).
  const arrival = matched.map(([[t, received]]) => t - received);
  latency[rate] = {
    fromArrivalP50: percentile(arrival, 50),
    fromArrivalP99: percentile(arrival, 99),
    achievedPerSite: stats.reduce((n, s) => n + s.restarts, 0) / stats.length / ran,
    behind: stats.reduce((n, s) => n + s.behind, 0),
    events: ids.length,
    matched: ms.length,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: percentile(ms, 100),
  };
}
result.latency = latency;
recording = false;
offTap();
seen.clear();

// 4. Compressed soak: heap after GC, sampled ten times.
const soakS = Number(values.soak);
const before = gcHeap();
await control('POST', '/v1/churn', { rate: Number(values['soak-rate']), replaceShare: 0.05 });
const samples: { atS: number; heap: number; rss: number }[] = [];
const s0 = performance.now();
for (let i = 1; i <= 10; i++) {
  await sleep(Math.max(0, s0 + (soakS * 1000 * i) / 10 - performance.now()));
  samples.push({ atS: Math.round((performance.now() - s0) / 1000), ...gcHeap() });
}
const soakStats = (await control('POST', '/v1/churn', { rate: 0 })) as { restarts: number; replaced: number }[];
await control('POST', '/v1/churn/journal');
const first = samples[0] as { heap: number };
const last = samples.at(-1) as { heap: number };
result.soak = {
  seconds: soakS,
  changesPerSite: soakStats.reduce((n, s) => n + s.restarts + s.replaced, 0) / Math.max(1, soakStats.length),
  before,
  samples,
  // Drift between the first sample (caches warm) and the last.
  drift: (last.heap - first.heap) / first.heap,
};

// 5. Correctness after the soak, then after a watch-expiry storm under load.
result.afterSoak = await converge(core, list, 60_000);
let staleSeen = 0;
const offStatus = core.bus.tap((name, payload) => {
  if (name === 'site.status' && (payload as { state: string }).state === 'stale') staleSeen++;
});
await control('POST', '/v1/churn', { rate: Number(values['soak-rate']) });
const storm: string[] = [];
for (const s of core.sites) storm.push(((await control('POST', '/v1/faults', { fault: 'watch-expiry-storm', site: s.id })) as { result: string }).result);
await sleep(3000);
await control('POST', '/v1/churn', { rate: 0 });
await allLive(core);
result.afterStorm = { ...(await converge(core, list, 60_000)), storm, staleTransitions: staleSeen };
offStatus();

console.log(JSON.stringify(result));
await core.close();
process.exit(0);
