import type { Runbook, RunbookParam } from '../../../shared/runbooks';
import { useActions } from '../store/store';

/**
 * The runbook's declared parameters as inputs, starting at their defaults;
 * every change plans again once typing pauses (the slice debounces). The
 * target's own parameters (site, node, rack…) are fixed by where the menu
 * was opened and shown above, not here.
 */
export function PlanParams({ runbook, values }: { runbook: Runbook; values: Readonly<Record<string, string | boolean>> }) {
  const { setPlanValue } = useActions();
  return (
    <fieldset className="rb-params">
      <legend>Parameters</legend>
      {runbook.params.map((p) => (
        <ParamInput key={p.name} param={p} value={values[p.name]} onChange={(v) => setPlanValue(p.name, v)} />
      ))}
    </fieldset>
  );
}

function ParamInput({ param, value, onChange }: { param: RunbookParam; value: string | boolean | undefined; onChange(v: string | boolean): void }) {
  const id = `rb-param-${param.name}`;
  const hint = [param.description, param.default === undefined ? 'required' : undefined].filter(Boolean).join(' · ');
  if (param.type === 'boolean') {
    return (
      <label className="rb-params__check" htmlFor={id}>
        <input id={id} type="checkbox" data-testid="runbook-param" data-param={param.name} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />
        <span className="mono">{param.name}</span>
        {hint && <span className="muted">{hint}</span>}
      </label>
    );
  }
  return (
    <label className="rb-params__field" htmlFor={id}>
      <span className="mono">{param.name}</span>
      <input
        id={id}
        type="text"
        inputMode={param.type === 'number' ? 'decimal' : undefined}
        data-testid="runbook-param"
        data-param={param.name}
        value={typeof value === 'string' ? value : ''}
        placeholder={param.default === undefined ? 'required' : String(param.default)}
        spellCheck={false}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
      {hint && <span className="muted rb-params__hint">{hint}</span>}
    </label>
  );
}
