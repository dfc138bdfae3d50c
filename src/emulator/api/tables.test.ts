import { describe, expect, it } from 'vitest';
import type { KObject } from '../types';
import {
  columnDefinitions,
  hasPrinter,
  humanDuration,
  objectTable,
  parseIncludeObject,
  tableRow,
  toTable,
  type PrinterColumn,
  type RowOptions,
  type TableRow,
} from './tables';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

/** RFC 3339 (seconds precision, like metav1.Time) of NOW - ms. */
function ago(ms: number): string {
  return new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/** metav1.MicroTime form of NOW - ms. */
function agoMicro(ms: number): string {
  return new Date(NOW - ms).toISOString().replace(/Z$/, '123Z');
}

const OPTS: RowOptions = { includeObject: 'Metadata', now: NOW };

function obj(kind: string, name: string, fields: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '42', creationTimestamp: ago(5 * M), ...meta },
    ...fields,
  };
}

function cells(resource: string, group: string, o: KObject): unknown[] {
  return tableRow(resource, group, o, OPTS).cells;
}

function names(resource: string, group: string, priority: number): string[] {
  return columnDefinitions(resource, group)
    .filter((c) => c.priority === priority)
    .map((c) => c.name);
}

// ---------------------------------------------------------------------------

describe('humanDuration (k8s.io/apimachinery duration.HumanDuration)', () => {
  it.each([
    [-3 * S, '<invalid>'],
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [0, '0s'],
    [999, '0s'],
    [45 * S, '45s'],
    [119 * S + 999, '119s'],
    [2 * M, '2m'],
    [3 * M + 12 * S, '3m12s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 30 * S, '10m'],
    [179 * M + 59 * S, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 30 * M, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [51 * H, '2d3h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [10 * D + 5 * H, '10d'],
    [729 * D, '729d'],
    [730 * D, '2y'],
    [787 * D, '2y57d'],
    [8 * 365 * D, '8y'],
    [3750 * D, '10y'],
  ])('%d ms -> %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

// ---------------------------------------------------------------------------

function running(name: string, restartCount = 0): Record<string, unknown> {
  return { name, ready: true, started: true, restartCount, state: { running: { startedAt: ago(4 * M) } } };
}

function pod(name: string, spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject {
  return obj('Pod', name, { spec: { containers: [{ name: 'app', image: 'app:1' }], ...spec }, status }, meta);
}

describe('pods', () => {
  it('prints a healthy running pod with all wide cells', () => {
    const p = pod(
      'web-1',
      { containers: [{ name: 'app' }, { name: 'proxy' }], nodeName: 'node-1' },
      {
        phase: 'Running',
        podIP: '10.0.0.5',
        podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [running('app'), running('proxy')],
      },
    );
    expect(cells('pods', '', p)).toEqual(['web-1', '2/2', 'Running', '0', '5m', '10.0.0.5', 'node-1', '<none>', '<none>']);
  });

  it('shows CrashLoopBackOff with restarts and the time since the last termination', () => {
    const p = pod('crashy', {}, {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 5,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(3 * M + 12 * S) } },
        },
      ],
    });
    const c = cells('pods', '', p);
    expect(c.slice(1, 4)).toEqual(['0/1', 'CrashLoopBackOff', '5 (3m12s ago)']);
  });

  it('prints bare restart counts when no termination time is known', () => {
    const p = pod('r', {}, { phase: 'Running', containerStatuses: [running('app', 3)] });
    expect(cells('pods', '', p)[3]).toBe('3');
  });

  it('uses the most recent termination across containers for the restart age', () => {
    const p = pod('r', { containers: [{ name: 'a' }, { name: 'b' }] }, {
      phase: 'Running',
      containerStatuses: [
        { ...running('a', 1), lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * H) } } },
        { ...running('b', 2), lastState: { terminated: { exitCode: 1, finishedAt: ago(45 * S) } } },
      ],
    });
    expect(cells('pods', '', p)[3]).toBe('3 (45s ago)');
  });

  it('marks succeeded pods Completed with a row condition', () => {
    const p = pod('job-abc', {}, {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    });
    const row = tableRow('pods', '', p, OPTS);
    expect(row.cells.slice(1, 3)).toEqual(['0/1', 'Completed']);
    expect(row.conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
  });

  it('shows Error for failed containers and marks the row failed', () => {
    const p = pod('bad', {}, {
      phase: 'Failed',
      containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } }],
    });
    const row = tableRow('pods', '', p, OPTS);
    expect(row.cells[2]).toBe('Error');
    expect(row.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  });

  it('falls back to ExitCode:/Signal: for terminations without a reason', () => {
    const exit = pod('x', {}, { phase: 'Running', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 137 } } }] });
    const sig = pod('y', {}, { phase: 'Running', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, signal: 9 } } }] });
    expect(cells('pods', '', exit)[2]).toBe('ExitCode:137');
    expect(cells('pods', '', sig)[2]).toBe('Signal:9');
  });

  it('uses the pod status reason (e.g. Evicted) when containers say nothing', () => {
    const p = pod('ev', {}, { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' });
    expect(cells('pods', '', p)[2]).toBe('Evicted');
  });

  it('shows the waiting reason of pending containers', () => {
    const p = pod('new', {}, {
      phase: 'Pending',
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }],
    });
    expect(cells('pods', '', p).slice(1, 3)).toEqual(['0/1', 'ContainerCreating']);
    expect(cells('pods', '', pod('p', {}, { phase: 'Pending' }))[2]).toBe('Pending');
  });

  it('shows SchedulingGated for gated pods', () => {
    const p = pod('gated', {}, {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
    });
    expect(cells('pods', '', p)[2]).toBe('SchedulingGated');
  });

  it('shows Terminating for deleted, non-terminal pods only', () => {
    const del = { deletionTimestamp: ago(10 * S), deletionGracePeriodSeconds: 30 };
    const live = pod('t', {}, { phase: 'Running', containerStatuses: [running('app')] }, del);
    expect(cells('pods', '', live)[2]).toBe('Terminating');
    const done = pod('d', {}, {
      phase: 'Succeeded',
      containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    }, del);
    expect(cells('pods', '', done)[2]).toBe('Completed');
  });

  it('shows NodeLost, and Unknown once such a pod is being deleted', () => {
    const status = { phase: 'Running', reason: 'NodeLost', containerStatuses: [{ name: 'app', ready: false, state: { running: {} } }] };
    expect(cells('pods', '', pod('n', {}, status))[2]).toBe('NodeLost');
    expect(cells('pods', '', pod('n', {}, status, { deletionTimestamp: ago(S) }))[2]).toBe('Unknown');
  });

  describe('init containers', () => {
    const spec = { initContainers: [{ name: 'init-a' }, { name: 'init-b' }] };
    const statusWith = (initStatuses: unknown[]): Record<string, unknown> => ({
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'False' }],
      initContainerStatuses: initStatuses,
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
    });

    it('counts progress as Init:i/n', () => {
      const p = pod('i', spec, statusWith([
        { name: 'init-a', restartCount: 0, state: { running: {} } },
        { name: 'init-b', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
      ]));
      expect(cells('pods', '', p).slice(1, 4)).toEqual(['0/1', 'Init:0/2', '0']);
      const second = pod('i', spec, statusWith([
        { name: 'init-a', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'init-b', restartCount: 0, state: { running: {} } },
      ]));
      expect(cells('pods', '', second)[2]).toBe('Init:1/2');
    });

    it('shows Init:<reason> for waiting and failed init containers', () => {
      const loop = pod('i', spec, statusWith([
        {
          name: 'init-a',
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(20 * S) } },
        },
      ]));
      // While initializing, only init container restarts are counted.
      expect(cells('pods', '', loop).slice(2, 4)).toEqual(['Init:CrashLoopBackOff', '4 (20s ago)']);
      const err = pod('i', spec, statusWith([
        { name: 'init-a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'init-b', state: { terminated: { exitCode: 3, reason: 'Error' } } },
      ]));
      expect(cells('pods', '', err)[2]).toBe('Init:Error');
      const code = pod('i', spec, statusWith([{ name: 'init-a', state: { terminated: { exitCode: 1 } } }]));
      expect(cells('pods', '', code)[2]).toBe('Init:ExitCode:1');
      const sig = pod('i', spec, statusWith([{ name: 'init-a', state: { terminated: { exitCode: 1, signal: 15 } } }]));
      expect(cells('pods', '', sig)[2]).toBe('Init:Signal:15');
    });

    it('counts started sidecars (restartPolicy Always) as ready containers', () => {
      const p = pod('s', { initContainers: [{ name: 'mesh', restartPolicy: 'Always' }] }, {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
        initContainerStatuses: [{ ...running('mesh', 1), lastState: { terminated: { exitCode: 1, finishedAt: ago(90 * S) } } }],
        containerStatuses: [running('app')],
      });
      expect(cells('pods', '', p).slice(1, 4)).toEqual(['2/2', 'Running', '1 (90s ago)']);
    });
  });

  it('turns Completed back into Running/NotReady while another container still runs', () => {
    const status = (ready: boolean): Record<string, unknown> => ({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [running('a'), { name: 'b', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    });
    const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
    expect(cells('pods', '', pod('x', spec, status(true))).slice(1, 3)).toEqual(['1/2', 'Running']);
    expect(cells('pods', '', pod('x', spec, status(false)))[2]).toBe('NotReady');
  });

  it('reports readiness gates as true/total and prefers podIPs over podIP', () => {
    const p = pod('g', { readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }] }, {
      phase: 'Running',
      podIP: '10.9.9.9',
      podIPs: [{ ip: '10.1.1.1' }],
      nominatedNodeName: 'node-7',
      conditions: [
        { type: 'example.com/a', status: 'True' },
        { type: 'example.com/b', status: 'False' },
      ],
      containerStatuses: [running('app')],
    });
    expect(cells('pods', '', p).slice(5)).toEqual(['10.1.1.1', '<none>', 'node-7', '1/2']);
    const v1Only = pod('v', {}, { phase: 'Running', podIP: '10.2.2.2' });
    expect(cells('pods', '', v1Only)[5]).toBe('10.2.2.2');
  });

  it('has the 1.32 columns with the wide ones at priority 1', () => {
    expect(names('pods', '', 0)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(names('pods', '', 1)).toEqual(['IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    const [name, , , restarts] = columnDefinitions('pods', '');
    expect(name).toMatchObject({ type: 'string', format: 'name' });
    expect(name?.description).toMatch(/^Name must be unique within a namespace/);
    expect(restarts?.type).toBe('string');
  });
});

// ---------------------------------------------------------------------------

describe('nodes', () => {
  const node = (status: Record<string, unknown>, spec: Record<string, unknown> = {}, labels?: Record<string, string>): KObject =>
    obj('Node', 'node-1', { spec, status }, { namespace: undefined, labels, creationTimestamp: ago(3 * D) });
  const info = {
    kubeletVersion: 'v1.32.4',
    osImage: 'Ubuntu 24.04.1 LTS',
    kernelVersion: '6.8.0-45-generic',
    containerRuntimeVersion: 'containerd://1.7.22',
  };

  it('prints status, roles, age, version and wide cells', () => {
    const n = node(
      {
        conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
        addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '10.0.0.11' }],
        nodeInfo: info,
      },
      {},
      { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/': '' },
    );
    expect(cells('nodes', '', n)).toEqual([
      'node-1',
      'Ready',
      'control-plane,worker',
      '3d',
      'v1.32.4',
      '10.0.0.11',
      '<none>',
      'Ubuntu 24.04.1 LTS',
      '6.8.0-45-generic',
      'containerd://1.7.22',
    ]);
  });

  it('derives STATUS from the Ready condition only', () => {
    expect(cells('nodes', '', node({ conditions: [{ type: 'Ready', status: 'False' }] }))[1]).toBe('NotReady');
    expect(cells('nodes', '', node({ conditions: [{ type: 'Ready', status: 'Unknown' }] }))[1]).toBe('NotReady');
    expect(cells('nodes', '', node({ conditions: [{ type: 'DiskPressure', status: 'True' }] }))[1]).toBe('Unknown');
    expect(cells('nodes', '', node({}))[1]).toBe('Unknown');
    const cordoned = node({ conditions: [{ type: 'Ready', status: 'True' }] }, { unschedulable: true });
    expect(cells('nodes', '', cordoned)[1]).toBe('Ready,SchedulingDisabled');
  });

  it('prints <none> roles and <unknown> node info', () => {
    const c = cells('nodes', '', node({ conditions: [{ type: 'Ready', status: 'True' }] }, {}, { 'kubernetes.io/os': 'linux' }));
    expect(c[2]).toBe('<none>');
    expect(c.slice(5)).toEqual(['<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });

  it('marks the address/system columns as wide', () => {
    expect(names('nodes', '', 0)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(names('nodes', '', 1)).toEqual(['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
  });
});

// ---------------------------------------------------------------------------

describe('services', () => {
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KObject =>
    obj('Service', 'web', { spec, status });

  it('prints ClusterIP services with ports and a sorted selector', () => {
    const s = svc({
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
      selector: { 'k8s-app': 'kube-dns', app: 'dns' },
    });
    expect(cells('services', '', s)).toEqual(['web', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP', '5m', 'app=dns,k8s-app=kube-dns']);
  });

  it('prints node ports, headless services and external IPs', () => {
    const np = svc({ type: 'NodePort', clusterIPs: ['10.96.1.1'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] });
    expect(cells('services', '', np).slice(2, 5)).toEqual(['10.96.1.1', '<none>', '80:30080/TCP']);
    const headless = svc({ clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 5432 }] });
    expect(cells('services', '', headless).slice(1, 5)).toEqual(['ClusterIP', 'None', '<none>', '5432/TCP']);
    const ext = svc({ type: 'ClusterIP', clusterIPs: ['10.96.1.2'], externalIPs: ['192.0.2.1', '192.0.2.2'] });
    expect(cells('services', '', ext)[3]).toBe('192.0.2.1,192.0.2.2');
  });

  it('prints load balancer ingress without clipping, or <pending>', () => {
    const pending = svc({ type: 'LoadBalancer', clusterIPs: ['10.96.2.2'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] });
    expect(cells('services', '', pending)[3]).toBe('<pending>');
    const ready = svc(
      { type: 'LoadBalancer', clusterIPs: ['10.96.2.2'], externalIPs: ['198.51.100.7'] },
      { loadBalancer: { ingress: [{ hostname: 'a-very-long-load-balancer.example.com' }, { ip: '203.0.113.9' }] } },
    );
    expect(cells('services', '', ready)[3]).toBe('203.0.113.9,a-very-long-load-balancer.example.com,198.51.100.7');
  });

  it('prints ExternalName services', () => {
    const s = svc({ type: 'ExternalName', externalName: 'db.example.com' });
    expect(cells('services', '', s)).toEqual(['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '5m', '<none>']);
  });

  it('has Selector as its only wide column', () => {
    expect(names('services', '', 1)).toEqual(['Selector']);
    expect(names('services', '', 0)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age']);
  });
});

// ---------------------------------------------------------------------------

describe('events', () => {
  it('prints the 1.32 event row (wide cells included)', () => {
    const e = obj('Event', 'web-1.17a2b3c4d5e6f7a8', {
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container app\n',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: ago(10 * M),
      lastTimestamp: ago(30 * S),
      count: 4,
      type: 'Warning',
      eventTime: null,
      reportingComponent: 'kubelet',
      reportingInstance: 'node-1',
    });
    expect(cells('events', '', e)).toEqual([
      '30s',
      'Warning',
      'BackOff',
      'pod/web-1',
      'spec.containers{app}',
      'kubelet, node-1',
      'Back-off restarting failed container app',
      '10m',
      4,
      'web-1.17a2b3c4d5e6f7a8',
    ]);
  });

  it('falls back to eventTime, reporting fields and count 1 for new-style events', () => {
    const e = obj('Event', 'sched.1', {
      involvedObject: { kind: 'Pod', name: 'web-2' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/web-2 to node-3',
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: agoMicro(90 * S),
      type: 'Normal',
      action: 'Binding',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-cp-1',
    });
    const c = cells('events', '', e);
    expect([c[0], c[5], c[7], c[8]]).toEqual(['90s', 'default-scheduler, default-scheduler-cp-1', '90s', 1]);
  });

  it('uses the series for LAST SEEN and COUNT', () => {
    const e = obj('Event', 'x', {
      involvedObject: { kind: 'Node' },
      eventTime: agoMicro(2 * H),
      series: { count: 7, lastObservedTime: agoMicro(5 * S) },
      reportingComponent: 'kubelet',
      type: 'Normal',
      reason: 'NodeHasSufficientMemory',
      message: 'ok',
    });
    const c = cells('events', '', e);
    // Exactly two hours is still shown in minutes (HumanDuration switches to hours at 3h).
    expect([c[0], c[3], c[5], c[7], c[8]]).toEqual(['5s', 'node', 'kubelet', '120m', 7]);
  });

  it('maps events.k8s.io/v1 field names', () => {
    const e = obj('Event', 'y', {
      regarding: { kind: 'Deployment', name: 'web', fieldPath: '' },
      note: 'Scaled up replica set web-abc to 3',
      reason: 'ScalingReplicaSet',
      type: 'Normal',
      eventTime: null,
      reportingController: 'deployment-controller',
      reportingInstance: '',
      deprecatedSource: { component: 'deployment-controller' },
      deprecatedFirstTimestamp: ago(20 * M),
      deprecatedLastTimestamp: ago(2 * M),
      deprecatedCount: 2,
    });
    expect(cells('events', 'events.k8s.io', e)).toEqual([
      '2m',
      'Normal',
      'ScalingReplicaSet',
      'deployment/web',
      '',
      'deployment-controller',
      'Scaled up replica set web-abc to 3',
      '20m',
      2,
      'y',
    ]);
  });

  it('has the 1.32 event columns and priorities', () => {
    const cols = columnDefinitions('events', '');
    expect(cols.map((c) => [c.name, c.priority])).toEqual([
      ['Last Seen', 0],
      ['Type', 0],
      ['Reason', 0],
      ['Object', 0],
      ['Subobject', 1],
      ['Source', 1],
      ['Message', 0],
      ['First Seen', 1],
      ['Count', 1],
      ['Name', 1],
    ]);
    expect(cols[9]?.format).toBe('name');
    expect(columnDefinitions('events', 'events.k8s.io')).toBe(cols);
  });
});

// ---------------------------------------------------------------------------

describe('workloads', () => {
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox' }] },
  };

  it('prints deployments', () => {
    const d = obj('Deployment', 'web', {
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    });
    expect(cells('deployments', 'apps', d)).toEqual(['web', '2/3', 3, 2, '5m', 'nginx,sidecar', 'nginx:1.27,busybox', 'app=web']);
    expect(names('deployments', 'apps', 1)).toEqual(['Containers', 'Images', 'Selector']);
    // A fresh deployment has no status yet and a defaulted replica count.
    const fresh = obj('Deployment', 'new', { spec: { selector: { matchLabels: { app: 'n' } }, template } });
    expect(cells('deployments', 'apps', fresh).slice(1, 4)).toEqual(['0/1', 0, 0]);
  });

  it('formats set-based selectors like labels.Selector.String()', () => {
    const selector = {
      matchLabels: { tier: 'front', app: 'web' },
      matchExpressions: [
        { key: 'zone', operator: 'In', values: ['b', 'a'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'gpu', operator: 'Exists' },
      ],
    };
    const rs = obj('ReplicaSet', 'web-abc', { spec: { replicas: 2, selector, template }, status: { replicas: 2, readyReplicas: 1 } });
    expect(cells('replicasets', 'apps', rs)).toEqual([
      'web-abc',
      2,
      2,
      1,
      '5m',
      'nginx,sidecar',
      'nginx:1.27,busybox',
      'app=web,!canary,env notin (dev),gpu,tier=front,zone in (a,b)',
    ]);
    const none = obj('ReplicaSet', 'r', { spec: { replicas: 0, template }, status: {} });
    expect(cells('replicasets', 'apps', none)[7]).toBe('<none>');
    const bad = obj('ReplicaSet', 'r', { spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] }, template } });
    expect(cells('replicasets', 'apps', bad)[7]).toBe('<error>');
  });

  it('prints daemonsets, statefulsets and replication controllers', () => {
    const ds = obj('DaemonSet', 'kube-proxy', {
      spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } }, template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 5, currentNumberScheduled: 5, numberReady: 4, updatedNumberScheduled: 5, numberAvailable: 4 },
    });
    expect(cells('daemonsets', 'apps', ds)).toEqual([
      'kube-proxy', 5, 5, 4, 5, 4, 'kubernetes.io/os=linux', '5m', 'nginx,sidecar', 'nginx:1.27,busybox', 'k8s-app=kube-proxy',
    ]);
    const sts = obj('StatefulSet', 'db', { spec: { replicas: 3, template }, status: { readyReplicas: 1 } });
    expect(cells('statefulsets', 'apps', sts)).toEqual(['db', '1/3', '5m', 'nginx,sidecar', 'nginx:1.27,busybox']);
    const rc = obj('ReplicationController', 'old', { spec: { replicas: 1, selector: { app: 'old' }, template }, status: { replicas: 1 } });
    expect(cells('replicationcontrollers', '', rc)).toEqual(['old', 1, 1, 0, '5m', 'nginx,sidecar', 'nginx:1.27,busybox', 'app=old']);
  });

  it('prints jobs and cronjobs', () => {
    const done = obj('Job', 'migrate', {
      spec: { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template },
      status: { succeeded: 1, startTime: ago(3 * M), completionTime: ago(2 * M), conditions: [{ type: 'Complete', status: 'True' }] },
    });
    expect(cells('jobs', 'batch', done).slice(0, 5)).toEqual(['migrate', 'Complete', '1/1', '60s', '5m']);
    const runningJob = obj('Job', 'work', {
      spec: { parallelism: 3, template },
      status: { active: 3, startTime: ago(4 * M + 30 * S) },
    });
    expect(cells('jobs', 'batch', runningJob).slice(1, 4)).toEqual(['Running', '0/1 of 3', '4m30s']);
    const cj = obj('CronJob', 'backup', {
      spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ name: 'backup-1' }], lastScheduleTime: ago(2 * M) },
    });
    expect(cells('cronjobs', 'batch', cj)).toEqual([
      'backup', '*/5 * * * *', '<none>', 'False', 1, '2m', '5m', 'nginx,sidecar', 'nginx:1.27,busybox', '<none>',
    ]);
  });

  it('prints PDBs, HPAs and controller revisions', () => {
    const pdb = obj('PodDisruptionBudget', 'web', { spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } });
    expect(cells('poddisruptionbudgets', 'policy', pdb)).toEqual(['web', '50%', 'N/A', 1, '5m']);
    const pdb2 = obj('PodDisruptionBudget', 'db', { spec: { maxUnavailable: 1 }, status: {} });
    expect(cells('poddisruptionbudgets', 'policy', pdb2).slice(1, 4)).toEqual(['N/A', '1', 0]);

    const hpa = obj('HorizontalPodAutoscaler', 'web', {
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
        ],
      },
      status: {
        currentReplicas: 3,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 23, averageValue: '120m' } } }],
      },
    });
    expect(cells('horizontalpodautoscalers', 'autoscaling', hpa)).toEqual([
      'web', 'Deployment/web', 'cpu: 23%/50%, memory: <unknown>/200Mi + 1 more...', '2', 10, 3, '5m',
    ]);
    const v1 = obj('HorizontalPodAutoscaler', 'api', {
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 4, targetCPUUtilizationPercentage: 80 },
      status: { currentReplicas: 1 },
    });
    expect(cells('horizontalpodautoscalers', 'autoscaling', v1).slice(2, 4)).toEqual(['cpu: <unknown>/80%', '1']);

    const cr = obj('ControllerRevision', 'kube-proxy-7d8f', { revision: 3 }, {
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', uid: 'u', controller: true }],
    });
    expect(cells('controllerrevisions', 'apps', cr)).toEqual(['kube-proxy-7d8f', 'daemonset.apps/kube-proxy', 3, '5m']);
  });
});

// ---------------------------------------------------------------------------

describe('other built-in printers', () => {
  it('prints namespaces, configmaps, secrets and service accounts', () => {
    expect(cells('namespaces', '', obj('Namespace', 'prod', { status: { phase: 'Active' } }))).toEqual(['prod', 'Active', '5m']);
    expect(cells('namespaces', '', obj('Namespace', 'old', { status: { phase: 'Terminating' } }))[1]).toBe('Terminating');
    const cm = obj('ConfigMap', 'cfg', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } });
    expect(cells('configmaps', '', cm)).toEqual(['cfg', 3, '5m']);
    expect(cells('configmaps', '', obj('ConfigMap', 'empty'))).toEqual(['empty', 0, '5m']);
    const tls = obj('Secret', 'tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } });
    expect(cells('secrets', '', tls)).toEqual(['tls', 'kubernetes.io/tls', 2, '5m']);
    expect(cells('secrets', '', obj('Secret', 'o', { data: {} }))).toEqual(['o', 'Opaque', 0, '5m']);
    expect(cells('serviceaccounts', '', obj('ServiceAccount', 'default'))).toEqual(['default', 0, '5m']);
  });

  it('prints leases with their holder', () => {
    const l = obj('Lease', 'node-1', { spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40 } }, { creationTimestamp: ago(12 * D) });
    expect(cells('leases', 'coordination.k8s.io', l)).toEqual(['node-1', 'node-1', '12d']);
    expect(cells('leases', 'coordination.k8s.io', obj('Lease', 'free', { spec: {} }))).toEqual(['free', '', '5m']);
    expect(columnDefinitions('leases', 'coordination.k8s.io').map((c) => c.name)).toEqual(['Name', 'Holder', 'Age']);
  });

  it('prints endpoints (three addresses, then "+ N more...")', () => {
    const ep = obj('Endpoints', 'web', {
      subsets: [
        {
          addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }],
        },
        { addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] },
      ],
    });
    expect(cells('endpoints', '', ep)[1]).toBe('10.0.0.1:8080,10.0.0.2:8080,10.0.0.1:9090 + 2 more...');
    const v6 = obj('Endpoints', 'v6', { subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] });
    expect(cells('endpoints', '', v6)[1]).toBe('[fd00::1]:80');
    expect(cells('endpoints', '', obj('Endpoints', 'none'))[1]).toBe('<none>');
  });

  it('prints role bindings with wide subject columns', () => {
    const rb = obj('ClusterRoleBinding', 'admins', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'Group', name: 'system:masters' },
        { kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' },
        { kind: 'User', name: 'bob' },
      ],
    });
    expect(cells('clusterrolebindings', 'rbac.authorization.k8s.io', rb)).toEqual([
      'admins', 'ClusterRole/cluster-admin', '5m', 'alice, bob', 'system:masters', 'ci/deployer',
    ]);
  });

  it('prints storage classes, PVs and PVCs', () => {
    const sc = obj('StorageClass', 'standard', { provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' }, {
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    });
    expect(cells('storageclasses', 'storage.k8s.io', sc)).toEqual([
      'standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '5m',
    ]);
    const pvc = obj('PersistentVolumeClaim', 'data', {
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, storageClassName: 'standard', volumeName: 'pvc-1', volumeMode: 'Filesystem' },
      status: { phase: 'Bound', accessModes: ['ReadWriteMany', 'ReadWriteOnce'], capacity: { storage: '10Gi' } },
    });
    expect(cells('persistentvolumeclaims', '', pvc)).toEqual(['data', 'Bound', 'pvc-1', '10Gi', 'RWO,RWX', 'standard', '<unset>', '5m', 'Filesystem']);
    const pending = obj('PersistentVolumeClaim', 'p', { spec: { resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } });
    expect(cells('persistentvolumeclaims', '', pending).slice(1, 6)).toEqual(['Pending', '', '', '', '']);
    const pv = obj('PersistentVolume', 'pvc-1', {
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        claimRef: { namespace: 'default', name: 'data' },
        storageClassName: 'standard',
      },
      status: { phase: 'Bound' },
    });
    expect(cells('persistentvolumes', '', pv)).toEqual([
      'pvc-1', '10Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'standard', '<unset>', '', '5m', '<unset>',
    ]);
  });

  it('prints APIServices and always sends their headers', () => {
    const local = obj('APIService', 'v1.apps', { spec: { group: 'apps', version: 'v1' }, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] } });
    const broken = obj('APIService', 'v1beta1.metrics.k8s.io', {
      spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
      status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] },
    });
    const t = toTable('apiservices', 'apiregistration.k8s.io', [local, broken], { ...OPTS, omitHeaders: true });
    expect(t.rows?.map((r) => r.cells)).toEqual([
      ['v1.apps', 'Local', 'True', '5m'],
      ['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'False (MissingEndpoints)', '5m'],
    ]);
    expect(t.columnDefinitions?.map((c) => c.name)).toEqual(['Name', 'Service', 'Available', 'Age']);
  });

  it('sorts FlowSchemas by matching precedence, then name', () => {
    const fs = (name: string, precedence: number): KObject =>
      obj('FlowSchema', name, { spec: { matchingPrecedence: precedence, priorityLevelConfiguration: { name: 'pl' }, distinguisherMethod: { type: 'ByUser' } }, status: { conditions: [{ type: 'Dangling', status: 'False' }] } });
    const t = toTable('flowschemas', 'flowcontrol.apiserver.k8s.io', [fs('global-default', 9900), fs('exempt', 1), fs('b', 1000), fs('a', 1000)], OPTS);
    expect(t.rows?.map((r) => r.cells[0])).toEqual(['exempt', 'a', 'b', 'global-default']);
    expect(t.rows?.[0]?.cells).toEqual(['exempt', 'pl', 1, 'ByUser', '5m', 'False']);
  });

  it('emits exactly one cell per column for every printer, even for bare objects', () => {
    const resources: [string, string][] = [
      ['pods', ''], ['podtemplates', ''], ['nodes', ''], ['namespaces', ''], ['services', ''], ['endpoints', ''],
      ['configmaps', ''], ['secrets', ''], ['serviceaccounts', ''], ['events', ''], ['replicationcontrollers', ''],
      ['persistentvolumes', ''], ['persistentvolumeclaims', ''], ['resourcequotas', ''], ['componentstatuses', ''],
      ['events', 'events.k8s.io'], ['deployments', 'apps'], ['replicasets', 'apps'], ['daemonsets', 'apps'],
      ['statefulsets', 'apps'], ['controllerrevisions', 'apps'], ['jobs', 'batch'], ['cronjobs', 'batch'],
      ['horizontalpodautoscalers', 'autoscaling'], ['poddisruptionbudgets', 'policy'], ['leases', 'coordination.k8s.io'],
      ['ingresses', 'networking.k8s.io'], ['ingressclasses', 'networking.k8s.io'], ['networkpolicies', 'networking.k8s.io'],
      ['endpointslices', 'discovery.k8s.io'], ['rolebindings', 'rbac.authorization.k8s.io'],
      ['clusterrolebindings', 'rbac.authorization.k8s.io'], ['storageclasses', 'storage.k8s.io'],
      ['volumeattachments', 'storage.k8s.io'], ['csinodes', 'storage.k8s.io'], ['csidrivers', 'storage.k8s.io'],
      ['priorityclasses', 'scheduling.k8s.io'], ['runtimeclasses', 'node.k8s.io'],
      ['certificatesigningrequests', 'certificates.k8s.io'], ['mutatingwebhookconfigurations', 'admissionregistration.k8s.io'],
      ['validatingwebhookconfigurations', 'admissionregistration.k8s.io'], ['flowschemas', 'flowcontrol.apiserver.k8s.io'],
      ['prioritylevelconfigurations', 'flowcontrol.apiserver.k8s.io'], ['apiservices', 'apiregistration.k8s.io'],
    ];
    for (const [resource, group] of resources) {
      expect(hasPrinter(resource, group), `${group}/${resource}`).toBe(true);
      const bare: KObject = { apiVersion: 'v1', kind: 'X', metadata: { name: 'bare' } };
      const row = tableRow(resource, group, bare, OPTS);
      expect(row.cells.length, `${group}/${resource}`).toBe(columnDefinitions(resource, group).length);
    }
  });

  it('prints ingresses with hosts, address and ports', () => {
    const ing = obj('Ingress', 'web', {
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'c.example.com' }, { host: 'd.example.com' }],
        tls: [{ hosts: ['a.example.com'] }],
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
    });
    expect(cells('ingresses', 'networking.k8s.io', ing)).toEqual([
      'web', 'nginx', 'a.example.com,b.example.com,c.example.com + 2 more...', '203.0.113.10', '80, 443', '5m',
    ]);
    const bare = obj('Ingress', 'x', { spec: { defaultBackend: {} } });
    expect(cells('ingresses', 'networking.k8s.io', bare).slice(1, 5)).toEqual(['<none>', '*', '', '80']);
  });
});

// ---------------------------------------------------------------------------

describe('generic (default convertor) tables', () => {
  it('prints NAME and an RFC 3339 "Created At" date', () => {
    const role = obj('ClusterRole', 'view', { rules: [] }, { namespace: undefined, creationTimestamp: '2025-01-15T13:00:00+01:00' });
    const t = toTable('clusterroles', 'rbac.authorization.k8s.io', [role], OPTS);
    expect(t.columnDefinitions).toEqual([
      expect.objectContaining({ name: 'Name', type: 'string', format: 'name', priority: 0 }),
      expect.objectContaining({ name: 'Created At', type: 'date', format: '', priority: 0 }),
    ]);
    expect(t.rows?.[0]?.cells).toEqual(['view', '2025-01-15T12:00:00Z']);
    const noTs = obj('ClusterRole', 'x', {}, { creationTimestamp: undefined });
    expect(cells('clusterroles', 'rbac.authorization.k8s.io', noTs)).toEqual(['x', '0001-01-01T00:00:00Z']);
    expect(hasPrinter('clusterroles', 'rbac.authorization.k8s.io')).toBe(false);
  });

  it('leaves rows null for an empty list, unlike the dedicated printers', () => {
    expect(toTable('roles', 'rbac.authorization.k8s.io', [], OPTS).rows).toBeNull();
    expect(toTable('pods', '', [], OPTS).rows).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

describe('custom resources (CRD printer columns)', () => {
  const widget = obj('Widget', 'w1', {
    spec: { replicas: 3.7, suspend: false, config: { b: '<x>', a: 1 }, ratio: 0.5, big: 1234567.5, tags: ['x', 'y'] },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Synced', status: 'False' },
        { type: 'Ready', status: 'True', lastTransitionTime: ago(90 * S) },
      ],
      observed: null,
    },
  });

  it('serves NAME + AGE when the CRD declares no columns', () => {
    const t = toTable('widgets', 'example.com', [widget], { ...OPTS, printerColumns: [] });
    expect(t.columnDefinitions?.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Age', 'date']]);
    expect(t.rows?.[0]?.cells).toEqual(['w1', '5m']);
  });

  it('evaluates JSONPath columns with the CRD cell typing rules', () => {
    const printerColumns: PrinterColumn[] = [
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', description: 'Readiness' },
      { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas', priority: 1 },
      { name: 'Suspended', type: 'boolean', jsonPath: '.spec.suspend' },
      { name: 'Config', type: 'string', jsonPath: '.spec.config' },
      { name: 'Ratio', type: 'string', jsonPath: '.spec.ratio' },
      { name: 'Big', type: 'string', jsonPath: '.spec.big' },
      { name: 'LastTag', type: 'string', jsonPath: '.spec.tags[-1]' },
      { name: 'Missing', type: 'string', jsonPath: '.status.nothing' },
      { name: 'Null', type: 'string', jsonPath: '.status.observed' },
      { name: 'Changed', type: 'date', jsonPath: '.status.conditions[1].lastTransitionTime' },
      { name: 'Bad', type: 'date', jsonPath: '.status.phase' },
    ];
    const t = toTable('widgets', 'example.com', [widget], { ...OPTS, printerColumns });
    expect(t.rows?.[0]?.cells).toEqual([
      'w1', 'Running', 'True', 3, false, '{"a":1,"b":"\\u003cx\\u003e"}', '0.5', '1.2345675e+06', 'y', null, '<no value>', '90s', '<invalid>',
    ]);
    const cols = t.columnDefinitions ?? [];
    expect(cols[1]?.description).toBe('Custom resource definition column (in JSONPath format): .status.phase');
    expect(cols[2]?.description).toBe('Readiness');
    expect(cols[3]?.priority).toBe(1);
    expect(columnDefinitions('widgets', 'example.com', printerColumns)).toBe(cols);
  });
});

// ---------------------------------------------------------------------------

describe('Table envelope and includeObject', () => {
  const p = pod('web-1', {}, { phase: 'Running', containerStatuses: [running('app')] });
  const done = pod('job-1', {}, { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });

  it('serializes like the apiserver (field order, list metadata, conditions only when set)', () => {
    const t = toTable('pods', '', [p, done], {
      includeObject: 'None',
      now: NOW,
      listMeta: { resourceVersion: '123', continue: 'eyJ2IjoxfQ', remainingItemCount: 5 },
    });
    const json = JSON.stringify(t);
    expect(json.startsWith(
      '{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"123","continue":"eyJ2IjoxfQ","remainingItemCount":5},' +
        '"columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"Name must be unique',
    )).toBe(true);
    expect(json).toContain('{"name":"Ready","type":"string","format":"","description":"The aggregate readiness state of this pod for accepting traffic.","priority":0}');
    expect(json).toContain('"rows":[{"cells":["web-1","1/1","Running","0","5m","<none>","<none>","<none>","<none>"],"object":null},');
    expect(json).toContain('{"cells":["job-1","0/1","Completed","0","5m","<none>","<none>","<none>","<none>"],"conditions":[{"type":"Completed","status":"True","reason":"Succeeded","message":"The pod has completed successfully."}],"object":null}]}');
    expect(JSON.parse(JSON.stringify(toTable('pods', '', [], OPTS)))).toEqual({
      kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {}, columnDefinitions: columnDefinitions('pods', ''), rows: [],
    });
  });

  it('embeds PartialObjectMetadata for Metadata (what kubectl -A reads NAMESPACE from)', () => {
    const row = toTable('pods', '', [p], { includeObject: 'Metadata', now: NOW }).rows?.[0] as TableRow;
    expect(row.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
    expect((row.object as { metadata: unknown }).metadata).toBe(p.metadata);
    const beta = tableRow('pods', '', p, { includeObject: 'Metadata', now: NOW, version: 'v1beta1' });
    expect(beta.object).toMatchObject({ apiVersion: 'meta.k8s.io/v1beta1' });
  });

  it('embeds the whole object for Object and null for None', () => {
    expect(tableRow('pods', '', p, { includeObject: 'Object', now: NOW }).object).toBe(p);
    expect(tableRow('pods', '', p, { includeObject: 'None', now: NOW }).object).toBeNull();
  });

  it('omits headers on request', () => {
    const t = toTable('pods', '', [p], { ...OPTS, omitHeaders: true });
    expect(t.columnDefinitions).toBeNull();
    expect(JSON.stringify(t)).toContain('"columnDefinitions":null');
  });

  it('builds single-object tables for GET and watch events', () => {
    const first = objectTable('pods', '', p, { ...OPTS });
    expect(first.metadata).toEqual({ resourceVersion: '42' });
    expect(first.columnDefinitions).toHaveLength(9);
    expect(first.rows).toHaveLength(1);
    const next = objectTable('pods', '', p, { ...OPTS, omitHeaders: true, version: 'v1beta1' });
    expect(next.columnDefinitions).toBeNull();
    expect(next.apiVersion).toBe('meta.k8s.io/v1beta1');
  });

  it('parses includeObject like the apiserver', () => {
    expect(parseIncludeObject(null)).toBe('Metadata');
    expect(parseIncludeObject('')).toBe('Metadata');
    expect(parseIncludeObject('Metadata')).toBe('Metadata');
    expect(parseIncludeObject('None')).toBe('None');
    expect(parseIncludeObject('Object')).toBe('Object');
    expect(parseIncludeObject('object')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------

describe('performance', () => {
  it('converts 150,000 pods quickly', () => {
    const pods: KObject[] = [];
    for (let i = 0; i < 150_000; i++) {
      pods.push(
        pod(
          `web-${i}`,
          { nodeName: `node-${i % 500}` },
          {
            phase: 'Running',
            podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
            podIPs: [{ ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }],
            conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
            containerStatuses: [{ ...running('app', i % 3), lastState: i % 3 ? { terminated: { exitCode: 1, finishedAt: ago((i % 7200) * S) } } : {} }],
          },
          { namespace: `ns-${i % 300}`, creationTimestamp: ago((i % 1000) * M) },
        ),
      );
    }
    const start = performance.now();
    const t = toTable('pods', '', pods, { includeObject: 'Metadata', now: NOW, listMeta: { resourceVersion: '9' } });
    const elapsed = performance.now() - start;
    expect(t.rows).toHaveLength(150_000);
    expect(t.rows?.[149_999]?.cells[0]).toBe('web-149999');
    // Typically ~100-200 ms; the bound only guards against pathological regressions.
    expect(elapsed).toBeLessThan(5000);
  });
});
