/**
 * A console process in miniature, for the crash tests: connects to the
 * sites of a kubeconfig, then either plans and starts a runbook or takes up
 * the unfinished runs of its data directory, and exits when they end. The
 * test kills it with SIGKILL at chosen points and starts it again.
 *
 * Environment:
 *   RUNNER_KUBECONFIG  kubeconfig file (contexts named after the sites)
 *   RUNNER_SITES       comma-separated site ids, in order
 *   RUNNER_DATA_DIR    the engine's data directory
 *   RUNNER_AUDIT       the audit trail (core/audit's hash-chained AuditLog)
 *   RUNNER_MODE        `start` (RUNNER_RUNBOOK: JSON {runbook, params}) or `recover`
 *   RUNNER_PAUSE_AT    (start) step id: ask for a pause as soon as it begins
 *   RUNNER_RESUME      (recover) `1`: resume runs that were paused
 *   RUNNER_TUNING      JSON, EngineTuning overrides
 * Prints `run <id>` when a run starts or is taken up, `end <id> <state>` when it ends.
 */
import { readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import type { Runbook, RunStatus } from '../../../../shared/runbooks';
import { AuditLog } from '../../../audit';
import { KubeHttp } from '../../../kube/http';
import { RunbookEngine } from '../engine';
import type { ParamValue } from '../types';
import { cacheReady, startCache } from './reflector-mirror';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

const kc = new KubeConfig();
kc.loadFromFile(env('RUNNER_KUBECONFIG'));
const sites = env('RUNNER_SITES').split(',');
const { cache, stop } = startCache(kc, sites);
const clients = new Map<string, KubeHttp>();
const http = (site: string): KubeHttp => {
  let c = clients.get(site);
  if (!c) {
    const own = new KubeConfig();
    own.loadFromString(kc.exportConfig());
    own.setCurrentContext(site);
    c = new KubeHttp(own, own.getCurrentCluster()?.server as string);
    clients.set(site, c);
  }
  return c;
};
const pauseAt = process.env.RUNNER_PAUSE_AT;
const paused = new Set<string>();
const auditLog = new AuditLog(env('RUNNER_AUDIT'));
const engine: RunbookEngine = new RunbookEngine({
  dataDir: env('RUNNER_DATA_DIR'),
  cache,
  http,
  audit: (r) => void auditLog.append(r),
  emit: (s: RunStatus) => {
    const i = s.current;
    if (pauseAt && i !== undefined && s.steps[i]?.id === pauseAt && s.steps[i]?.state === 'running' && !paused.has(s.run)) {
      paused.add(s.run);
      engine.pause(s.run, 'runner');
    }
  },
  tuning: process.env.RUNNER_TUNING ? (JSON.parse(process.env.RUNNER_TUNING) as object) : {},
});

await cacheReady(cache, () => sites.every((s) => cache.status(s) === 'live'), 'every site live');
let runs: string[];
if (env('RUNNER_MODE') === 'start') {
  const { runbook, params } = JSON.parse(readFileSync(env('RUNNER_RUNBOOK'), 'utf8')) as { runbook: Runbook; params: Record<string, ParamValue> };
  const plan = await engine.plan(runbook, params);
  if (plan.blockers.length > 0) {
    process.stderr.write(`blocked: ${plan.blockers.join('; ')}\n`);
    process.exit(2);
  }
  runs = [engine.start(plan, 'operator@runner')];
} else {
  runs = engine.recover();
  if (process.env.RUNNER_RESUME === '1') for (const r of runs) if (engine.status(r)?.state === 'paused') engine.resume(r, 'operator@runner');
}
for (const r of runs) process.stdout.write(`run ${r}\n`);
const ends = await Promise.all(runs.map((r) => engine.done(r)));
for (const s of ends) process.stdout.write(`end ${s.run} ${s.state}${s.error ? ` ${s.error}` : ''}\n`);
await stop();
for (const c of clients.values()) c.close();
