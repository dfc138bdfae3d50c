/**
 * The console's log dock under a flood, in the browser host (Debian Chromium):
 *
 *   npx electron-vite build   # once: the page is served from out/renderer
 *   ./node_modules/.bin/node --max-old-space-size=8192 --import tsx bench/children/log-screen.ts \
 *     [--rate 50000] [--pods 30] [--containers 9] [--seconds 30] [--warmup 5] [--keys 100] [--cpu-profile FILE]
 *
 * A training fleet in its own process; Triptych's core and the browser host
 * in this one; the firehose workload (bench/lib/firehose) at the three sites,
 * tailed the way an operator does it: palette → the workload → "Tail logs in
 * all sites". The Deployments start with no pods and are scaled up once the
 * tail runs, so every container is read from its first line and what the
 * emulator emitted is known exactly (its generator is deterministic).
 *
 * Measured:
 * - the account of every line: emitted (generator) → received by the core →
 *   sent to the page or counted as dropped for the view (in 'dropped'
 *   markers) → written into the terminal; what was in flight at the stop;
 *   per container, that the lines sent have no gap or repeat other than
 *   where a 'dropped' marker says so;
 * - rates over the measurement window at each of those steps;
 * - input latency in the view while the flood runs: `--keys` keystrokes
 *   (real key events through Playwright, into the dock's search box) spread
 *   over the window, each timed in the page from the keydown's timeStamp to
 *   the first frame painted after the input's value changed (a task queued
 *   from the next animation frame), and, where Chromium reports them, Event
 *   Timing entries (≥ 16 ms) for the same keys;
 * - frame intervals and long tasks in the page;
 * - who had the machine's CPU in the window: the core and host (this
 *   process), the fleet, Chromium, and processes outside the bench
 *   (`notOurs`: figures taken while that is high are not the console's).
 * Prints one JSON line.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { FRAMES_AND_LONG_TASKS, launchChromium } from '../lib/browser';
import type { LogBatch } from '../../src/shared/logs';
import { triptych } from '../../src/shared/contract/triptych';
import { parseSeq } from '../../src/emulator/sim/logs';
import { startBrowserHost } from '../../src/server/host';
import { startFleet } from '../lib/child';
import { allLive, coreOnFleet } from '../lib/core';
import { NAME, containerRate, deployFirehose, emittedLines, runningFirehose, scaleFirehose, viewerClients, type FirehosePod } from '../lib/firehose';
import { percentile } from '../lib/stats';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50000' },
    pods: { type: 'string', default: '30' },
    containers: { type: 'string', default: '9' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    keys: { type: 'string', default: '100' },
    // Writes the page's CPU profile over the window (Chrome DevTools' .cpuprofile) to this file.
    'cpu-profile': { type: 'string' },
  },
});
const spec = { rate: Number(values.rate), pods: Number(values.pods), containers: Number(values.containers) };
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const keyCount = Number(values.keys);
const rate = containerRate(spec);
const root = path.resolve(import.meta.dirname, '../..');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (m: string): void => void process.stderr.write(`[log-screen] ${m}\n`);

/**
 * Runs in the page before the app. While `__bench.recording`: keystrokes into
 * the dock's search box (keydown → the frame after its input was painted),
 * Event Timing entries, animation frames and long tasks.
 */
const PAGE_PROBE = `
  const b = (window.__bench = { recording: false, keys: [], events: [], frames: [], longTasks: [], eventTiming: false });
  const isSearch = (t) => t instanceof HTMLInputElement && t.dataset.testid === 'log-search';
  const waiting = [];
  document.addEventListener('keydown', (e) => {
    if (b.recording && isSearch(e.target)) waiting.push(e.timeStamp);
  }, true);
  document.addEventListener('input', (e) => {
    if (!isSearch(e.target)) return;
    const t0 = waiting.shift();
    if (t0 === undefined) return;
    // The value changed in this task; on screen once the next frame has been painted.
    requestAnimationFrame(() => setTimeout(() => b.keys.push(performance.now() - t0)));
  }, true);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (b.recording && (e.name === 'keydown' || e.name === 'keypress' || e.name === 'input' || e.name === 'keyup')) b.events.push({ name: e.name, duration: e.duration, delay: e.processingStart - e.startTime });
      }
    }).observe({ type: 'event', durationThreshold: 16 });
    b.eventTiming = true;
  } catch {}
${FRAMES_AND_LONG_TASKS}`;

/** The dock's counters, as its stats line carries them. */
interface ViewCounters {
  /** Seq of the last batch the view took. */
  batch: number;
  /** Lines the core had handed to the view, as of that batch. */
  delivered: number;
  /** Lines counted as dropped for the view, as of that batch. */
  dropped: number;
  /** Lines the terminal has taken in (xterm's write callback). */
  written: number;
  /** Lines the view holds, not yet in the terminal. */
  queued: number;
}
const READ_VIEW = `(() => {
  const d = document.querySelector('[data-testid="log-stats"]').dataset;
  return { batch: Number(d.batch ?? 0), delivered: Number(d.delivered ?? 0), dropped: Number(d.dropped ?? 0), written: Number(d.written ?? 0), queued: Number(d.queued ?? 0) };
})()`;

/** CPU time (clock ticks) of the whole machine, busy and in all, and of this process and each of its descendants by role. */
interface CpuTicks {
  busy: number;
  total: number;
  mine: Record<'coreAndHost' | 'fleet' | 'chromium' | 'other', number>;
}

async function cpuTicks(): Promise<CpuTicks> {
  const f = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  const procs = new Map<number, { ppid: number; ticks: number; cmd: string }>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), cmd: (await readFile(`/proc/${name}/cmdline`, 'utf8')).replaceAll('\0', ' ') });
    } catch {
      // Gone meanwhile.
    }
  }
  const mine = { coreAndHost: 0, fleet: 0, chromium: 0, other: 0 };
  for (const [pid, p] of procs) {
    let up = pid;
    while (up > 1 && up !== process.pid) up = procs.get(up)?.ppid ?? 0;
    if (up !== process.pid) continue;
    const role = pid === process.pid ? 'coreAndHost' : p.cmd.includes('src/emulator/cli.ts') ? 'fleet' : p.cmd.includes('chrom') ? 'chromium' : 'other';
    mine[role] += p.ticks;
  }
  return { busy: total - idle, total, mine };
}

/** Shares of the machine's CPU (1 = all its cores) between two readings. */
function cpuShares(a: CpuTicks, b: CpuTicks): Record<string, number> {
  const all = b.total - a.total;
  const share = (x: number): number => Math.round((x / all) * 1000) / 1000;
  const mine = Object.fromEntries(Object.entries(b.mine).map(([k, v]) => [k, share(v - a.mine[k as keyof CpuTicks['mine']])]));
  const ours = Object.keys(b.mine).reduce((n, k) => n + b.mine[k as keyof CpuTicks['mine']] - a.mine[k as keyof CpuTicks['mine']], 0);
  return { busy: share(b.busy - a.busy), ...mine, notOurs: share(b.busy - a.busy - ours) };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-log-screen-'));
log(`starting the fleet in ${dir}`);
const fleet = await startFleet(dir, 8, 4);
const kc = new KubeConfig();
kc.loadFromFile(path.join(dir, 'kubeconfig'));
// The workload exists everywhere (so the console can open it), its pods come once the tail runs.
await deployFirehose(kc, spec, [0, 0, 0]);
const core = await coreOnFleet(dir);
await allLive(core);
const host = await startBrowserHost({ staticDir: path.join(root, 'out/renderer'), contract: triptych, impl: core.impl, bus: core.bus });

/** What the core sent to the view, batch by batch (seq → lines), and the newest counters. */
const sent = new Map<number, number>();
let last: LogBatch | undefined;
/** Told of each batch after it is counted. */
let onSent: (() => void) | undefined;
let markedDropped = 0;
/**
 * Per container: the last sequence number sent, and how many 'dropped' markers had been sent then.
 * A gap is explained only by a marker in between; a container first seen after one may start anywhere.
 */
const lastSeq = new Map<string, { seq: number; drops: number }>();
let drops = 0;
let seqBreaks = 0;
let repeats = 0;
core.bus.tap((name, payload) => {
  if (name !== 'logs.batch') return;
  const b = payload as LogBatch;
  let lines = 0;
  for (const e of b.entries) {
    if (e.kind === 'marker') {
      if (e.type === 'dropped') {
        markedDropped += e.count ?? 0;
        drops++;
      }
      continue;
    }
    lines++;
    // The plain style ends each line with its sequence number.
    const at = e.text.lastIndexOf('seq=');
    const seq = at >= 0 ? Number(e.text.slice(at + 4)) : (parseSeq(e.text) ?? NaN);
    const key = `${e.site}/${e.pod}/${e.container}`;
    const prev = lastSeq.get(key) ?? { seq: -1, drops: 0 };
    // Each container is read from its first line; after a skip, it goes on from wherever the skip left it.
    if (seq <= prev.seq) repeats++;
    else if (seq !== prev.seq + 1 && prev.drops === drops) seqBreaks++;
    lastSeq.set(key, { seq, drops });
  }
  sent.set(b.seq, lines);
  last = b;
  onSent?.();
});
const sentUpTo = (seq: number): number => [...sent].reduce((n, [s, l]) => (s <= seq ? n + l : n), 0);

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  // A string, not a function: the TypeScript loader would wrap named functions in a helper the page lacks.
  await page.addInitScript(PAGE_PROBE);
  await page.goto(host.viewerUrl);
  await page.locator('html[data-app-state="loaded"]').waitFor({ state: 'attached', timeout: 120_000 });

  // As an operator: find the workload, tail it in every site.
  await page.keyboard.press('Control+K');
  await page.getByTestId('palette-input').fill(`${core.sites[0]!.id}: ${NAME}`);
  await page.locator('[data-testid="palette-result"][data-kind="workload"]').first().click();
  await page.getByTestId('tail-logs').click();
  const dock = page.getByTestId('log-dock');
  await dock.and(page.locator('[data-stream="running"]')).waitFor({ timeout: 30_000 });

  await scaleFirehose(kc, spec);
  const clients = viewerClients(kc);
  const pods: Map<string, FirehosePod[]> = await runningFirehose(clients, spec.pods);
  for (const c of clients.values()) c.close();
  log(`${spec.pods} pods × ${spec.containers} containers running; ${rate.toFixed(1)} lines/s each, ${spec.rate} lines/s in all`);
  await sleep(warmup * 1000);

  const search = page.getByTestId('log-search');
  await search.click();
  const cpu0 = await cpuTicks();
  const w0 = Date.now();
  const v0 = (await page.evaluate(READ_VIEW)) as ViewCounters;
  const core0 = last?.stats;
  const cdp = values['cpu-profile'] ? await page.context().newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  await page.evaluate('window.__bench.recording = true');
  // Keystrokes spread over the window: ten characters typed, then erased, and again.
  const every = (seconds * 1000) / keyCount;
  for (let i = 0; i < keyCount; i++) {
    const due = w0 + i * every;
    if (due > Date.now()) await sleep(due - Date.now());
    await page.keyboard.press(i % 20 < 10 ? 'abcdefghij'[i % 10]! : 'Backspace');
  }
  const wait = w0 + seconds * 1000 - Date.now();
  if (wait > 0) await sleep(wait);
  const w1 = Date.now();
  const v1 = (await page.evaluate(READ_VIEW)) as ViewCounters;
  if (cdp) await writeFile(values['cpu-profile'] as string, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  const core1 = last?.stats;
  const cpu1 = await cpuTicks();
  const probe = (await page.evaluate(`(() => { const b = window.__bench; b.recording = false; return { keys: b.keys, events: b.events, frames: b.frames, longTasks: b.longTasks, eventTiming: b.eventTiming }; })()`)) as {
    keys: number[];
    events: { name: string; duration: number; delay: number }[];
    frames: number[];
    longTasks: number[];
    eventTiming: boolean;
  };

  // The stop: what the view has now, then the dock is closed (the tail stops, and its last batch goes out).
  const vEnd = (await page.evaluate(READ_VIEW)) as ViewCounters;
  const batchesBefore = sent.size;
  const closeAt = Date.now();
  await page.getByRole('button', { name: 'Close logs' }).click();
  // The tail's last batch: after the close, with every stream ended.
  const final = await new Promise<LogBatch>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the tail did not stop within 30 s of closing the dock')), 30_000);
    onSent = () => {
      const s = last?.stats.streams;
      if (!last || sent.size === batchesBefore || !s || s.following + s.retrying + s.waiting > 0) return;
      clearTimeout(timer);
      onSent = undefined;
      resolve(last);
    };
    // It may have come already, while the click was being made.
    onSent();
  });
  const stopAt = Date.now();
  const emitted = emittedLines(pods, rate, undefined, stopAt);
  const st = final.stats;
  const toView = vEnd.written + vEnd.queued;
  const sentTotal = sentUpTo(Infinity);
  const windowS = (w1 - w0) / 1000;
  const intervals = probe.frames.slice(1).map((t, i) => t - (probe.frames[i] as number));
  const keydowns = probe.events.filter((e) => e.name === 'keydown');
  console.log(
    JSON.stringify({
      streams: spec.pods * spec.containers,
      rateAsked: spec.rate,
      windowS,
      perSecond: {
        emitted: emittedLines(pods, rate, w0, w1) / windowS,
        received: core0 && core1 ? (core1.received - core0.received) / windowS : NaN,
        toView: (v1.written + v1.queued - v0.written - v0.queued) / windowS,
        written: (v1.written - v0.written) / windowS,
        dropped: (v1.dropped - v0.dropped) / windowS,
      },
      account: {
        emitted,
        received: st.received,
        // Emitted up to the tail's last batch and not read: the streams were cut before it, so an upper bound.
        unreadAtStop: emitted - st.received,
        stopMs: stopAt - closeAt,
        delivered: st.delivered,
        droppedForView: st.droppedForView,
        markedDropped,
        pending: st.pending,
        filtered: st.filtered,
        receivedAddsUp: st.received === st.delivered + st.droppedForView + st.pending + st.filtered,
        sentInBatches: sentTotal,
        sentAddsUp: sentTotal === st.delivered,
        reachedView: toView,
        written: vEnd.written,
        queuedInView: vEnd.queued,
        writtenAddsUp: sentUpTo(vEnd.batch) === vEnd.written,
        inFlightToViewAtStop: sentTotal - toView,
        seqBreaks,
        repeats,
      },
      input: {
        keys: probe.keys.length,
        p50: percentile(probe.keys, 50),
        p95: percentile(probe.keys, 95),
        max: percentile(probe.keys, 100),
        eventTiming: probe.eventTiming,
        keydownsOver16ms: keydowns.length,
        keydownMax: keydowns.reduce((m, e) => Math.max(m, e.duration), 0),
        keydownDelayMax: keydowns.reduce((m, e) => Math.max(m, e.delay), 0),
      },
      frames: { count: intervals.length, p50: percentile(intervals, 50), p95: percentile(intervals, 95), max: percentile(intervals, 100) },
      longTasks: { count: probe.longTasks.length, totalMs: probe.longTasks.reduce((a, b) => a + b, 0), max: percentile(probe.longTasks, 100) },
      // Shares of the whole machine (all cores) in the window; notOurs: processes outside this bench.
      cpu: { cores: os.cpus().length, ...cpuShares(cpu0, cpu1) },
    }),
  );
} finally {
  await browser.close();
  await host.close();
  await core.close();
  fleet.stop();
  await sleep(500);
  await rm(dir, { recursive: true, force: true });
}
process.exit(0);
