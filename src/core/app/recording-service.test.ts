/**
 * RecordingService against a training fleet over HTTPS: recordings start,
 * progress, stop and list; files are private; a replay plays through the
 * fleet's control endpoint; the failures say what happened.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { ContractError, EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { RecordingInfo, ReplayStatus } from '../../shared/recording';
import { parseRecording } from '../../emulator/replay/format';
import { KubeHttp } from '../kube/http';
import { RecordingService, type RecordingServiceOptions } from './recording-service';

let t: TestFleet;
let dataDir: string;
const services: RecordingService[] = [];

function http(site: string): KubeHttp | undefined {
  if (!t.fleet.sites.some((s) => s.site.name === site)) return undefined;
  const kc = new KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  kc.setCurrentContext(site);
  return new KubeHttp(kc, kc.getCurrentCluster()?.server as string);
}

function service(o: Partial<RecordingServiceOptions> = {}): { svc: RecordingService; recordings: RecordingInfo[]; replays: ReplayStatus[] } {
  const bus = new EventBus<TriptychEvents>();
  const recordings: RecordingInfo[] = [];
  const replays: ReplayStatus[] = [];
  bus.tap((name, p) => {
    if (name !== 'recording.status') return;
    const e = p as TriptychEvents['recording.status'];
    if (e.recording) recordings.push(e.recording);
    if (e.replay) replays.push(e.replay);
  });
  const c = t.fleet.info.control;
  const svc = new RecordingService({ dataDir, bus, http, control: { url: c.address, token: c.token, caCert: t.fleet.tls.caCert }, pollMs: 100, ...o });
  services.push(svc);
  return { svc, recordings, replays };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ContractError);
  return { code: (e as ContractError).code, message: (e as ContractError).message };
}

beforeAll(async () => {
  t = await startTestFleet({ sites: 2, nodes: 6, podsPerNode: 4, seed: 'rec-svc' });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'triptych-recsvc-'));
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await t?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('RecordingService', () => {
  it('records a site until stopped, into a private file, lists it and replays it into another site', async () => {
    const { svc, recordings, replays } = service();
    const [fra, ams] = t.fleet.sites.map((s) => s.site.name) as [string, string];
    const started = await svc.start(fra, { minutes: 5 });
    expect(started).toMatchObject({ site: fra, state: 'recording' });
    expect(started.id).toMatch(new RegExp(`^${fra}-\\d{8}-\\d{6}Z\\.jsonl$`));
    expect(started.events).toBeGreaterThan(0);
    expect((await refusal(svc.start(fra, { minutes: 1 }))).message).toBe(`${fra} is already being recorded (${started.id}); stop that recording first`);
    // Two starts at once: one records, the other is refused (the check holds over the start's awaits).
    const both = await Promise.allSettled([svc.start(ams, { minutes: 1 }), svc.start(ams, { minutes: 1 })]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(both.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason).toMatchObject({ code: 'bad-request', message: `${ams} is already being recorded (it is starting); stop that recording first` });
    const second = both.find((r): r is PromiseFulfilledResult<RecordingInfo> => r.status === 'fulfilled')!.value;
    await svc.stop(second.id);
    const node = [...t.fleet.sites[0]!.site.idx.nodes.keys()][1]!;
    await t.fleet.faults.apply({ fault: 'node-not-ready', site: fra, node });
    await vi.waitFor(() => expect(recordings.at(-1)?.events).toBeGreaterThan(started.events), { timeout: 10_000 });
    expect((await refusal(svc.replay(started.id, { site: ams, speed: 10 }))).message).toMatch(/is still recording; stop it/);

    const stopped = await svc.stop(started.id);
    expect(stopped).toMatchObject({ id: started.id, state: 'done' });
    expect(recordings.at(-1)?.state).toBe('done');
    const dir = path.join(dataDir, 'recordings');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, started.id))).mode & 0o777).toBe(0o600);
    const listed = await svc.list();
    expect(listed.recordings.find((r) => r.id === started.id)).toMatchObject({ id: started.id, site: fra, state: 'done', events: stopped.events, logLines: stopped.logLines, bytes: stopped.bytes });
    expect(listed.recordings.find((r) => r.id === started.id)?.endedAt).toBeGreaterThanOrEqual(started.startedAt);
    expect((await refusal(svc.stop(started.id))).message).toMatch(new RegExp(`^${started.id} is not recording \\(it ended at `));
    expect(await refusal(svc.stop('nope.jsonl'))).toEqual({ code: 'not-found', message: 'no recording "nope.jsonl"' });

    const replay = await svc.replay(started.id, { site: ams, speed: 50 });
    expect(replay).toMatchObject({ recording: started.id, site: ams, state: 'playing', speed: 50 });
    await vi.waitFor(() => expect(replays.at(-1)?.state).toBe('done'), { timeout: 10_000 });
    expect(replays.at(-1)).toMatchObject({ applied: replays.at(-1)?.total });
    expect(t.fleet.sites[1]!.site.idx.nodes.has(node)).toBe(true);
    expect((await svc.list()).replay).toMatchObject({ recording: started.id, state: 'done' });

    expect(await refusal(svc.replay(started.id, { site: 'mars', speed: 1 }))).toEqual({ code: 'bad-request', message: `the training fleet refused the replay: no training site "mars"; sites: ${fra}, ${ams}` });
    expect(await refusal(svc.replay('nope.jsonl', { site: ams, speed: 1 }))).toMatchObject({ code: 'not-found' });
  });

  it('replays only in training mode, and says why', async () => {
    const { svc } = service({ control: undefined });
    expect(await refusal(svc.replay('x.jsonl', { site: 'fra', speed: 1 }))).toEqual({
      code: 'bad-request',
      message: 'replay plays into the training fleet, and this console is connected to configured clusters; start Triptych without sites configured to rehearse a recording',
    });
    expect(await refusal(svc.start('mars', { minutes: 1 }))).toEqual({ code: 'not-found', message: 'no site "mars" is connected; pick one of the sites shown in the overview' });
  });

  it('ends a recording that reaches its size limit as failed, with the reason in the file and the list', async () => {
    const { svc } = service({ maxBytes: 64 * 1024 });
    const site = t.fleet.sites[1]!.site.name;
    const r = await refusal(svc.start(site, { minutes: 1 }));
    expect(r.message).toMatch(new RegExp(`^recording ${site} failed at the start: the recording reached its size limit of 64 KiB after \\d+ s; it keeps everything up to then$`));
    const listed = (await svc.list()).recordings.find((x) => x.site === site && x.state === 'failed');
    expect(listed?.error).toMatch(/size limit of 64 KiB/);
    expect(listed?.bytes).toBeLessThanOrEqual(64 * 1024);
    const lines = (await readFile(path.join(dataDir, 'recordings', listed!.id), 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ end: { state: 'failed' } });
  });

  it('ends a recording whose site goes away as failed, keeping what it has', async () => {
    const { svc, recordings } = service({ giveUpMs: 1500 });
    const site = t.fleet.sites[1]!.site.name;
    const started = await svc.start(site, { minutes: 5 });
    await t.fleet.faults.apply({ fault: 'site-outage', site });
    try {
      await vi.waitFor(() => expect(recordings.at(-1)?.state).toBe('failed'), { timeout: 15_000 });
    } finally {
      await t.fleet.faults.apply({ fault: 'site-restore', site });
    }
    expect(recordings.at(-1)?.error).toMatch(/^the site stopped answering at .*; the recording keeps everything up to then$/);
    const listed = (await svc.list()).recordings.find((x) => x.id === started.id);
    expect(listed).toMatchObject({ state: 'failed', events: started.events });
    expect(listed!.events).toBeGreaterThan(0);
  });

  it('loses nothing to a 410 Expired: the watch relists and writes the difference as events', async () => {
    const { svc } = service();
    const site = t.fleet.sites[0]!.site;
    const started = await svc.start(site.name, { minutes: 5 });
    await t.fleet.faults.apply({ fault: 'watch-expiry-storm', site: site.name });
    // Changed while the watches are being re-established: only a relist can see it.
    const node = [...site.idx.nodes.keys()][2]!;
    await t.fleet.faults.apply({ fault: 'node-not-ready', site: site.name, node });
    const file = path.join(dataDir, 'recordings', started.id);
    await vi.waitFor(
      async () => {
        const text = await readFile(file, 'utf8');
        const ev = text.split('\n').filter((l) => l.includes('"type":"MODIFIED","resource":"nodes"') && l.includes(`"name":"${node}"`));
        expect(ev.some((l) => /"type":"Ready","status":"Unknown"/.test(l))).toBe(true);
      },
      { timeout: 10_000 },
    );
    await svc.stop(started.id);
    const rec = parseRecording(await readFile(file, 'utf8'), started.id);
    const last = rec.events.filter((e) => e.resource === 'nodes' && e.object.metadata.name === node).at(-1);
    expect(JSON.stringify(last?.object)).toMatch(/"type":"Ready","status":"Unknown"/);
  });
});
