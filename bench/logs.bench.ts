/**
 * `node --import tsx bench/logs.bench.ts [--rate 50000] [--pods 30] [--containers 9] [--seconds 20]`
 *
 * Sustained log ingest: a LogTail following every container of 30 pods
 * spread over the three sites of a training fleet (its own process, so the
 * emulator and the tail do not share an event loop), the pods logging
 * `--rate` lines per second in total. The emulator's generator caps one
 * container at 200 lines/s, so the rate is spread over `--containers`
 * containers per pod (30 × 9 × 185 ≈ 50,000 lines/s).
 *
 * Measured:
 * - lines the emulator emitted (exact: its generator is deterministic, so
 *   the bench computes each container's line count up to the moment the tail
 *   stopped reading) against lines the tail received from the API servers;
 * - lines delivered to the batch callback and lines explicitly counted as
 *   dropped (in 'dropped' markers), and the check that they add up;
 * - per container, that the delivered sequence numbers have no gap or
 *   repeat except where a 'dropped' marker says so;
 * - latency from a line's emission (its generator timestamp) to the batch
 *   callback, over the measurement window;
 * - the tail's CPU and memory.
 * Prints a markdown table.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeHttp } from '../src/core/kube/http';
import { LogTail } from '../src/core/logs/log-tail';
import type { LogBatch } from '../src/core/logs/types';
import { parseSeq } from '../src/emulator/sim/logs';
import { streamPrefix } from '../src/shared/terminal/colour';
import { startFleet } from './lib/child';
import { NAME, NS, containerRate as rateOf, deployFirehose, emittedLines, fleetSites, runningFirehose, viewerClients } from './lib/firehose';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50000' },
    pods: { type: 'string', default: '30' },
    containers: { type: 'string', default: '9' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    'flush-ms': { type: 'string', default: '50' },
    // A consumer that takes this long to acknowledge each batch (a slow renderer): shows the drop accounting.
    'ack-ms': { type: 'string', default: '0' },
  },
});
const totalRate = Number(values.rate);
const podCount = Number(values.pods);
const perPod = Number(values.containers);
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const ackMs = Number(values['ack-ms']);
const spec = { rate: totalRate, pods: podCount, containers: perPod };
const containerRate = ((): number => {
  try {
    return rateOf(spec);
  } catch (e) {
    console.error((e as Error).message);
    return process.exit(2);
  }
})();
const log = (m: string): void => void process.stderr.write(`[logs-bench] ${m}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Latency histogram: 1 ms buckets up to 30 s. */
class Histogram {
  private readonly b = new Float64Array(30_001);
  n = 0;
  max = 0;
  add(ms: number): void {
    const v = Math.max(0, Math.round(ms));
    this.b[Math.min(30_000, v)] = (this.b[Math.min(30_000, v)] as number) + 1;
    this.n++;
    if (v > this.max) this.max = v;
  }
  pct(p: number): number {
    let want = Math.ceil((p / 100) * this.n);
    for (let i = 0; i < this.b.length; i++) {
      want -= this.b[i] as number;
      if (want <= 0) return i;
    }
    return this.max;
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-logs-bench-'));
  log(`starting the fleet in ${dir}`);
  const fleet = await startFleet(dir, 8, 4);
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(path.join(dir, 'kubeconfig'));
    const sites = fleetSites(kc);
    if (sites.length !== 3) throw new Error(`expected three sites, got ${sites.join(', ')}`);

    // 30 pods over three sites: a Deployment per site, its share of the replicas; every pod running before the tail starts.
    await deployFirehose(kc, spec);
    const https = viewerClients(kc);
    const pods = await runningFirehose(https, podCount);
    log(`${podCount} pods × ${perPod} containers running at ${sites.join(', ')}; ${containerRate.toFixed(1)} lines/s each`);

    // The consumer: formats each line as the terminal view will (prefix + text), counts, and times.
    const hist = new Histogram();
    let measuring = false;
    let windowDelivered = 0;
    let batches = 0;
    let bytesOut = 0;
    const lastSeq = new Map<string, number>();
    let seqBreaks = 0;
    let droppedMarkers = 0;
    let last: LogBatch | undefined;
    const onBatch = (b: LogBatch): void | Promise<void> => {
      const now = Date.now();
      batches++;
      last = b;
      let out = '';
      for (const e of b.entries) {
        if (e.kind === 'marker') {
          if (e.type === 'dropped') {
            droppedMarkers += e.count ?? 0;
            // Lines are skipped: sequence continuity restarts after this marker.
            lastSeq.clear();
          }
          continue;
        }
        out += `${streamPrefix(e.site, e.pod, e.container, e.colour)}${e.text}\r\n`;
        const key = `${e.site}/${e.pod}/${e.container}`;
        const seq = parseSeq(e.text) as number;
        const prev = lastSeq.get(key);
        if (prev !== undefined && seq !== prev + 1) seqBreaks++;
        lastSeq.set(key, seq);
        if (measuring) {
          windowDelivered++;
          // The kubelet timestamp is the generator's emission time (ms precision is enough here).
          hist.add(now - Date.parse(`${(e.ts as string).slice(0, 23)}Z`));
        }
      }
      bytesOut += out.length;
      if (ackMs > 0) return new Promise((r) => setTimeout(r, ackMs));
    };

    // The first read of each container starts at a whole second (sinceTime), so that what the
    // emulator emitted from then on is known exactly from its generator.
    const since = Math.floor(Date.now() / 1000) * 1000;
    const tail = new LogTail({
      sites: sites.map((id) => ({ id, http: https.get(id) as KubeHttp })),
      target: { kind: 'workload', workload: 'Deployment', namespace: NS, name: NAME },
      options: { timestamps: true, sinceTime: new Date(since).toISOString() },
      onBatch,
      limits: { flushMs: Number(values['flush-ms']) },
    });
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    tail.start();
    await sleep(warmup * 1000);
    const w0 = Date.now();
    const cpuW0 = process.cpuUsage();
    const statsW0 = tail.stats;
    measuring = true;
    let peakRss = 0;
    const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
    await sleep(seconds * 1000);
    measuring = false;
    const w1 = Date.now();
    const cpuW = process.cpuUsage(cpuW0);
    const statsW1 = tail.stats;
    // Stop reading; what the emulator emitted up to now is compared with what was read.
    const stopAt = Date.now();
    await tail.stop();
    clearInterval(rssTimer);
    const st = tail.stats;
    const cpuAll = process.cpuUsage(cpu0);
    // What the tail retains (its scrollback), as opposed to RSS, which includes garbage not yet collected.
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
    const heapRetained = process.memoryUsage().heapUsed;

    // Emitted: each container's generated lines from sinceTime to the stop, exactly.
    const emitted = emittedLines(pods, containerRate, since, stopAt);
    const windowS = (w1 - w0) / 1000;
    const receivedW = statsW1.received - statsW0.received;
    const accounted = st.delivered + st.droppedForView + st.pending;
    const rows: [string, string][] = [
      ['streams (pods × containers, 3 sites)', `${podCount} × ${perPod} = ${podCount * perPod}`],
      ['first read per container', `sinceTime = the second the tail started (${((t0 - since) / 1000).toFixed(1)} s of history), then follow`],
      ['target rate (emulator)', `${totalRate.toLocaleString('en-US')} lines/s`],
      ['consumer', ackMs > 0 ? `acknowledges each batch after ${ackMs} ms (at most 2 unacknowledged)` : 'synchronous (formats each line as the view will)'],
      ['received from API servers, in window', `${Math.round(receivedW / windowS).toLocaleString('en-US')} lines/s (${receivedW.toLocaleString('en-US')} in ${windowS.toFixed(1)} s)`],
      ['delivered to the batch callback, in window', `${Math.round(windowDelivered / windowS).toLocaleString('en-US')} lines/s`],
      ['dropped for the view, in window', (statsW1.droppedForView - statsW0.droppedForView).toLocaleString('en-US')],
      ['emitted by the emulator from sinceTime to the stop (generator)', emitted.toLocaleString('en-US')],
      ['received by the tail, whole run', st.received.toLocaleString('en-US')],
      ['emitted but not yet read when the tail stopped', `${(emitted - st.received).toLocaleString('en-US')} (${((emitted - st.received) / totalRate * 1000).toFixed(0)} ms of output in flight)`],
      ['delivered', st.delivered.toLocaleString('en-US')],
      ['dropped for the view (explicit, in markers)', `${st.droppedForView.toLocaleString('en-US')} (markers say ${droppedMarkers.toLocaleString('en-US')})`],
      ['pending at stop', st.pending.toLocaleString('en-US')],
      ['received = delivered + dropped + pending', accounted === st.received - st.filtered ? 'yes' : `NO (${accounted} vs ${st.received})`],
      ['sequence breaks not explained by a dropped marker', String(seqBreaks)],
      ['duplicates skipped', st.duplicatesSkipped.toLocaleString('en-US')],
      ['latency emission → batch callback p50 / p99 / max', `${hist.pct(50)} / ${hist.pct(99)} / ${hist.max} ms`],
      ['batches', `${batches.toLocaleString('en-US')} (${(st.delivered / Math.max(1, batches)).toFixed(0)} lines per batch on average)`],
      ['tail CPU in window', `${(((cpuW.user + cpuW.system) / 1000 / (w1 - w0)) * 100).toFixed(0)} % of one core`],
      ['tail CPU whole run', `${(((cpuAll.user + cpuAll.system) / 1000 / (Date.now() - t0)) * 100).toFixed(0)} % of one core`],
      ['peak RSS; heap after GC (scrollback still held)', `${(peakRss / 1024 / 1024).toFixed(0)} MiB; ${(heapRetained / 1024 / 1024).toFixed(0)} MiB`],
      ['scrollback', `${st.scrollbackLines.toLocaleString('en-US')} lines, ~${(st.scrollbackBytes / 1024 / 1024).toFixed(0)} MiB by its estimate (evicted ${st.evicted.toLocaleString('en-US')})`],
      ['view bytes formatted', `${(bytesOut / 1024 / 1024).toFixed(0)} MiB`],
    ];
    console.log(`\n## Log tail ingest — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} CPUs\n`);
    console.log('| measure | value |\n|---|---|');
    for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
    if (last) log(`last stats: ${JSON.stringify(last.stats)}`);
    for (const h of https.values()) h.close();
  } finally {
    fleet.stop();
    await sleep(500);
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
