/**
 * Property: a client that lists, watches from the list's resourceVersion and
 * relists on 410 always ends up with exactly the server's state, whatever
 * mix of creates, updates, deletes and history compactions happens.
 */
import https from 'node:https';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resourceFor } from './api/resources';
import { eventually, startTestFleet, type TestFleet } from './testing/fleet-fixture';

const CM = resourceFor('', 'configmaps');
let t: TestFleet;
let site: string;
let version = 0;

beforeAll(async () => {
  t = await startTestFleet({ sites: 1, historySize: 30 });
  site = t.fleet.sites[0]?.site.name as string;
  await t.request(site, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prop' } } });
});
afterAll(async () => t?.close());

/** A minimal reflector: paginated list, watch from its resourceVersion, relist on 410. */
class Reflector {
  state = new Map<string, string>();
  relists = 0;
  private req: ReturnType<typeof https.get> | undefined;
  private stopped = false;

  async start(): Promise<void> {
    await this.relist();
  }

  private async relist(): Promise<void> {
    this.relists++;
    const next = new Map<string, string>();
    let cont = '';
    let rv: string;
    do {
      const r = await t.request(site, 'GET', `/api/v1/namespaces/prop/configmaps?limit=7${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      const list = r.json() as { metadata: { resourceVersion: string; continue?: string }; items: { metadata: { name: string; resourceVersion: string } }[] };
      for (const i of list.items) next.set(i.metadata.name, i.metadata.resourceVersion);
      rv = list.metadata.resourceVersion;
      cont = list.metadata.continue ?? '';
    } while (cont);
    this.state = next;
    this.watch(rv);
  }

  private watch(rv: string): void {
    if (this.stopped) return;
    const s = t.fleet.site(site);
    const url = new URL(`/api/v1/namespaces/prop/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`, s.server.url);
    let buf = '';
    let expired = false;
    this.req = https.get(url, { ca: t.fleet.tls.caCert, headers: { authorization: `Bearer ${s.tokens.viewer}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const ev = JSON.parse(buf.slice(0, nl)) as { type: string; object: { code?: number; metadata: { name: string; resourceVersion: string } } };
          buf = buf.slice(nl + 1);
          if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.state.set(ev.object.metadata.name, ev.object.metadata.resourceVersion);
          else if (ev.type === 'DELETED') this.state.delete(ev.object.metadata.name);
          else if (ev.type === 'ERROR' && ev.object.code === 410) expired = true;
        }
      });
      res.on('end', () => {
        if (!this.stopped && expired) void this.relist();
      });
    });
    this.req.on('error', () => {});
  }

  stop(): void {
    this.stopped = true;
    this.req?.destroy();
  }
}

function serverState(): Map<string, string> {
  const m = new Map<string, string>();
  for (const v of t.fleet.site(site).site.store.all(CM)) if (v.ns === 'prop') m.set(v.name, String(v.rv));
  return m;
}

type Op = { op: 'create' | 'update' | 'delete'; name: number } | { op: 'compact' };

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constantFrom('create' as const, 'update' as const, 'delete' as const), name: fc.integer({ min: 0, max: 9 }) }),
    fc.constant({ op: 'compact' as const }),
  ),
  { minLength: 1, maxLength: 40 },
);

it('list + watch + relist-on-410 reproduces the server state', async () => {
  const store = t.fleet.site(site).site.store;
  const r = new Reflector();
  await r.start();
  try {
    await fc.assert(
      fc.asyncProperty(ops, async (seq: Op[]) => {
        for (const o of seq) {
          if (o.op === 'compact') {
            store.compact();
            continue;
          }
          const name = `cm-${o.name}`;
          const exists = store.get(CM, 'prop', name) !== undefined;
          if (o.op === 'create' && !exists) store.create(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'prop' }, data: { v: '0' } });
          if (o.op === 'update' && exists) store.mutate(CM, 'prop', name, (c) => void (c.data = { v: String(++version) }));
          if (o.op === 'delete' && exists) store.delete(CM, 'prop', name);
        }
        const want = serverState();
        await eventually(() => JSON.stringify([...r.state].sort()) === JSON.stringify([...want].sort()), 'the reflector to converge', 10_000, 10).catch(() => undefined);
        expect([...r.state].sort()).toEqual([...want].sort());
      }),
      { numRuns: 25 },
    );
  } finally {
    r.stop();
  }
  // The compactions really forced relists.
  expect(r.relists).toBeGreaterThan(1);
});
