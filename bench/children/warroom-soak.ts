/**
 * The war-room screen left running, compressed: does its memory stay flat?
 *
 *   npx electron-vite build   # once: the page is served from out/renderer
 *   ./node_modules/.bin/node --expose-gc --max-old-space-size=8192 --import tsx bench/children/warroom-soak.ts \
 *     [--minutes 30] [--sample 60] [--rotate 5] [--rate 200] [--nodes 60] [--pods-per-node 20] [--static-dir DIR]
 *
 * A training fleet in its own process (three sites), Triptych's core and the
 * browser host in this one, and Debian Chromium on the war-room view as a
 * viewer, at 1920×1080. A wall screen runs for days; this run squeezes the
 * things that could make it grow into minutes:
 * - the view rotates every `--rotate` seconds (5 s, the shortest the screen
 *   accepts: 2 hours of rotation at the default 20 s every 30 minutes),
 *   mounting and unmounting each view;
 * - `--rate` pod changes per second across the sites (pods replaced, so
 *   names are always new: every cache keyed by pod must evict);
 * - a node goes NotReady and back every 20 s, cycling alerts, warning
 *   events and site numbers;
 * - an incident note every 5 s (more than the timeline keeps, so its bound
 *   is reached and held).
 * Every `--sample` seconds, after a forced GC in both: the page's JS heap,
 * DOM nodes and event listeners (CDP Performance.getMetrics) and the core's
 * heap. The figure is the slope of a least-squares line through the samples
 * after the first (warm-up) third, in MiB per hour, and the first-to-last
 * change of the DOM counts. Prints one JSON line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../lib/browser';
import { triptych } from '../../src/shared/contract/triptych';
import { startBrowserHost } from '../../src/server/host';
import { startFleet } from '../lib/child';
import { fleetControl, type FleetFiles } from '../lib/control';
import { allLive, coreOnFleet } from '../lib/core';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    sample: { type: 'string', default: '60' },
    rotate: { type: 'string', default: '5' },
    rate: { type: 'string', default: '200' },
    nodes: { type: 'string', default: '60' },
    'pods-per-node': { type: 'string', default: '20' },
    // A copy of out/renderer, so a rebuild during a long run does not change the page under it.
    'static-dir': { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const sampleEvery = Number(values.sample) * 1000;
const root = path.resolve(import.meta.dirname, '../..');
const log = (m: string): void => void process.stderr.write(`[warroom-soak] ${m}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc (the core heap is measured after a collection)');
  process.exit(2);
}

interface Sample {
  /** Seconds since the measurement started. */
  t: number;
  pageHeap: number;
  domNodes: number;
  listeners: number;
  coreHeap: number;
  /** The views shown so far (rotation is happening). */
  rotations: number;
}

/** Least-squares slope of y over t (seconds), per hour. */
function slopePerHour(points: { t: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return (num / den) * 3600;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-warroom-soak-'));
log(`starting the fleet in ${dir}`);
const fleet = await startFleet(dir, Number(values.nodes), Number(values['pods-per-node']));
const info = JSON.parse(await readFile(path.join(dir, 'fleet.json'), 'utf8')) as FleetFiles;
const control = await fleetControl(dir);
const core = await coreOnFleet(dir);
await allLive(core);
const host = await startBrowserHost({ staticDir: values['static-dir'] ?? path.join(root, 'out/renderer'), contract: triptych, impl: core.impl, bus: core.bus, release: core.release });
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
await page.goto(`${host.viewerUrl}&view=warroom&rotate=${values.rotate}`);
await page.waitForSelector('html[data-app-state="loaded"]', { timeout: 120_000 });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');

await control('POST', '/v1/churn', { rate: Number(values.rate), replaceShare: 1 });
const site = info.sites[0]?.name ?? 'fra';
const nodes = (await core.impl.sites.snapshot(site)).items.nodes.map((n) => n.name);
let flips = 0;
// Every 10 s: a node goes NotReady, then (10 s later) comes back; the next flip takes the next node.
const flip = setInterval(() => {
  const node = nodes[Math.floor(flips / 2) % nodes.length];
  const fault = flips % 2 === 0 ? 'node-not-ready' : 'node-ready';
  flips++;
  void control('POST', '/v1/faults', { fault, site, node }).catch((e: unknown) => log(String(e)));
}, 10_000);
let notes = 0;
const note = setInterval(() => {
  notes++;
  void Promise.resolve(core.impl.incident.note({ text: `soak note ${notes}: checked fra rack B-0${notes % 9}` })).catch((e: unknown) => log(`note: ${String(e)}`));
}, 5_000);

async function sample(t0: number): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const m = (name: string): number => metrics.find((x) => x.name === name)?.value ?? NaN;
  gc?.();
  const rotations = Number(await page.evaluate(`document.querySelector('[data-rotations]')?.getAttribute('data-rotations') ?? 'NaN'`));
  return { t: Math.round((Date.now() - t0) / 1000), pageHeap: m('JSHeapUsedSize'), domNodes: m('Nodes'), listeners: m('JSEventListeners'), coreHeap: process.memoryUsage().heapUsed, rotations };
}

const t0 = Date.now();
const samples: Sample[] = [await sample(t0)];
log(`sampling every ${sampleEvery / 1000} s for ${minutes} min`);
while (Date.now() - t0 < minutes * 60_000) {
  await sleep(sampleEvery);
  const s = await sample(t0);
  samples.push(s);
  log(`t=${s.t}s page heap ${(s.pageHeap / 2 ** 20).toFixed(1)} MiB, DOM nodes ${s.domNodes}, listeners ${s.listeners}, core heap ${(s.coreHeap / 2 ** 20).toFixed(1)} MiB, rotations ${s.rotations}`);
}
clearInterval(flip);
clearInterval(note);
await control('POST', '/v1/churn', { rate: 0 });
const steady = samples.slice(Math.floor(samples.length / 3));
const mib = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;
const first = steady[0] as Sample;
const last = samples.at(-1) as Sample;
const churn = (await control('GET', '/v1/churn')) as unknown;
console.log(
  JSON.stringify({
    minutes,
    rotateSeconds: Number(values.rotate),
    rate: Number(values.rate),
    sites: info.sites.length,
    nodesPerSite: Number(values.nodes),
    podsPerSite: Number(values.nodes) * Number(values['pods-per-node']),
    notes,
    faults: flips,
    rotations: last.rotations,
    churn,
    pageHeapMiB: { first: mib(samples[0]!.pageHeap), steadyFirst: mib(first.pageHeap), last: mib(last.pageHeap), max: mib(Math.max(...samples.map((s) => s.pageHeap))) },
    pageHeapSlopeMiBPerHour: Math.round(slopePerHour(steady.map((s) => ({ t: s.t, y: s.pageHeap / 2 ** 20 }))) * 100) / 100,
    domNodes: { steadyFirst: first.domNodes, last: last.domNodes, max: Math.max(...samples.map((s) => s.domNodes)) },
    listeners: { steadyFirst: first.listeners, last: last.listeners, max: Math.max(...samples.map((s) => s.listeners)) },
    coreHeapMiB: { steadyFirst: mib(first.coreHeap), last: mib(last.coreHeap) },
    coreHeapSlopeMiBPerHour: Math.round(slopePerHour(steady.map((s) => ({ t: s.t, y: s.coreHeap / 2 ** 20 }))) * 100) / 100,
    samples: samples.map((s) => ({ ...s, pageHeap: mib(s.pageHeap), coreHeap: mib(s.coreHeap) })),
  }),
);
await browser.close();
await host.close();
await core.close();
fleet.stop();
await rm(dir, { recursive: true, force: true });
process.exit(0);
