import { useEffect, useRef } from 'react';
import type { RunStatus } from '../../../shared/runbooks';
import { StepSite } from './StepSite';
import { STEP_ICONS } from './view';

/** Every step of a run with its state, progress and last message; the current one kept in view. */
export function RunSteps({ run }: { run: RunStatus }) {
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (run.current === undefined) return;
    listRef.current?.children[run.current]?.scrollIntoView({ block: 'nearest' });
    // Again when the state changes too: a gate opening above the list shrinks it and can push the current step out of view.
  }, [run.current, run.state]);
  const site = typeof run.params.site === 'string' ? run.params.site : '';
  return (
    <ol className="rb-run-steps" ref={listRef} aria-label="Steps">
      {run.steps.map((s, i) => (
        <li key={s.id} className={`rb-run-step rb-run-step--${s.state}${i === run.current ? ' is-current' : ''}`} data-testid="runbook-run-step" data-step={s.id} data-state={s.state}>
          <span className={`rb-run-step__icon rb-run-step__icon--${s.state}`} aria-hidden="true">
            {STEP_ICONS[s.state]}
          </span>
          <span className="rb-run-step__title">{s.title}</span>
          <span className="rb-visually-hidden">{s.state}</span>
          {s.site && s.site !== site ? <StepSite site={s.site} /> : null}
          {s.progress && (
            <span className="rb-run-step__progress" data-testid="runbook-step-progress">
              <progress max={Math.max(1, s.progress.total)} value={s.progress.done} />
              {s.progress.done}/{s.progress.total}
            </span>
          )}
          {s.message && <span className="rb-run-step__message muted">{s.message}</span>}
        </li>
      ))}
    </ol>
  );
}
