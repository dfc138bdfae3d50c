/**
 * Crash safety: the engine runs in a child process (testing/crash-runner.ts)
 * against the fleet in this one. It is killed with SIGKILL between two steps
 * (paused after the cordon) and inside a step (a drain held up by a
 * PodDisruptionBudget), started again each time, and the run goes on where
 * it stopped: no completed step runs again — the journal and the audit
 * trail show each once, the trail's hash chain intact — and the cluster
 * ends as the runbook says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../shared/audit';
import { eventually } from '../../../emulator/testing/fleet-fixture';
import { AuditLog } from '../../audit';
import { journalDir, readJournal, type JournalRecord } from './journal';
import { cacheReady } from './testing/reflector-mirror';
import { runbook, startHarness, TEST_TUNING, type Harness } from './testing/harness';

const NODE = path.resolve('node_modules/.bin/node');
const RUNNER = path.resolve('src/core/runbooks/engine/testing/crash-runner.ts');
const site = 'fra';
let h: Harness;
let node: string;
const children = new Set<ChildProcess>();

interface Child {
  proc: ChildProcess;
  out: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runner(mode: 'start' | 'recover', extra: Record<string, string> = {}): Child {
  const proc = spawn(NODE, ['--import', 'tsx', RUNNER], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      RUNNER_KUBECONFIG: h.t.kubeconfig,
      RUNNER_SITES: h.sites.join(','),
      RUNNER_DATA_DIR: h.dataDir,
      RUNNER_AUDIT: path.join(h.dataDir, 'audit.jsonl'),
      RUNNER_MODE: mode,
      RUNNER_TUNING: JSON.stringify(TEST_TUNING),
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => (out += String(c)));
  proc.stderr?.on('data', (c: Buffer) => (out += String(c)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => {
      children.delete(proc);
      resolve({ code, signal });
    }),
  );
  return { proc, out: () => out, exited };
}

async function kill(c: Child): Promise<void> {
  c.proc.kill('SIGKILL');
  expect((await c.exited).signal).toBe('SIGKILL');
}

/** The one run's journal as it is on disk now (a torn last line left out). */
function records(): JournalRecord[] {
  const dir = journalDir(h.dataDir);
  const file = existsSync(dir) ? readdirSync(dir).find((x) => x.endsWith('.jsonl')) : undefined;
  return file ? readJournal(path.join(dir, file)).records : [];
}
const audits = (): AuditRecord[] =>
  existsSync(path.join(h.dataDir, 'audit.jsonl'))
    ? readFileSync(path.join(h.dataDir, 'audit.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord)
    : [];
const count = (rs: JournalRecord[], type: string, index: number): number => rs.filter((r) => r.type === type && 'index' in r && r.index === index).length;

beforeAll(async () => {
  h = await startHarness();
  const admin = h.admin(site);
  await admin.send('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rb-crash' } } });
  await admin.send('POST', '/apis/apps/v1/namespaces/rb-crash/deployments', {
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'guarded' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'guarded' } }, template: { metadata: { labels: { app: 'guarded' } }, spec: { containers: [{ name: 'app', image: 'registry.example/guarded:1.0.0' }] } } },
    },
  });
  await admin.send('POST', '/apis/policy/v1/namespaces/rb-crash/poddisruptionbudgets', {
    body: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'guarded' } } } },
  });
  await cacheReady(h.cache, () => [...h.cache.pdbs(site)].some((p) => p.name === 'guarded' && p.namespace === 'rb-crash' && p.currentHealthy === 2), 'the guarded pods healthy');
  node = [...h.cache.pods(site)].find((p) => p.namespace === 'rb-crash' && p.node)?.node as string;
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await h?.close();
});

describe('a run killed with SIGKILL', () => {
  it('resumes after a kill between steps and a kill inside a drain, repeating no completed step', async () => {
    const rb = runbook('crash-drain', [
      { type: 'check', guard: 'site-healthy' },
      { type: 'cordon', node: '${node}', reason: 'crash test' },
      { type: 'label', object: { kind: 'Node', name: '${node}' }, set: { 'triptych.io/crash-test': 'yes' } },
      { type: 'drain', node: '${node}', timeout: 120_000, deleteEmptyDirData: true, gracePeriodSeconds: 1 },
      { type: 'wait', for: { condition: 'node-empty', node: '${node}' }, timeout: 30_000 },
      { type: 'uncordon', node: '${node}' },
    ], { target: 'node' });
    const file = path.join(h.dataDir, 'runbook.json');
    await writeFile(file, JSON.stringify({ runbook: rb, params: { site, node } }));

    // 1. Between steps: paused as soon as the cordon began, so the run stops once it ended.
    const first = runner('start', { RUNNER_RUNBOOK: file, RUNNER_PAUSE_AT: '1-cordon' });
    await eventually(() => count(records(), 'step-end', 1) === 1 && records().some((r) => r.type === 'pause'), `the cordon journalled as ended (runner said: ${first.out()})`, 30_000);
    await kill(first);
    let rs = records();
    expect(rs.some((r) => r.type === 'step-begin' && r.index === 2)).toBe(false);
    expect((await h.http(site).getJson<{ spec: { unschedulable?: boolean } }>(`/api/v1/nodes/${node}`)).spec.unschedulable).toBe(true);

    // 2. Inside a step: the drain is held up by the budget (it journals that), and is killed there.
    const second = runner('recover', { RUNNER_RESUME: '1' });
    await eventually(() => records().some((r) => r.type === 'step-state' && r.index === 3 && r.key === 'blocked'), `the drain waiting for the budget (runner said: ${second.out()})`, 30_000);
    await kill(second);
    rs = records();
    expect(count(rs, 'step-begin', 3)).toBe(1);
    expect(count(rs, 'step-end', 3)).toBe(0);
    // Some pods went before the kill; the guarded one is still there.
    const left = await h.http(site).getJson<{ items: { metadata: { namespace: string } }[] }>('/api/v1/pods', { fieldSelector: `spec.nodeName=${node}` });
    expect(left.items.some((p) => p.metadata.namespace === 'rb-crash')).toBe(true);

    // The budget is relaxed while no console runs; the next start finishes the drain and the rest.
    await h.admin(site).send('PATCH', '/apis/policy/v1/namespaces/rb-crash/poddisruptionbudgets/guarded', { body: { spec: { minAvailable: 1 } }, contentType: 'application/merge-patch+json' });
    const third = runner('recover');
    const end = await third.exited;
    expect(end.code, third.out()).toBe(0);
    expect(third.out()).toMatch(/^run \S+\nend \S+ succeeded\n$/);

    rs = records();
    expect(rs.at(-1)).toMatchObject({ type: 'run-end', state: 'succeeded' });
    // Every step ended exactly once; only the drain (killed inside) began twice.
    expect([0, 1, 2, 3, 4, 5].map((i) => count(rs, 'step-end', i))).toEqual([1, 1, 1, 1, 1, 1]);
    expect([0, 1, 2, 3, 4, 5].map((i) => count(rs, 'step-begin', i))).toEqual([1, 1, 1, 2, 1, 1]);
    expect(rs.filter((r) => ['pause', 'resume'].includes(r.type)).map((r) => r.type)).toEqual(['pause', 'resume']);

    // One trail across three processes, two of them killed: the chain holds.
    expect(new AuditLog(path.join(h.dataDir, 'audit.jsonl')).verify()).toEqual({ ok: true, entries: 6 });
    const a = audits();
    const ok = (verb: string): AuditRecord[] => a.filter((x) => x.verb === verb && x.result === 'ok');
    expect(ok('cordon')).toHaveLength(1);
    expect(ok('label')).toHaveLength(1);
    expect(ok('drain')).toEqual([expect.objectContaining({ who: 'operator@runner', site, object: { kind: 'Node', name: node }, data: expect.objectContaining({ resumed: true }) })]);
    expect(ok('uncordon')).toHaveLength(1);
    expect(a.map((x) => x.verb)).toEqual(['runbook.start', 'cordon', 'label', 'drain', 'uncordon', 'runbook.end']);

    // The cluster as the runbook leaves it: the node back in service, its label set, the guarded pods elsewhere.
    const n = await h.http(site).getJson<{ spec: { unschedulable?: boolean }; metadata: { labels: Record<string, string>; annotations: Record<string, string> } }>(`/api/v1/nodes/${node}`);
    expect(n.spec.unschedulable).toBeUndefined();
    expect(n.metadata.labels['triptych.io/crash-test']).toBe('yes');
    expect(Object.keys(n.metadata.annotations).filter((k) => k.startsWith('triptych.io/cordon'))).toEqual([]);
    await cacheReady(h.cache, () => [...h.cache.workloads(site)].some((w) => w.namespace === 'rb-crash' && w.ready === 2), 'the guarded deployment whole again');
    expect([...h.cache.pods(site)].filter((p) => p.namespace === 'rb-crash').every((p) => p.node !== node)).toBe(true);
  }, 120_000);
});
