/**
 * Test harness: a training fleet, the engine's ClusterCache over it, API
 * clients per site (the operator's, as the console's admins work; the
 * admin's for fixtures the operator may not create), a data directory, and
 * the audit records the engine wrote.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { AuditRecord } from '../../../../shared/audit';
import type { Runbook, RunbookStep, RunStatus, StepSpec } from '../../../../shared/runbooks';
import { startTestFleet, type TestFleet } from '../../../../emulator/testing/fleet-fixture';
import type { FleetOptions } from '../../../../emulator/fleet';
import { KubeHttp } from '../../../kube/http';
import type { ClusterCache } from '../cluster-cache';
import { RunbookEngine } from '../engine';
import type { EngineDeps } from '../types';
import { cacheReady, startCache } from './reflector-mirror';

export interface Harness {
  t: TestFleet;
  kc: KubeConfig;
  sites: string[];
  cache: ClusterCache;
  dataDir: string;
  audits: AuditRecord[];
  statuses: RunStatus[];
  /** The operator's client for a site (what runs use). */
  http(site: string): KubeHttp;
  /** The admin's client, for fixtures. */
  admin(site: string): KubeHttp;
  engine(extra?: Partial<EngineDeps>): RunbookEngine;
  /** Resolves with the first status emitted from now on that satisfies `pred` (the engine's own progress events). */
  statusWhere(pred: (s: RunStatus) => boolean, timeoutMs?: number): Promise<RunStatus>;
  /** Resolves once every site is live in the cache. */
  live(): Promise<void>;
  close(): Promise<void>;
}

/** Waits short enough for tests, the logic unchanged. */
export const TEST_TUNING = { evictionRetryMs: 500, deletePollMs: 300, settleMs: 50, waitPollMs: 500 };

export async function startHarness(opts: FleetOptions = {}): Promise<Harness> {
  const t = await startTestFleet({ nodes: 12, ...opts });
  const sites = t.fleet.sites.map((s) => s.site.name);
  const kc = new KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  const { cache, stop } = startCache(kc, sites);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'triptych-runbooks-'));
  const clients = new Map<string, KubeHttp>();
  const client = (context: string): KubeHttp => {
    let c = clients.get(context);
    if (!c) {
      const own = new KubeConfig();
      own.loadFromString(kc.exportConfig());
      own.setCurrentContext(context);
      c = new KubeHttp(own, own.getCurrentCluster()?.server as string);
      clients.set(context, c);
    }
    return c;
  };
  const audits: AuditRecord[] = [];
  const statuses: RunStatus[] = [];
  const watchers = new Set<(s: RunStatus) => void>();
  const h: Harness = {
    t,
    kc,
    sites,
    cache,
    dataDir,
    audits,
    statuses,
    http: (site) => client(site),
    admin: (site) => client(`${site}-admin`),
    engine: (extra = {}) =>
      new RunbookEngine({
        dataDir,
        cache,
        http: h.http,
        audit: (r) => void audits.push(r),
        emit: (s) => {
          statuses.push(s);
          for (const w of [...watchers]) w(s);
        },
        siteName: (s) => s.toUpperCase(),
        ...extra,
        tuning: { ...TEST_TUNING, ...extra.tuning },
      }),
    statusWhere: (pred, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(look);
          reject(new Error(`no such run status within ${timeoutMs} ms; the last: ${JSON.stringify(statuses.at(-1))}`));
        }, timeoutMs);
        const look = (s: RunStatus): void => {
          if (!pred(s)) return;
          clearTimeout(timer);
          watchers.delete(look);
          resolve(s);
        };
        watchers.add(look);
      }),
    live: () => cacheReady(cache, () => sites.every((s) => cache.status(s) === 'live'), 'every site live in the cache'),
    async close() {
      await stop();
      for (const c of clients.values()) c.close();
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  await h.live();
  return h;
}

/**
 * A runbook made in code, as the format's parser would give it. Steps: specs,
 * or specs with an id and loop fields. Target `site` unless given (its
 * parameters come with the target: `node` brings site and node).
 */
export function runbook(name: string, steps: (StepSpec | (Partial<RunbookStep> & { spec: StepSpec }))[], extra: Partial<Runbook> = {}): Runbook {
  return {
    name,
    title: `Test: ${name}`,
    target: 'site',
    params: [],
    source: 'test',
    ...extra,
    steps: steps.map((s, i) => {
      const step = 'spec' in s ? s : { spec: s };
      return { id: step.id ?? `${i}-${step.spec.type}`, ...step } as RunbookStep;
    }),
  };
}

/** Worker nodes of a site (no control-plane taint), by name. */
export async function workers(http: KubeHttp): Promise<string[]> {
  const list = await http.getJson<{ items: { metadata: { name: string }; spec: { taints?: { key: string }[] } }[] }>('/api/v1/nodes');
  return list.items.filter((n) => !(n.spec.taints ?? []).some((t) => t.key === 'node-role.kubernetes.io/control-plane')).map((n) => n.metadata.name).sort();
}
