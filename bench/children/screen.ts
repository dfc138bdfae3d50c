/**
 * Child: the renderer under load, in the browser host (Debian Chromium),
 * with Triptych's core in this process on a running fleet:
 *   - event → on-screen latency: the emulator's restart journal joined with
 *     the core's delta batches (seq) and the renderer's `triptych:derived`
 *     marks (the overview's derived views recomputed; the detail names the
 *     seq they include per site), taking the first frame painted after the
 *     mark as "on screen";
 *   - frame times while --rate pod changes/s arrive at every site;
 *   - the rack map's draw time (`triptych:rack-draw` measures) with every
 *     node of the three sites on the canvases.
 * Prints one JSON line.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FRAMES_AND_LONG_TASKS, launchChromium } from '../lib/browser';
import type { PodView } from '../../src/shared/model';
import { triptych, type SiteDeltas } from '../../src/shared/contract/triptych';
import { startBrowserHost } from '../../src/server/host';
import { allLive, coreOnFleet, wholeSnapshot } from '../lib/core';
import { fleetControl, type Journal } from '../lib/control';
import { percentile } from '../lib/stats';

const { values } = parseArgs({ options: { dir: { type: 'string' }, rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '10' } } });
const dir = values.dir as string;
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const root = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs in the page before the app: records, while `__bench.recording`, when
 * each delta mark reached the screen, every animation frame, and long tasks.
 */
const PAGE_PROBE = `
  const b = (window.__bench = { recording: false, paints: [], frames: [], longTasks: [] });
  const now = () => performance.timeOrigin + performance.now();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      // The overview draws derived views (health, rack map): a change is on screen once they include it.
      if (!b.recording || e.name !== 'triptych:derived') continue;
      const detail = e.detail;
      // On screen = the frame after the mark has been painted: a task queued from the next animation frame.
      requestAnimationFrame(() => setTimeout(() => b.paints.push({ t: now(), detail })));
    }
  }).observe({ type: 'mark' });
${FRAMES_AND_LONG_TASKS}`;

const control = await fleetControl(dir);
const core = await coreOnFleet(dir);
await allLive(core);
const host = await startBrowserHost({ staticDir: path.join(root, 'out/renderer'), contract: triptych, impl: core.impl, bus: core.bus });

/** `site|namespace/name#restarts` → the first batch that carried it: its seq, and when its oldest change reached the core. */
const batchOf = new Map<string, [number, number]>();
let recording = false;
core.bus.tap((name, payload) => {
  if (!recording || name !== 'site.deltas') return;
  const d = payload as SiteDeltas<'pods'>;
  if (d.kind !== 'pods') return;
  for (const [key, v] of d.upserts) {
    const id = `${d.site}|${key}#${(v as PodView).restarts}`;
    if (!batchOf.has(id)) batchOf.set(id, [d.seq, d.receivedAt ?? Date.now()]);
  }
});

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => process.stderr.write(`[screen] page error: ${e.message}\n`));
  // A string, not a function: the TypeScript loader would wrap named functions in a helper the page lacks.
  await page.addInitScript(PAGE_PROBE);
  await page.goto(host.viewerUrl);
  await page.locator('html[data-app-state="loaded"]').waitFor({ state: 'attached', timeout: 600_000 });
  const nodes = await Promise.all(core.sites.map(async (s) => (await wholeSnapshot(core, s.id)).items.nodes.length));
  // Every rack map shows every node of its site.
  for (const [i, s] of core.sites.entries()) await page.locator(`[data-testid="rack-map-${s.id}"][data-nodes="${nodes[i]}"]`).waitFor({ state: 'attached', timeout: 600_000 });
  const loadedAt = performance.now();

  await control('POST', '/v1/churn', { rate: 0 });
  await control('POST', '/v1/churn/journal');
  recording = true;
  await page.evaluate('window.__bench.recording = true');
  const l0 = performance.now();
  await control('POST', '/v1/churn', { rate });
  await sleep(seconds * 1000);
  const churned = (await control('POST', '/v1/churn', { rate: 0 })) as { restarts: number }[];
  const achievedPerSite = churned.reduce((n, c) => n + c.restarts, 0) / churned.length / ((performance.now() - l0) / 1000);
  const journal = (await control('POST', '/v1/churn/journal')) as Journal;
  const ids = Object.entries(journal).flatMap(([site, entries]) => Object.entries(entries).map(([k, at]) => [`${site}|${k}`, at] as const));
  // Let the last batches reach the screen (bounded).
  await sleep(1500);
  const bench = (await page.evaluate(`(() => {
    const b = window.__bench;
    b.recording = false;
    const draws = performance.getEntriesByName('triptych:rack-draw').map((e) => e.duration);
    return { paints: b.paints, frames: b.frames, longTasks: b.longTasks, draws };
  })()`)) as { paints: { t: number; detail: Record<string, number> }[]; frames: number[]; longTasks: number[]; draws: number[] };
  recording = false;

  // Join: journal → batch seq → first paint whose detail reached that seq at that site.
  const paintsBySite = new Map<string, { t: number; seq: number }[]>();
  for (const p of bench.paints) for (const [site, seq] of Object.entries(p.detail)) {
    let arr = paintsBySite.get(site);
    if (!arr) paintsBySite.set(site, (arr = []));
    arr.push({ t: p.t, seq });
  }
  const latencies: number[] = [];
  const fromArrival: number[] = [];
  for (const [id, at] of ids) {
    const batch = batchOf.get(id);
    const site = id.slice(0, id.indexOf('|'));
    if (batch === undefined) continue;
    const paint = paintsBySite.get(site)?.find((p) => p.seq >= batch[0]);
    if (!paint) continue;
    latencies.push(paint.t - at);
    fromArrival.push(paint.t - batch[1]);
  }
  const intervals = bench.frames.slice(1).map((t, i) => t - (bench.frames[i] as number));
  const span = ((bench.frames.at(-1) ?? 0) - (bench.frames[0] ?? 0)) / 1000;
  console.log(
    JSON.stringify({
      loadMs: loadedAt,
      nodes: nodes.reduce((a, b) => a + b, 0),
      achievedPerSite,
      events: ids.length,
      onScreen: latencies.length,
      screenP50: percentile(latencies, 50),
      screenP99: percentile(latencies, 99),
      screenFromArrivalP50: percentile(fromArrival, 50),
      screenFromArrivalP99: percentile(fromArrival, 99),
      frames: intervals.length,
      fps: span > 0 ? intervals.length / span : 0,
      frameP50: percentile(intervals, 50),
      frameP99: percentile(intervals, 99),
      frameMax: percentile(intervals, 100),
      longTasks: bench.longTasks.length,
      longTaskMs: bench.longTasks.reduce((a, b) => a + b, 0),
      rackDraws: bench.draws.length,
      rackDrawP50: percentile(bench.draws, 50),
      rackDrawMax: percentile(bench.draws, 100),
    }),
  );
} finally {
  await browser.close();
  await host.close();
  await core.close();
}
process.exit(0);
