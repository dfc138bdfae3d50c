/**
 * `npm run fleet`: starts the training fleet and prints how to reach it.
 * `npm run fleet -- fault <name> [--site S] [...]`: injects a fault into a
 * running fleet through its control endpoint (found in <dir>/fleet.json).
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { Fleet, type FleetInfo } from './fleet';
import { FAULTS } from './scenarios/faults';

const HELP = `Usage:
  npm run fleet -- [--sites 3] [--nodes N] [--pods-per-node M] [--seed S] [--scenario NAME] [--dir DIR] [--port BASE]
                  [--replay FILE [--site S] [--speed X]]   start, then play a recording into a site
  npm run fleet -- fault <fault> [--site S] [--rack R] [--node N] [--namespace NS] [--deployment D] [--pod P] [--container C] [--latency-ms MS] [--in-seconds S] [--dir DIR]
  npm run fleet -- scenario <name> [--dir DIR]      start a shipped scenario on a running fleet
  npm run fleet -- status [--dir DIR]
  npm run fleet -- replay <file.jsonl> [--site S] [--speed X] [--dir DIR]
                                                    play a Triptych recording into a site of a running
                                                    fleet, X times faster (default 1; its simulation pauses)
  npm run fleet -- replay status|stop [--dir DIR]
  npm run fleet -- churn --rate N [--site S] [--replace-share 0.1] [--dir DIR]
                                                    N pod changes per second per site (0 stops)

Starts one Kubernetes API server per site (HTTPS, own port each), a Vault API, a
control endpoint and the sites' Alertmanagers (one server, /<site>/api/v2/…) on 127.0.0.1, and writes DIR/kubeconfig (default DIR: .fleet).
"pick" for --site, --rack or --node chooses one from the seed.

Faults:
${FAULTS.map((f) => `  ${f.name.padEnd(26)} ${f.summary}${f.params.length ? ` [${f.params.join(', ')}]` : ''}`).join('\n')}
`;

function fail(msg: string): never {
  process.stderr.write(`fleet: ${msg}\n`);
  process.exit(2);
}

function num(v: string | undefined, name: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be a whole number ≥ ${min} (got "${v}")`);
  return n;
}

function speedOf(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0.1 || n > 1000) fail(`--speed must be a number from 0.1 to 1000 (1 = as recorded; got "${v}")`);
  return n;
}

async function control(dir: string, method: string, p: string, body?: unknown): Promise<unknown> {
  let info: FleetInfo;
  try {
    info = JSON.parse(await readFile(path.join(dir, 'fleet.json'), 'utf8')) as FleetInfo;
  } catch {
    fail(`no running fleet found in ${dir} (start one with "npm run fleet", or pass --dir)`);
  }
  const ca = await readFile(info.caFile ?? path.join(dir, 'ca.crt'), 'utf8');
  const url = new URL(p, info.control.address);
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca, headers: { authorization: `Bearer ${info.control.token}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += String(c)));
      res.on('end', () => {
        const parsed = text ? (JSON.parse(text) as { error?: string }) : {};
        if ((res.statusCode ?? 500) >= 400) reject(new Error(parsed.error ?? `HTTP ${res.statusCode}`));
        else resolve(parsed);
      });
    });
    req.on('error', (e) => reject(new Error(`the fleet in ${dir} does not answer (${e.message}); is it still running?`)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      sites: { type: 'string' },
      nodes: { type: 'string' },
      'pods-per-node': { type: 'string' },
      seed: { type: 'string' },
      scenario: { type: 'string' },
      dir: { type: 'string' },
      port: { type: 'string' },
      site: { type: 'string' },
      rack: { type: 'string' },
      node: { type: 'string' },
      namespace: { type: 'string' },
      deployment: { type: 'string' },
      pod: { type: 'string' },
      container: { type: 'string' },
      'latency-ms': { type: 'string' },
      'in-seconds': { type: 'string' },
      rate: { type: 'string' },
      'replace-share': { type: 'string' },
      replay: { type: 'string' },
      speed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const dir = path.resolve(values.dir ?? '.fleet');
  const [cmd, arg] = positionals;
  if (cmd === 'fault') {
    if (!arg) fail('which fault? See "npm run fleet -- --help"');
    const out = await control(dir, 'POST', '/v1/faults', {
      fault: arg, site: values.site, rack: values.rack, node: values.node, namespace: values.namespace, deployment: values.deployment, pod: values.pod, container: values.container,
      latencyMs: num(values['latency-ms'], 'latency-ms', 0), inSeconds: num(values['in-seconds'], 'in-seconds', 0),
    });
    process.stdout.write(`${(out as { result: string }).result}\n`);
    return;
  }
  if (cmd === 'scenario') {
    if (!arg) fail('which scenario? "npm run fleet -- status" lists the running one; resources/scenarios/ has them all');
    process.stdout.write(`${JSON.stringify(await control(dir, 'POST', `/v1/scenarios/${arg}`), null, 2)}\n`);
    return;
  }
  if (cmd === 'status') {
    process.stdout.write(`${JSON.stringify(await control(dir, 'GET', '/v1/status'), null, 2)}\n`);
    return;
  }
  if (cmd === 'churn') {
    const rate = num(values.rate, 'rate', 0);
    if (rate === undefined) fail('--rate is required: pod changes per second per site (0 stops)');
    const share = values['replace-share'] === undefined ? undefined : Number(values['replace-share']);
    if (share !== undefined && !(share >= 0 && share <= 1)) fail(`--replace-share must be between 0 and 1 (got "${values['replace-share']}")`);
    process.stdout.write(`${JSON.stringify(await control(dir, 'POST', '/v1/churn', { rate, site: values.site, replaceShare: share }), null, 2)}\n`);
    return;
  }
  if (cmd === 'replay') {
    if (!arg) fail('which recording? "npm run fleet -- replay <file.jsonl> --site S --speed X" (or replay status, replay stop)');
    if (arg === 'status' || arg === 'stop') {
      process.stdout.write(`${JSON.stringify(await control(dir, arg === 'status' ? 'GET' : 'DELETE', '/v1/replay'), null, 2)}\n`);
      return;
    }
    const site = values.site ?? ((await control(dir, 'GET', '/v1/status')) as { sites?: { name: string }[] }).sites?.[0]?.name;
    process.stdout.write(`${JSON.stringify(await control(dir, 'POST', '/v1/replay', { file: path.resolve(arg), site, speed: speedOf(values.speed) }), null, 2)}\n`);
    return;
  }
  if (cmd) fail(`unknown command "${cmd}"\n\n${HELP}`);

  const started = performance.now();
  const fleet = await Fleet.start({
    sites: num(values.sites, 'sites'),
    nodes: num(values.nodes, 'nodes'),
    podsPerNode: num(values['pods-per-node'], 'pods-per-node'),
    seed: values.seed,
    dir,
    basePort: num(values.port, 'port'),
  });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  const lines = [
    `Training fleet up in ${secs} s (seed "${fleet.info.seed}"):`,
    ...fleet.sites.map((s) => `  ${s.site.name.padEnd(6)} ${s.server.url}  ${s.site.idx.nodes.size} nodes, ${s.site.idx.pods.size} pods`),
    `  vault  ${fleet.vault.url}  (userpass: admin|operator|viewer / training)`,
    `  control ${fleet.control.url}`,
    `  alerts ${fleet.monitoring.url}/<site>  (Alertmanager API v2, e.g. curl --cacert ${fleet.info.caFile ?? 'ca.crt'} ${fleet.monitoring.url}/${fleet.sites[0]?.site.name ?? 'fra'}/api/v2/alerts)`,
    '',
    `  export KUBECONFIG=${fleet.info.kubeconfig}`,
    `  kubectl --context ${fleet.sites[0]?.site.name ?? 'fra'} get nodes`,
    `  KUBECONFIG=${fleet.info.kubeconfig} kubectl --context <site> get pods -A     (contexts: <site>, <site>-admin, <site>-viewer)`,
    `  npm run fleet -- fault rack-power-loss --site ${fleet.sites[0]?.site.name ?? 'fra'} --rack pick`,
    '',
    'Ctrl-C stops the fleet.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.replay) {
    const site = values.site ?? fleet.sites[0]?.site.name ?? '';
    const r = await fleet.control.replays.start({ file: path.resolve(values.replay), site, speed: speedOf(values.speed) }).catch((e: Error) => fail(e.message));
    process.stdout.write(`Replaying ${r.recording} into ${r.site} at ${r.speed}× (${r.total} events); "npm run fleet -- replay status" shows how far it is.\n`);
  }
  if (values.scenario) {
    const run = await fleet.control.startScenario(values.scenario).catch((e: Error) => fail(e.message));
    process.stdout.write(`Scenario "${run.scenario.title}" started.\n${run.scenario.briefing}\n`);
  }
  const stop = async (): Promise<void> => {
    await fleet.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((e: unknown) => fail((e as Error).message));
