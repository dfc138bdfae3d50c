/**
 * The log tail against the training fleet over HTTPS with kubeconfig
 * credentials — the production path, no mocked transport. What a tail
 * delivers for each container is compared line by line with the emulator's
 * deterministic generator: every line once, in order, with its exact text.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lineAt, lineCount, parseSeq } from '../../emulator/sim/logs';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { streamColour } from '../../shared/terminal/colour';
import { resourceFor } from '../../emulator/api/resources';
import { restartContainer } from '../../emulator/sim/churn';
import { Collector, deploy, expectExactly, runningPods, scale, siteHttp, sleep, sourceOf } from './fleet-logs-fixture';
import { LogTail, type LogTailInit } from './log-tail';
import type { KubeHttp } from '../kube/http';

const PODS = resourceFor('', 'pods');
let t: TestFleet;
let sites: string[];
const tails: LogTail[] = [];
const clients: KubeHttp[] = [];

function http(site: string): KubeHttp {
  const h = siteHttp(t, site);
  clients.push(h);
  return h;
}

function tail(init: Omit<LogTailInit, 'onBatch'> & { sites: LogTailInit['sites'] }, c = new Collector()): { tail: LogTail; c: Collector } {
  const lt = new LogTail({ ...init, onBatch: c.onBatch, limits: { backoff: { initialMs: 100, maxMs: 1000 }, ...init.limits } });
  tails.push(lt);
  lt.start();
  return { tail: lt, c };
}

beforeAll(async () => {
  t = await startTestFleet({ sites: 3, nodes: 12 });
  sites = t.fleet.sites.map((s) => s.site.name);
});
afterEach(async () => {
  await Promise.all(tails.splice(0).map((x) => x.stop()));
  for (const h of clients.splice(0)) h.close();
});
afterAll(async () => t?.close());

describe('LogTail against the training fleet', () => {
  it('multiplexes every container of every pod of a workload at three sites, each exactly as generated', async () => {
    for (const s of sites) await deploy(t, s, { namespace: 'mux', name: 'web', replicas: 2, containers: ['app', 'proxy'], rate: 20 });
    const pods = Object.fromEntries(await Promise.all(sites.map(async (s) => [s, await runningPods(t, s, 'mux', 'web', 2)] as const)));
    const { tail: lt, c } = tail({ sites: sites.map((id) => ({ id, http: http(id) })), target: { kind: 'workload', workload: 'Deployment', namespace: 'mux', name: 'web' } });
    // 3 sites × 2 pods × 2 containers; then a second of live lines.
    await c.waitFor(() => c.streams().length === 12 && c.streams().every((k) => c.lines(...(k.split('/') as [string, string, string])).length >= 15), '12 streams with 15 lines each');
    const live = c.lines().length;
    await sleep(1000);
    await lt.stop();

    expect(c.markers('pod-added')).toHaveLength(6);
    for (const s of sites) {
      for (const pod of pods[s] as string[]) {
        for (const container of ['app', 'proxy']) {
          const lines = c.lines(s, pod, container);
          // No since/tail: each container from its first line.
          expectExactly(sourceOf(t, s, 'mux', pod, container), lines, 0);
          expect(lines.every((l) => l.colour === streamColour(s, pod, container) && l.namespace === 'mux' && l.ts === undefined)).toBe(true);
        }
      }
    }
    // Live, lines of all streams interleave: the tail multiplexes rather than reading one after another.
    const order = c.lines().slice(live).map((l) => `${l.site}/${l.pod}/${l.container}`);
    expect(new Set(order).size).toBe(12);
    // Read one after another, the streams would switch 11 times; interleaved, far more often.
    expect(order.filter((k, i) => i > 0 && k !== order[i - 1]).length).toBeGreaterThan(50);
    // Batched: far fewer batches than lines.
    expect(c.batches.length).toBeLessThan(c.lines().length / 3);
    const st = lt.stats;
    expect(st.received).toBe(c.lines().length);
    expect(st.delivered).toBe(st.received);
    expect(st.droppedForView + st.pending + st.filtered).toBe(0);
  });

  it('follows pods that appear (scale up, replacement) and ends pods that go', async () => {
    const [site] = sites as [string];
    await deploy(t, site, { namespace: 'grow', name: 'api', replicas: 1, containers: ['app'], rate: 20 });
    const [first] = (await runningPods(t, site, 'grow', 'api', 1)) as [string];
    const { c } = tail({ sites: [{ id: site, http: http(site) }], target: { kind: 'selector', labelSelector: 'app=api', namespaces: ['grow'] }, options: { timestamps: true } });
    await c.waitFor(() => c.lines(site, first).length >= 5, 'lines of the first pod');

    await scale(t, site, 'grow', 'api', 3);
    const three = await runningPods(t, site, 'grow', 'api', 3);
    const added = three.filter((p) => p !== first);
    await c.waitFor(() => added.every((p) => c.lines(site, p).length >= 5), 'lines of the two new pods');
    for (const p of added) {
      expect(c.markers('pod-added').some((m) => m.pod === p && m.text.startsWith('new pod grow/'))).toBe(true);
      // A pod that appeared during the tail is read from its first line.
      expectExactly(sourceOf(t, site, 'grow', p, 'app'), c.lines(site, p), 0);
    }

    // Delete one: its stream ends, the ReplicaSet's replacement is picked up.
    const victim = added[0] as string;
    const victimSrc = sourceOf(t, site, 'grow', victim, 'app');
    expect((await t.request(site, 'DELETE', `/api/v1/namespaces/grow/pods/${victim}`, { role: 'operator' })).status).toBe(200);
    await c.waitFor(() => c.markers('pod-removed').some((m) => m.pod === victim), 'pod-removed marker');
    const now = await runningPods(t, site, 'grow', 'api', 3);
    const replacement = now.find((p) => !three.includes(p)) as string;
    expect(replacement).toBeDefined();
    await c.waitFor(() => c.lines(site, replacement).length >= 5, 'lines of the replacement');
    expectExactly(sourceOf(t, site, 'grow', replacement, 'app'), c.lines(site, replacement), 0);
    expectExactly(victimSrc, c.lines(site, victim), 0);
    const removedAt = c.entries.findIndex((e) => e.kind === 'marker' && e.type === 'pod-removed' && e.pod === victim);
    expect(c.entries.slice(removedAt).some((e) => e.kind === 'line' && e.pod === victim)).toBe(false);
  });

  it('resumes across a site outage with sinceTime: no line lost, none twice, and the gap is marked', async () => {
    const [down, up] = sites as [string, string];
    for (const s of [down, up]) await deploy(t, s, { namespace: 'outage', name: 'pay', replicas: 2, containers: ['app'], rate: 25, style: 'json' });
    const pods = Object.fromEntries(await Promise.all([down, up].map(async (s) => [s, await runningPods(t, s, 'outage', 'pay', 2)] as const)));
    const { tail: lt, c } = tail({ sites: [down, up].map((id) => ({ id, http: http(id) })), target: { kind: 'workload', workload: 'Deployment', namespace: 'outage', name: 'pay' }, options: { timestamps: true } });
    await c.waitFor(() => c.streams().length === 4 && c.lines().length >= 80, 'all four streams under way');

    await t.fleet.faults.apply({ fault: 'site-outage', site: down });
    const cut = c.lines(down).length;
    await c.waitFor(() => c.markers('interrupted').filter((m) => m.site === down).length === 2, 'both streams at the down site interrupted');
    await sleep(2500);
    await t.fleet.faults.apply({ fault: 'site-restore', site: down });
    await c.waitFor(() => c.markers('gap').filter((m) => m.site === down).length === 2, 'both streams resumed');
    // Run on well past the outage (and until the pod watch is back), then compare everything with the generator.
    await sleep(1500);
    await c.waitFor(() => c.markers('site').some((m) => m.site === down && m.text === 'pod watch connected again'), 'the pod watch back');
    await lt.stop();

    for (const s of [down, up]) {
      for (const pod of pods[s] as string[]) {
        const lines = c.lines(s, pod, 'app');
        const seqs = expectExactly(sourceOf(t, s, 'outage', pod, 'app'), lines, 0);
        // About 2.5 s of lines were written during the outage, and all of them arrived.
        expect(seqs.length).toBeGreaterThan(100);
      }
    }
    expect(c.lines(down).length).toBeGreaterThan(cut + 100);
    // Each gap marker sits between the last line before the outage and the first after, and says how long.
    for (const gap of c.markers('gap').filter((m) => m.site === down)) {
      const at = c.entries.indexOf(gap);
      const before = c.entries.slice(0, at).filter((e) => e.kind === 'line' && e.pod === gap.pod).pop();
      const after = c.entries.slice(at).find((e) => e.kind === 'line' && e.pod === gap.pod);
      expect(before && after && parseSeq(after.text)).toBe((parseSeq(before?.text ?? '') ?? -2) + 1);
      expect(gap.gapMs).toBeGreaterThan(2000);
      expect(gap.text).toMatch(/^gap of \d+\.\d s: the log stream broke \(.+\) and resumed from \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(c.markers('gap').filter((m) => m.site === up)).toHaveLength(0);
    // The pod watch's loss and return are one marker each, however often it retried in between.
    expect(c.markers('site').filter((m) => m.site === down).map((m) => m.text.replace(/ \(.*\)/, ''))).toEqual([
      "lost the site's pod watch; new and deleted pods show once it is back",
      'pod watch connected again',
    ]);
    // The server sent the start of the last second again, and the tail skipped it.
    expect(lt.stats.duplicatesSkipped).toBeGreaterThan(0);
  });

  it('follows a crash-looping container from one instance to the next, each instance complete', async () => {
    const [site] = sites as [string];
    t.fleet.site(site).site.crashImages.add('registry.example/loop-app:1.0.0');
    await deploy(t, site, { namespace: 'loop', name: 'loop', replicas: 1, containers: ['app'], rate: 20 });
    const [pod] = (await runningPods(t, site, 'loop', 'loop', 1)) as [string];
    // What instance 0 writes, as the server serves it while it runs (to its own end).
    const first = sourceOf(t, site, 'loop', pod, 'app');
    const { c } = tail({ sites: [{ id: site, http: http(site) }], target: { kind: 'pods', pods: [{ namespace: 'loop', name: pod }] }, options: { timestamps: true } });
    await c.waitFor(() => c.markers('container-ended').length === 1, 'the first instance to end');
    // The kubelet backs off 10 s before the first restart.
    await c.waitFor(() => c.markers('container-restarted').length === 1, 'the restart', 20_000);
    const second = sourceOf(t, site, 'loop', pod, 'app');
    await c.waitFor(() => c.markers('container-ended').length === 2, 'the second instance to end', 10_000);
    const split = c.entries.indexOf(c.markers('container-restarted')[0] as (typeof c.entries)[number]);
    const before = c.entries.slice(0, split).filter((e) => e.kind === 'line') as ReturnType<Collector['lines']>;
    const after = c.entries.slice(split).filter((e) => e.kind === 'line') as ReturnType<Collector['lines']>;
    // Each instance in full: a crash-looping instance writes a few lines and a fatal one, then stops.
    expectExactly(first, before, 0);
    expect(before).toHaveLength(lineCount(first));
    expectExactly(second, after, 0);
    expect(c.markers('container-ended')[0]?.text).toMatch(/^container stopped/);
    // A new instance has none of the old one's lines to send again: no "lines could not be read again" alarm.
    expect(c.markers('notice')).toEqual([]);
  }, 40_000);

  it('follows a running container through a restart: the old instance to its end, the new one from its first line', async () => {
    const [site] = sites as [string];
    await deploy(t, site, { namespace: 'restart', name: 'svc', replicas: 1, containers: ['app'], rate: 50 });
    const [pod] = (await runningPods(t, site, 'restart', 'svc', 1)) as [string];
    const first = sourceOf(t, site, 'restart', pod, 'app');
    const { c } = tail({ sites: [{ id: site, http: http(site) }], target: { kind: 'pods', pods: [{ namespace: 'restart', name: pod }] }, options: { timestamps: true } });
    await c.waitFor(() => c.lines().length >= 20, '20 lines of the first instance');
    // The kubelet restarts the container at once (as the training fleet's churn and container-restart fault do).
    const s = t.fleet.site(site).site;
    s.store.mutate(PODS, 'restart', pod, (p) => restartContainer(p, 'app', s.now()) >= 0);
    await c.waitFor(() => c.markers('container-restarted').length === 1, 'the restart');
    const second = sourceOf(t, site, 'restart', pod, 'app');
    const split = c.entries.indexOf(c.markers('container-restarted')[0] as (typeof c.entries)[number]);
    await c.waitFor(() => c.entries.slice(split).filter((e) => e.kind === 'line').length >= 20, '20 lines of the new instance');
    const before = c.entries.slice(0, split).filter((e) => e.kind === 'line') as ReturnType<Collector['lines']>;
    const after = c.entries.slice(split).filter((e) => e.kind === 'line') as ReturnType<Collector['lines']>;
    // Each instance exactly as generated: the old one from its first line, the new one too.
    expectExactly(first, before, 0);
    expectExactly(second, after, 0);
    expect(c.markers('notice')).toEqual([]);
  }, 30_000);

  it('applies tail lines only to history: the last N lines, then everything new', async () => {
    const [site] = sites as [string];
    await deploy(t, site, { namespace: 'hist', name: 'db', replicas: 1, containers: ['app'], rate: 50 });
    const [pod] = (await runningPods(t, site, 'hist', 'db', 1)) as [string];
    await sleep(1500);
    const { c } = tail({ sites: [{ id: site, http: http(site) }], target: { kind: 'pods', pods: [{ namespace: 'hist', name: pod }] }, options: { tailLines: 5, timestamps: true } });
    await c.waitFor(() => c.lines().length >= 60, '60 lines');
    const seqs = expectExactly(sourceOf(t, site, 'hist', pod, 'app'), c.lines(site, pod, 'app'));
    // 1.5 s at 50 lines/s were written before the tail: it began 5 lines before the newest.
    expect(seqs[0]).toBeGreaterThan(40);
  });

  it('include, exclude and highlight work on the visible text', async () => {
    const [site] = sites as [string];
    await deploy(t, site, { namespace: 'filt', name: 'svc', replicas: 1, containers: ['app'], rate: 100 });
    const [pod] = (await runningPods(t, site, 'filt', 'svc', 1)) as [string];
    // Patterns on the sequence number every generated line carries (whatever its dialect):
    // even lines only, but not multiples of ten; "seq" highlighted.
    const { tail: lt, c } = tail({
      sites: [{ id: site, http: http(site) }],
      target: { kind: 'workload', workload: 'Deployment', namespace: 'filt', name: 'svc' },
      options: { include: ['seq"?[=:]\\d*[02468]\\b'], exclude: ['seq"?[=:]\\d*0\\b'], highlight: ['seq'] },
    });
    await c.waitFor(() => c.lines().length >= 100, '100 lines');
    await lt.stop();
    const src = sourceOf(t, site, 'filt', pod, 'app');
    const seqs = c.lines().map((l) => parseSeq(l.text) as number);
    const last = seqs.at(-1) as number;
    const expected = Array.from({ length: last + 1 }, (_, k) => k).filter((k) => k % 2 === 0 && k % 10 !== 0);
    expect(seqs).toEqual(expected);
    for (const l of c.lines()) {
      const k = parseSeq(l.text) as number;
      // The highlight is SGR around "seq"; without it, the line is the generator's.
      expect(l.text).toContain('\x1b[7mseq\x1b[27m');
      expect(l.text.replace(/\x1b\[(7|27)m/g, '')).toBe(lineAt(src, k)?.text); // eslint-disable-line no-control-regex
    }
    const st = lt.stats;
    expect(st.received).toBe(st.filtered + st.stored);
    expect(st.filtered).toBeGreaterThanOrEqual(last + 1 - expected.length);
  });

  it('pause holds the view and counts what comes in; resume delivers it in order', async () => {
    const [site] = sites as [string];
    await deploy(t, site, { namespace: 'pause', name: 'q', replicas: 1, containers: ['app'], rate: 100 });
    const [pod] = (await runningPods(t, site, 'pause', 'q', 1)) as [string];
    const { tail: lt, c } = tail({ sites: [{ id: site, http: http(site) }], target: { kind: 'selector', labelSelector: 'app=q', namespaces: 'all' } });
    await c.waitFor(() => c.lines().length >= 20, '20 lines');
    lt.pause();
    const atPause = c.lines().length;
    const batchesAtPause = c.batches.length;
    await sleep(1200);
    // While paused: batches with counters only, and the count of lines waiting grows.
    const during = c.batches.slice(batchesAtPause + 1);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((b) => b.entries.length === 0 && b.stats.paused)).toBe(true);
    expect(c.last?.stats.pending).toBeGreaterThan(50);
    expect(c.lines().length).toBeLessThanOrEqual(atPause + 5_000);
    lt.resume();
    await c.waitFor(() => c.lines().length > atPause + 150, 'the buffered lines after resume');
    expectExactly(sourceOf(t, site, 'pause', pod, 'app'), c.lines(site, pod, 'app'), 0);
  });

  it('a slow consumer gets explicit drop counts, never silent loss; a small scrollback says when it overflows', async () => {
    const [site] = sites as [string];
    await deploy(t, site, { namespace: 'slow', name: 'burst', replicas: 2, containers: ['a', 'b'], rate: 200 });
    await runningPods(t, site, 'slow', 'burst', 2);
    const c = new Collector();
    c.delayMs = 300;
    const { tail: lt } = tail({
      sites: [{ id: site, http: http(site) }],
      target: { kind: 'workload', workload: 'Deployment', namespace: 'slow', name: 'burst' },
      limits: { maxBatch: 50, maxInFlight: 1, maxLagLines: 200, scrollbackLines: 500 },
    }, c);
    // Both signals, whichever comes first on a busy machine: drops for the slow view, and the scrollback's overflow.
    await c.waitFor(() => c.markers('dropped').length >= 2 && c.markers('scrollback').length >= 1, 'drop markers and the scrollback overflow');
    await lt.stop();
    const st = lt.stats;
    const droppedInMarkers = c.markers('dropped').reduce((n, m) => n + (m.count ?? 0), 0);
    expect(droppedInMarkers).toBe(st.droppedForView);
    expect(st.delivered).toBe(c.lines().length);
    // Every line stored was delivered or counted as dropped; after stop nothing is pending.
    expect(st.pending).toBe(0);
    expect(st.delivered + st.droppedForView).toBe(st.stored);
    expect(st.stored).toBe(st.received);
    expect(c.markers('scrollback')).toHaveLength(1);
    expect(st.evicted).toBeGreaterThan(0);
    expect(st.scrollbackLines).toBeLessThanOrEqual(500);
  });

  it('search finds lines in the scrollback by substring or regex', async () => {
    const [site] = sites as [string];
    await deploy(t, site, { namespace: 'find', name: 'idx', replicas: 1, containers: ['app'], rate: 100 });
    await runningPods(t, site, 'find', 'idx', 1);
    const { tail: lt, c } = tail({ sites: [{ id: site, http: http(site) }], target: { kind: 'workload', workload: 'Deployment', namespace: 'find', name: 'idx' } });
    await c.waitFor(() => c.lines().length >= 100, '100 lines');
    const r = lt.search({ text: 'seq=4' });
    const expected = c.lines().filter((l) => l.text.includes('seq=4'));
    expect(r.hits.slice(0, expected.length).map((h) => h.n)).toEqual(expected.map((l) => l.n));
    const re = lt.search({ text: 'seq=(7|8)\\d$', regex: true });
    expect(re.hits.length).toBeGreaterThan(0);
    for (const h of re.hits) expect(lt.entries(h.n, h.n + 1)[0]?.text).toMatch(/seq=(7|8)\d$/);
  });

  it('says in clear words when the workload does not exist at a site, and goes on with the others', async () => {
    const [has, hasNot] = sites as [string, string];
    await deploy(t, has, { namespace: 'only', name: 'one', replicas: 1, containers: ['app'], rate: 20 });
    await runningPods(t, has, 'only', 'one', 1);
    const { c } = tail({ sites: [has, hasNot].map((id) => ({ id, http: http(id) })), target: { kind: 'workload', workload: 'Deployment', namespace: 'only', name: 'one' } });
    await c.waitFor(() => c.lines(has).length >= 5 && c.markers('error').length === 1, 'lines from one site, an error for the other');
    expect(c.markers('error')[0]).toMatchObject({ site: hasNot, text: 'deployment only/one does not exist at this site' });
  });

  it('refuses bad options before connecting', () => {
    const sink = (): void => {};
    const base: LogTailInit = { sites: [], target: { kind: 'pods', pods: [] }, onBatch: sink };
    expect(() => new LogTail({ ...base, options: { include: ['(unclosed'] } })).toThrow(/include pattern "\(unclosed" is not a valid regular expression/);
    expect(() => new LogTail({ ...base, options: { sinceSeconds: 5, sinceTime: '2025-01-01T00:00:00Z' } })).toThrow(/not both/);
    expect(() => new LogTail({ ...base, options: { tailLines: -1 } })).toThrow(/tail lines/);
  });
});
