/**
 * collect() on small literal views: the edge cases the training fleet does
 * not produce on demand (an init container crashlooping, a bare pod, a
 * lapsed Lease, Leases that never answer, runs refused or aborted, a site
 * down). The scripted shift covers the real fleet.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditRecord } from '../../shared/audit';
import type { EventView, NodeView, PodView, WorkloadView } from '../../shared/model';
import { collect } from './collect';
import type { HandoverSources, MaintenanceInfo } from './sources';

const T0 = Date.parse('2026-11-28T08:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function node(name: string, o: Partial<NodeView> = {}): NodeView {
  return { name, rack: 'A-01', ready: 'True', unschedulable: false, pressure: [], taints: [], roles: [], kubeletVersion: 'v1.32.0', internalIP: '', podsAllocatable: 110, cpuAllocatableMillis: 8000, createdAt: '', ...o };
}
function pod(name: string, o: Partial<PodView> = {}): PodView {
  return { namespace: 'shop', name, node: 'n1', phase: 'Running', status: 'CrashLoopBackOff', readyContainers: 0, containers: 1, restarts: 3, ownerKind: '', ownerName: '', podIP: '', createdAt: '', terminating: false, ...o };
}
function event(name: string, lastSeen: number, o: Partial<EventView> = {}): EventView {
  return { namespace: 'shop', name, type: 'Warning', reason: 'BackOff', message: name, objectKind: 'Pod', objectName: name, count: 1, lastSeen: iso(lastSeen).replace(/\.\d+Z$/, 'Z'), ...o };
}
let seq = 0;
function entry(at: number, r: AuditRecord): AuditEntry {
  seq++;
  return { ...r, seq, at: iso(at), prev: '0'.repeat(64), hash: String(seq).padStart(64, '0') };
}

interface Site {
  reachable?: boolean;
  nodes?: NodeView[];
  pods?: PodView[];
  workloads?: WorkloadView[];
  events?: EventView[];
  maintenance?: () => Promise<readonly MaintenanceInfo[]>;
}

function sources(sites: Record<string, Site>, audit: AuditEntry[] = []): HandoverSources {
  const s = (id: string): Site => sites[id] ?? {};
  return {
    sites: () => Object.keys(sites).map((id) => ({ id, name: id.toUpperCase() })),
    reachable: (id) => s(id).reachable !== false,
    nodes: (id) => s(id).nodes ?? [],
    pods: (id) => s(id).pods ?? [],
    workloads: (id) => s(id).workloads ?? [],
    events: (id) => s(id).events ?? [],
    maintenance: (id) => s(id).maintenance?.() ?? Promise.resolve([]),
    audit: (since) => audit.filter((e) => Date.parse(e.at) >= since),
  };
}

describe('collect', () => {
  it('groups crashlooping pods by workload: Deployment by pod-template-hash, other owners, bare pods, init containers', async () => {
    const pods = [
      pod('web-abc-1', { ownerKind: 'ReplicaSet', ownerName: 'web-abc', deployment: 'web', restarts: 5 }),
      pod('web-abc-2', { ownerKind: 'ReplicaSet', ownerName: 'web-abc', deployment: 'web', restarts: 7, status: 'Init:CrashLoopBackOff' }),
      pod('web-abc-3', { ownerKind: 'ReplicaSet', ownerName: 'web-abc', deployment: 'web', status: 'Running' }),
      pod('db-0', { ownerKind: 'StatefulSet', ownerName: 'db' }),
      pod('orphan-rs-x', { ownerKind: 'ReplicaSet', ownerName: 'orphan-rs' }),
      pod('debug', {}),
      pod('going', { ownerKind: 'StatefulSet', ownerName: 'db', terminating: true }),
    ];
    const workloads: WorkloadView[] = [{ kind: 'Deployment', namespace: 'shop', name: 'web', desired: 3, ready: 1, updated: 3, available: 1, generation: 2, observedGeneration: 2 }];
    const r = await collect(sources({ fra: { pods, workloads } }), { by: 'alice', now: T0 });
    expect(r.sites[0]?.crashloops).toEqual([
      { namespace: 'shop', kind: 'Deployment', name: 'web', pods: 2, restarts: 12, ready: 1, desired: 3 },
      { namespace: 'shop', kind: 'Pod', name: 'debug', pods: 1, restarts: 3 },
      { namespace: 'shop', kind: 'ReplicaSet', name: 'orphan-rs', pods: 1, restarts: 3 },
      { namespace: 'shop', kind: 'StatefulSet', name: 'db', pods: 1, restarts: 3 },
    ]);
  });

  it('reports nodes NotReady (dated by the node controller) and cordoned (with who and why when Triptych cordoned them)', async () => {
    const nodes = [
      node('n1', { ready: 'Unknown' }),
      node('n2', { ready: 'False', rack: 'A-02' }),
      node('n3', { unschedulable: true, cordon: { by: 'alice', reason: 'PSU swap', at: '2026-11-28T07:00:00Z' } }),
      node('n4', { unschedulable: true }),
      node('n5'),
    ];
    const events = [
      event('nr1', T0 - 600_000, { type: 'Normal', reason: 'NodeNotReady', objectKind: 'Node', objectName: 'n1' }),
      event('nr2', T0 - 60_000, { type: 'Normal', reason: 'NodeNotReady', objectKind: 'Node', objectName: 'n1' }),
    ];
    const previous = await collect(sources({ fra: { nodes: [node('n2', { ready: 'False', rack: 'A-02' })] } }), { by: 'bob', now: T0 - 3600_000 });
    previous.sites[0]?.notReadyNodes.splice(0, 1, { name: 'n2', rack: 'A-02', ready: 'False', since: '2026-11-28T06:00:00Z' });
    const r = await collect(sources({ fra: { nodes, events } }), { by: 'alice', now: T0, previous });
    expect(r.sites[0]?.notReadyNodes).toEqual([
      { name: 'n1', rack: 'A-01', ready: 'Unknown', since: iso(T0 - 60_000).replace(/\.\d+Z$/, 'Z') },
      // Its event expired; the previous handover knew when.
      { name: 'n2', rack: 'A-02', ready: 'False', since: '2026-11-28T06:00:00Z' },
    ]);
    expect(r.sites[0]?.cordonedNodes).toEqual([
      { name: 'n3', rack: 'A-01', by: 'alice', reason: 'PSU swap', at: '2026-11-28T07:00:00Z' },
      { name: 'n4', rack: 'A-01' },
    ]);
  });

  it('lists the warning events of the shift only, newest first and capped, counting them all', async () => {
    const start = T0 - 3600_000 + 400;
    const events = [
      event('before', start - 1000),
      // The second the shift started in counts: event times have no milliseconds.
      event('same-second', start - 400),
      event('normal', T0 - 1000, { type: 'Normal' }),
      event('no-time', 0, { lastSeen: '' }),
      ...Array.from({ length: 5 }, (_, i) => event(`e${i}`, T0 - 60_000 * (i + 1))),
    ];
    const r = await collect(sources({ fra: { events } }), { by: 'alice', now: T0, start, maxEvents: 3 });
    expect(r.shiftStart).toBe(iso(start));
    expect(r.sites[0]?.warningEvents.map((e) => e.object)).toEqual(['Pod/e0', 'Pod/e1', 'Pod/e2']);
    expect(r.sites[0]?.warningEventsTotal).toBe(6);
  });

  it('leaves lapsed maintenance out and reports Leases it could not read as a problem of the site', async () => {
    const never = (): Promise<readonly MaintenanceInfo[]> => new Promise(() => undefined);
    const r = await collect(
      sources({
        fra: { maintenance: async () => [{ scope: 'rack/A-01', holder: 'alice', since: '2026-11-28T07:00:00Z', runbook: 'drain-rack', expired: false }, { scope: 'rack/B-01', holder: 'bob', since: '2026-11-28T01:00:00Z', expired: true }] },
        ams: { maintenance: () => Promise.reject(new Error('403 forbidden')) },
        par: { maintenance: never },
      }),
      { by: 'alice', now: T0, maintenanceTimeoutMs: 50 },
    );
    expect(r.sites.map((s) => [s.site, s.maintenance.map((m) => m.scope), s.problems])).toEqual([
      ['fra', ['rack/A-01'], []],
      ['ams', [], ['maintenance Leases could not be read: 403 forbidden']],
      ['par', [], ['maintenance Leases could not be read: no answer within 50 ms']],
    ]);
  });

  it('reports nothing but the fact for a site it cannot reach', async () => {
    let asked = false;
    const r = await collect(
      sources({
        fra: {
          reachable: false,
          nodes: [node('stale', { ready: 'Unknown' })],
          maintenance: async () => {
            asked = true;
            return [];
          },
        },
      }),
      { by: 'alice', now: T0 },
    );
    expect(r.sites[0]).toMatchObject({ reachable: false, notReadyNodes: [], problems: ['not reachable when the report was written: nothing is reported for this site'] });
    expect(asked).toBe(false);
  });

  it('rebuilds runbook runs from the audit trail of the shift', async () => {
    const start = T0 - 3600_000;
    const rb = (run: string, name = 'drain-node') => ({ run, name });
    const audit = [
      entry(start - 5000, { who: 'bob', verb: 'runbook.start', site: 'fra', result: 'ok', runbook: rb('old') }),
      entry(start + 1000, { who: 'bob', verb: 'drain', site: 'fra', result: 'ok', runbook: rb('old') }),
      entry(start + 2000, { who: 'bob', verb: 'runbook.end', site: 'fra', result: 'ok', runbook: rb('old') }),
      entry(start + 3000, { who: 'alice', verb: 'runbook.start', site: 'fra', result: 'ok', runbook: rb('r1', 'restart-service') }),
      entry(start + 4000, { who: 'alice', verb: 'rollout-restart', site: 'fra', result: 'ok', runbook: rb('r1', 'restart-service') }),
      entry(start + 5000, { who: 'alice', verb: 'rollout-restart', site: 'ams', result: 'failed', runbook: rb('r1', 'restart-service') }),
      entry(start + 6000, { who: 'alice', verb: 'runbook.end', site: 'ams', result: 'failed', runbook: rb('r1', 'restart-service'), data: { state: 'aborted' } }),
      entry(start + 7000, { who: 'carol', verb: 'runbook.start', site: 'ams', result: 'refused', detail: 'fra is degraded', runbook: rb('r2') }),
      entry(start + 8000, { who: 'carol', verb: 'cordon', site: 'ams', result: 'ok' }),
      entry(T0 + 1000, { who: 'dave', verb: 'runbook.start', site: 'ams', result: 'ok', runbook: rb('future') }),
    ];
    const r = await collect(sources({ fra: {} }, audit), { by: 'alice', now: T0, start });
    expect(r.runbooks).toEqual([
      // Started before the shift: no start time.
      { run: 'old', runbook: 'drain-node', site: 'fra', sites: ['fra'], who: 'bob', ended: iso(start + 2000), result: 'succeeded', actions: 1, failedActions: 0 },
      { run: 'r1', runbook: 'restart-service', site: 'fra', sites: ['fra', 'ams'], who: 'alice', started: iso(start + 3000), ended: iso(start + 6000), result: 'aborted', actions: 2, failedActions: 1 },
      { run: 'r2', runbook: 'drain-node', site: 'ams', sites: ['ams'], who: 'carol', started: iso(start + 7000), ended: iso(start + 7000), result: 'refused', actions: 0, failedActions: 0 },
    ]);
  });

  it('carries open notes over, closes the ones named, and refuses to close one that is not open', async () => {
    const first = await collect(sources({}), { by: 'bob', now: T0 - 3600_000, notes: ['one', { text: '  two\u202e\n\n\n\nlines  ' }, '   ', { text: 'fyi', open: false }] });
    expect(first.notes.map((n) => [n.id, n.text, n.open])).toEqual([
      [`${first.id}/1`, 'one', true],
      [`${first.id}/2`, 'two\n\nlines', true],
      [`${first.id}/3`, 'fyi', false],
    ]);
    const second = await collect(sources({}), { by: 'alice', now: T0, previous: first, close: [`${first.id}/1`], notes: ['three'] });
    expect(second.notes.map((n) => [n.id, n.open, n.by, n.closedBy])).toEqual([
      [`${first.id}/1`, false, 'bob', 'alice'],
      [`${first.id}/2`, true, 'bob', undefined],
      [`${second.id}/1`, true, 'alice', undefined],
    ]);
    expect(second.shiftStart).toBe(first.createdAt);
    await expect(collect(sources({}), { by: 'alice', now: T0, previous: first, close: [`${first.id}/3`] })).rejects.toThrow(/no open note/);
    const third = await collect(sources({}), { by: 'carol', now: T0 + 3600_000, previous: second });
    expect(third.notes.map((n) => n.id)).toEqual([`${first.id}/2`, `${second.id}/1`]);
  });

  it('names the report by its UTC second and dates the shift 12 hours back without a previous handover or a start', async () => {
    const r = await collect(sources({}), { by: 'alice', now: Date.parse('2026-01-02T03:04:05.678Z') });
    expect(r.id).toBe('handover-20260102-030405');
    expect(r.createdAt).toBe('2026-01-02T03:04:05.678Z');
    expect(r.shiftStart).toBe('2026-01-01T15:04:05.678Z');
    await expect(collect(sources({}), { by: '  ', now: T0 })).rejects.toThrow(/who hands over/);
    // Written on a workstation whose clock was ahead.
    const ahead = await collect(sources({}), { by: 'bob', now: T0 + 600_000 });
    expect((await collect(sources({}), { by: 'alice', now: T0, previous: ahead })).notices).toEqual([expect.stringMatching(/^The previous handover is dated .*, after this one: check the clocks/)]);
  });
});
