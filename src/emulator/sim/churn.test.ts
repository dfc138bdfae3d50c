import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestFleet, tap, waitForOutput, type TestFleet } from '../testing/fleet-fixture';
import { restartOne } from './churn';
import type { KObject } from '../types';

describe('restartOne', () => {
  it('adds one restart to one container and returns the pod total', () => {
    const pod = {
      metadata: { name: 'p' },
      status: { containerStatuses: [{ name: 'a', restartCount: 2, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }, { name: 'b', restartCount: 1 }] },
    } as unknown as KObject;
    expect(restartOne(pod, 0.9, Date.UTC(2026, 0, 2))).toBe(4);
    const b = (pod.status as { containerStatuses: { restartCount: number; lastState: { terminated: { finishedAt: string } }; state: { running: { startedAt: string } } }[] }).containerStatuses[1];
    expect(b?.restartCount).toBe(2);
    expect(b?.lastState.terminated.finishedAt).toBe('2026-01-02T00:00:00Z');
    expect(b?.state.running.startedAt).toBe('2026-01-02T00:00:00Z');
  });

  it('leaves a pod without container statuses alone', () => {
    expect(restartOne({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: {} }, 0.5, 0)).toBe(-1);
  });
});

describe('churn through the control endpoint', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet({ sites: 2, nodes: 10, podsPerNode: 10 });
  });
  afterAll(async () => t?.close());

  const control = (method: string, p: string, body?: unknown): Promise<{ status: number; json: unknown }> =>
    new Promise((resolve, reject) => {
      const req = https.request(new URL(p, t.fleet.info.control.address), { method, ca: t.fleet.tls.caCert, headers: { authorization: `Bearer ${t.fleet.info.control.token}` } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  it('restarts containers at one site; every journal entry is what a watcher sees', async () => {
    const [a, b] = t.fleet.sites.map((s) => s.site.name) as [string, string];
    // kubectl is the independent watcher: it prints each pod's restarts as they change.
    // (Its jsonpath printer stops after the first watch event when the template has a range.)
    const w = t.kubectlSpawn(['get', 'pods', '-A', '--watch-only', '-v=6', '-o', 'jsonpath={.metadata.namespace}/{.metadata.name}#{.status.containerStatuses[*].restartCount}{"\\n"}'], a);
    const out = tap(w.stdout);
    try {
      await waitForOutput(w.stderr, (s) => s.includes('watch=true'));
      const r = await control('POST', '/v1/churn', { rate: 100, site: a });
      expect(r.status).toBe(200);
      await eventually(async () => ((await control('GET', '/v1/churn')).json as { site: string; restarts: number }[]).find((c) => c.site === a)!.restarts >= 50 || undefined, '50 restarts');
      await control('POST', '/v1/churn', { rate: 0, site: a });
      const journal = (await control('POST', '/v1/churn/journal')).json as Record<string, Record<string, number>>;
      expect(journal[b]).toBeUndefined();
      const entries = Object.keys(journal[a] ?? {});
      expect(entries.length).toBeGreaterThanOrEqual(50);
      const sum = (line: string): string => {
        const [key, counts] = line.split('#') as [string, string];
        return `${key}#${counts.split(' ').filter(Boolean).reduce((n, c) => n + Number(c), 0)}`;
      };
      await out.waitFor((all) => {
        const seen = new Set(all.split('\n').filter(Boolean).map(sum));
        return entries.every((e) => seen.has(e));
      });
      for (const at of Object.values(journal[a] ?? {})) expect(Math.abs(at - Date.now())).toBeLessThan(60_000);
    } finally {
      w.kill();
    }
  });

  it('replacing pods keeps each ReplicaSet at its size', async () => {
    const a = t.fleet.sites[1]?.site.name as string;
    const site = t.fleet.site(a).site;
    const before = [...site.idx.pods.values()].filter((p) => p.ownerKind === 'ReplicaSet').length;
    const names = new Set([...site.idx.pods.keys()]);
    await control('POST', '/v1/churn', { rate: 50, site: a, replaceShare: 1 });
    await eventually(async () => ((await control('GET', '/v1/churn')).json as { site: string; replaced: number }[]).find((c) => c.site === a)!.replaced >= 20 || undefined, '20 replaced');
    await control('POST', '/v1/churn', { rate: 0 });
    await eventually(() => {
      const rs = [...site.idx.pods.values()].filter((p) => p.ownerKind === 'ReplicaSet');
      return rs.length === before && rs.every((p) => !p.terminating && p.phase === 'Running') ? true : undefined;
    }, 'replacements running, count back to before');
    const fresh = [...site.idx.pods.keys()].filter((k) => !names.has(k));
    expect(fresh.length).toBeGreaterThanOrEqual(20);
  });

  it('bad input is 400 with the reason', async () => {
    expect(await control('POST', '/v1/churn', { rate: -1 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/rate must be/) } });
    expect(await control('POST', '/v1/churn', { rate: 10, replaceShare: 2 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/replaceShare must be between 0 and 1/) } });
    expect(await control('POST', '/v1/churn', { rate: 10, site: 'nowhere' })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/unknown site "nowhere"/) } });
    expect(await control('POST', '/v1/churn', { site: 'x' })).toMatchObject({ status: 400 });
  });
});
