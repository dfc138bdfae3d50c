import type { PlannedStep, RunPlan } from '../../../shared/runbooks';
import { StepSite } from './StepSite';
import { TouchList } from './TouchList';

/**
 * Every step of a plan in order: its title, its site, whether it changes
 * the cluster, what it touches and the notes the engine left (pods a drain
 * skips, a budget that will slow it).
 */
export function PlanSteps({ plan, runSite }: { plan: RunPlan; runSite: string }) {
  return (
    <ol className="rb-steps" data-testid="runbook-plan-steps" aria-label="Steps">
      {plan.steps.map((s) => (
        <PlanStepItem key={s.id} step={s} runSite={runSite} />
      ))}
    </ol>
  );
}

function PlanStepItem({ step, runSite }: { step: PlannedStep; runSite: string }) {
  return (
    <li className={`rb-step${step.mutates ? ' rb-step--mutates' : ''}`} data-testid="runbook-plan-step" data-step={step.id} data-type={step.type} data-mutates={step.mutates}>
      <div className="rb-step__line">
        <span className="rb-step__title">{step.title}</span>
        <StepSite site={step.site || runSite} />
        {step.mutates ? <span className="tag rb-tag--mutates">changes the cluster</span> : <span className="tag rb-tag--read">{gateWord(step.type)}</span>}
      </div>
      {step.touches.length > 0 && <TouchList touches={step.touches} verb={step.mutates ? 'Changes' : 'Looks at'} />}
      {step.notes.length > 0 && (
        <ul className="rb-step__notes">
          {step.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** What a step that changes nothing does, in a word. */
function gateWord(type: PlannedStep['type']): string {
  switch (type) {
    case 'confirm':
      return 'asks you';
    case 'note':
      return 'your manual step';
    case 'check':
      return 'check';
    case 'wait':
      return 'waits';
    case 'collect':
      return 'collects';
    case 'report':
      return 'writes a report';
    default:
      return 'reads only';
  }
}
