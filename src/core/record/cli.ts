/**
 * `npx tsx src/core/record/cli.ts --context fra --minutes 10 [--out FILE] [--logs REGEX]`:
 * records one kubeconfig context's cluster (a real one or the training
 * fleet's) into a recording file, without the console. Ctrl-C stops early
 * and keeps what was recorded.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeHttp } from '../kube/http';
import { Recorder } from './recorder';

const HELP = `Usage: npx tsx src/core/record/cli.ts --context CTX [--minutes 10] [--out FILE] [--logs REGEX] [--max-mib 256]

Records the cluster of kubeconfig context CTX (KUBECONFIG, or ~/.kube/config): its nodes,
pods, events, namespaces, workloads and PodDisruptionBudgets, then every change, plus the
logs of failing pods (and of pods whose namespace/name matches --logs), into FILE
(default CTX-<time>.jsonl, mode 0600). Replay it with "npm run fleet -- replay FILE".
`;

function fail(msg: string): never {
  process.stderr.write(`record: ${msg}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { context: { type: 'string' }, minutes: { type: 'string' }, out: { type: 'string' }, logs: { type: 'string' }, 'max-mib': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void process.stdout.write(HELP);
  if (!values.context) fail(`--context is required\n\n${HELP}`);
  const minutes = Number(values.minutes ?? '10');
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) fail(`--minutes must be a number of minutes from 1 to 1440 (got "${values.minutes ?? ''}")`);
  const maxMib = Number(values['max-mib'] ?? '256');
  if (!Number.isFinite(maxMib) || maxMib < 1) fail(`--max-mib must be a number ≥ 1 (got "${values['max-mib'] ?? ''}")`);
  let logPods: RegExp | undefined;
  try {
    logPods = values.logs ? new RegExp(values.logs) : undefined;
  } catch (e) {
    fail(`--logs is not a regular expression: ${(e as Error).message}`);
  }
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (!kc.getContexts().some((c) => c.name === values.context)) fail(`no context "${values.context}" in the kubeconfig (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
  kc.setCurrentContext(values.context);
  const server = kc.getCurrentCluster()?.server;
  if (!server) fail(`context "${values.context}" has no cluster server`);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
  const file = path.resolve(values.out ?? `${values.context}-${stamp}.jsonl`);
  const http = new KubeHttp(kc, server);
  const recorder = new Recorder({
    http,
    site: values.context,
    file,
    durationMs: minutes * 60_000,
    maxBytes: maxMib * 1024 * 1024,
    logPods,
    progressMs: 5000,
    onProgress: (s) => process.stderr.write(`record: ${s.state}, ${s.events} events, ${s.logLines} log lines, ${(s.bytes / 1048576).toFixed(1)} MiB\n`),
  });
  process.on('SIGINT', () => void recorder.stop());
  process.on('SIGTERM', () => void recorder.stop());
  await recorder.start().catch((e: Error) => fail(e.message));
  process.stderr.write(`record: recording ${values.context} (${server}) into ${file} for ${minutes} min; Ctrl-C stops\n`);
  const end = await recorder.done;
  http.close();
  if (end.state === 'failed') fail(`${end.error ?? 'failed'} (${file})`);
  process.stdout.write(`${file}\n`);
}

main().catch((e: unknown) => fail((e as Error).message));
