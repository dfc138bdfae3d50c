import { describe, expect, it } from 'vitest';
import { podPrintStatus } from './pod-status';

const NOW = Date.parse('2026-03-10T09:30:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const S = 1000;

const running = (name: string, restartCount = 0): Record<string, unknown> => ({ name, ready: true, started: true, restartCount, state: { running: {} } });
const pod = (spec: Record<string, unknown>, status: Record<string, unknown>, metadata: Record<string, unknown> = {}): unknown => ({
  metadata: { name: 'p', namespace: 'ns', ...metadata },
  spec: { containers: [{ name: 'app' }], ...spec },
  status,
});

describe('podPrintStatus', () => {
  it('reads a running pod as kubectl does', () => {
    expect(podPrintStatus(pod({}, { phase: 'Running', containerStatuses: [running('app')] }))).toEqual({
      reason: 'Running',
      readyContainers: 1,
      totalContainers: 1,
      restarts: 0,
    });
  });

  it('never throws on garbage and reads it as nothing', () => {
    for (const junk of [undefined, null, 42, 'pod', [], { spec: [], status: 'x' }, { status: { containerStatuses: [null, 7, { restartCount: 'many' }] } }]) {
      expect(() => podPrintStatus(junk)).not.toThrow();
    }
    expect(podPrintStatus(null)).toEqual({ reason: '', readyContainers: 0, totalContainers: 0, restarts: 0 });
  });

  it('lets the first container’s waiting or terminated reason decide STATUS', () => {
    const s = podPrintStatus(
      pod({ containers: [{ name: 'a' }, { name: 'b' }] }, {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } },
          { name: 'b', restartCount: 0, state: { terminated: { exitCode: 137 } } },
        ],
      }),
    );
    expect(s).toMatchObject({ reason: 'CrashLoopBackOff', readyContainers: 0, totalContainers: 2, restarts: 2 });
    const sig = pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, signal: 9 } } }] });
    expect(podPrintStatus(sig).reason).toBe('Signal:9');
  });

  it('reports the newest termination as lastRestartAt, with a pluggable time parser', () => {
    const p = pod({ containers: [{ name: 'a' }, { name: 'b' }] }, {
      phase: 'Running',
      containerStatuses: [
        { ...running('a', 1), lastState: { terminated: { exitCode: 1, finishedAt: ago(7200 * S) } } },
        { ...running('b', 2), lastState: { terminated: { exitCode: 1, finishedAt: ago(45 * S) } } },
      ],
    });
    expect(podPrintStatus(p)).toMatchObject({ restarts: 3, lastRestartAt: NOW - 45 * S });
    expect(podPrintStatus(p, { parseTime: () => Number.NEGATIVE_INFINITY }).lastRestartAt).toBeUndefined();
    // Go's zero time and unparseable times are no time.
    const zero = pod({}, {
      phase: 'Running',
      containerStatuses: [{ ...running('app', 1), lastState: { terminated: { exitCode: 1, finishedAt: '0001-01-01T00:00:00Z' } } }],
    });
    expect(podPrintStatus(zero).lastRestartAt).toBeUndefined();
    const bad = pod({}, { phase: 'Running', containerStatuses: [{ ...running('app', 1), lastState: { terminated: { finishedAt: 'soon' } } }] });
    expect(podPrintStatus(bad).lastRestartAt).toBeUndefined();
  });

  it('shows init progress and counts only init restarts while initializing', () => {
    const spec = { initContainers: [{ name: 'init-a' }, { name: 'init-b' }] };
    const status = (initStatuses: unknown[]): Record<string, unknown> => ({
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'False' }],
      initContainerStatuses: initStatuses,
      containerStatuses: [{ name: 'app', restartCount: 9, state: { waiting: { reason: 'PodInitializing' } } }],
    });
    expect(podPrintStatus(pod(spec, status([{ name: 'init-a', state: { running: {} } }]))).reason).toBe('Init:0/2');
    const loop = podPrintStatus(
      pod(spec, status([{ name: 'init-a', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(20 * S) } } }])),
    );
    expect(loop).toEqual({ reason: 'Init:CrashLoopBackOff', readyContainers: 0, totalContainers: 1, restarts: 4, lastRestartAt: NOW - 20 * S });
    const code = pod(spec, status([{ name: 'init-a', state: { terminated: { exitCode: 1 } } }]));
    expect(podPrintStatus(code).reason).toBe('Init:ExitCode:1');
  });

  it('counts sidecars (restartPolicy Always) in READY and RESTARTS', () => {
    const p = pod({ initContainers: [{ name: 'mesh', restartPolicy: 'Always' }, { name: 'setup' }] }, {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      initContainerStatuses: [
        { ...running('mesh', 1), lastState: { terminated: { exitCode: 1, finishedAt: ago(90 * S) } } },
        // A plain init container's restarts stop counting once the pod is initialized.
        { name: 'setup', restartCount: 5, state: { terminated: { exitCode: 0, reason: 'Completed' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(10 * S) } } },
      ],
      containerStatuses: [running('app')],
    });
    expect(podPrintStatus(p)).toEqual({ reason: 'Running', readyContainers: 2, totalContainers: 2, restarts: 1, lastRestartAt: NOW - 90 * S });
  });

  it('turns Completed into Running or NotReady while another container still runs', () => {
    const status = (ready: boolean): Record<string, unknown> => ({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [running('a'), { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    });
    const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
    expect(podPrintStatus(pod(spec, status(true))).reason).toBe('Running');
    expect(podPrintStatus(pod(spec, status(false))).reason).toBe('NotReady');
  });

  it('uses the pod reason and SchedulingGated, and Terminating/Unknown for deleted pods', () => {
    expect(podPrintStatus(pod({}, { phase: 'Failed', reason: 'Evicted' })).reason).toBe('Evicted');
    expect(podPrintStatus(pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', reason: 'SchedulingGated' }] })).reason).toBe('SchedulingGated');
    const deleting = { deletionTimestamp: ago(S) };
    expect(podPrintStatus(pod({}, { phase: 'Running', containerStatuses: [running('app')] }, deleting)).reason).toBe('Terminating');
    expect(podPrintStatus(pod({}, { phase: 'Succeeded' }, deleting)).reason).toBe('Succeeded');
    expect(podPrintStatus(pod({}, { phase: 'Running', reason: 'NodeLost' }, deleting)).reason).toBe('Unknown');
    expect(podPrintStatus(pod({}, { phase: 'Running', reason: 'NodeLost' })).reason).toBe('NodeLost');
  });
});
