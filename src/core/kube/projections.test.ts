import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableRow } from '../../emulator/api/tables';
import { Rng } from '../../emulator/rng';
import { generateSite } from '../../emulator/sim/generate';
import { buildPod, type PodState, type PodTemplate } from '../../emulator/sim/objects';
import type { KObject } from '../../emulator/types';
import { DEFAULT_LABELS as FLEET_PLACEMENT_LABELS } from '../config/defaults';
import {
  parseQuantity,
  projectEvent,
  projectNamespace,
  projectNode,
  projectPdb,
  projectPod,
  projectWorkload,
  type NodePlacement,
} from './projections';

const NOW = Date.parse('2026-03-10T09:30:00Z');
const site = generateSite({ site: 'fra', index: 0, seed: 'projections', now: NOW });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const clone = <T>(o: T): T => structuredClone(o);

/**
 * kubectl's columns for a pod, from the emulator's port of printers.go (the
 * same table the training fleet serves to kubectl): an independent oracle.
 */
function kubectlColumns(pod: object): { ready: string; status: string; restarts: number } {
  const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, ...pod } as KObject;
  const cells = tableRow('pods', '', obj, { includeObject: 'None', now: NOW }).cells;
  return { ready: String(cells[1]), status: String(cells[2]), restarts: Number.parseInt(String(cells[3]), 10) };
}

function expectKubectlAgrees(pod: object): void {
  const v = projectPod(pod);
  const k = kubectlColumns(pod);
  expect(v.status).toBe(k.status);
  expect(`${v.readyContainers}/${v.containers}`).toBe(k.ready);
  expect(v.restarts).toBe(k.restarts);
}

/** A hand-built pod: spec containers by name, statuses as given. */
function pod(p: {
  containers?: string[];
  init?: { name: string; sidecar?: boolean }[];
  statuses?: object[];
  initStatuses?: object[];
  phase?: string;
  reason?: string;
  conditions?: object[];
  deletionTimestamp?: string;
}): Any {
  return {
    metadata: {
      name: 'web-0',
      namespace: 'shop',
      creationTimestamp: '2026-03-10T09:00:00Z',
      ...(p.deletionTimestamp ? { deletionTimestamp: p.deletionTimestamp } : {}),
    },
    spec: {
      nodeName: 'fra-a-r02-u03',
      containers: (p.containers ?? ['app']).map((name) => ({ name, image: 'x' })),
      ...(p.init ? { initContainers: p.init.map((c) => ({ name: c.name, image: 'x', ...(c.sidecar ? { restartPolicy: 'Always' } : {}) })) } : {}),
    },
    status: {
      phase: p.phase ?? 'Running',
      ...(p.reason ? { reason: p.reason } : {}),
      conditions: p.conditions ?? [],
      ...(p.initStatuses ? { initContainerStatuses: p.initStatuses } : {}),
      containerStatuses: p.statuses ?? [],
    },
  };
}
const running = (name = 'app', restartCount = 0, ready = true): object => ({ name, ready, restartCount, started: true, state: { running: { startedAt: '2026-03-10T09:01:00Z' } } });
const waiting = (reason: string, name = 'app', restartCount = 0): object => ({ name, ready: false, restartCount, state: { waiting: { reason } } });
const terminated = (t: { reason?: string; exitCode?: number; signal?: number }, name = 'app', restartCount = 0): object => ({
  name,
  ready: false,
  restartCount,
  state: { terminated: { exitCode: 0, ...t } },
});

describe('projectNode', () => {
  it('projects every generated node: placement from the fleet labels, Ready, roles, capacity', () => {
    expect(site.nodes.length).toBeGreaterThan(50);
    for (const n of site.nodes) {
      const v = projectNode(n, FLEET_PLACEMENT_LABELS);
      const labels = n.metadata.labels ?? {};
      expect(v.name).toBe(n.metadata.name);
      expect(v.room).toBe(labels['topology.kubernetes.io/zone']);
      expect(v.rack).toBe(labels['triptych.io/rack']);
      expect(v.unit).toBe(Number(labels['triptych.io/rack-unit']));
      expect(v.ready).toBe('True');
      expect(v.pressure).toEqual([]);
      expect(v.kubeletVersion).toMatch(/^v1\.32\./);
      expect(v.internalIP).toMatch(/^10\.20\.\d+\.\d+$/);
      expect(v.podsAllocatable).toBe(110);
      expect(v.cpuAllocatableMillis).toBe(parseQuantity((n as Any).status.allocatable.cpu)! * 1000);
      expect(v.createdAt).toBe(n.metadata.creationTimestamp);
      // kubectl's ROLES column agrees.
      const roles = tableRow('nodes', '', n, { includeObject: 'None', now: NOW }).cells[2];
      expect(v.roles.length ? v.roles.join(',') : '<none>').toBe(roles);
    }
    const cp = site.nodes.map((n) => projectNode(n)).filter((v) => v.roles.includes('control-plane'));
    expect(cp).toHaveLength(3);
    for (const v of cp) expect(v.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  });

  it('keeps no label or annotation maps', () => {
    const v = projectNode(site.nodes[0]) as Any;
    expect(v.labels).toBeUndefined();
    expect(v.annotations).toBeUndefined();
    expect(JSON.stringify(v)).not.toContain('projectcalico');
  });

  it('reads placement from the inventory when labels are missing, per field, labels first', () => {
    const n = clone(site.nodes[5]!) as Any;
    const host: string = n.metadata.name;
    delete n.metadata.labels['triptych.io/rack'];
    delete n.metadata.labels['triptych.io/rack-unit'];
    const inventory = new Map<string, NodePlacement>([[host, { room: 'ignored', rack: 'Z-99', unit: 7 }]]);
    const v = projectNode(n, FLEET_PLACEMENT_LABELS, inventory);
    expect(v.room).toBe(n.metadata.labels['topology.kubernetes.io/zone']);
    expect(v.rack).toBe('Z-99');
    expect(v.unit).toBe(7);

    // Keyed by the hostname label when the node name differs.
    n.metadata.name = 'node-17';
    expect(projectNode(n, FLEET_PLACEMENT_LABELS, inventory).rack).toBe('Z-99');
    // FQDN or upper-case node names find the inventory's short, lower-case host names.
    n.metadata.name = `${host.toUpperCase()}.DC.example`;
    delete n.metadata.labels['kubernetes.io/hostname'];
    expect(projectNode(n, FLEET_PLACEMENT_LABELS, inventory).rack).toBe('Z-99');
    // No labels and no inventory entry: unknown, not empty strings.
    const bare = projectNode({ metadata: { name: 'x' } }, FLEET_PLACEMENT_LABELS, inventory);
    expect(bare.room).toBeUndefined();
    expect(bare.rack).toBeUndefined();
    expect(bare.unit).toBeUndefined();
  });

  it('uses the site’s own label keys', () => {
    const n = { metadata: { name: 'n1', labels: { 'dc/room': 'R2', 'dc/rack': 'R2-10', 'dc/u': 'U17' } } };
    const v = projectNode(n, { room: 'dc/room', rack: 'dc/rack', unit: 'dc/u' });
    expect([v.room, v.rack, v.unit]).toEqual(['R2', 'R2-10', 17]);
    for (const bad of ['', 'abc', '0', '-3', '1.5']) {
      expect(projectNode({ metadata: { labels: { 'dc/u': bad } } }, { room: 'a', rack: 'b', unit: 'dc/u' }).unit).toBeUndefined();
    }
  });

  it('reports Ready False/Unknown, pressure conditions and a missing Ready as Unknown', () => {
    const n = clone(site.nodes[7]!) as Any;
    for (const c of n.status.conditions) {
      if (c.type === 'Ready') c.status = 'False';
      if (c.type === 'DiskPressure' || c.type === 'PIDPressure') c.status = 'True';
    }
    const v = projectNode(n);
    expect(v.ready).toBe('False');
    expect(v.pressure).toEqual(['DiskPressure', 'PIDPressure']);
    n.status.conditions = n.status.conditions.filter((c: Any) => c.type !== 'Ready');
    expect(projectNode(n).ready).toBe('Unknown');
    n.status.conditions.push({ type: 'Ready', status: 'Weird' });
    expect(projectNode(n).ready).toBe('Unknown');
  });

  it('reports who cordoned a node, only while it is cordoned', () => {
    const n = clone(site.nodes[9]!) as Any;
    n.metadata.annotations['triptych.io/cordon-by'] = 'alice';
    n.metadata.annotations['triptych.io/cordon-reason'] = 'DIMM replacement, ticket OPS-1234';
    n.metadata.annotations['triptych.io/cordon-at'] = '2026-03-10T08:00:00Z';
    expect(projectNode(n).cordon).toBeUndefined();
    n.spec.unschedulable = true;
    const v = projectNode(n);
    expect(v.unschedulable).toBe(true);
    expect(v.cordon).toEqual({ by: 'alice', reason: 'DIMM replacement, ticket OPS-1234', at: '2026-03-10T08:00:00Z' });
    delete n.metadata.annotations['triptych.io/cordon-by'];
    delete n.metadata.annotations['triptych.io/cordon-at'];
    expect(projectNode(n).cordon).toEqual({ reason: 'DIMM replacement, ticket OPS-1234' });
    n.metadata.annotations['triptych.io/cordon-reason'] = 'x'.repeat(5000);
    expect(projectNode(n).cordon?.reason?.length).toBe(512);
  });

  it('parses quantities', () => {
    expect(parseQuantity('31')).toBe(31);
    expect(parseQuantity('31500m')).toBe(31.5);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('2Ki')).toBe(2048);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1E')).toBe(1e18);
    expect(parseQuantity(8)).toBe(8);
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
    expect(projectNode({ status: { allocatable: { cpu: '3500m', pods: '110' } } }).cpuAllocatableMillis).toBe(3500);
  });
});

describe('projectPod', () => {
  it('agrees with kubectl on every generated pod', () => {
    expect(site.pods.length).toBeGreaterThan(1000);
    for (const p of site.pods) expectKubectlAgrees(p);
  });

  it('projects identity, owner, node and IP', () => {
    const p = site.pods.find((x) => x.metadata.ownerReferences?.[0]?.kind === 'ReplicaSet')!;
    const v = projectPod(p);
    const ref = p.metadata.ownerReferences![0]!;
    expect(v).toMatchObject({
      namespace: p.metadata.namespace,
      name: p.metadata.name,
      node: (p as Any).spec.nodeName,
      phase: 'Running',
      status: 'Running',
      ownerKind: 'ReplicaSet',
      ownerName: ref.name,
      podIP: (p as Any).status.podIP,
      createdAt: p.metadata.creationTimestamp,
      terminating: false,
    });
    expect(v.deployment).toBe(ref.name.slice(0, ref.name.lastIndexOf('-')));
    expect(ref.name.endsWith(`-${p.metadata.labels!['pod-template-hash']}`)).toBe(true);
  });

  it('names the Deployment only when pod-template-hash proves it', () => {
    const p = clone(site.pods.find((x) => x.metadata.ownerReferences?.[0]?.kind === 'ReplicaSet')!) as Any;
    delete p.metadata.labels['pod-template-hash'];
    expect(projectPod(p).deployment).toBeUndefined();
    const sts = site.pods.find((x) => x.metadata.ownerReferences?.[0]?.kind === 'StatefulSet')!;
    expect(projectPod(sts).ownerKind).toBe('StatefulSet');
    expect('deployment' in projectPod(sts)).toBe(false);
    const ds = site.pods.find((x) => x.metadata.ownerReferences?.[0]?.kind === 'DaemonSet')!;
    expect(projectPod(ds).ownerKind).toBe('DaemonSet');
    // The controller reference wins over others; no references: a bare pod.
    const refs = { metadata: { ownerReferences: [{ kind: 'Node', name: 'n' }, { kind: 'Job', name: 'backup-1', controller: true }] } };
    expect(projectPod(refs)).toMatchObject({ ownerKind: 'Job', ownerName: 'backup-1' });
    expect(projectPod({ metadata: { name: 'bare' } })).toMatchObject({ ownerKind: '', ownerName: '' });
  });

  it('shows the fleet’s pod states as kubectl does', () => {
    const deploy = site.workloads.find((w) => w.kind === 'Deployment' && w.metadata.namespace !== 'kube-system')! as Any;
    const template = deploy.spec.template as PodTemplate;
    const owner = { kind: 'ReplicaSet', name: `${deploy.metadata.name}-6d4cf56db6`, uid: 'u', apiVersion: 'apps/v1' };
    const build = (state: PodState, extra: { deletionTimestamp?: number } = {}): KObject =>
      buildPod(template, owner, state === 'unschedulable' ? undefined : 'fra-a-r02-u03', {
        name: `${owner.name}-abcde`,
        namespace: deploy.metadata.namespace,
        state,
        ip: '10.128.1.2',
        hostIP: '10.20.2.11',
        now: NOW,
        rng: new Rng(state),
        startedAt: NOW - 3_600_000,
        labels: { 'pod-template-hash': '6d4cf56db6' },
        ...extra,
      });
    const cases: [PodState, string][] = [
      ['running', 'Running'],
      ['not-ready', 'Running'],
      ['crashloop', 'CrashLoopBackOff'],
      ['creating', 'ContainerCreating'],
      ['image-pull-backoff', 'ImagePullBackOff'],
      ['unschedulable', 'Pending'],
    ];
    for (const [state, status] of cases) {
      const p = build(state);
      expect(projectPod(p).status, state).toBe(status);
      expectKubectlAgrees(p);
    }
    expect(projectPod(build('crashloop')).restarts).toBeGreaterThan(0);
    expect(projectPod(build('not-ready')).readyContainers).toBeLessThan(projectPod(build('not-ready')).containers);
    const t = projectPod(build('running', { deletionTimestamp: NOW - 5000 }));
    expect(t).toMatchObject({ status: 'Terminating', terminating: true, deployment: deploy.metadata.name });
  });

  // Each row: a pod, the STATUS kubectl prints. Every case is also checked against the oracle.
  const rules: [string, Any, string][] = [
    ['a waiting reason', pod({ statuses: [waiting('CrashLoopBackOff', 'app', 7)] }), 'CrashLoopBackOff'],
    ['image pull', pod({ phase: 'Pending', statuses: [waiting('ErrImagePull')] }), 'ErrImagePull'],
    ['creating', pod({ phase: 'Pending', statuses: [waiting('ContainerCreating')] }), 'ContainerCreating'],
    ['the first container wins', pod({ containers: ['a', 'b'], statuses: [waiting('ImagePullBackOff', 'a'), waiting('CrashLoopBackOff', 'b')] }), 'ImagePullBackOff'],
    ['Completed', pod({ phase: 'Succeeded', statuses: [terminated({ reason: 'Completed' })] }), 'Completed'],
    ['Error', pod({ phase: 'Failed', statuses: [terminated({ reason: 'Error', exitCode: 1 })] }), 'Error'],
    ['OOMKilled', pod({ statuses: [terminated({ reason: 'OOMKilled', exitCode: 137 })] }), 'OOMKilled'],
    ['exit code without reason', pod({ phase: 'Failed', statuses: [terminated({ exitCode: 3 })] }), 'ExitCode:3'],
    ['signal without reason', pod({ phase: 'Failed', statuses: [terminated({ exitCode: 137, signal: 9 })] }), 'Signal:9'],
    ['Completed next to a running container, Ready', pod({ containers: ['a', 'b'], conditions: [{ type: 'Ready', status: 'True' }], statuses: [running('a'), terminated({ reason: 'Completed' }, 'b')] }), 'Running'],
    ['Completed next to a running container, not Ready', pod({ containers: ['a', 'b'], statuses: [terminated({ reason: 'Completed' }, 'a'), running('b')] }), 'NotReady'],
    ['Pending, nothing started', pod({ phase: 'Pending' }), 'Pending'],
    ['Evicted', pod({ phase: 'Failed', reason: 'Evicted', statuses: [terminated({ reason: 'Error', exitCode: 137 })] }), 'Error'],
    ['Evicted, no statuses', pod({ phase: 'Failed', reason: 'Evicted' }), 'Evicted'],
    ['scheduling gated', pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), 'SchedulingGated'],
    ['init: counting', pod({ phase: 'Pending', init: [{ name: 'i1' }, { name: 'i2' }], initStatuses: [terminated({ reason: 'Completed' }, 'i1'), { name: 'i2', restartCount: 0, state: { running: {} } }], statuses: [waiting('PodInitializing')] }), 'Init:1/2'],
    ['init: PodInitializing counts', pod({ phase: 'Pending', init: [{ name: 'i1' }], initStatuses: [waiting('PodInitializing', 'i1')] }), 'Init:0/1'],
    ['init: crashloop', pod({ phase: 'Pending', init: [{ name: 'i1' }], initStatuses: [waiting('CrashLoopBackOff', 'i1', 4)], statuses: [waiting('PodInitializing')] }), 'Init:CrashLoopBackOff'],
    ['init: error', pod({ phase: 'Pending', init: [{ name: 'i1' }], initStatuses: [terminated({ reason: 'Error', exitCode: 2 }, 'i1', 1)] }), 'Init:Error'],
    ['init: exit code', pod({ phase: 'Pending', init: [{ name: 'i1' }], initStatuses: [terminated({ exitCode: 2 }, 'i1')] }), 'Init:ExitCode:2'],
    ['init: signal', pod({ phase: 'Pending', init: [{ name: 'i1' }], initStatuses: [terminated({ exitCode: 143, signal: 15 }, 'i1')] }), 'Init:Signal:15'],
    ['init: OOMKilled', pod({ phase: 'Pending', init: [{ name: 'i1' }], initStatuses: [terminated({ reason: 'OOMKilled', exitCode: 137 }, 'i1')] }), 'Init:OOMKilled'],
    [
      'sidecar running, app running',
      pod({ init: [{ name: 'proxy', sidecar: true }], initStatuses: [{ ...running('proxy', 2), started: true }], statuses: [running('app', 1)], conditions: [{ type: 'Initialized', status: 'True' }] }),
      'Running',
    ],
    [
      'sidecar not started yet',
      pod({ phase: 'Pending', init: [{ name: 'proxy', sidecar: true }], initStatuses: [{ name: 'proxy', ready: false, restartCount: 0, started: false, state: { running: {} } }] }),
      'Init:0/1',
    ],
    ['Terminating', pod({ deletionTimestamp: '2026-03-10T09:29:00Z', statuses: [running()] }), 'Terminating'],
    ['Terminating wins over a waiting reason', pod({ deletionTimestamp: '2026-03-10T09:29:00Z', statuses: [waiting('CrashLoopBackOff')] }), 'Terminating'],
    ['a finished pod being deleted stays Completed', pod({ phase: 'Succeeded', deletionTimestamp: '2026-03-10T09:29:00Z', statuses: [terminated({ reason: 'Completed' })] }), 'Completed'],
    ['NodeLost, being deleted', pod({ reason: 'NodeLost', deletionTimestamp: '2026-03-10T09:29:00Z', statuses: [running()] }), 'Unknown'],
    ['NodeLost, not deleted', pod({ phase: 'Unknown', reason: 'NodeLost' }), 'NodeLost'],
  ];
  it.each(rules)('%s → kubectl STATUS', (_label, p, status) => {
    expect(projectPod(p).status).toBe(status);
    expectKubectlAgrees(p);
  });

  it('sums restarts as kubectl does (sidecars included, plain init containers only while initializing)', () => {
    const p = pod({
      containers: ['a', 'b'],
      init: [{ name: 'setup' }, { name: 'proxy', sidecar: true }],
      initStatuses: [terminated({ reason: 'Completed' }, 'setup', 3), { ...running('proxy', 2), started: true }],
      statuses: [running('a', 1), running('b', 4)],
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
    });
    expect(projectPod(p)).toMatchObject({ restarts: 7, readyContainers: 3, containers: 3, status: 'Running' });
    expectKubectlAgrees(p);
    const initializing = pod({ phase: 'Pending', init: [{ name: 'setup' }], initStatuses: [waiting('CrashLoopBackOff', 'setup', 5)], statuses: [waiting('PodInitializing', 'app', 9)] });
    expect(projectPod(initializing).restarts).toBe(5);
    expectKubectlAgrees(initializing);
  });

  it('stays small: ≤ 400 bytes of JSON per pod on average over 10,000 fleet pods', () => {
    const big = generateSite({ site: 'ams', index: 1, seed: 'size', now: NOW, nodes: 700 });
    const pods = big.pods.slice(0, 10_000);
    expect(pods).toHaveLength(10_000);
    let bytes = 0;
    for (const p of pods) bytes += new TextEncoder().encode(JSON.stringify(projectPod(p))).length;
    const avg = bytes / pods.length;
    console.warn(`projectPod: ${avg.toFixed(0)} bytes of JSON per pod on average`);
    expect(avg).toBeLessThanOrEqual(400);
  });
});

describe('projectEvent', () => {
  it('strips control and bidi-override characters from every text field and bounds their length', () => {
    const hostile = `\u001b[31m<img src=x onerror=alert(1)>\u202egnp.exe${'x'.repeat(300_000)}`;
    const e = projectEvent({ metadata: { name: 'e', namespace: 'n' }, type: hostile, reason: hostile, message: hostile, involvedObject: { kind: hostile, name: hostile } });
    for (const v of [e.type, e.reason, e.message, e.objectKind, e.objectName]) {
      // eslint-disable-next-line no-control-regex -- the test looks for exactly these characters
      expect(v).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(v.length).toBeLessThanOrEqual(512);
    }
    // Markup stays text: it is escaped by React when shown, never removed or interpreted here.
    expect(e.reason).toContain('<img src=x onerror=alert(1)>');
  });

  it('blanks credentials an event message quotes', () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${'eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ'}.c2lnbmF0dXJlc2lnbmF0dXJl`;
    const e = projectEvent({ metadata: { name: 'e', namespace: 'n' }, type: 'Warning', reason: 'Failed', message: `exec probe "curl -H 'Authorization: Bearer ${jwt}' http://x" failed`, involvedObject: { kind: 'Pod', name: 'p' } });
    expect(e.message).toBe(`exec probe "curl -H 'Authorization: Bearer [redacted]' http://x" failed`);
    expect(e.message).not.toContain('eyJ');
  });

  it('projects the generated events', () => {
    expect(site.events.length).toBeGreaterThan(0);
    for (const e of site.events as Any[]) {
      const v = projectEvent(e);
      expect(v).toMatchObject({
        namespace: e.metadata.namespace,
        name: e.metadata.name,
        type: e.type,
        reason: e.reason,
        objectKind: e.involvedObject.kind,
        objectName: e.involvedObject.name,
        count: e.count,
        lastSeen: e.lastTimestamp,
      });
      expect(v.message).toBe(e.message.trim());
    }
  });

  it('takes lastSeen from the series, lastTimestamp, eventTime, firstTimestamp in that order', () => {
    const base = { metadata: { name: 'e', namespace: 'n', creationTimestamp: '2026-03-10T09:00:00Z' } };
    expect(projectEvent({ ...base, firstTimestamp: '2026-03-10T09:01:00Z' }).lastSeen).toBe('2026-03-10T09:01:00Z');
    expect(projectEvent({ ...base, firstTimestamp: '2026-03-10T09:01:00Z', eventTime: '2026-03-10T09:02:00.123456Z' }).lastSeen).toBe('2026-03-10T09:02:00.123456Z');
    expect(projectEvent({ ...base, eventTime: '2026-03-10T09:02:00.123456Z', lastTimestamp: '2026-03-10T09:03:00Z' }).lastSeen).toBe('2026-03-10T09:03:00Z');
    const series = projectEvent({ ...base, lastTimestamp: '2026-03-10T09:03:00Z', series: { count: 12, lastObservedTime: '2026-03-10T09:04:00.000001Z' } });
    expect(series).toMatchObject({ lastSeen: '2026-03-10T09:04:00.000001Z', count: 12 });
    expect(projectEvent(base)).toMatchObject({ lastSeen: '2026-03-10T09:00:00Z', count: 1, type: 'Normal' });
    // events.k8s.io/v1 field names.
    const v1 = projectEvent({ ...base, note: 'Back-off', regarding: { kind: 'Pod', name: 'p' }, deprecatedCount: 3, type: 'Warning' });
    expect(v1).toMatchObject({ message: 'Back-off', objectKind: 'Pod', objectName: 'p', count: 3, type: 'Warning' });
  });

  it('truncates the message to 512 characters and drops control characters', () => {
    const long = projectEvent({ message: `${'x'.repeat(600)}` });
    expect(long.message).toHaveLength(512);
    expect(long.message.endsWith('…')).toBe(true);
    // Never leaves half a surrogate pair.
    const emoji = projectEvent({ message: `${'x'.repeat(510)}😀😀😀` }).message;
    expect(emoji.length).toBeLessThanOrEqual(512);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(projectEvent({ message: '\u001b[31mred\u001b[0m\nline\ttab\u0000' }).message).toBe('[31mred[0m\nline\ttab');
  });
});

describe('projectWorkload', () => {
  it('projects the generated Deployments, StatefulSets and DaemonSets', () => {
    const apps = site.workloads.filter((w) => w.kind !== 'ReplicaSet') as Any[];
    expect(new Set(apps.map((w) => w.kind))).toEqual(new Set(['Deployment', 'StatefulSet', 'DaemonSet']));
    for (const w of apps) {
      const v = projectWorkload(w);
      expect(v.kind).toBe(w.kind);
      expect(v.generation).toBe(w.metadata.generation);
      expect(v.observedGeneration).toBe(w.status.observedGeneration);
      if (w.kind === 'DaemonSet') {
        expect([v.desired, v.ready, v.updated, v.available]).toEqual([
          w.status.desiredNumberScheduled,
          w.status.numberReady,
          w.status.updatedNumberScheduled,
          w.status.numberAvailable,
        ]);
      } else {
        expect(v.desired).toBe(w.spec.replicas);
        expect(v.ready).toBe(w.status.readyReplicas ?? 0);
        expect(v.available).toBe(w.status.availableReplicas ?? 0);
      }
      // List items carry no kind: the caller's hint, else the shape, decides.
      const { kind: _k, ...item } = w;
      expect(projectWorkload(item).kind).toBe(w.kind);
      expect(projectWorkload(item, w.kind).kind).toBe(w.kind);
    }
  });

  it('defaults replicas to 1, keeps 0, and reads a status-less object as nothing ready', () => {
    expect(projectWorkload({ metadata: { name: 'd', namespace: 'n' } }, 'Deployment')).toMatchObject({ desired: 1, ready: 0, updated: 0, available: 0, generation: 0 });
    expect(projectWorkload({ spec: { replicas: 0 } }, 'StatefulSet').desired).toBe(0);
    expect(projectWorkload({}, 'DaemonSet').desired).toBe(0);
  });
});

describe('projectPdb and projectNamespace', () => {
  it('projects the generated PDBs and namespaces', () => {
    for (const p of site.pdbs as Any[]) {
      expect(projectPdb(p)).toEqual({
        namespace: p.metadata.namespace,
        name: p.metadata.name,
        disruptionsAllowed: p.status.disruptionsAllowed,
        expectedPods: p.status.expectedPods,
        currentHealthy: p.status.currentHealthy,
        desiredHealthy: p.status.desiredHealthy,
      });
    }
    for (const n of site.namespaces) expect(projectNamespace(n)).toEqual({ name: n.metadata.name, phase: 'Active' });
    expect(projectNamespace({ metadata: { name: 'gone', deletionTimestamp: '2026-03-10T09:00:00Z' } }).phase).toBe('Terminating');
    expect(projectNamespace({ metadata: { name: 'x' }, status: { phase: 'Terminating' } }).phase).toBe('Terminating');
  });
});

describe('odd input', () => {
  const projections: [string, (o: unknown) => unknown][] = [
    ['node', (o) => projectNode(o)],
    ['node with inventory', (o) => projectNode(o, FLEET_PLACEMENT_LABELS, new Map([['', { rack: 'A-01' }]]))],
    ['pod', projectPod],
    ['event', projectEvent],
    ['workload', (o) => projectWorkload(o)],
    ['pdb', projectPdb],
    ['namespace', projectNamespace],
  ];

  it.each(projections)('%s: never throws, returns the declared field types', (_name, project) => {
    for (const odd of [null, undefined, 42, 'pod', [], {}, { metadata: null }, { metadata: [], spec: 'x', status: 7 }]) {
      expect(() => project(odd)).not.toThrow();
    }
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }), (o) => {
        const v = project(o) as Record<string, unknown>;
        for (const value of Object.values(v)) expect(['string', 'number', 'boolean', 'object']).toContain(typeof value);
      }),
      { numRuns: 300 },
    );
  });

  it('survives wrong types inside otherwise real objects', () => {
    const p = clone(site.pods[0]!) as Any;
    p.status.containerStatuses = [null, 5, { state: null, restartCount: '3' }, { state: { waiting: { reason: 42 } } }];
    p.spec.initContainers = 'nope';
    p.metadata.ownerReferences = [null];
    const v = projectPod(p);
    expect(v.restarts).toBe(0);
    expect(typeof v.status).toBe('string');
    const n = clone(site.nodes[0]!) as Any;
    n.status.conditions = [{ type: 'Ready' }, 'x'];
    n.spec.taints = [{ effect: 'NoSchedule' }, null, { key: 'k', effect: 'NoExecute', value: 'v' }];
    n.status.allocatable = { cpu: [], pods: 'many' };
    expect(projectNode(n)).toMatchObject({ ready: 'Unknown', taints: [{ key: 'k', effect: 'NoExecute', value: 'v' }], podsAllocatable: 0, cpuAllocatableMillis: 0 });
  });

  it('fuzzes pod status against kubectl’s rules', () => {
    const state = fc.oneof(
      fc.record({ running: fc.constant({}) }),
      fc.record({ waiting: fc.record({ reason: fc.constantFrom('', 'CrashLoopBackOff', 'PodInitializing', 'ContainerCreating', 'ErrImagePull') }) }),
      fc.record({ terminated: fc.record({ reason: fc.constantFrom('', 'Completed', 'Error', 'OOMKilled'), exitCode: fc.constantFrom(0, 1, 137), signal: fc.constantFrom(0, 9) }) }),
    );
    const status = (name: string): fc.Arbitrary<object> =>
      fc.record({ name: fc.constant(name), ready: fc.boolean(), started: fc.boolean(), restartCount: fc.nat(20), state });
    const arb = fc
      .record({
        phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'),
        reason: fc.constantFrom('', 'NodeLost', 'Evicted'),
        deleting: fc.boolean(),
        init: fc.array(fc.boolean(), { maxLength: 3 }),
        containers: fc.integer({ min: 1, max: 3 }),
        initialized: fc.boolean(),
        ready: fc.boolean(),
      })
      .chain((s) =>
        fc.record({
          s: fc.constant(s),
          initStatuses: fc.tuple(...s.init.map((_, i) => status(`i${i}`))),
          statuses: fc.tuple(...Array.from({ length: s.containers }, (_, i) => status(`c${i}`))),
        }),
      );
    fc.assert(
      fc.property(arb, ({ s, initStatuses, statuses }) => {
        const p = pod({
          phase: s.phase,
          reason: s.reason,
          containers: statuses.map((_, i) => `c${i}`),
          init: s.init.map((sidecar, i) => ({ name: `i${i}`, sidecar })),
          initStatuses,
          statuses,
          conditions: [
            { type: 'Initialized', status: s.initialized ? 'True' : 'False' },
            { type: 'Ready', status: s.ready ? 'True' : 'False' },
          ],
          ...(s.deleting ? { deletionTimestamp: '2026-03-10T09:29:00Z' } : {}),
        });
        expectKubectlAgrees(p);
      }),
      { numRuns: 500 },
    );
  });
});
