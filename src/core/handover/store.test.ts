/**
 * Handover reports stored as ConfigMaps at the training fleet's sites:
 * the namespace made on first use, refusals in words an admin can act on,
 * the newest N kept, same-second reports side by side, malformed ones
 * passed over, oversized ones cut to fit, and one site down not failing
 * the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import type { KubeHttp } from '../kube/http';
import { HandoverForbidden, HandoverTooLarge } from './errors';
import { CONFIGMAP_DATA_LIMIT, fitForConfigMap } from './fit';
import { toMarkdown } from './markdown';
import { HANDOVER_NAMESPACE, latest, save, saveAll } from './store';
import { fleetHttp } from './testing/fleet-sources';
import { handoverId } from './time';
import type { HandoverReport, SiteHandover } from './types';

let t: TestFleet;
const clients: KubeHttp[] = [];
let fra: KubeHttp;
let ams: KubeHttp;
/** Each test writes reports of its own hour, so tests do not see each other's. */
let hour = Date.parse('2026-11-28T00:00:00.000Z');

beforeAll(async () => {
  t = await startTestFleet({ sites: ['fra', 'ams'], nodes: 6 });
  fra = client('fra');
  ams = client('ams');
});
afterAll(async () => {
  for (const c of clients) c.close();
  await t?.close();
});

function client(context: string): KubeHttp {
  const c = fleetHttp(t.kubeconfig, context);
  clients.push(c);
  return c;
}

function site(id: string, o: Partial<SiteHandover> = {}): SiteHandover {
  return { site: id, name: id === 'fra' ? 'Frankfurt' : 'Amsterdam', reachable: true, problems: [], notReadyNodes: [], cordonedNodes: [], maintenance: [], crashloops: [], warningEvents: [], warningEventsTotal: 0, ...o };
}

function report(at: number, o: Partial<HandoverReport> = {}): HandoverReport {
  return {
    version: 1,
    id: handoverId(at),
    createdAt: new Date(at).toISOString(),
    by: 'userpass-alice',
    shiftStart: new Date(at - 8 * 3600_000).toISOString(),
    sites: [site('fra', { cordonedNodes: [{ name: 'fra-a-r01-u03', rack: 'A-01', by: 'userpass-alice', reason: 'PSU swap' }] }), site('ams')],
    runbooks: [],
    notes: [{ id: `${handoverId(at)}/1`, text: 'Vendor visit at 09:00', open: true, by: 'userpass-alice', since: new Date(at).toISOString() }],
    notices: [],
    ...o,
  };
}

async function stored(h: KubeHttp): Promise<string[]> {
  const list = await h.getJson<{ items: { metadata: { name: string } }[] }>(`/api/v1/namespaces/${HANDOVER_NAMESPACE}/configmaps`, { labelSelector: 'triptych.io/kind=handover' });
  return list.items.map((i) => i.metadata.name).sort();
}

async function putConfigMap(h: KubeHttp, name: string, data: Record<string, string>): Promise<void> {
  await h.send('POST', `/api/v1/namespaces/${HANDOVER_NAMESPACE}/configmaps`, {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'triptych', 'triptych.io/kind': 'handover' } }, data },
  });
}

describe('storing handovers in the clusters', () => {
  it('makes the namespace on first use and stores the report and its Markdown, labelled', async () => {
    await expect(fra.getJson(`/api/v1/namespaces/${HANDOVER_NAMESPACE}`)).rejects.toMatchObject({ status: 404 });
    expect(await latest(fra)).toEqual({ skipped: [] });
    const r = report(hour);
    const saved = await save(fra, r, { site: 'Frankfurt' });
    expect(saved).toEqual({ name: r.id, report: r, trimmed: false, pruned: [], pruneErrors: [] });
    const cm = await fra.getJson<{ metadata: { labels: Record<string, string> }; data: Record<string, string> }>(`/api/v1/namespaces/${HANDOVER_NAMESPACE}/configmaps/${r.id}`);
    expect(cm.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'triptych', 'triptych.io/kind': 'handover' });
    expect(Object.keys(cm.data).sort()).toEqual(['report.json', 'report.md']);
    expect(cm.data['report.md']).toBe(toMarkdown(r));
    expect(await latest(fra)).toEqual({ report: r, name: r.id, skipped: [] });
  });

  it('refuses a viewer with words an admin can act on', async () => {
    const viewer = client('fra-viewer');
    const err = await save(viewer, report(hour + 60_000), { site: 'Frankfurt' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandoverForbidden);
    expect((err as HandoverForbidden).site).toBe('Frankfurt');
    expect((err as Error).message).toMatch(/^not allowed to write handover reports \(ConfigMaps\) in namespace triptych-system at Frankfurt: .+ Ask a cluster admin/);
    // Reading is what a viewer may do.
    expect((await latest(viewer)).report?.id).toBe(report(hour).id);
  });

  it('keeps the newest reports and deletes older ones, but not ConfigMaps named by someone else', async () => {
    hour += 3600_000;
    const names: string[] = [];
    let last: Awaited<ReturnType<typeof save>> | undefined;
    for (let i = 0; i < 4; i++) {
      const r = report(hour + i * 1000);
      names.push(r.id);
      last = await save(ams, r, { keep: 2 });
      // Once the namespace is there: labelled like ours, older than all, but not named like ours.
      if (i === 0) await putConfigMap(ams, 'handover-by-hand', { 'report.json': JSON.stringify(report(hour - 1)) });
    }
    expect(last?.pruned).toEqual([names[1]]);
    expect(await stored(ams)).toEqual(['handover-by-hand', names[2], names[3]].sort());
  });

  it('stores a second report of the same second beside the first, and a retried one in its own place', async () => {
    hour += 3600_000;
    const one = report(hour + 100);
    const other = report(hour + 900, { by: 'userpass-bob' });
    expect(other.id).toBe(one.id);
    expect((await save(fra, one)).name).toBe(one.id);
    expect((await save(fra, one)).name).toBe(one.id);
    expect((await save(fra, other)).name).toBe(`${one.id}-2`);
    expect(await latest(fra)).toEqual({ report: other, name: `${one.id}-2`, skipped: [] });
  });

  it('passes over malformed reports, newest first, saying why', async () => {
    hour += 3600_000;
    const good = report(hour);
    await save(fra, good);
    const bad = (s: number): string => handoverId(hour + s * 1000);
    await putConfigMap(fra, bad(1), { 'report.json': '{"version": 1, "id": ' });
    await putConfigMap(fra, bad(2), { 'report.json': JSON.stringify({ ...good, sites: [{ site: 'fra' }] }) });
    await putConfigMap(fra, bad(3), { 'report.md': '# no JSON here' });
    await putConfigMap(fra, bad(4), { 'report.json': JSON.stringify({ ...good, version: 99 }) });
    const r = await latest(fra);
    expect(r.report).toEqual(good);
    expect(r.name).toBe(good.id);
    expect(r.skipped.map((s) => s.name)).toEqual([bad(4), bad(3), bad(2), bad(1)]);
    expect(r.skipped.map((s) => s.why)).toEqual([
      expect.stringMatching(/^report\.json is not a handover report at version: /),
      'it has no report.json',
      expect.stringMatching(/^report\.json is not a handover report at sites\.0\.name: /),
      expect.stringMatching(/^report\.json is not JSON: /),
    ]);
  });

  it('cuts warning events to fit a ConfigMap, newest kept, and says so in the report', async () => {
    hour += 3600_000;
    const events = Array.from({ length: 800 }, (_, i) => ({ namespace: 'shop', object: `Pod/web-${i}`, reason: 'BackOff', message: `Back-off restarting failed container ${'x'.repeat(480)}`, count: i + 1, lastSeen: new Date(hour - i * 1000).toISOString() }));
    const big = report(hour, { sites: [site('fra', { warningEvents: events, warningEventsTotal: 5000 }), site('ams', { warningEvents: events, warningEventsTotal: 800 })] });
    const saved = await save(fra, big);
    expect(saved.trimmed).toBe(true);
    const cut = saved.report.sites[0]?.warningEvents ?? [];
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.length).toBeLessThan(800);
    expect(cut).toEqual(events.slice(0, cut.length));
    expect(saved.report.sites[0]?.warningEventsTotal).toBe(5000);
    expect(saved.report.notices).toEqual([expect.stringMatching(/^Warning events cut to the newest \d+ per site in the copy stored in the clusters/)]);
    expect(Buffer.byteLength(JSON.stringify(saved.report)) + Buffer.byteLength(toMarkdown(saved.report))).toBeLessThanOrEqual(CONFIGMAP_DATA_LIMIT);
    expect((await latest(fra)).report).toEqual(saved.report);
  });

  it('gives up on a report that cannot fit even without events', () => {
    const r = report(hour, { notes: Array.from({ length: 20 }, (_, i) => ({ id: `n/${i}`, text: 'y'.repeat(2000), open: true, by: 'a', since: 'b' })) });
    expect(() => fitForConfigMap(r, 50_000)).toThrow(HandoverTooLarge);
  });

  it('writes at every reachable site: one down fails alone, one unreachable when collected is not tried', async () => {
    hour += 3600_000;
    await t.fleet.faults.apply({ fault: 'site-outage', site: 'ams' });
    try {
      const r = report(hour);
      const all = await saveAll(
        new Map([
          ['fra', fra],
          ['ams', ams],
        ]),
        r,
        { timeoutMs: 5000 },
      );
      expect(all.report).toEqual(r);
      expect(all.results.get('fra')).toEqual({ ok: true, name: r.id, pruned: [], pruneErrors: [] });
      expect(all.results.get('ams')).toMatchObject({ ok: false, forbidden: false, skipped: false, error: expect.stringMatching(/^Amsterdam: /) as unknown });

      const later = report(hour + 1000, { sites: [site('fra'), site('ams', { reachable: false })] });
      const some = await saveAll(
        new Map([
          ['fra', fra],
          ['ams', ams],
        ]),
        later,
      );
      expect(some.results.get('fra')).toMatchObject({ ok: true, name: later.id });
      expect(some.results.get('ams')).toEqual({ ok: false, skipped: true, forbidden: false, error: 'Amsterdam was not reachable when the report was written' });
    } finally {
      await t.fleet.faults.apply({ fault: 'site-restore', site: 'ams' });
    }
  });
});
