/**
 * The incident timeline: notes, the entries the console writes from what it
 * sees on the bus (transitions only), and the JSONL file it survives
 * restarts in.
 */
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../shared/contract/rpc';
import type { SiteStatus, TriptychEvents } from '../../shared/contract/triptych';
import type { Alert, SiteAlerts } from '../../shared/alerts';
import type { AuditRecord } from '../../shared/audit';
import { INCIDENT_KEEP, type IncidentEntry } from '../../shared/incident';
import type { RunStatus } from '../../shared/runbooks';
import type { TrainingRun, TrainingStatus } from '../../shared/training';
import { ALERTS_PER_POLL, IncidentService, alertLevel, parseTimeline } from './incident-service';

let dir: string;
let bus: EventBus<TriptychEvents>;
let emitted: IncidentEntry[];
let audited: AuditRecord[];
let clock: number;
const services: IncidentService[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-incident-'));
  bus = new EventBus<TriptychEvents>();
  emitted = [];
  audited = [];
  clock = Date.parse('2026-01-10T10:00:00Z');
  bus.tap((name, p) => {
    if (name === 'incident.entry') emitted.push(p as IncidentEntry);
  });
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  await rm(dir, { recursive: true, force: true });
});

async function started(): Promise<IncidentService> {
  const s = new IncidentService({ dataDir: dir, bus, who: () => 'alice', audit: { append: (r) => audited.push(r) }, now: () => clock });
  services.push(s);
  await s.start();
  return s;
}

const file = (): string => path.join(dir, 'incident', 'timeline.jsonl');
const status = (site: string, state: SiteStatus['state'], extra: Partial<SiteStatus> = {}): SiteStatus => ({ site, state, ...extra });

function alert(fingerprint: string, over: Partial<Alert> = {}): Alert {
  return { fingerprint, name: `Alert${fingerprint}`, severity: 'warning', state: 'active', startsAt: new Date(clock).toISOString(), endsAt: new Date(clock + 600_000).toISOString(), labels: {}, annotations: {}, silencedBy: [], inhibitedBy: [], receivers: [], ...over };
}

function alerts(site: string, list: Alert[], configured = true): SiteAlerts {
  return { site, configured, status: { state: 'ok', stale: false, failures: 0, skipped: 0 }, alerts: list, silences: [] };
}

function run(id: string, state: RunStatus['state'], over: Partial<RunStatus> = {}): RunStatus {
  return { run: id, runbook: 'drain-rack', title: 'Drain rack r1', state, startedBy: 'bob', startedAt: clock, params: {}, steps: [{ id: 's1', type: 'drain', title: 'Drain', site: 'fra', state: 'pending' }], ...over } as RunStatus;
}

describe('notes', () => {
  it('adds a note: on disk (0600 in a 0700 folder), in the audit trail, on the bus', async () => {
    const s = await started();
    const e = await s.note({ text: '  DB failover started at FRA  ', site: 'fra' });
    expect(e).toMatchObject({ kind: 'note', text: 'DB failover started at FRA', who: 'alice', site: 'fra', level: 'info', at: clock });
    expect(emitted).toEqual([e]);
    expect(s.timeline()).toEqual([e]);
    expect(audited).toEqual([{ who: 'alice', verb: 'incident-note', site: 'fra', result: 'ok', detail: 'DB failover started at FRA' }]);
    expect(JSON.parse((await readFile(file(), 'utf8')).trim())).toEqual(e);
    expect((await stat(file())).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file()))).mode & 0o777).toBe(0o700);
  });

  it('makes control characters visible and newlines spaces; markup stays text', async () => {
    const s = await started();
    const e = await s.note({ text: 'a\u001b[31mred\u0007\nline <b>x</b>\u202e' });
    expect(e.text).toBe('a\uFFFD[31mred\uFFFD line <b>x</b>\uFFFD');
  });

  it('refuses a note with a credential in it, saying why and what to do', async () => {
    const s = await started();
    await expect(s.note({ text: 'token is hvs.CAESIJabcdefghijklmnopqrstuvwxyz12' })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/Vault token.*remove the credential/) });
    await expect(s.note({ text: '   ' })).rejects.toMatchObject({ code: 'bad-request', message: 'a note needs some text' });
    expect(emitted).toEqual([]);
    expect(audited).toEqual([]);
  });

  it('gives increasing ids that go on increasing after a restart', async () => {
    const s = await started();
    const a = await s.note({ text: 'one' });
    const b = await s.note({ text: 'two' });
    await s.close();
    const again = await started();
    const c = await again.note({ text: 'three' });
    expect([a.id, b.id, c.id].map(Number)).toEqual([1, 2, 3]);
    expect(again.timeline().map((e) => e.text)).toEqual(['one', 'two', 'three']);
  });
});

describe('the file', () => {
  it('loads the newest INCIDENT_KEEP entries, skipping and counting damaged lines', async () => {
    await mkdir(path.dirname(file()), { recursive: true });
    const lines: string[] = [];
    for (let i = 1; i <= INCIDENT_KEEP + 10; i++) lines.push(JSON.stringify({ id: String(i), at: i, kind: 'note', text: `n${i}`, level: 'info' }));
    lines.splice(INCIDENT_KEEP, 0, '{"id": "torn', JSON.stringify({ id: 'x', at: 1, kind: 'bogus', text: 't', level: 'info' }), 'not json');
    // A crash mid-write leaves the last line without its newline.
    await writeFile(file(), `${lines.join('\n')}\n{"id":"9`);
    const s = await started();
    const t = s.timeline();
    expect(t).toHaveLength(INCIDENT_KEEP);
    expect(t.at(-1)?.text).toBe(`n${INCIDENT_KEEP + 10}`);
    expect(t[0]?.text).toBe('n11');
    expect(s.skipped).toBe(4);
    // The torn line is not glued to the next entry.
    const e = await s.note({ text: 'after the crash' });
    const again = parseTimeline(await readFile(file(), 'utf8'));
    expect(again.entries.at(-1)).toEqual(e);
    expect(e.id).toBe(String(INCIDENT_KEEP + 11));
  });

  it('keeps at most INCIDENT_KEEP entries in memory', async () => {
    const s = await started();
    for (let i = 0; i < INCIDENT_KEEP + 5; i++) s.record({ kind: 'training', text: `t${i}`, level: 'info' });
    expect(s.timeline()).toHaveLength(INCIDENT_KEEP);
    expect(s.timeline()[0]?.text).toBe('t5');
  });
});

describe('what the console saw', () => {
  it('writes site transitions, not every status (RTT updates, the normal way up)', async () => {
    const s = await started();
    // Before the first live: start-up, not news.
    bus.emit('site.status', status('fra', 'credentials-expired'));
    bus.emit('site.status', status('fra', 'connecting'));
    bus.emit('site.status', status('fra', 'live', { rttMs: 3 }));
    bus.emit('site.status', status('fra', 'live', { rttMs: 4 }));
    bus.emit('site.status', status('fra', 'stale', { error: 'connect ECONNREFUSED\u001b[0m' }));
    bus.emit('site.status', status('fra', 'stale', { retryInMs: 800 }));
    bus.emit('site.status', status('fra', 'unreachable'));
    bus.emit('site.status', status('fra', 'connecting'));
    bus.emit('site.status', status('fra', 'live', { rttMs: 5 }));
    bus.emit('site.status', status('ams', 'live'));
    bus.emit('site.status', status('ams', 'credentials-expired'));
    expect(s.timeline().map((e) => [e.site, e.level, e.text])).toEqual([
      ['fra', 'warning', 'connection lost: showing the last known state (connect ECONNREFUSED\uFFFD[0m)'],
      ['fra', 'critical', 'unreachable'],
      ['fra', 'ok', 'live again'],
      ['ams', 'critical', 'credentials expired: the API server answers 401'],
    ]);
    expect(s.timeline().every((e) => e.kind === 'site')).toBe(true);
  });

  it('writes alerts firing and resolved by fingerprint; ignores severity none, silenced ones and unconfigured sites', async () => {
    const s = await started();
    const down = alert('a', { severity: 'critical', summary: 'Node down', labels: { alertname: 'Alerta', node: 'fra-b-r07-u12' } });
    bus.emit('alerts.changed', alerts('fra', [down, alert('w', { name: 'Watchdog', severity: 'none' }), alert('m', { state: 'suppressed' })]));
    bus.emit('alerts.changed', alerts('fra', [down, alert('b')]));
    bus.emit('alerts.changed', alerts('fra', [alert('b')]));
    bus.emit('alerts.changed', alerts('ams', [alert('z')], false));
    expect(s.timeline().map((e) => [e.kind, e.site, e.level, e.text])).toEqual([
      ['alert', 'fra', 'critical', 'alert Alerta on fra-b-r07-u12 firing (critical): Node down'],
      ['alert', 'fra', 'warning', 'alert Alertb firing (warning)'],
      ['alert', 'fra', 'ok', 'alert Alerta on fra-b-r07-u12 resolved'],
    ]);
  });

  it('blanks tokens in the texts it quotes from the clusters: the war-room screens show them', async () => {
    const s = await started();
    bus.emit('site.status', status('fra', 'live'));
    bus.emit('site.status', status('fra', 'credentials-expired', { error: 'Unauthorized: Bearer abcdefghijklmnop0123 rejected' }));
    bus.emit('alerts.changed', alerts('fra', [alert('t', { summary: 'login with hvs.CAESIJ0123456789abcdefghij failed' })]));
    expect(s.timeline().map((e) => e.text)).toEqual(['credentials expired: the API server answers 401 (Unauthorized: [redacted] rejected)', 'alert Alertt firing (warning): login with [redacted] failed']);
    expect(await readFile(file(), 'utf8')).not.toMatch(/abcdefghijklmnop0123|hvs\./);
  });

  it('sums up an alert storm in one entry past ALERTS_PER_POLL', async () => {
    const s = await started();
    const many = Array.from({ length: 100 }, (_, i) => alert(`f${i}`, { severity: i === 99 ? 'critical' : 'warning' }));
    bus.emit('alerts.changed', alerts('dub', many));
    expect(s.timeline()).toHaveLength(ALERTS_PER_POLL);
    expect(s.timeline().at(-1)).toMatchObject({ level: 'critical', text: `${100 - ALERTS_PER_POLL + 1} more alerts firing` });
  });

  it('after a restart, does not write again the alerts that fired before its last entry', async () => {
    const s = await started();
    const old = alert('old');
    bus.emit('alerts.changed', alerts('fra', [old]));
    await s.close();
    clock += 60_000;
    const again = await started();
    bus.emit('alerts.changed', alerts('fra', [old, alert('new')]));
    expect(again.timeline().map((e) => e.text)).toEqual(['alert Alertold firing (warning)', 'alert Alertnew firing (warning)']);
  });

  it('writes a run started and its end once, with the outcome', async () => {
    const s = await started();
    bus.emit('runbook.status', run('r1', 'planned'));
    bus.emit('runbook.status', run('r1', 'running'));
    bus.emit('runbook.status', run('r1', 'waiting-confirm'));
    bus.emit('runbook.status', run('r1', 'failed', { error: 'eviction blocked by a PDB' }));
    bus.emit('runbook.status', run('r1', 'failed', { error: 'eviction blocked by a PDB' }));
    bus.emit('runbook.status', run('r2', 'running', { title: 'Cordon node' }));
    bus.emit('runbook.status', run('r2', 'succeeded', { title: 'Cordon node' }));
    expect(s.timeline().map((e) => [e.kind, e.site, e.level, e.text])).toEqual([
      ['runbook', 'fra', 'info', 'Runbook Drain rack r1 started by bob'],
      ['runbook', 'fra', 'critical', 'Runbook Drain rack r1 failed: eviction blocked by a PDB'],
      ['runbook', 'fra', 'info', 'Runbook Cordon node started by bob'],
      ['runbook', 'fra', 'ok', 'Runbook Cordon node succeeded'],
    ]);
  });

  it("tells a training scenario's story: started, faults played, goals met, ended — each once", async () => {
    const s = await started();
    const run = (over: Partial<TrainingRun>): TrainingStatus => ({
      available: true,
      run: { name: 'rack-power-loss', title: 'Rack power loss', briefing: '', startedAt: clock, target: { site: 'fra', rack: 'B-02' }, goals: [{ id: 'g1', text: 'Cordon rack B-02', met: false }], steps: [{ atMs: 0, fault: 'rack-power-loss' }], ...over },
    });
    bus.emit('training.status', run({}));
    bus.emit('training.status', run({ steps: [{ atMs: 0, fault: 'rack-power-loss', applied: { at: 2, ok: true, result: '8 nodes of rack B-02 at Frankfurt' } }] }));
    bus.emit('training.status', run({ steps: [{ atMs: 0, fault: 'rack-power-loss', applied: { at: 2, ok: true, result: '8 nodes of rack B-02 at Frankfurt' } }], goals: [{ id: 'g1', text: 'Cordon rack B-02', met: true }] }));
    bus.emit('training.status', run({ endedAt: 9, steps: [{ atMs: 0, fault: 'rack-power-loss', applied: { at: 2, ok: true, result: '8 nodes of rack B-02 at Frankfurt' } }], goals: [{ id: 'g1', text: 'Cordon rack B-02', met: true }] }));
    bus.emit('training.status', { available: true, run: null });
    // A scenario that began before this console started is followed from where it is, not told again.
    bus.emit('training.status', run({ name: 'older', startedAt: clock - 60_000, steps: [{ atMs: 0, fault: 'node-not-ready', applied: { at: 2, ok: true, result: 'x' } }] }));
    expect(s.timeline().map((e) => [e.kind, e.site, e.level, e.text])).toEqual([
      ['training', undefined, 'info', 'Training scenario Rack power loss started'],
      ['training', 'fra', 'warning', 'Training fault rack-power-loss: 8 nodes of rack B-02 at Frankfurt'],
      ['training', undefined, 'ok', 'Goal met: Cordon rack B-02'],
      ['training', undefined, 'info', 'Training scenario Rack power loss ended: 1 of 1 goals met'],
    ]);
  });

  it('stops following the bus when closed', async () => {
    const s = await started();
    await s.close();
    bus.emit('site.status', status('fra', 'unreachable'));
    expect(s.timeline()).toEqual([]);
  });
});

describe('alertLevel', () => {
  it('maps severities to levels; none is not news', () => {
    expect([alertLevel('critical'), alertLevel('page'), alertLevel('error'), alertLevel('warning'), alertLevel(undefined), alertLevel('info'), alertLevel('none')]).toEqual(['critical', 'critical', 'critical', 'warning', 'warning', 'info', undefined]);
  });
});
