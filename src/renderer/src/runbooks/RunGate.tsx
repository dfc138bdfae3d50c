import type { CSSProperties } from 'react';
import type { SiteInfo } from '../../../shared/model';
import type { RunStatus } from '../../../shared/runbooks';
import { SiteBand } from '../components/SiteBand';
import { siteById } from '../store/selectors';
import { useActions, useApp } from '../store/store';
import { gateStep } from './view';

/**
 * The gate a run waits at (a confirm, or a manual step to mark done): the
 * step's question or instruction under the site's name on its colour, so
 * the admin confirms for the data center they mean.
 */
export function RunGate({ run, site }: { run: RunStatus; site: SiteInfo | undefined }) {
  const step = gateStep(run);
  const stepSite = useApp((s) => (step?.site ? siteById(s.sites, step.site) : undefined));
  const busy = useApp((s) => s.runbooks.pending[run.run] !== undefined);
  const { controlRun } = useActions();
  if (step === undefined) return null;
  const where = stepSite ?? site;
  return (
    <div className="rb-gate" role="group" aria-label="Waiting for you" data-testid="runbook-gate" data-step={step.id} style={{ '--site-color': where?.color ?? 'var(--accent)' } as CSSProperties}>
      {where ? <SiteBand site={where} size="large" /> : null}
      <div className="rb-gate__text">
        <strong>{step.title}</strong>
        {/* An untitled confirm is titled with its own question: say it once. */}
        {step.message && !step.title.includes(step.message) && <p className="rb-gate__message">{step.message}</p>}
      </div>
      <button type="button" className="primary" data-testid="runbook-confirm" disabled={busy} onClick={() => void controlRun('confirm', run.run)}>
        {step.type === 'note' ? 'Mark done' : 'Confirm'}
        {where ? ` at ${where.name}` : ''}
      </button>
    </div>
  );
}
