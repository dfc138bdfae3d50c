import { saveTextFile, stampedName } from '../download';
import { useApp } from '../store/store';
import { actionLine, clock, debriefMarkdown, formatElapsed, shown } from './format';

/**
 * The debrief of the last ended run, for the trainer and the trainee to go
 * through together: how long it took, each goal and when it was met (or
 * that it was not), the faults played, and every action from the audit
 * trail — who, what, which object, when. Downloadable as Markdown.
 */
export function DebriefView() {
  const d = useApp((s) => s.training.debrief);
  if (d === null) {
    return (
      <p className="muted" data-testid="training-no-debrief">
        No debrief yet: it is written when a trainer stops a scenario.
      </p>
    );
  }
  const met = d.goals.filter((g) => g.met).length;
  return (
    <section className="training-debrief" data-testid="training-debrief" data-scenario={d.name}>
      <div className="training-run__head">
        <strong className="training-run__title">{shown(d.title)}</strong>
        <button type="button" data-testid="training-debrief-download" onClick={() => saveTextFile(stampedName(`triptych-debrief-${d.name}`, 'md'), [debriefMarkdown(d)], 'text/markdown')}>
          Download Markdown
        </button>
      </div>
      <p>
        Duration <strong data-testid="training-debrief-duration">{formatElapsed(d.durationMs)}</strong> ({clock(d.startedAt)}–{clock(d.endedAt)} UTC), {met} of {d.goals.length} goals met.
      </p>
      <h3 className="training-run__h">Goals</h3>
      <ul className="training-goals">
        {d.goals.map((g) => (
          <li key={g.id} className={g.met ? 'training-goal training-goal--met' : 'training-goal'} data-testid="training-debrief-goal" data-goal={g.id} data-met={g.met ? 'true' : 'false'}>
            <span className="training-goal__mark">{g.met ? '✓' : '✗'}</span>
            <span className="training-goal__text">{shown(g.text)}</span>
            <span className="training-goal__when">{g.met && g.afterMs !== undefined ? `met after ${formatElapsed(g.afterMs)}` : 'not met'}</span>
            {!g.met && g.detail !== undefined && <span className="training-goal__detail muted">{shown(g.detail)}</span>}
          </li>
        ))}
      </ul>
      <h3 className="training-run__h">Faults played</h3>
      <ol className="training-steps">
        {d.steps.map((s, i) => (
          <li key={i}>
            <span className="training-steps__at">{s.applied ? `+${formatElapsed(s.applied.at - d.startedAt)}` : 'not played'}</span> {shown(s.applied?.result ?? s.fault)}
          </li>
        ))}
      </ol>
      <h3 className="training-run__h">What was done ({d.actions.length} actions, from the audit trail)</h3>
      {d.actions.length === 0 ? (
        <p className="muted">Nothing was done through the console during the run.</p>
      ) : (
        <table className="training-actions">
          <thead>
            <tr>
              <th>Time (UTC)</th>
              <th>Who</th>
              <th>What</th>
              <th>Object</th>
              <th>Site</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {d.actions.map((e) => {
              const a = actionLine(e);
              return (
                <tr key={e.seq} data-testid="training-debrief-action" data-verb={e.verb} data-runbook={e.runbook?.name ?? ''} data-result={e.result}>
                  <td>{clock(e.at)}</td>
                  <td>{a.who}</td>
                  <td>{a.what}</td>
                  <td>{a.object}</td>
                  <td>{a.site}</td>
                  <td>{a.result}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
