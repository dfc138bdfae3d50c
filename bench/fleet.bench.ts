/**
 * `npm run bench:fleet [-- --nodes N --pods-per-node M --sites S]`: how long
 * the training fleet takes to start at Kubernetes' documented limits
 * (3 × 5,000 nodes, 150,000 pods) and how much memory it holds, plus the cost
 * of serving one site's full pod list and streaming list over HTTPS.
 * Writes bench/RESULTS-fleet.md and prints the same table.
 */
import https from 'node:https';
import os from 'node:os';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Fleet } from '../src/emulator/fleet';

const { values } = parseArgs({ options: { nodes: { type: 'string' }, 'pods-per-node': { type: 'string' }, sites: { type: 'string' }, out: { type: 'string' } } });
const nodes = Number(values.nodes ?? 5000);
const ppn = Number(values['pods-per-node'] ?? 30);
const sites = Number(values.sites ?? 3);

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;

/** Streams a GET and returns bytes and seconds, without keeping the body. */
function timedGet(url: string, ca: string, token: string, accept?: string): Promise<{ bytes: number; seconds: number; lines: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) } }, (res) => {
        let bytes = 0;
        let lines = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
        });
        res.on('end', () => resolve({ bytes, seconds: (performance.now() - t0) / 1000, lines }));
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  global.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const fleet = await Fleet.start({ sites, nodes, podsPerNode: ppn, seed: 'bench', historySize: 100_000 });
  const startSeconds = (performance.now() - t0) / 1000;
  const progress = (what: string): void => void process.stderr.write(`[bench] ${what} at +${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  progress('fleet started');
  global.gc?.();
  const after = process.memoryUsage();
  const first = fleet.sites[0];
  if (!first) throw new Error('no site');
  const pods = fleet.sites.reduce((n, s) => n + s.site.idx.pods.size, 0);
  const nodeCount = fleet.sites.reduce((n, s) => n + s.site.idx.nodes.size, 0);
  const ca = fleet.tls.caCert;
  progress('memory measured');
  const list = await timedGet(`${first.server.url}/api/v1/pods`, ca, first.tokens.viewer);
  progress('full list served');
  const paged = await timedGet(`${first.server.url}/api/v1/pods?limit=500`, ca, first.tokens.viewer);
  progress('first page served');
  const stream = await new Promise<{ seconds: number; events: number }>((resolve, reject) => {
    const s0 = performance.now();
    let events = 0;
    let buf = '';
    const req = https.get(`${first.server.url}/api/v1/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`, { ca, headers: { authorization: `Bearer ${first.tokens.viewer}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          events++;
          if (line.startsWith('{"type":"BOOKMARK"') && line.includes('initial-events-end')) {
            req.destroy();
            resolve({ seconds: (performance.now() - s0) / 1000, events: events - 1 });
          }
        }
      });
    });
    req.on('error', (e) => (e.message.includes('aborted') || e.message.includes('socket hang up') ? undefined : reject(e)));
  });
  progress('streaming list done');
  // kubectl as an admin would run it: Tables in pages of 500, every pod of one site.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-bench-'));
  await fleet.writeFiles(dir);
  const k0 = performance.now();
  const kubectlLines = await new Promise<number>((resolve, reject) =>
    execFile('kubectl', ['--context', `${first.site.name}-viewer`, 'get', 'pods', '-A', '--no-headers'], { env: { ...process.env, KUBECONFIG: path.join(dir, 'kubeconfig'), HOME: dir }, maxBuffer: 1 << 30 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout.split('\n').filter(Boolean).length),
    ),
  );
  const kubectlSeconds = (performance.now() - k0) / 1000;
  await rm(dir, { recursive: true, force: true });
  const table = [
    `| figure | value |`,
    `|---|---|`,
    `| scale | ${sites} sites × ${nodes} nodes, ${ppn} pods/node → ${nodeCount} nodes, ${pods} pods |`,
    `| start-up (generate + load + listen) | ${startSeconds.toFixed(1)} s |`,
    `| RSS after start | ${mb(after.rss)} (before: ${mb(before.rss)}) |`,
    `| JS heap used after start | ${mb(after.heapUsed)} |`,
    `| one site, GET /api/v1/pods (one response) | ${list.seconds.toFixed(2)} s, ${mb(list.bytes)} |`,
    `| one site, first page of 500 | ${(paged.seconds * 1000).toFixed(0)} ms, ${(paged.bytes / 1024).toFixed(0)} KiB |`,
    `| one site, streaming list (sendInitialEvents) to the end bookmark | ${stream.seconds.toFixed(2)} s, ${stream.events} events |`,
    `| one site, \`kubectl get pods -A\` (Tables, pages of 500) | ${kubectlSeconds.toFixed(1)} s, ${kubectlLines} rows |`,
  ];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())}, Node ${process.version}`;
  const note = 'kubectl pages at 500 objects and throttles itself on the client (about 5 requests/s, visible with -v=6 as "client-side throttling"); the server answers each page in milliseconds, so that row measures kubectl.';
  const text = `# Training fleet at scale\n\n${new Date().toISOString().slice(0, 10)} on ${machine}.\nOne run of \`npm run bench:fleet -- --nodes ${nodes} --pods-per-node ${ppn} --sites ${sites}\`.\n\n${table.join('\n')}\n\n${note}\n`;
  console.log(text);
  await writeFile(values.out ?? path.join(import.meta.dirname, 'RESULTS-fleet.md'), text);
  await fleet.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
