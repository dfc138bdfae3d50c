/**
 * `npm run bench [-- --scale small|seed|large|limit] [--runs N]`: Triptych
 * against three sites of the training fleet, next to baselines on the same
 * data in the same run, each measurement in a fresh process:
 *   - time until all three sites are synced — Triptych with the streaming
 *     list and with paginated LIST; (a) the floor: the same lists with plain
 *     HTTPS + JSON.parse; (b) `kubectl get pods -A -o json` per site;
 *     (c) client-node's stock `makeInformer` — medians of --runs;
 *   - memory after sync; idle CPU; watch event → store latency at each
 *     --rates; a compressed soak (--soak seconds of load); correctness of
 *     every store after the sync, the soak and a watch-expiry storm;
 *   - in the browser host (Debian Chromium): event → screen latency, frame
 *     times and the rack map's draw time while --screen-rate events/s arrive.
 * Results go to stdout and to bench/RESULTS.md (one section per scale).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runChild, startFleet } from './lib/child';
import { SCALES, type ScaleName } from './lib/scales';
import { median } from './lib/stats';
import type { Verdict } from './lib/verify';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'small' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string' },
    rates: { type: 'string', default: '200,1000' },
    seconds: { type: 'string', default: '10' },
    idle: { type: 'string', default: '10' },
    // 30 minutes of a busy site (200 changes/s) compressed: 360 s at 1,000/s.
    soak: { type: 'string', default: '360' },
    'soak-rate': { type: 'string', default: '1000' },
    'screen-rate': { type: 'string', default: '1000' },
  },
});
const scaleName = values.scale as ScaleName;
const scale = SCALES[scaleName];
if (!scale) {
  console.error(`unknown scale "${values.scale}"; one of: ${Object.keys(SCALES).join(', ')}`);
  process.exit(2);
}
const runs = Number(values.runs);
const root = path.resolve(import.meta.dirname, '..');
const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`);
const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const ms = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : 'n/a');
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const ratio = (t: number, base: number, name: string): string => `${(t / base).toFixed(2)}× ${name}`;

/**
 * `kubectl get pods -A -o json` for each site, one after the other: three at
 * once need ~10 GB each at the limit scale and get OOM-killed together. The
 * figure compared is the slowest single site (what three in parallel would
 * take with memory to spare: the kindest reading for kubectl).
 */
async function kubectlSites(dir: string, sites: string[]): Promise<{ slowest: number; total: number }> {
  const times: number[] = [];
  for (const site of sites) {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      // Output to /dev/null: kubectl still decodes and prints it all.
      const k = spawn('kubectl', ['--context', `${site}-viewer`, 'get', 'pods', '-A', '-o', 'json'], { env: { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig'), HOME: dir }, stdio: 'ignore' });
      k.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(signal ? `kubectl was killed at ${site} (${signal}${signal === 'SIGKILL' ? ', most likely out of memory' : ''})` : `kubectl exited ${code} at ${site}`))));
    });
    times.push(performance.now() - t0);
  }
  return { slowest: Math.max(...times), total: times.reduce((a, b) => a + b, 0) };
}

/** Runs a baseline, recording its first failure instead of its figure (kubectl and the informer can run out of memory at `limit`). */
async function attempt<T>(box: { results: T[]; failed?: string }, fn: () => Promise<T>): Promise<void> {
  if (box.failed) return;
  try {
    const r = await fn();
    const error = (r as { error?: unknown } | null)?.error;
    if (typeof error === 'string') box.failed = error;
    else box.results.push(r);
  } catch (e) {
    box.failed = (e as Error).message.split('\n')[0];
  }
}

type Sync = { syncMs: number; rss: number; heapUsed: number; pods: number; nodes: number };
type Latency = { fromArrivalP50: number; fromArrivalP99: number; achievedPerSite: number; behind: number; events: number; matched: number; p50: number; p99: number; max: number };
type Live = {
  afterSync: Verdict & { afterMs: number };
  idleCpuPercent: number;
  latency: Record<string, Latency>;
  soak: { seconds: number; changesPerSite: number; before: { heap: number }; samples: { heap: number; rss: number }[]; drift: number };
  afterSoak: Verdict & { afterMs: number };
  afterStorm: Verdict & { afterMs: number; staleTransitions: number; storm: string[] };
};
type Screen = {
  nodes: number; achievedPerSite: number; events: number; onScreen: number; screenP50: number; screenP99: number; screenFromArrivalP50: number; screenFromArrivalP99: number; fps: number; frameP50: number; frameP99: number; frameMax: number;
  longTasks: number; longTaskMs: number; rackDraws: number; rackDrawP50: number; rackDrawMax: number;
};

log('building the renderer (the browser phase serves it)');
if (spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error('the build failed');

const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-bench-fleet-'));
const f0 = performance.now();
const fleet = await startFleet(dir, scale.nodes, scale.podsPerNode);
const fleetStart = performance.now() - f0;
log(`fleet up in ${s(fleetStart)}`);
try {
  const sites = ['fra', 'ams', 'dub'];
  const watchList: Sync[] = [];
  const list: Sync[] = [];
  const floor: { ms: number }[] = [];
  const kubectl: { results: { slowest: number; total: number }[]; failed?: string } = { results: [] };
  const informer: { results: { ms: number; rss: number; heapUsed: number }[]; failed?: string } = { results: [] };
  for (let i = 0; i < runs; i++) {
    floor.push(await runChild('children/floor.ts', ['--dir', dir]));
    watchList.push(await runChild('children/triptych-sync.ts', ['--dir', dir]));
    list.push(await runChild('children/triptych-sync.ts', ['--dir', dir, '--list']));
    await attempt(informer, () => runChild('children/informer.ts', ['--dir', dir]));
    await attempt(kubectl, () => kubectlSites(dir, sites));
    log(`sync run ${i + 1}/${runs} done`);
  }
  log('live: correctness, idle CPU, latency, soak, watch-expiry storm');
  const live = await runChild<Live>('children/live.ts', ['--dir', dir, '--rates', values.rates, '--seconds', values.seconds, '--idle', values.idle, '--soak', values.soak, '--soak-rate', values['soak-rate']]);
  log('screen: the renderer in Chromium under load');
  const screen = await runChild<Screen>('children/screen.ts', ['--dir', dir, '--rate', values['screen-rate'], '--seconds', values.seconds]);

  const t = median(watchList.map((x) => x.syncMs));
  const tList = median(list.map((x) => x.syncMs));
  const a = median(floor.map((x) => x.ms));
  const last = watchList.at(-1) as Sync;
  const verdict = (v: Verdict & { afterMs: number }): string =>
    v.equal ? `equal: ${v.objects} objects (checked within ${s(v.afterMs)}, the comparison's own time included)` : `**differs**: ${v.diffCount} of ${v.objects} objects, e.g. ${v.diffs.join('; ')}`;
  const lat = (r: string): string => {
    const l = live.latency[r];
    return l
      ? `from the fleet's commit: p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, max ${ms(l.max)}; from arrival (oldest change of its batch: an upper bound): p50 ${ms(l.fromArrivalP50)}, p99 ${ms(l.fromArrivalP99)} (${l.matched} of ${l.events} events matched, the rest coalesced with a later change to the same pod; the fleet achieved ${l.achievedPerSite.toFixed(0)}/s per site${l.behind ? `, ${l.behind} changes skipped behind schedule` : ''})`
      : 'not measured';
  };
  const rows = [
    '| figure | value | target |',
    '|---|---|---|',
    `| scale | ${scaleName}: 3 sites × ${scale.nodes} nodes, ${scale.podsPerNode} pods/node → ${last.nodes} nodes, ${last.pods} pods mirrored | |`,
    `| training fleet start-up | ${s(fleetStart)} | |`,
    `| **Triptych: all three sites synced (live), streaming list** | **${s(t)}** | |`,
    `| Triptych synced with paginated LIST instead | ${s(tList)} | |`,
    `| (a) floor: same lists, HTTPS + JSON.parse only | ${s(a)} — Triptych is ${ratio(t, a, 'the floor')} | ≤ 1.5× |`,
    kubectl.results.length
      ? `| (b) kubectl get pods -A -o json, slowest of the 3 sites (run one by one) | ${s(median(kubectl.results.map((x) => x.slowest)))} (all three: ${s(median(kubectl.results.map((x) => x.total)))}) — Triptych's three sites take ${ratio(t, median(kubectl.results.map((x) => x.slowest)), "kubectl's one")} | < 1× |`
      : `| (b) kubectl get pods -A -o json, per site (run one by one) | did not finish: ${kubectl.failed} | < 1× |`,
    informer.results.length
      ? `| (c) client-node makeInformer, same 8 collections × 3 sites | ${s(median(informer.results.map((x) => x.ms)))}, RSS ${mb(median(informer.results.map((x) => x.rss)))} — Triptych is ${ratio(t, median(informer.results.map((x) => x.ms)), 'the informer')} | < 1× |`
      : `| (c) client-node makeInformer, same 8 collections × 3 sites | did not finish: ${informer.failed} | < 1× |`,
    `| Triptych process RSS after sync | ${mb(median(watchList.map((x) => x.rss)))} (LIST: ${mb(median(list.map((x) => x.rss)))}) | ≤ 1.5 GB at limit |`,
    `| Triptych JS heap after sync | ${mb(median(watchList.map((x) => x.heapUsed)))} (${(median(watchList.map((x) => x.heapUsed)) / Math.max(1, last.pods)).toFixed(0)} B per pod, everything included) | ≤ 1 KB per pod |`,
    `| idle CPU, no events (watches, bookmarks, RTT probe) | ${live.idleCpuPercent.toFixed(2)} % of a core | ≤ 2 % |`,
    ...values.rates.split(',').map((r) => `| watch event → store at ${r} events/s per site | ${lat(r)} | |`),
    `| event → on screen (browser host; the overview's derived views include it, next frame painted) at ${values['screen-rate']}/s per site asked, ${screen.achievedPerSite.toFixed(0)}/s achieved | from the fleet's commit: p50 ${ms(screen.screenP50)}, **p99 ${ms(screen.screenP99)}**; from arrival at the core (oldest change of its batch): p50 ${ms(screen.screenFromArrivalP50)}, p99 ${ms(screen.screenFromArrivalP99)} (${screen.onScreen} of ${screen.events} events reached the screen; the rest were not seen, e.g. coalesced) | p99 ≤ 250 ms |`,
    `| renderer frames at ${values['screen-rate']}/s per site | ${screen.fps.toFixed(1)} fps; frame p50 ${screen.frameP50.toFixed(1)} ms, p99 ${screen.frameP99.toFixed(1)} ms, max ${screen.frameMax.toFixed(1)} ms; ${screen.longTasks} long tasks (${ms(screen.longTaskMs)}) | |`,
    `| rack maps: ${screen.nodes} nodes on three canvases | full redraw p50 ${screen.rackDrawP50.toFixed(1)} ms, max ${screen.rackDrawMax.toFixed(1)} ms (${screen.rackDraws} draws); ${screen.fps.toFixed(1)} fps while events arrive | ≥ 50 fps |`,
    `| memory over a compressed soak: ${live.soak.seconds} s asking ${values['soak-rate']}/s per site; ${Math.round(live.soak.changesPerSite)} changes per site done (= ${(live.soak.changesPerSite / 200 / 60).toFixed(0)} min of a busy site at 200/s), 5 % replacing pods | heap after GC ${mb(live.soak.samples[0]?.heap ?? 0)} → ${mb(live.soak.samples.at(-1)?.heap ?? 0)}, **drift ${pct(live.soak.drift)}** (process RSS, which includes the correctness checker's lists: ${mb(live.soak.samples[0]?.rss ?? 0)} → ${mb(live.soak.samples.at(-1)?.rss ?? 0)}) | ≤ 10 % |`,
    `| stores vs emulator after sync | ${verdict(live.afterSync)} | equal |`,
    `| stores vs emulator after the soak | ${verdict(live.afterSoak)} | equal |`,
    `| stores vs emulator after a watch-expiry storm at all sites under load | ${verdict(live.afterStorm)}; the storm: ${live.afterStorm.storm.map((x) => x.replace('watch-expiry-storm: ', '')).join('; ')}; ${live.afterStorm.staleTransitions} stale transitions, all live again | equal |`,
  ];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())}, Node ${process.version}`;
  const section = `## ${scaleName}\n\n${new Date().toISOString().slice(0, 10)} on ${machine}; sync figures are the median of ${runs} run(s), each in a fresh process; the rest from one run.\n\n${rows.join('\n')}\n`;
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
