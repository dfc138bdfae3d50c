/**
 * The replay routes' refusals, and a replay stopped half-way: the site's
 * simulation is paused while it plays and resumes when it is stopped.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../testing/fleet-fixture';
import { ReplayError } from './control';

let t: TestFleet;
let dir: string;

beforeAll(async () => {
  t = await startTestFleet({ sites: 1, nodes: 4, podsPerNode: 3, seed: 'replay-control' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-replay-'));
});
afterAll(async () => {
  await t?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const header = { format: 'triptych-recording', version: 1, site: 'far', server: 'https://far.example', startedAt: '2026-11-28T10:00:00Z' };
const node = (name: string, ready: string): object => ({ kind: 'Node', apiVersion: 'v1', metadata: { name, uid: `uid-${name}` }, spec: {}, status: { conditions: [{ type: 'Ready', status: ready }] } });

async function refused(body: Record<string, unknown>): Promise<string> {
  const e = await t.fleet.control.replays.start(body as never).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReplayError);
  return (e as Error).message;
}

describe('replay control', () => {
  it('refuses what it cannot play, saying why', async () => {
    expect(await refused({ file: 'rec.jsonl', site: 'fra' })).toBe('"file" must be the absolute path of a recording (.jsonl) on the fleet\'s machine');
    expect(await refused({ file: '/tmp/rec.json', site: 'fra' })).toBe('"rec.json" is not a recording: recordings are .jsonl files');
    expect(await refused({ file: '/tmp/rec.jsonl', site: 'fra', speed: 0 })).toBe('"speed" must be a number from 0.1 to 1000 (1 = as recorded), found 0');
    expect(await refused({ file: '/tmp/rec.jsonl', site: 'nowhere' })).toBe('no training site "nowhere"; sites: fra');
    expect(await refused({ file: path.join(dir, 'missing.jsonl'), site: 'fra' })).toBe(`cannot read ${path.join(dir, 'missing.jsonl')}: no such file`);
    const bad = path.join(dir, 'bad.jsonl');
    await writeFile(bad, `${JSON.stringify(header)}\n{"t":1,"type":"ADDED","resource":"secrets","object":{"metadata":{"name":"x"}}}\n`);
    expect(await refused({ file: bad, site: 'fra' })).toMatch(/^bad\.jsonl:2: "resource" "secrets" is not one a recording holds/);
  });

  it('pauses the site while playing, replaces its nodes with the recorded ones, and resumes it when stopped', async () => {
    const file = path.join(dir, 'slow.jsonl');
    const lines = [header, { t: 0, type: 'INITIAL', resource: 'nodes', object: node('far-1', 'True') }, { t: 100, type: 'MODIFIED', resource: 'nodes', object: node('far-1', 'Unknown') }, { t: 3_600_000, type: 'MODIFIED', resource: 'nodes', object: node('far-1', 'True') }];
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const site = t.fleet.site('fra').site;
    const started = await t.fleet.control.replays.start({ file, site: 'fra', speed: 10 });
    expect(started).toMatchObject({ recording: 'slow.jsonl', site: 'fra', state: 'playing', applied: 0, total: 2, speed: 10 });
    expect(site.paused).toBe('replay of slow.jsonl');
    expect([...site.idx.nodes.keys()]).toEqual(['far-1']);
    const r = await t.kubectl(['get', 'nodes', '-o', 'name']);
    expect(r.stdout.trim()).toBe('node/far-1');
    await expect.poll(() => t.fleet.control.replays.status()?.applied).toBe(1);
    expect(site.idx.nodes.get('far-1')?.ready).toBe(false);
    expect(t.fleet.control.replays.stop()).toMatchObject({ state: 'stopped', applied: 1, total: 2 });
    expect(site.paused).toBeUndefined();
  });
});
