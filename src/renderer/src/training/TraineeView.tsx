import type { TrainingRun } from '../../../shared/training';
import { useApp } from '../store/store';
import { formatElapsed, formatTarget, shown } from './format';

/**
 * The scenario as the trainee sees it: briefing, what it acts on, the goals
 * (ticked as the fleet finds them met, each with what is still missing),
 * the time since the start and the faults played so far.
 */
export function TraineeView() {
  const run = useApp((s) => s.training.status?.run ?? null);
  if (run === null) {
    return (
      <p className="muted" data-testid="training-idle">
        No scenario is playing. A trainer starts one from the Trainer tab.
      </p>
    );
  }
  return <RunView run={run} />;
}

function RunView({ run }: { run: TrainingRun }) {
  const now = useApp((s) => s.now);
  const ended = run.endedAt !== undefined;
  const met = run.goals.filter((g) => g.met).length;
  const played = run.steps.filter((s) => s.applied !== undefined);
  return (
    <section className="training-run" data-testid="training-run" data-scenario={run.name} data-state={ended ? 'ended' : 'playing'} {...targetData(run.target)}>
      <div className="training-run__head">
        <strong className="training-run__title">{shown(run.title)}</strong>
        <span className={ended ? 'tag' : 'tag tag--training'}>{ended ? 'ended' : 'playing'}</span>
        <span className="training-run__elapsed" data-testid="training-elapsed" title="Time since the scenario started">
          {formatElapsed((run.endedAt ?? Math.max(now, run.startedAt)) - run.startedAt)}
        </span>
      </div>
      <p className="training-run__target" data-testid="training-target">
        {formatTarget(run.target)}
      </p>
      <p className="training-run__briefing" data-testid="training-briefing">
        {shown(run.briefing)}
      </p>
      <h3 className="training-run__h">
        Goals <span className="muted">({met} of {run.goals.length} met)</span>
      </h3>
      <ul className="training-goals">
        {run.goals.map((g) => (
          <li key={g.id} className={g.met ? 'training-goal training-goal--met' : 'training-goal'} data-testid="training-goal" data-goal={g.id} data-met={g.met ? 'true' : 'false'}>
            <span className="training-goal__mark" aria-label={g.met ? 'met' : 'not met yet'}>
              {g.met ? '✓' : '○'}
            </span>
            <span className="training-goal__text">{shown(g.text)}</span>
            {g.met && g.metAt !== undefined && <span className="training-goal__when">met after {formatElapsed(g.metAt - run.startedAt)}</span>}
            {g.detail !== undefined && <span className="training-goal__detail muted" data-testid="training-goal-detail">{shown(g.detail)}</span>}
          </li>
        ))}
      </ul>
      <h3 className="training-run__h">
        Faults played <span className="muted">({played.length} of {run.steps.length})</span>
      </h3>
      {played.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ol className="training-steps">
          {played.map((s, i) => (
            <li key={i} data-testid="training-step" data-fault={s.fault} data-ok={s.applied?.ok ? 'true' : 'false'}>
              <span className="training-steps__at">+{formatElapsed((s.applied?.at ?? run.startedAt) - run.startedAt)}</span> {shown(s.applied?.result ?? s.fault)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** `data-site`, `data-rack`...: what tests and screen readers of the DOM find the target by. */
function targetData(target: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['site', 'rack', 'node', 'namespace', 'deployment']) if (target[k] !== undefined) out[`data-${k}`] = target[k];
  return out;
}
