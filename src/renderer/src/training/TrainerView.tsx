import { useState, type FormEvent } from 'react';
import type { FaultDoc } from '../../../shared/training';
import { useActions, useApp } from '../store/store';
import { playing, shown, unresolved } from './format';
import type { FaultRequest } from './slice';
import { faultProblem, faultRequest } from './inject';

/**
 * The trainer's controls: the shipped scenarios (title, summary, briefing,
 * goals) to start; for the run playing, "Next step now" and Stop (which
 * opens the debrief); and a fault to inject now, its form built from the
 * fleet's fault catalogue.
 */
export function TrainerView() {
  const status = useApp((s) => s.training.status);
  const catalogue = useApp((s) => s.training.catalogue);
  const busy = useApp((s) => s.training.busy);
  const { startTraining, advanceTraining, stopTraining } = useActions();
  const run = playing(status) ? status.run : undefined;
  const pending = run ? run.steps.filter((s) => s.applied === undefined).length : 0;
  return (
    <div className="training-trainer">
      {run !== undefined && (
        <section className="training-trainer__run" data-testid="training-controls">
          <p>
            Playing <strong>{shown(run.title)}</strong>: {run.steps.length - pending} of {run.steps.length} steps played.
          </p>
          <div className="training-trainer__buttons">
            <button type="button" data-testid="training-advance" disabled={busy || pending === 0} onClick={() => void advanceTraining()} title={pending === 0 ? 'Every step has been played' : `Play the next step (${run.steps.find((s) => s.applied === undefined)?.fault ?? ''}) now instead of at its time`}>
              Next step now
            </button>
            <button type="button" className="danger" data-testid="training-stop" disabled={busy} onClick={() => void stopTraining()} title="End the scenario and open its debrief">
              Stop and debrief
            </button>
          </div>
        </section>
      )}
      <h3 className="training-run__h">Scenarios</h3>
      {catalogue === undefined ? (
        <p className="muted">Loading the scenarios…</p>
      ) : (
        <ul className="training-scenarios">
          {catalogue.scenarios.map((s) => (
            <li key={s.name} className="training-scenario" data-testid="training-scenario" data-scenario={s.name}>
              <div className="training-scenario__head">
                <strong>{shown(s.title)}</strong>
                <button type="button" data-testid="training-start" data-scenario={s.name} disabled={busy} onClick={() => void startTraining(s.name)} title={run ? 'Ends the scenario playing now and starts this one' : 'Start this scenario on the training fleet'}>
                  Start
                </button>
              </div>
              <p className="muted">{shown(s.summary)}</p>
              <details>
                <summary>
                  Briefing, {s.goals.length === 1 ? '1 goal' : `${s.goals.length} goals`} and {s.steps === 1 ? '1 step' : `${s.steps} steps`}
                </summary>
                <p className="training-run__briefing">{shown(s.briefing)}</p>
                <ul>
                  {s.goals.map((g) => (
                    <li key={g.id}>{shown(unresolved(g.text))}</li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      )}
      {catalogue !== undefined && <InjectForm faults={catalogue.faults} />}
    </div>
  );
}

function InjectForm({ faults }: { faults: FaultDoc[] }) {
  const sites = useApp((s) => s.sites);
  const busy = useApp((s) => s.training.busy);
  const injected = useApp((s) => s.training.injected);
  const { injectFault } = useActions();
  const [name, setName] = useState(faults[0]?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | undefined>();
  const fault = faults.find((f) => f.name === name);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!fault) return;
    const p = faultProblem(fault, values);
    setProblem(p);
    if (p !== undefined) return;
    const req: FaultRequest = faultRequest(fault, values);
    void injectFault(req);
  };
  return (
    <form className="training-inject" data-testid="training-inject-form" onSubmit={submit}>
      <h3 className="training-run__h">Inject a fault now</h3>
      <label>
        Fault{' '}
        <select data-testid="training-fault" value={name} onChange={(e) => (setName(e.target.value), setProblem(undefined))}>
          {faults.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      {fault && <p className="muted">{shown(fault.summary)}</p>}
      {fault?.params.map((p) => (
        <label key={p} className="training-inject__field">
          {p}{' '}
          {p === 'site' ? (
            <select data-testid="training-fault-param" data-param={p} value={values[p] ?? ''} onChange={(e) => setValues({ ...values, [p]: e.target.value })}>
              <option value="">choose a site</option>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          ) : (
            <input
              data-testid="training-fault-param"
              data-param={p}
              type={NUMBER_PARAMS.has(p) ? 'number' : 'text'}
              min={NUMBER_PARAMS.has(p) ? 0 : undefined}
              placeholder={PLACEHOLDER[p] ?? ''}
              value={values[p] ?? ''}
              onChange={(e) => setValues({ ...values, [p]: e.target.value })}
            />
          )}
        </label>
      ))}
      <button type="submit" data-testid="training-inject" disabled={busy || !fault}>
        Inject
      </button>
      {problem !== undefined && (
        <p className="error" role="alert" data-testid="training-inject-problem">
          {problem}
        </p>
      )}
      {injected !== undefined && (
        <p className="training-inject__result" data-testid="training-injected">
          {shown(injected)}
        </p>
      )}
    </form>
  );
}

const NUMBER_PARAMS = new Set(['latencyMs', 'inSeconds']);
const PLACEHOLDER: Record<string, string> = { rack: 'e.g. B-07', node: 'a node name', namespace: 'e.g. checkout', deployment: 'e.g. checkout-api', pod: 'a pod name', latencyMs: 'ms, e.g. 2000', inSeconds: 'seconds, e.g. 0' };
