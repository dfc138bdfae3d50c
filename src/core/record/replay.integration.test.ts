/**
 * The proof of record and replay, over real HTTPS: a site of one training
 * fleet is recorded by the console's recorder while faults happen; the file
 * is replayed (through the control endpoint) into a site of a second fleet,
 * which is recorded in turn; per object, the sequence of states the replay
 * produced equals the sequence recorded. kubectl reads the replayed state.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceFor } from '../../emulator/api/resources';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { parseRecording, type ObjectEntry, type Recording } from '../../emulator/replay/format';
import { KubeHttp } from '../kube/http';
import { Recorder, type RecorderStatus } from './recorder';

let a: TestFleet;
let b: TestFleet;
let c: TestFleet | undefined;
let dir: string;
const SPEED = 20;

function httpFor(t: TestFleet, context: string): KubeHttp {
  const kc = new KubeConfig();
  kc.loadFromFile(t.kubeconfig);
  kc.setCurrentContext(context);
  return new KubeHttp(kc, kc.getCurrentCluster()?.server as string);
}

function control(t: TestFleet, method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const c = t.fleet.info.control;
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(p, c.address), { method, ca: t.fleet.tls.caCert, headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test projections of raw Kubernetes JSON

/** What an admin sees of an object: the states the replay must reproduce. */
function project(resource: string, o: Any): string {
  const cond = (type: string): string => (o.status?.conditions ?? []).find((c: Any) => c.type === type)?.status ?? '-';
  switch (resource) {
    case 'nodes':
      return `ready=${cond('Ready')} unschedulable=${Boolean(o.spec?.unschedulable)}`;
    case 'pods': {
      const restarts = (o.status?.containerStatuses ?? []).reduce((n: number, c: Any) => n + (c.restartCount ?? 0), 0);
      const waiting = (o.status?.containerStatuses ?? []).map((c: Any) => c.state?.waiting?.reason ?? '').join(',');
      return `phase=${o.status?.phase} ready=${cond('Ready')} restarts=${restarts} waiting=${waiting} node=${o.spec?.nodeName ?? ''} terminating=${Boolean(o.metadata.deletionTimestamp)}`;
    }
    case 'deployments':
      return `image=${(o.spec?.template?.spec?.containers ?? []).map((c: Any) => c.image).join(',')} replicas=${o.spec?.replicas} ready=${o.status?.readyReplicas ?? 0}`;
    case 'replicasets':
      return `replicas=${o.spec?.replicas} ready=${o.status?.readyReplicas ?? 0}`;
    case 'events':
      return `${o.reason} count=${o.count ?? 1}`;
    default:
      return 'exists';
  }
}

function collapse(seq: string[]): string[] {
  return seq.filter((s, i) => i === 0 || s !== seq[i - 1]);
}

const keyOf = (e: ObjectEntry): string => `${e.resource}:${e.object.metadata.namespace ?? ''}/${e.object.metadata.name}`;
const stateOf = (e: ObjectEntry): string => (e.type === 'DELETED' ? 'deleted' : project(e.resource, e.object as Any));

/** Per object, the recorded sequence of states: the initial state, then each event's. */
function sequences(rec: Recording): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of [...rec.initial, ...rec.events]) {
    const k = keyOf(e);
    out.set(k, [...(out.get(k) ?? []), stateOf(e)]);
  }
  for (const [k, v] of out) out.set(k, collapse(v));
  return out;
}

/**
 * The same from the replay site's recording, taking only what the replay did: changes after
 * `from` up to `to` (the site's resourceVersions around the replay). An object the replay
 * loaded unchanged shows no event then: its state before counts when it is the recorded one.
 */
function replayedSequences(rec: Recording, from: number, to: number, expected: Map<string, string[]>): Map<string, string[]> {
  const before = new Map<string, string>();
  const after = new Map<string, string[]>();
  for (const e of [...rec.initial, ...rec.events]) {
    const rv = Number(e.object.metadata.resourceVersion);
    const k = keyOf(e);
    if (e.type === 'INITIAL' || rv <= from) before.set(k, stateOf(e));
    else if (rv <= to) after.set(k, [...(after.get(k) ?? []), stateOf(e)]);
  }
  const out = new Map<string, string[]>();
  for (const k of expected.keys()) {
    const pre = before.get(k);
    const seq = after.get(k) ?? [];
    // The load replaces an object of the same name but another uid: it goes first.
    if (seq[0] === 'deleted' && seq.length > 1) seq.shift();
    out.set(k, collapse(pre !== undefined && pre === expected.get(k)?.[0] ? [pre, ...seq] : seq));
  }
  return out;
}

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  [a, b] = await Promise.all([startTestFleet({ sites: 1, nodes: 10, podsPerNode: 6, seed: 'rec-a' }), startTestFleet({ sites: 2, nodes: 8, podsPerNode: 5, seed: 'rec-b' })]);
  dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-rec-'));
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), c?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('record and replay', () => {
  it('a replay reproduces the recorded sequence of states, and kubectl reads the replayed state', async () => {
    const src = a.fleet.sites[0]!.site;
    const file = path.join(dir, 'incident.jsonl');
    const recorder = new Recorder({ http: httpFor(a, src.name), site: src.name, file, durationMs: 120_000 });
    await recorder.start();

    // Faults while recording: a node stops reporting, a rollout crashloops, a container restarts, the node returns.
    const pods = [...src.idx.pods.values()];
    // A worker with the most pods of Deployments on it: they are evicted and replaced elsewhere.
    const movable = (n: string): number => pods.filter((p) => p.node === n && p.ownerKind === 'ReplicaSet').length;
    const node = [...src.idx.nodes.values()].filter((n) => !('node-role.kubernetes.io/control-plane' in n.labels)).sort((x, y) => movable(y.name) - movable(x.name))[0]!;
    const deploy = [...src.store.all(resourceFor('apps', 'deployments'))]
      .map((v) => JSON.parse(v.json) as Any)
      .find((d) => d.metadata.namespace !== 'kube-system' && (d.spec.replicas ?? 1) >= 2)!;
    const restartPod = pods.find((p) => p.node !== node.name && p.ready && !p.name.startsWith(deploy.metadata.name))!;
    await a.fleet.faults.apply({ fault: 'node-not-ready', site: src.name, node: node.name });
    await a.fleet.faults.apply({ fault: 'bad-rollout', site: src.name, namespace: deploy.metadata.namespace, deployment: deploy.metadata.name });
    await a.fleet.faults.apply({ fault: 'container-restart', site: src.name, namespace: restartPod.ns, pod: restartPod.name });
    await until('a crashlooping pod with recorded log lines', () => recorder.status().logLines > 0);
    await new Promise((r) => setTimeout(r, 3500)); // past nodeEvictionMs (3 s): the node's pods are evicted and replaced
    await a.fleet.faults.apply({ fault: 'node-ready', site: src.name, node: node.name });
    await until('the node Ready again in the recording', () => recorder.status().events > 0 && src.idx.nodes.get(node.name)?.ready);
    await new Promise((r) => setTimeout(r, 1000));
    const recorded: RecorderStatus = await recorder.stop();
    expect(recorded.state).toBe('done');

    const text = await readFile(file, 'utf8');
    const rec = parseRecording(text, 'incident.jsonl');
    expect(rec.end?.state).toBe('done');
    expect(rec.events.length).toBeGreaterThan(50);
    expect(rec.logs.length).toBe(recorded.logLines);
    // Nothing secret went in: no managedFields, no env values, no Secrets.
    expect(text).not.toContain('"managedFields"');
    expect(text).not.toContain('last-applied-configuration');
    expect(rec.initial.concat(rec.events).some((e) => (e.object as Any).kind === 'Secret')).toBe(false);
    const expected = sequences(rec);

    // Replay into the second fleet's second site at SPEED×, recording that site meanwhile.
    const target = b.fleet.sites[1]!.site;
    const file2 = path.join(dir, 'replayed.jsonl');
    const recorder2 = new Recorder({ http: httpFor(b, target.name), site: target.name, file: file2, durationMs: 120_000 });
    await recorder2.start();
    const started = await control(b, 'POST', '/v1/replay', { file, site: target.name, speed: SPEED });
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    expect(target.paused).toBeTruthy();
    const done = await until('the replay to end', async () => {
      const r = (await control(b, 'GET', '/v1/replay')).json.replay as Any;
      return r.state !== 'playing' && r;
    });
    expect(done).toMatchObject({ state: 'done', applied: rec.events.length, total: rec.events.length, speed: SPEED });
    expect(target.paused).toBeUndefined();
    // The replay took the recording's time divided by SPEED (plus loading), not the recording's time.
    expect(done.endedAt - done.startedAt).toBeLessThan(rec.durationMs / SPEED + 5000);
    await until('the replay site recording to catch up', () => [...target.store.all(resourceFor('', 'nodes'))].length > 0 && recorder2.status().events > 0);
    await new Promise((r) => setTimeout(r, 1000));
    await recorder2.stop();
    const replayed = replayedSequences(parseRecording(await readFile(file2, 'utf8'), 'replayed.jsonl'), Number(done.fromResourceVersion), Number(done.toResourceVersion), expected);

    const changed = [...expected.values()].filter((s) => s.length > 1).length;
    console.warn(`record/replay: ${expected.size} objects, ${changed} with state changes, ${rec.events.length} events, ${rec.logs.length} log lines, ${text.length} bytes; replay ${done.endedAt - done.startedAt} ms for ${rec.durationMs} ms recorded`);
    expect(changed).toBeGreaterThan(50);
    // The node's Deployment pods were evicted (deleted) and replaced (added, scheduled, started) elsewhere.
    const evicted = [...expected].filter(([k, s]) => k.startsWith('pods:') && s.at(-1) === 'deleted' && s.some((x) => x.includes(`node=${node.name} `)));
    const replacements = [...expected].filter(([k, s]) => k.startsWith('pods:') && s[0]?.startsWith('phase=Pending') && s.at(-1)?.startsWith('phase=Running ready=True'));
    expect(evicted.length).toBeGreaterThan(3);
    expect(replacements.length).toBeGreaterThan(3);
    // Each fault is in the recording: the node went NotReady and came back, the rollout changed the image, a container restarted.
    expect(expected.get(`nodes:/${node.name}`)).toEqual(expect.arrayContaining(['ready=Unknown unschedulable=false', 'ready=True unschedulable=false']));
    expect(new Set(expected.get(`deployments:${deploy.metadata.namespace}/${deploy.metadata.name}`)?.map((s) => s.split(' ')[0])).size).toBe(2);
    expect(expected.get(`pods:${restartPod.ns}/${restartPod.name}`)?.some((s) => /restarts=[1-9]/.test(s))).toBe(true);
    expect(Object.fromEntries(replayed)).toEqual(Object.fromEntries(expected));

    // Handed back, the site's simulation takes over from the replayed state without starting rollouts of its own
    // (the recorded templates lost their env values; the ReplicaSets that run them are still theirs).
    await new Promise((r) => setTimeout(r, 1000));
    const liveRs = [...expected].filter(([k, s]) => k.startsWith('replicasets:') && s.at(-1) !== 'deleted').map(([k]) => k.slice('replicasets:'.length)).sort();
    expect([...target.store.all(resourceFor('apps', 'replicasets'))].map((v) => v.key).sort()).toEqual(liveRs);
    // Nor does it replace DaemonSet or StatefulSet pods whose templates hash otherwise now: every recorded pod is still there.
    const livePods = [...expected].filter(([k, s]) => k.startsWith('pods:') && s.at(-1) !== 'deleted').map(([k]) => k.slice('pods:'.length));
    const podsNow = new Set([...target.store.all(resourceFor('', 'pods'))].map((v) => v.key));
    expect(livePods.filter((k) => !podsNow.has(k))).toEqual([]);

    // kubectl, an independent client, reads the replayed state.
    const img = await b.kubectl(['get', 'deployment', '-n', deploy.metadata.namespace, deploy.metadata.name, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'], { context: target.name });
    expect(img.stderr).toBe('');
    expect(img.stdout).toBe((await a.kubectl(['get', 'deployment', '-n', deploy.metadata.namespace, deploy.metadata.name, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout);
    const nodes = await b.kubectl(['get', 'nodes', '-o', 'name'], { context: target.name });
    expect(nodes.stdout).toContain(`node/${node.name}`);
    const log = rec.logs.find((l) => target.store.get(resourceFor('', 'pods'), l.namespace, l.pod))!;
    expect(log).toBeDefined();
    const out = await b.kubectl(['logs', '-n', log.namespace, log.pod, '-c', log.container], { context: target.name });
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(log.line);
  });

  it('handed back after a replay into the same site that ended as a node came back, the site is as healthy as before', async () => {
    // The e2e fleet's timing: a node out for a moment keeps its pods (no eviction).
    c = await startTestFleet({ sites: 1, nodes: 10, podsPerNode: 6, seed: 'rec-c', timing: { podStartMs: 200, podStopMs: 100, nodeEvictionMs: 40_000, crashAfterMs: 500 } });
    const site = c.fleet.sites[0]!.site;
    /** Deployments short of available replicas and PDBs that allow no disruption: what a drain runs into. */
    const unhealthy = (): string[] => [
      ...[...site.store.all(resourceFor('apps', 'deployments'))]
        .map((v) => JSON.parse(v.json) as Any)
        .filter((d) => (d.status?.availableReplicas ?? 0) !== (d.spec.replicas ?? 1))
        .map((d) => `deployment ${d.metadata.namespace}/${d.metadata.name}`),
      ...[...site.store.all(resourceFor('policy', 'poddisruptionbudgets'))]
        .map((v) => JSON.parse(v.json) as Any)
        .filter((p) => (p.status?.disruptionsAllowed ?? 0) < 1)
        .map((p) => `pdb ${p.metadata.namespace}/${p.metadata.name}`),
    ].sort();
    const before = await until('the site to settle', async () => {
      const u = unhealthy();
      await new Promise((r) => setTimeout(r, 500));
      return JSON.stringify(u) === JSON.stringify(unhealthy()) && u;
    });

    // Recorded across a node going NotReady and back.
    const file = path.join(dir, 'node-back.jsonl');
    const recorder = new Recorder({ http: httpFor(c, site.name), site: site.name, file, durationMs: 120_000 });
    await recorder.start();
    const node = [...site.idx.nodes.values()].find((n) => !('node-role.kubernetes.io/control-plane' in n.labels) && site.idx.podsOn(n.name).some((p) => p.ownerKind === 'ReplicaSet'))!.name;
    await c.fleet.faults.apply({ fault: 'node-not-ready', site: site.name, node });
    await until('the node NotReady in the recording', () => recorder.status().events > 0 && [...site.idx.podsOn(node)].some((p) => !p.ready));
    await new Promise((r) => setTimeout(r, 300));
    await c.fleet.faults.apply({ fault: 'node-ready', site: site.name, node });
    await until('the node and its pods Ready again', () => site.idx.podsOn(node).every((p) => p.ready || p.terminating));
    await new Promise((r) => setTimeout(r, 500));
    await recorder.stop();

    // The same recording cut where the kubelet reported Ready, before the node lifecycle controller lifted its
    // taints and the pods' status caught up: a stop pressed a moment earlier, or events still on the wire.
    const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
    let down = false;
    const at = lines.findIndex((l) => {
      const v = JSON.parse(l) as Any;
      if (v.resource !== 'nodes' || v.object?.metadata?.name !== node) return false;
      const ready = (v.object.status?.conditions ?? []).find((x: Any) => x.type === 'Ready')?.status;
      if (ready !== 'True') down = true;
      return down && ready === 'True';
    });
    expect(at).toBeGreaterThan(0);
    const cut = path.join(dir, 'node-back-cut.jsonl');
    await writeFile(cut, `${lines.slice(0, at + 1).join('\n')}\n${JSON.stringify({ t: (JSON.parse(lines[at]!) as Any).t, end: { state: 'done' } })}\n`);
    const rec = parseRecording(await readFile(cut, 'utf8'), 'node-back-cut.jsonl');
    const last = new Map<string, Any | undefined>();
    for (const e of [...rec.initial, ...rec.events]) if (e.resource === 'pods') last.set(keyOf(e), e.type === 'DELETED' ? undefined : e.object);
    const notReady = [...last.values()].filter((o) => o?.spec?.nodeName === node && (o.status?.conditions ?? []).some((x: Any) => x.type === 'Ready' && x.status === 'False'));
    expect(notReady.length, 'the cut recording ends with the node Ready and its pods still marked not ready').toBeGreaterThan(0);

    for (const f of [cut, file]) {
      const started = await control(c, 'POST', '/v1/replay', { file: f, site: site.name, speed: 50 });
      expect(started.status, JSON.stringify(started.json)).toBe(200);
      const done = await until('the replay to end', async () => {
        const r = (await control(c!, 'GET', '/v1/replay')).json.replay as Any;
        return r.state !== 'playing' && r;
      });
      expect(done.state).toBe('done');
      expect(site.paused).toBeUndefined();
      // Handed back, the controllers and kubelets take the site over: every Deployment available, every PDB allowing
      // disruptions again, as before the replay, within seconds.
      await until(`${path.basename(f)}: the site as healthy as before the replay (at hand-back: ${unhealthy().join(', ')})`, () => JSON.stringify(unhealthy()) === JSON.stringify(before), 5000);
      expect(site.idx.nodes.get(node)?.taints).toEqual([]);
    }
  });
});
