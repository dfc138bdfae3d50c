/**
 * A scripted shift on the training fleet, handed over twice: a rack drained
 * for maintenance (cordoned with Triptych's annotations, under a maintenance
 * Lease, a drain runbook in the audit trail), another rack losing power, a
 * bad rollout crashlooping, and warning events, one of them hostile. The
 * report must hold exactly what happened, escape what the cluster says, and
 * survive the round trip through the clusters; the next handover's diff
 * shows the recovery.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditRecord } from '../../shared/audit';
import { LABEL_RACK } from '../../shared/labels';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { acquireMaintenance, type MaintenanceLease } from '../coordination';
import type { KubeHttp } from '../kube/http';
import { projectPod } from '../kube/projections';
import { collect, latest, saveAll, toHtml, toMarkdown, type HandoverReport } from './index';
import { fleetHttp, snapshot, trainingSiteInfo } from './testing/fleet-sources';
import { waitForItems } from './testing/wait-for';

type PodObject = { metadata: { name: string; namespace: string }; spec: { nodeName?: string }; status?: unknown };
type NodeObject = { metadata: { name: string; labels: Record<string, string> } };

const FRA = 'fra';
const AMS = 'ams';
const NAMES: Record<string, string> = { fra: 'Frankfurt', ams: 'Amsterdam' };
const ALICE = 'userpass-alice';
const BOB = 'userpass-bob';
const BROKEN = { namespace: 'payments', deployment: 'refund-worker' };

/** What a hostile cluster user can write into annotations and events: table breakers, HTML, links, ANSI, line breaks. */
const HOSTILE = 'PSU | swap <script>alert(1)</script> [x](javascript:alert(1)) ![i](http://evil.example/t.png) `code` \u001b[31mred\u001b[0m\n# not a heading\n| a | b |';

let t: TestFleet;
let out: string;
const http = new Map<string, KubeHttp>();
let sites: { info: ReturnType<typeof trainingSiteInfo>; http: KubeHttp }[];

let drained: string[] = [];
let dark: string[] = [];
let brokenImage = '';
let originalImage = '';
let lease: MaintenanceLease | undefined;
const audit: AuditEntry[] = [];

let first: HandoverReport;
let second: HandoverReport;

beforeAll(async () => {
  t = await startTestFleet({ sites: [FRA, AMS] });
  out = await mkdtemp(path.join(os.tmpdir(), 'triptych-handover-'));
  for (const s of t.fleet.sites) http.set(s.site.name, fleetHttp(t.kubeconfig, s.site.name));
  sites = t.fleet.sites.map((s) => ({ info: trainingSiteInfo(s.site.name, NAMES[s.site.name] ?? s.site.name, s.server.url), http: http.get(s.site.name) as KubeHttp }));
  // The generated fleet starts with a crashlooping pod or two; the shift starts clean so "exactly" means what the script did.
  for (const site of [FRA, AMS]) {
    const h = http.get(site) as KubeHttp;
    const pods = (await h.getJson<{ items: PodObject[] }>('/api/v1/pods')).items;
    for (const p of pods.filter((p) => crashlooping(p))) await h.send('DELETE', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`);
    await waitForItems<PodObject>(h, '/api/v1/pods', (items) => !items.some(crashlooping), { what: `no crashlooping pods at ${site}` });
  }
});

afterAll(async () => {
  await lease?.release().catch(() => undefined);
  for (const h of http.values()) h.close();
  await t?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

function crashlooping(p: PodObject): boolean {
  return /CrashLoopBackOff$/.test(projectPod(p).status);
}

/** A report time a second after `previous`: reports are named by the second, and a shift is longer than that. */
function after(previous: HandoverReport): number {
  return Math.max(Date.now(), Date.parse(previous.createdAt) + 1000);
}

/** An audit entry as core/audit stores it (the chain's hashes are not what this test is about). */
function entry(at: number, r: AuditRecord): AuditEntry {
  const seq = audit.length + 1;
  return { ...r, seq, at: new Date(at).toISOString(), prev: '0'.repeat(64), hash: seq.toString(16).padStart(64, '0') };
}

async function racks(site: string): Promise<Map<string, string[]>> {
  const nodes = (await (http.get(site) as KubeHttp).getJson<{ items: NodeObject[] }>('/api/v1/nodes')).items;
  const byRack = new Map<string, string[]>();
  for (const n of nodes) {
    if ('node-role.kubernetes.io/control-plane' in n.metadata.labels) continue;
    const rack = n.metadata.labels[LABEL_RACK] as string;
    byRack.set(rack, [...(byRack.get(rack) ?? []), n.metadata.name]);
  }
  return byRack;
}

const names = (xs: { name: string }[]): string[] => xs.map((x) => x.name).sort();

/** Pipes that separate table cells: not escaped by an odd run of backslashes. */
function cellSeparators(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '|') continue;
    let slashes = 0;
    for (let j = i - 1; j >= 0 && line[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) n++;
  }
  return n;
}

describe('the handover of a scripted shift on the training fleet', () => {
  it('starts the shift with a handover: a clean fleet, two notes, stored at both sites', async () => {
    const sources = await snapshot(sites);
    first = await collect(sources, { by: BOB, now: Date.now(), start: Date.now() - 8 * 3600_000, notes: ['Watch the payment gateway latency at Amsterdam', 'Vendor visit for the PSUs tomorrow 09:00'] });
    for (const s of first.sites) {
      expect(s.reachable).toBe(true);
      expect(s.notReadyNodes).toEqual([]);
      expect(s.cordonedNodes).toEqual([]);
      expect(s.crashloops).toEqual([]);
      expect(s.maintenance).toEqual([]);
    }
    expect(first.diff).toBeUndefined();
    const { results } = await saveAll(http, first);
    expect([...results.values()].map((r) => r.ok)).toEqual([true, true]);
  });

  it('lives through the shift: a rack drained under maintenance, a rack dark, a bad rollout, a hostile event', async () => {
    const fraRacks = [...(await racks(FRA)).entries()].sort(([a], [b]) => a.localeCompare(b));
    expect(fraRacks.length).toBeGreaterThanOrEqual(2);
    const [drainRack, drainNodes] = fraRacks[0] as [string, string[]];
    const [darkRack, darkNodes] = fraRacks[1] as [string, string[]];
    drained = [...drainNodes].sort();
    dark = [...darkNodes].sort();
    const fra = http.get(FRA) as KubeHttp;
    const ams = http.get(AMS) as KubeHttp;

    // The drain-rack runbook as the engine runs it: the Lease, then a cordon per node with who and why.
    const started = Date.now();
    lease = await acquireMaintenance(fra, { site: FRA, scope: `rack/${drainRack}`, holder: ALICE, runbook: 'drain-rack', run: 'run-7', reason: 'PSU swap' });
    audit.push(entry(started, { who: ALICE, verb: 'runbook.start', site: FRA, result: 'ok', runbook: { run: 'run-7', name: 'drain-rack' } }));
    for (const node of drained) {
      const at = new Date().toISOString();
      await fra.send('PATCH', `/api/v1/nodes/${node}`, {
        body: { spec: { unschedulable: true }, metadata: { annotations: { 'triptych.io/cordon-by': ALICE, 'triptych.io/cordon-reason': HOSTILE, 'triptych.io/cordon-at': at } } },
        contentType: 'application/merge-patch+json',
      });
      audit.push(entry(Date.now(), { who: ALICE, verb: 'cordon', site: FRA, object: { kind: 'Node', name: node }, result: 'ok', runbook: { run: 'run-7', name: 'drain-rack', step: '2-cordon' } }));
      audit.push(entry(Date.now(), { who: ALICE, verb: 'drain', site: FRA, object: { kind: 'Node', name: node }, result: 'ok', runbook: { run: 'run-7', name: 'drain-rack', step: '3-drain' } }));
    }
    audit.push(entry(Date.now(), { who: ALICE, verb: 'runbook.end', site: FRA, result: 'ok', runbook: { run: 'run-7', name: 'drain-rack' }, data: { state: 'succeeded' } }));
    // A restart still running at handover time, an action outside any runbook, and a run of the previous shift.
    audit.push(entry(Date.now(), { who: BOB, verb: 'runbook.start', site: AMS, result: 'ok', runbook: { run: 'run-8', name: 'restart-service' } }));
    audit.push(entry(Date.now(), { who: BOB, verb: 'exec', site: AMS, object: { kind: 'Pod', namespace: 'payments', name: 'x' }, result: 'ok' }));
    audit.push(entry(Date.parse(first.createdAt) - 60_000, { who: BOB, verb: 'runbook.start', site: FRA, result: 'ok', runbook: { run: 'run-3', name: 'drain-node' } }));

    await t.fleet.faults.apply({ fault: 'rack-power-loss', site: FRA, rack: darkRack });
    // The node controller's NodeNotReady events are what the report dates the outage by.
    await waitForItems<{ metadata: { name: string }; reason: string; involvedObject: { name: string } }>(
      fra,
      '/api/v1/events',
      (events) => dark.every((n) => events.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.name === n)),
      { what: `NodeNotReady events for rack ${darkRack}` },
    );

    const deployPath = `/apis/apps/v1/namespaces/${BROKEN.namespace}/deployments/${BROKEN.deployment}`;
    originalImage = (await ams.getJson<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(deployPath)).spec.template.spec.containers[0]?.image as string;
    await t.fleet.faults.apply({ fault: 'bad-rollout', site: AMS, ...BROKEN });
    brokenImage = (await ams.getJson<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(deployPath)).spec.template.spec.containers[0]?.image as string;
    expect(brokenImage).not.toBe(originalImage);

    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await ams.send('POST', `/api/v1/namespaces/${BROKEN.namespace}/events`, {
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'hostile.1', namespace: BROKEN.namespace },
        involvedObject: { kind: 'Pod', namespace: BROKEN.namespace, name: 'evil|<img src=x onerror=alert(1)>' },
        reason: 'Hostile|<b>',
        message: HOSTILE,
        type: 'Warning',
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: 'evil' },
      },
    });

    // Last: the crashloop, since a crashlooping pod runs again for a moment after each back-off.
    await waitForItems<PodObject>(ams, `/api/v1/namespaces/${BROKEN.namespace}/pods`, (pods) => pods.some((p) => crashlooping(p) && projectPod(p).deployment === BROKEN.deployment), {
      what: `${BROKEN.deployment} in CrashLoopBackOff`,
    });
  });

  it('hands over exactly what happened', async () => {
    const previous = await latest(http.get(FRA) as KubeHttp);
    expect(previous.report).toEqual(first);
    const note1 = first.notes[0]?.id as string;
    second = await collect(await snapshot(sites, audit), {
      by: ALICE,
      now: after(first),
      previous: previous.report,
      notes: [`Rack drained for the PSU swap: return it to service after the vendor visit.\n${HOSTILE}`],
      close: [note1],
    });
    expect(second.shiftStart).toBe(first.createdAt);
    const [fra, ams] = second.sites as [HandoverReport['sites'][0], HandoverReport['sites'][0]];
    expect(fra.site).toBe(FRA);
    expect(ams.site).toBe(AMS);

    expect(names(fra.notReadyNodes)).toEqual(dark);
    for (const n of fra.notReadyNodes) {
      expect(n.ready).toBe('Unknown');
      expect(Date.parse(n.since as string)).toBeGreaterThanOrEqual(Math.floor(Date.parse(first.createdAt) / 1000) * 1000);
    }
    expect(names(fra.cordonedNodes)).toEqual(drained);
    for (const n of fra.cordonedNodes) expect(n).toMatchObject({ by: ALICE, reason: expect.stringContaining('PSU | swap <script>') as unknown, at: expect.any(String) as unknown });
    expect(fra.maintenance).toEqual([expect.objectContaining({ scope: expect.stringMatching(/^rack\//) as unknown, holder: ALICE, runbook: 'drain-rack', run: 'run-7', reason: 'PSU swap' })]);
    expect(fra.crashloops).toEqual([]);

    expect(ams.notReadyNodes).toEqual([]);
    expect(ams.cordonedNodes).toEqual([]);
    expect(ams.maintenance).toEqual([]);
    expect(ams.crashloops).toEqual([expect.objectContaining({ namespace: BROKEN.namespace, kind: 'Deployment', name: BROKEN.deployment })]);
    expect(ams.crashloops[0]?.pods).toBeGreaterThanOrEqual(1);

    const shiftFrom = Math.floor(Date.parse(first.createdAt) / 1000) * 1000;
    for (const s of second.sites) for (const e of s.warningEvents) expect(Date.parse(e.lastSeen)).toBeGreaterThanOrEqual(shiftFrom);
    expect(ams.warningEvents).toContainEqual(expect.objectContaining({ reason: 'BackOff', object: expect.stringContaining(`Pod/${BROKEN.deployment}-`) as unknown }));
    expect(ams.warningEvents).toContainEqual(expect.objectContaining({ reason: 'Hostile|<b>', object: 'Pod/evil|<img src=x onerror=alert(1)>' }));
    expect(ams.warningEventsTotal).toBe(ams.warningEvents.length);

    expect(second.runbooks).toEqual([
      { run: 'run-7', runbook: 'drain-rack', site: FRA, sites: [FRA], who: ALICE, started: audit[0]?.at, ended: expect.any(String) as unknown, result: 'succeeded', actions: drained.length * 2, failedActions: 0 },
      { run: 'run-8', runbook: 'restart-service', site: AMS, sites: [AMS], who: BOB, started: expect.any(String) as unknown, result: 'running', actions: 0, failedActions: 0 },
    ]);

    expect(second.notes.map((n) => [n.text.split('\n')[0], n.open])).toEqual([
      ['Watch the payment gateway latency at Amsterdam', false],
      ['Vendor visit for the PSUs tomorrow 09:00', true],
      ['Rack drained for the PSU swap: return it to service after the vendor visit.', true],
    ]);
    expect(second.notes[0]).toMatchObject({ closedBy: ALICE, by: BOB });

    const d = second.diff;
    expect(d?.previous).toEqual({ id: first.id, createdAt: first.createdAt, by: BOB });
    const [dFra, dAms] = d?.sites ?? [];
    expect(dFra).toMatchObject({ compared: true, recovered: [], uncordoned: [], crashloopsStarted: [], crashloopsEnded: [], maintenanceEnded: [] });
    expect(names(dFra?.notReady ?? [])).toEqual(dark);
    expect(names(dFra?.cordoned ?? [])).toEqual(drained);
    expect(dFra?.maintenanceStarted.map((m) => m.holder)).toEqual([ALICE]);
    expect(dAms).toEqual({
      site: AMS,
      name: 'Amsterdam',
      compared: true,
      notReady: [],
      recovered: [],
      cordoned: [],
      uncordoned: [],
      crashloopsStarted: [{ namespace: BROKEN.namespace, kind: 'Deployment', name: BROKEN.deployment }],
      crashloopsEnded: [],
      maintenanceStarted: [],
      maintenanceEnded: [],
    });
    expect(d?.notesClosed.map((n) => n.id)).toEqual([note1]);
    expect(d?.notesAdded.map((n) => n.id)).toEqual([`${second.id}/1`]);
  });

  it('writes Markdown that shows it all and lets nothing from the cluster become markup', async () => {
    const md = toMarkdown(second);
    await writeFile(path.join(out, `${second.id}.md`), md);
    expect(md.startsWith(`# Shift handover ${second.createdAt.slice(0, 10)}`)).toBe(true);
    expect(md).toContain('by userpass-alice');
    for (const n of [...drained, ...dark]) expect(md).toContain(`| ${n} |`);
    for (const s of ['## Since the last handover', '## Frankfurt (fra)', '## Amsterdam (ams)', `| ${BROKEN.deployment} |`, '| drain-rack | run-7 |', '| restart-service | run-8 |']) expect(md).toContain(s);

    // Nothing from the cluster became HTML, a link, an image or code.
    expect(md).not.toMatch(/(?<!\\)</);
    expect(md).not.toMatch(/(?<!\\)\]\(/);
    expect(md).not.toMatch(/(?<!\\)`/);
    expect(md).not.toMatch(/javascript:|http:\/\//);
    expect(md).not.toContain('\u001b');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    // Line breaks in the cluster's text did not start blocks of their own.
    for (const line of md.split('\n')) {
      if (line.startsWith('#')) expect(line).toMatch(/^(# Shift handover |## (Since the last handover|Notes for the next shift|Runbooks run during the shift|Frankfurt \(fra\)|Amsterdam \(ams\))$|### [A-Z][A-Za-z ]+ \()/);
      else expect(line).not.toMatch(/^\s*(#|<|\[|!\[|\| a)/);
    }
    // Every table row has exactly its header's cells: no pipe from the cluster split a cell.
    const tables = md.split('\n\n').filter((b) => b.startsWith('|'));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      const lines = table.split('\n').filter((l) => l !== '');
      const cells = cellSeparators(lines[0] as string);
      for (const line of lines) expect(cellSeparators(line), line).toBe(cells);
    }
  });

  it('prints the report to a PDF through Chromium, from static HTML with the cluster text escaped', async () => {
    const html = toHtml(second);
    expect(html).not.toMatch(/<(script|img|a|b)\b/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    try {
      const page = await browser.newPage();
      await page.setContent(html);
      // What a reader sees is the text, tags included, and the page ran nothing.
      expect(await page.locator('script, img, a').count()).toBe(0);
      expect(await page.locator('body').innerText()).toContain('PSU | swap <script>alert(1)</script>');
      const file = path.join(out, `${second.id}.pdf`);
      await page.pdf({ path: file, format: 'A4', printBackground: true });
      const pdf = await readFile(file);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });

  it('stores the report at both sites, where the next admin reads it back unchanged', async () => {
    const { report: stored, trimmed, results } = await saveAll(http, second);
    expect(trimmed).toBe(false);
    expect(stored).toEqual(second);
    for (const site of [FRA, AMS]) {
      expect(results.get(site)).toMatchObject({ ok: true, name: second.id });
      const back = await latest(http.get(site) as KubeHttp);
      expect(back).toEqual({ report: second, name: second.id, skipped: [] });
    }
    const cm = await (http.get(AMS) as KubeHttp).getJson<{ metadata: { labels: Record<string, string> }; data: Record<string, string> }>(`/api/v1/namespaces/triptych-system/configmaps/${second.id}`);
    expect(cm.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'triptych', 'triptych.io/kind': 'handover' });
    expect(cm.data['report.md']).toBe(toMarkdown(second));
  });

  it("shows the recovery in the next handover's diff", async () => {
    const fra = http.get(FRA) as KubeHttp;
    const ams = http.get(AMS) as KubeHttp;
    await t.fleet.faults.apply({ fault: 'rack-power-restore', site: FRA, rack: second.sites[0]?.notReadyNodes[0]?.rack as string });
    for (const node of drained) {
      await fra.send('PATCH', `/api/v1/nodes/${node}`, {
        body: { spec: { unschedulable: null }, metadata: { annotations: { 'triptych.io/cordon-by': null, 'triptych.io/cordon-reason': null, 'triptych.io/cordon-at': null } } },
        contentType: 'application/merge-patch+json',
      });
    }
    await lease?.release();
    lease = undefined;
    await ams.send('PATCH', `/apis/apps/v1/namespaces/${BROKEN.namespace}/deployments/${BROKEN.deployment}`, {
      body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: originalImage }],
      contentType: 'application/json-patch+json',
    });
    // The rollback is done when no pod of the broken image is left.
    await waitForItems<PodObject & { spec: { containers: { image: string }[] } }>(
      ams,
      `/api/v1/namespaces/${BROKEN.namespace}/pods`,
      (pods) => !pods.some((p) => projectPod(p).deployment === BROKEN.deployment && (crashlooping(p) || p.spec.containers.some((c) => c.image === brokenImage))),
      { what: `${BROKEN.deployment} rolled back` },
    );

    const previous = (await latest(ams)).report as HandoverReport;
    const third = await collect(await snapshot(sites, audit), { by: BOB, now: after(second), previous });
    const [dFra, dAms] = third.diff?.sites ?? [];
    expect(names(dFra?.recovered ?? [])).toEqual(dark);
    expect(names(dFra?.uncordoned ?? [])).toEqual(drained);
    expect(dFra?.maintenanceEnded.map((m) => m.holder)).toEqual([ALICE]);
    expect(dFra).toMatchObject({ notReady: [], cordoned: [], maintenanceStarted: [], crashloopsStarted: [], crashloopsEnded: [] });
    expect(dAms).toMatchObject({ crashloopsStarted: [], crashloopsEnded: [{ namespace: BROKEN.namespace, kind: 'Deployment', name: BROKEN.deployment }], notReady: [], cordoned: [] });
    expect(third.sites.flatMap((s) => [...s.notReadyNodes, ...s.cordonedNodes, ...s.crashloops, ...s.maintenance])).toEqual([]);
    // The closed note is gone; the open ones carry over.
    expect(third.notes.map((n) => n.id)).toEqual([second.notes[1]?.id, second.notes[2]?.id]);
    expect(third.notes.every((n) => n.open)).toBe(true);
    expect(toMarkdown(third)).toContain('crashloop ended: payments/Deployment/refund-worker');
  });
});
