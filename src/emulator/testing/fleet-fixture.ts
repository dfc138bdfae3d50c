/**
 * Test helpers: a small training fleet in a temporary directory, kubectl
 * pointed at it, and a raw HTTPS client that trusts the fleet's CA. Tests use
 * the same network path as real clients: HTTPS to 127.0.0.1.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Fleet, type FleetOptions } from '../fleet';
import type { Role } from '../auth';

export interface TestFleet {
  fleet: Fleet;
  dir: string;
  kubeconfig: string;
  /** Runs kubectl to completion. Never throws for a non-zero exit: tests assert on `code`. */
  kubectl(args: string[], opts?: { context?: string; input?: string; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts a long-running kubectl (get -w, logs -f). */
  kubectlSpawn(args: string[], context?: string): ChildProcessWithoutNullStreams;
  /** One HTTPS request to a site's API server with a role's token. */
  request(site: string, method: string, p: string, opts?: { role?: Role; token?: string; body?: string | object; headers?: Record<string, string> }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: () => unknown }>;
  close(): Promise<void>;
}

export async function startTestFleet(opts: FleetOptions = {}): Promise<TestFleet> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-fleet-'));
  const fleet = await Fleet.start({
    seed: 'test',
    sites: 3,
    bookmarkIntervalMs: 1000,
    timing: { podStartMs: 200, podStopMs: 100, nodeEvictionMs: 3000, crashAfterMs: 500 },
    ...opts,
    dir,
  });
  const kubeconfig = path.join(dir, 'kubeconfig');
  const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
  const first = fleet.sites[0]?.site.name ?? 'fra';
  const ca = fleet.tls.caCert;

  const kubectl: TestFleet['kubectl'] = (args, o = {}) =>
    new Promise((resolve) => {
      const child = execFile('kubectl', ['--context', o.context ?? first, ...args], { env, timeout: o.timeoutMs ?? 60_000, maxBuffer: 512 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      if (o.input !== undefined) child.stdin?.end(o.input);
      else child.stdin?.end();
    });

  const kubectlSpawn: TestFleet['kubectlSpawn'] = (args, context) => spawn('kubectl', ['--context', context ?? first, ...args], { env });

  const request: TestFleet['request'] = (site, method, p, o = {}) => {
    const s = fleet.site(site);
    const token = o.token ?? s.tokens[o.role ?? 'admin'];
    const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    return new Promise((resolve, reject) => {
      const req = https.request(new URL(p, s.server.url), {
        method,
        ca,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown }));
      });
      req.on('error', reject);
      req.end(body);
    });
  };

  return {
    fleet,
    dir,
    kubeconfig,
    kubectl,
    kubectlSpawn,
    request,
    async close() {
      await fleet.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Records everything a stream prints from now on; `waitFor` resolves once the
 * output so far satisfies `pred` (so nothing printed between two waits is lost).
 */
export function tap(stream: NodeJS.ReadableStream): { text: () => string; waitFor: (pred: (all: string) => boolean, timeoutMs?: number) => Promise<string> } {
  let all = '';
  const waiters = new Set<() => void>();
  stream.on('data', (c: Buffer | string) => {
    all += String(c);
    for (const w of [...waiters]) w();
  });
  return {
    text: () => all,
    waitFor: (pred, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pred(all)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(all);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for output; got:\n${all.slice(-2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Resolves with the output once `pred` holds for what the stream prints from now on. */
export function waitForOutput(stream: NodeJS.ReadableStream, pred: (all: string) => boolean, timeoutMs = 20_000): Promise<string> {
  return tap(stream).waitFor(pred, timeoutMs);
}

/** Polls `fn` until it returns a truthy value (for state that has no event to wait on from outside). */
export async function eventually<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 20_000, everyMs = 100): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
