/**
 * Test support for the runbook views and slice (imported only by *.test.ts):
 * small runbooks, plans and run statuses shaped as the host sends them.
 */
import type { MaintenanceView } from '../../../shared/contract/triptych';
import type { PlannedStep, RunPlan, RunStatus, Runbook } from '../../../shared/runbooks';

/** The shipped `drain-rack`, reduced to what the views read. */
export function drainRack(over: Partial<Runbook> = {}): Runbook {
  return {
    name: 'drain-rack',
    title: 'Drain a rack, node by node',
    description: 'Cordons every node of the rack, then drains them one at a time.',
    target: 'rack',
    params: [{ name: 'reason', type: 'string', default: 'rack maintenance' }],
    lease: { scope: 'rack/${rack}', duration: 4 * 3_600_000 },
    steps: [],
    source: 'resources/runbooks/drain-rack.yaml',
    ...over,
  };
}

/** A runbook with only a target (and parameters, when given). */
export function runbookOf(name: string, target: Runbook['target'], params: Runbook['params'] = []): Runbook {
  return { name, title: name, target, params, steps: [], source: `${name}.yaml` };
}

/** A planned step at `site`. */
export function plannedStep(id: string, over: Partial<PlannedStep> = {}): PlannedStep {
  return { id, type: 'note', spec: { type: 'note', text: id }, title: id, site: 'fra', mutates: false, touches: [], notes: [], ...over };
}

/** A plan of `runbook` with the given steps and blockers. */
export function planOf(id: string, params: RunPlan['params'], steps: PlannedStep[] = [plannedStep('go', { type: 'confirm' })], blockers: string[] = []): RunPlan {
  return { id, runbook: 'drain-rack', params, steps, blockers };
}

/** A run's status; steps default to one pending `go` gate. */
export function runStatus(run: string, over: Partial<RunStatus> = {}): RunStatus {
  return {
    run,
    runbook: 'drain-rack',
    title: 'Drain a rack, node by node',
    state: 'running',
    startedBy: 'userpass-operator',
    startedAt: Date.parse('2025-06-01T08:30:00Z'),
    params: { site: 'fra', rack: 'B-07', reason: 'rack maintenance' },
    steps: [{ id: 'go', type: 'confirm', title: 'Confirm', site: 'fra', state: 'pending' }],
    ...over,
  };
}

/** A rack Lease held at `site`. */
export function rackLease(site: string, rack: string, over: Partial<MaintenanceView> = {}): MaintenanceView {
  return { site, scope: `rack/${rack}`, holder: 'userpass-operator', since: '2025-06-01T08:30:00Z', runbook: 'drain-rack', ...over };
}

/** A rejection shaped as the contract client's (an Error with the host's `code`), without importing the transport. */
export function contractError(code: 'bad-request' | 'forbidden' | 'not-found' | 'unavailable', message: string): Error {
  return Object.assign(new Error(message), { code });
}
