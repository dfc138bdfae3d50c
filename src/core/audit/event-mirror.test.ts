/**
 * Audit entries mirrored as Events at the training fleet, over HTTPS with
 * kubeconfig credentials: the Event a cordon leaves on its node (as the API
 * and kubectl show it), a failure as a Warning on a pod, a refusal that
 * neither throws nor retries, and a site that comes back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import type { AuditEntry } from '../../shared/audit';
import type { KubeHttp } from '../kube/http';
import { siteHttp } from '../logs/fleet-logs-fixture';
import { AuditLog } from './audit-log';
import { EventMirror, type EventMirrorOptions } from './event-mirror';
import type { KubeEvent } from './kube-event';

let t: TestFleet;
let site: string;
let operator: KubeHttp;
let viewer: KubeHttp;
let dir: string;
/** Any pod of the fleet's workloads. */
let pod: { name: string; namespace: string };

beforeAll(async () => {
  t = await startTestFleet({ sites: 1, nodes: 3 });
  site = t.fleet.sites[0]?.site.name as string;
  operator = siteHttp(t, site, 'operator');
  viewer = siteHttp(t, site, 'viewer');
  dir = mkdtempSync(path.join(os.tmpdir(), 'triptych-mirror-'));
  const pods = await operator.getJson<{ items: { metadata: { name: string; namespace: string } }[] }>('/api/v1/pods', { limit: 1 });
  pod = pods.items[0]?.metadata as { name: string; namespace: string };
});
afterAll(async () => {
  operator?.close();
  viewer?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A trail whose entries are mirrored through `http` at the fleet's site. */
function mirrored(http: KubeHttp, o: EventMirrorOptions = {}): { log: AuditLog; mirror: EventMirror } {
  const log = new AuditLog(path.join(dir, `${Math.random().toString(36).slice(2)}.jsonl`));
  const mirror = new EventMirror((s) => (s === site ? http : undefined), { instance: 'ws-alice-1a2b3c', ...o });
  log.onAppend((e) => mirror.mirror(e));
  return { log, mirror };
}

/** An Event as stored: with the name the server generated. */
type StoredEvent = KubeEvent & { metadata: { name: string } };

async function eventsFor(e: AuditEntry, namespace: string): Promise<StoredEvent[]> {
  const list = await operator.getJson<{ items: StoredEvent[] }>(`/api/v1/namespaces/${namespace}/events`, { fieldSelector: `reason=Triptych${e.verb[0]?.toUpperCase()}${e.verb.slice(1)},involvedObject.name=${e.object?.name}` });
  return list.items.filter((ev) => ev.metadata.annotations?.['triptych.io/audit-hash'] === e.hash);
}

describe('EventMirror against the training fleet', () => {
  it('leaves the Event of a node cordon on the node, in default, as the API and kubectl show it', async () => {
    const nodes = await operator.getJson<{ items: { metadata: { name: string; uid: string } }[] }>('/api/v1/nodes');
    const node = nodes.items[0]?.metadata as { name: string; uid: string };
    await operator.send('PATCH', `/api/v1/nodes/${node.name}`, { body: { spec: { unschedulable: true } }, contentType: 'application/merge-patch+json' });
    const { log, mirror } = mirrored(operator);

    const entry = log.append({ who: 'userpass-alice', verb: 'cordon', site, object: { kind: 'Node', name: node.name }, result: 'ok', detail: 'PSU swap in rack B-07' });
    await mirror.settled();

    expect(mirror.stats).toEqual({ mirrored: 1, failed: 0, pending: 0, lastError: undefined });
    const [ev, ...more] = await eventsFor(entry, 'default');
    expect(more).toEqual([]);
    expect(ev).toMatchObject({
      metadata: { namespace: 'default', annotations: { 'triptych.io/audit-seq': '1' } },
      involvedObject: { kind: 'Node', name: node.name, apiVersion: 'v1', uid: node.uid },
      reason: 'TriptychCordon',
      message: 'userpass-alice cordon ok: PSU swap in rack B-07',
      type: 'Normal',
      action: 'Cordon',
      source: { component: 'triptych' },
      reportingComponent: 'triptych.io/console',
      reportingInstance: 'ws-alice-1a2b3c',
      count: 1,
      firstTimestamp: entry.at.replace(/\.\d+Z$/, 'Z'),
      eventTime: entry.at.replace(/Z$/, '000Z'),
    });
    expect(ev?.involvedObject).not.toHaveProperty('namespace');
    expect(ev?.metadata.name.startsWith(`${node.name}.triptych-`)).toBe(true);

    const listed = await t.kubectl(['get', 'events', '-n', 'default', '--field-selector', 'reason=TriptychCordon']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`node/${node.name}`);
    expect(listed.stdout).toContain('userpass-alice cordon ok: PSU swap in rack B-07');
    // describe finds a node's events by its uid: the reason the mirror reads it first.
    const described = await t.kubectl(['describe', 'node', node.name]);
    expect(described.stdout).toMatch(/Normal\s+TriptychCordon\s+.*userpass-alice cordon ok: PSU swap in rack B-07/);
  });

  it("records a failure as a Warning on the pod, in the pod's namespace, its message cut to 1 KiB", async () => {
    const { log, mirror } = mirrored(operator);
    const entry = log.append({ who: 'userpass-bob', verb: 'evict', site, object: { kind: 'Pod', namespace: pod.namespace, name: pod.name }, result: 'failed', detail: `Cannot evict pod as it would violate the pod's disruption budget. ${'é'.repeat(2000)}`, runbook: { run: 'r-17', name: 'drain-rack', step: '3' } });
    await mirror.settled();

    const [ev] = await eventsFor(entry, pod.namespace);
    expect(ev).toMatchObject({ type: 'Warning', reason: 'TriptychEvict', involvedObject: { kind: 'Pod', namespace: pod.namespace, name: pod.name, apiVersion: 'v1', uid: expect.any(String) } });
    expect(ev?.message.startsWith("userpass-bob evict failed (runbook drain-rack, step 3, run r-17): Cannot evict pod as it would violate the pod's disruption budget. éé")).toBe(true);
    expect(ev?.message.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(ev?.message ?? '')).toBeLessThanOrEqual(1024);
    expect(Buffer.byteLength(ev?.message ?? '')).toBeGreaterThan(1000);
  });

  it('counts a mirror the site forbids (a viewer) without throwing or retrying, and the entry stays written', async () => {
    const retries: unknown[] = [];
    const failures: unknown[] = [];
    const { log, mirror } = mirrored(viewer, { onRetry: (_e, err) => retries.push(err), onFailure: (_e, err) => failures.push(err) });

    const entry = log.append({ who: 'userpass-carol', verb: 'cordon', site, object: { kind: 'Node', name: 'no-matter' }, result: 'refused', detail: 'not an operator' });
    await mirror.settled();

    expect(mirror.stats).toMatchObject({ mirrored: 0, failed: 1, pending: 0, lastError: { seq: 1, site, message: expect.stringMatching(/forbidden/i) } });
    expect(failures).toEqual([expect.objectContaining({ status: 403 })]);
    expect(retries).toEqual([]);
    expect(log.query()).toEqual([entry]);
  });

  it('does not mirror entries without a site or an object, and counts a site it has no connection to', async () => {
    const { log, mirror } = mirrored(operator);
    log.append({ who: 'userpass-alice', verb: 'runbook.start', result: 'ok', runbook: { run: 'r-1', name: 'drain-rack' } });
    expect(mirror.stats).toMatchObject({ mirrored: 0, failed: 0, pending: 0 });
    log.append({ who: 'userpass-alice', verb: 'cordon', site: 'nowhere', object: { kind: 'Node', name: 'n1' }, result: 'ok' });
    expect(mirror.stats).toMatchObject({ failed: 1, lastError: { site: 'nowhere', message: 'no connection to site "nowhere"' } });
  });

  it('retries while the site is unreachable and delivers once it is back; closing gives up on what still waits', async () => {
    const retried = (): { signal: Promise<void>; onRetry: () => void } => {
      let onRetry!: () => void;
      const signal = new Promise<void>((r) => (onRetry = r));
      return { signal, onRetry };
    };
    const patient = retried();
    const closing = retried();
    const backoff = { initialMs: 100, maxMs: 200, jitter: 0 };
    const { log, mirror } = mirrored(operator, { attempts: 50, backoff, onRetry: patient.onRetry });
    const other = mirrored(operator, { attempts: 50, backoff, onRetry: closing.onRetry });
    await t.fleet.faults.apply({ fault: 'site-outage', site });
    let entry: AuditEntry;
    try {
      entry = log.append({ who: 'userpass-alice', verb: 'uncordon', site, object: { kind: 'Node', name: 'fra-any' }, result: 'ok' });
      other.log.append({ who: 'userpass-alice', verb: 'uncordon', site, object: { kind: 'Node', name: 'fra-other' }, result: 'ok' });
      await Promise.all([patient.signal, closing.signal]);
      expect(mirror.stats).toMatchObject({ mirrored: 0, failed: 0, pending: 1 });
      await other.mirror.close(0);
      expect(other.mirror.stats).toMatchObject({ mirrored: 0, failed: 1, pending: 0 });
      other.log.append({ who: 'userpass-alice', verb: 'cordon', site, object: { kind: 'Node', name: 'fra-other' }, result: 'ok' });
      expect(other.mirror.stats).toMatchObject({ failed: 2, lastError: { seq: 2, message: 'not mirrored: the console is closing' } });
    } finally {
      await t.fleet.faults.apply({ fault: 'site-restore', site });
    }
    await mirror.settled();
    expect(mirror.stats).toMatchObject({ mirrored: 1, failed: 0, pending: 0 });
    expect(await eventsFor(entry, 'default')).toHaveLength(1);
  });
});
