import type { CSSProperties } from 'react';
import type { RunStatus } from '../../../shared/runbooks';
import { SiteBand } from '../components/SiteBand';
import { formatAge } from '../format';
import { siteById } from '../store/selectors';
import { useActions, useApp } from '../store/store';
import { RunControls } from './RunControls';
import { RunGate } from './RunGate';
import { RunSteps } from './RunSteps';
import { runSite } from './view';
import './runbooks.css';

/**
 * The run dock, at the bottom like the log dock (above it when both are
 * open): a run's live progress step by step, the gate it waits at, its
 * controls and, when it failed, why. After a reload it comes back on the
 * run still going (the slice loads `runbooks.runs()` at start).
 */
export function RunDock() {
  const open = useApp((s) => s.runbooks.dockOpen);
  const run = useApp((s) => (s.runbooks.shownRun === undefined ? undefined : s.runbooks.runs[s.runbooks.shownRun]));
  if (!open || run === undefined) return null;
  return <RunView run={run} />;
}

function RunView({ run }: { run: RunStatus }) {
  const site = useApp((s) => siteById(s.sites, runSite(run) ?? ''));
  const otherDock = useApp((s) => s.ui.logs !== undefined || s.ui.shell !== undefined);
  const controlError = useApp((s) => (s.runbooks.controlError?.run === run.run ? s.runbooks.controlError.message : undefined));
  const { closeRunDock } = useActions();
  return (
    <section
      className={`rb-dock${otherDock ? ' rb-dock--raised' : ''}`}
      data-testid="runbook-run"
      data-run={run.run}
      data-runbook={run.runbook}
      data-state={run.state}
      aria-label={`Runbook run: ${run.title}`}
      style={{ '--site-color': site?.color ?? 'var(--accent)' } as CSSProperties}
    >
      <div className="rb-dock__bar">
        {site ? <SiteBand site={site} /> : null}
        <strong className="rb-dock__title">{run.title}</strong>
        <span className={`rb-state rb-state--${run.state}`} data-testid="runbook-run-state">
          {run.state}
        </span>
        <span className="muted rb-dock__who">
          started by {run.startedBy}
          {run.endedAt !== undefined ? ` · took ${formatAge(run.endedAt - run.startedAt)}` : ''}
        </span>
        <span className="rb-dock__spacer" />
        <RunPicker current={run.run} />
        <RunControls run={run} />
        <button type="button" className="icon-button" aria-label="Close the run dock" title="Close (the run goes on)" onClick={closeRunDock}>
          ✕
        </button>
      </div>
      {run.error !== undefined && (
        <p className="error rb-dock__error" role="alert" data-testid="runbook-error">
          {run.error}
        </p>
      )}
      {controlError !== undefined && (
        <p className="error rb-dock__error" role="alert" data-testid="runbook-control-error">
          {controlError}
        </p>
      )}
      <RunGate run={run} site={site} />
      <RunSteps run={run} />
    </section>
  );
}

/** Another run of this console, when there are several. */
function RunPicker({ current }: { current: string }) {
  const runs = useApp((s) => s.runbooks.runs);
  const { showRun } = useActions();
  const list = Object.values(runs).sort((a, b) => b.startedAt - a.startedAt);
  if (list.length < 2) return null;
  return (
    <select className="rb-dock__picker" aria-label="Show run" value={current} onChange={(e) => showRun(e.currentTarget.value)}>
      {list.map((r) => (
        <option key={r.run} value={r.run}>
          {r.title} · {String(r.params.rack ?? r.params.node ?? r.params.name ?? r.params.site ?? '')} · {r.state}
        </option>
      ))}
    </select>
  );
}
