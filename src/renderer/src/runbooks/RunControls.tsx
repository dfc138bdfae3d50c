import type { RunStatus } from '../../../shared/runbooks';
import { useActions, useApp } from '../store/store';
import { isEnded } from './view';

/** Pause (before the next step), resume, and abort (at the next safe point) for a run that has not ended. */
export function RunControls({ run }: { run: RunStatus }) {
  const pending = useApp((s) => s.runbooks.pending[run.run]);
  const pausing = useApp((s) => s.runbooks.pausing[run.run] === true);
  const { controlRun } = useActions();
  if (isEnded(run.state)) return null;
  const busy = pending !== undefined;
  return (
    <span className="rb-controls">
      {run.state === 'paused' ? (
        <button type="button" className="small" data-testid="runbook-resume" disabled={busy} onClick={() => void controlRun('resume', run.run)}>
          Resume
        </button>
      ) : (
        <button type="button" className="small" data-testid="runbook-pause" disabled={busy || pausing} title="Stops before the next step" onClick={() => void controlRun('pause', run.run)}>
          {pausing ? 'Pausing after this step…' : 'Pause'}
        </button>
      )}
      <button
        type="button"
        className="small rb-controls__abort"
        data-testid="runbook-abort"
        disabled={busy}
        title="Stops at the next safe point (a drain evicts no more pods) and releases the maintenance Lease"
        onClick={() => void controlRun('abort', run.run)}
      >
        Abort
      </button>
    </span>
  );
}
