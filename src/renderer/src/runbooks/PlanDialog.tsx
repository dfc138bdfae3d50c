import type { CSSProperties } from 'react';
import { useModalDialog } from '../hooks/useModalDialog';
import { SiteBand } from '../components/SiteBand';
import { siteById } from '../store/selectors';
import { useActions, useApp } from '../store/store';
import { PlanParams } from './PlanParams';
import { PlanSteps } from './PlanSteps';
import { canStart, type PlanDialogState } from './state';
import { targetText } from './view';
import './runbooks.css';

/**
 * The plan of a runbook before anything changes: where (the target site's
 * name on its colour, so nobody drains in the wrong data center), the
 * declared parameters (re-planned as they change), every step with what it
 * touches, and the blockers, which keep Start disabled. A native modal
 * <dialog>: the page behind is inert, Escape closes it.
 */
export function PlanDialog() {
  const dialog = useApp((s) => s.runbooks.dialog);
  if (dialog === undefined) return null;
  // Keyed by the dialog: another runbook chosen meanwhile is a new dialog, with the focus at its start.
  return <PlanModal key={dialog.id} dialog={dialog} />;
}

function PlanModal({ dialog }: { dialog: PlanDialogState }) {
  const runbook = useApp((s) => s.runbooks.list?.find((r) => r.name === dialog.runbook));
  const site = useApp((s) => siteById(s.sites, dialog.target.site));
  const { closePlan, startPlan } = useActions();
  const { ref, onCancel } = useModalDialog(closePlan);



  const plan = dialog.planSeq === dialog.seq ? dialog.plan : undefined;
  const blockers = plan?.blockers ?? [];
  const siteName = site?.name ?? dialog.target.site;
  return (
    <dialog
      ref={ref}
      className="rb-plan"
      data-testid="runbook-plan"
      data-runbook={dialog.runbook}
      data-site={dialog.target.site}
      aria-labelledby="rb-plan-title"
      style={{ '--site-color': site?.color ?? 'var(--border)' } as CSSProperties}
      onCancel={onCancel}
    >
      <div className="rb-plan__head">
        {site ? <SiteBand site={site} size="large" /> : <span className="site-band">{dialog.target.site}</span>}
        <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={closePlan}>
          ✕
        </button>
      </div>
      <div className="rb-plan__body">
        <h2 id="rb-plan-title" className="rb-plan__title">
          {runbook?.title ?? dialog.runbook}
        </h2>
        <p className="rb-plan__target" data-testid="runbook-plan-target">
          On <strong>{targetText(dialog.target)}</strong> at <strong className="rb-plan__site">{siteName}</strong>
          <span className="muted mono"> · {dialog.runbook}</span>
        </p>
        {runbook?.description && <p className="rb-plan__description">{runbook.description}</p>}
        {runbook && runbook.params.length > 0 && <PlanParams runbook={runbook} values={dialog.values} />}
        {blockers.length > 0 && (
          <div className="rb-plan__blockers" role="alert" data-testid="runbook-blockers">
            <strong>Cannot start:</strong>
            <ul>
              {blockers.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          </div>
        )}
        {dialog.planError !== undefined && (
          <p className="error" role="alert" data-testid="runbook-plan-error">
            {dialog.planError}
          </p>
        )}
        {plan ? <PlanSteps plan={plan} runSite={dialog.target.site} /> : dialog.planning && <p className="muted">Planning…</p>}
      </div>
      <div className="rb-plan__foot">
        {dialog.startError !== undefined && (
          <p className="error rb-plan__start-error" role="alert" data-testid="runbook-start-error">
            {dialog.startError}
          </p>
        )}
        <span className="muted rb-plan__status" aria-live="polite">
          {dialog.planning ? 'Planning…' : plan ? `${plan.steps.length} steps, ${plan.steps.filter((s) => s.mutates).length} of them change the cluster` : ''}
        </span>
        <button type="button" onClick={closePlan}>
          Cancel
        </button>
        <button type="button" className="primary" data-testid="runbook-start" disabled={!canStart(dialog)} onClick={() => void startPlan()}>
          {dialog.starting ? 'Starting…' : `Start at ${siteName}`}
        </button>
      </div>
    </dialog>
  );
}
