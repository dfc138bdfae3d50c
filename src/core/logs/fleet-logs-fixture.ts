/**
 * Helpers for the log tail's tests against the training fleet: workloads with
 * a known log rate and style, a batch collector, and the check that what a
 * tail delivered for a container is exactly the emulator's generated log —
 * every line once, in order, none missing.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from 'vitest';
import { resourceFor } from '../../emulator/api/resources';
import { kubeletTimestamp, lineAt, parseSeq, type LogSource } from '../../emulator/sim/logs';
import { eventually, type TestFleet } from '../../emulator/testing/fleet-fixture';
import type { KObject } from '../../emulator/types';
import { KubeHttp } from '../kube/http';
import type { LogBatch, LogEntry, LogLineEntry, LogMarkerEntry, MarkerType } from './types';

const PODS = resourceFor('', 'pods');

/** A client for a site with a training role's credentials, as core makes them. */
export function siteHttp(t: TestFleet, site: string, role: 'viewer' | 'operator' | 'admin' = 'viewer'): KubeHttp {
  const kc = new KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  kc.setCurrentContext(role === 'operator' ? site : `${site}-${role}`);
  return new KubeHttp(kc, kc.getCurrentCluster()?.server as string, { maxSockets: 128 });
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  replicas: number;
  containers: string[];
  /** Lines per second per container. */
  rate: number;
  style?: 'plain' | 'json';
}

/** Creates a namespace (if needed) and a Deployment whose pods log at a known rate. */
export async function deploy(t: TestFleet, site: string, w: WorkloadSpec): Promise<void> {
  await t.request(site, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: w.namespace } } });
  const r = await t.request(site, 'POST', `/apis/apps/v1/namespaces/${w.namespace}/deployments`, {
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: w.name },
      spec: {
        replicas: w.replicas,
        selector: { matchLabels: { app: w.name } },
        template: {
          metadata: { labels: { app: w.name }, annotations: { 'triptych.io/log-style': w.style ?? 'plain', 'triptych.io/log-rate': String(w.rate) } },
          spec: { containers: w.containers.map((c) => ({ name: c, image: `registry.example/${w.name}-${c}:1.0.0` })) },
        },
      },
    },
  });
  if (r.status !== 201) throw new Error(`creating ${w.namespace}/${w.name} at ${site}: ${r.status} ${r.text}`);
}

/** Scales a deployment (merge patch, as an operator would). */
export async function scale(t: TestFleet, site: string, namespace: string, name: string, replicas: number): Promise<void> {
  const r = await t.request(site, 'PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {
    body: JSON.stringify({ spec: { replicas } }),
    headers: { 'content-type': 'application/merge-patch+json' },
  });
  if (r.status !== 200) throw new Error(`scaling ${namespace}/${name} at ${site}: ${r.status} ${r.text}`);
}

/** The running pods of app=name, once there are `n` of them. */
export async function runningPods(t: TestFleet, site: string, namespace: string, name: string, n: number): Promise<string[]> {
  return eventually(async () => {
    const l = (await t.request(site, 'GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${name}`)).json() as { items: { metadata: { name: string; deletionTimestamp?: string }; status: { phase: string } }[] };
    const live = l.items.filter((p) => !p.metadata.deletionTimestamp);
    return live.length === n && live.every((p) => p.status.phase === 'Running') ? live.map((p) => p.metadata.name).sort() : undefined;
  }, `${n} running pods of ${namespace}/${name} at ${site}`);
}

/** The emulator's log source of a container (what the generator writes for it). */
export function sourceOf(t: TestFleet, site: string, namespace: string, pod: string, container: string): LogSource {
  const s = t.fleet.site(site).site;
  const obj = s.store.getObject(PODS, namespace, pod) as KObject | undefined;
  if (!obj) throw new Error(`no pod ${namespace}/${pod} at ${site}`);
  return s.logSources(obj, container).current;
}

/** Collects batches; lines by stream, markers by type, and waits on conditions over them. */
export class Collector {
  readonly batches: LogBatch[] = [];
  readonly entries: LogEntry[] = [];
  private waiters = new Set<() => void>();
  /** Delay each batch's acknowledgement (a slow consumer). */
  delayMs = 0;

  readonly onBatch = (b: LogBatch): void | Promise<void> => {
    this.batches.push(b);
    for (const e of b.entries) this.entries.push(e);
    for (const w of [...this.waiters]) w();
    if (this.delayMs > 0) return new Promise((r) => setTimeout(r, this.delayMs));
  };

  get last(): LogBatch | undefined {
    return this.batches[this.batches.length - 1];
  }

  lines(site?: string, pod?: string, container?: string): LogLineEntry[] {
    return this.entries.filter((e): e is LogLineEntry => e.kind === 'line' && (!site || e.site === site) && (!pod || e.pod === pod) && (!container || e.container === container));
  }

  markers(type?: MarkerType): LogMarkerEntry[] {
    return this.entries.filter((e): e is LogMarkerEntry => e.kind === 'marker' && (!type || e.type === type));
  }

  /** Streams seen: `site/pod/container`. */
  streams(): string[] {
    return [...new Set(this.lines().map((l) => `${l.site}/${l.pod}/${l.container}`))].sort();
  }

  waitFor(pred: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!pred()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}; ${this.lines().length} lines, markers: ${this.markers().map((m) => `${m.type}: ${m.text}`).slice(-10).join(' | ')}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

/**
 * Checks that `lines` are the container's generated log lines seq0, seq0+1, … in order, each
 * once, with the generator's exact text (and timestamp, when present). Returns the seqs.
 */
export function expectExactly(src: LogSource, lines: LogLineEntry[], from?: number): number[] {
  const seqs = lines.map((l) => parseSeq(l.text) as number);
  expect(seqs.length).toBeGreaterThan(0);
  const first = seqs[0] as number;
  if (from !== undefined) expect(first).toBe(from);
  const expected = seqs.map((_, i) => first + i);
  expect(seqs).toEqual(expected);
  for (const [i, l] of lines.entries()) {
    const g = lineAt(src, first + i);
    expect(l.text).toBe(g?.text);
    if (l.ts !== undefined) expect(l.ts).toBe(kubeletTimestamp(g as { time: number; nanos: number }));
  }
  return seqs;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
