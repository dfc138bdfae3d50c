import { useActions, useApp } from '../store/store';
import { isActive } from './view';

/** The top bar's way back to the run dock: how many runs are going, and a click shows the newest. */
export function RunsButton() {
  const runs = useApp((s) => s.runbooks.runs);
  const { showRun } = useActions();
  const list = Object.values(runs).sort((a, b) => b.startedAt - a.startedAt);
  if (list.length === 0) return null;
  const active = list.filter((r) => isActive(r.state));
  const waiting = active.some((r) => r.state === 'waiting-confirm');
  return (
    <button
      type="button"
      className={`rb-runs-button${waiting ? ' rb-runs-button--waiting' : ''}`}
      data-testid="runbook-runs-open"
      title={waiting ? 'A run waits for you' : 'Show the runbook runs'}
      onClick={() => showRun((active[0] ?? list[0])!.run)}
    >
      Runs{active.length > 0 ? ` · ${active.length} active` : ''}
      {waiting ? ' · waiting' : ''}
    </button>
  );
}
