import { useState, type FormEvent } from 'react';
import { useActions, useApp } from '../store/store';
import { EMPTY_FORM, filterToForm, formToFilter, KNOWN_VERBS, type AuditForm } from './query';

/**
 * The filter: site, who and verb (exact, as the trail records them), text
 * in the object's name or the detail, and a time range in UTC. Applied on
 * Enter or "Apply", each time asking the host again.
 */
export function AuditFilters() {
  const sites = useApp((s) => s.sites);
  const applied = useApp((s) => s.audit.filter);
  const entries = useApp((s) => s.audit.entries);
  const { filterAudit } = useActions();
  const [form, setForm] = useState<AuditForm>(() => filterToForm(applied));
  const [problem, setProblem] = useState<string>();
  const whos = [...new Set(entries.map((e) => e.who))].sort();

  const apply = (next: AuditForm): void => {
    const f = formToFilter(next);
    if ('problem' in f) return setProblem(f.problem);
    setProblem(undefined);
    void filterAudit(f);
  };
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    apply(form);
  };
  const field = (key: keyof AuditForm) => ({ value: form[key], onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }) });

  return (
    <form className="audit-filters" onSubmit={onSubmit} aria-label="Filter the audit trail">
      <label>
        <span>Site</span>
        <select
          data-testid="audit-site"
          value={form.site}
          onChange={(e) => {
            // A site is one click: apply at once, as the other fields apply on Enter.
            const next = { ...form, site: e.target.value };
            setForm(next);
            apply(next);
          }}
        >
          <option value="">All sites</option>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.id})
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Who</span>
        <input data-testid="audit-who" list="audit-whos" placeholder="anyone" {...field('who')} />
        <datalist id="audit-whos">
          {whos.map((w) => (
            <option key={w} value={w} />
          ))}
        </datalist>
      </label>
      <label>
        <span>Verb</span>
        <input data-testid="audit-verb" list="audit-verbs" placeholder="any" {...field('verb')} />
        <datalist id="audit-verbs">
          {KNOWN_VERBS.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      </label>
      <label className="audit-filters__text">
        <span>Text (object name or detail)</span>
        <input data-testid="audit-text" type="search" {...field('text')} />
      </label>
      <label>
        <span>From (UTC)</span>
        <input data-testid="audit-from" type="datetime-local" {...field('from')} />
      </label>
      <label>
        <span>To (UTC)</span>
        <input data-testid="audit-to" type="datetime-local" {...field('to')} />
      </label>
      <button type="submit" className="primary" data-testid="audit-apply">
        Apply
      </button>
      <button
        type="button"
        onClick={() => {
          setForm(EMPTY_FORM);
          apply(EMPTY_FORM);
        }}
      >
        Clear
      </button>
      {problem !== undefined && (
        <span className="text-bad" role="alert" data-testid="audit-filter-problem">
          {problem}
        </span>
      )}
    </form>
  );
}
