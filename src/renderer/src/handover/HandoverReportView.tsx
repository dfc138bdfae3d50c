import type { HandoverReport } from '../../../shared/handover';
import type { HandoverStored } from './state';
import { utcTime } from './format';
import { DiffSection, NotesSection, RunbooksSection, StoredSection } from './ReportParts';
import { SiteSection } from './SiteSection';

/**
 * A handover report drawn with React from the report object — never from
 * the host's HTML export: every string in it came from the clusters and is
 * shown as text. Reading order as in the Markdown export: title, notices,
 * what changed, notes, runbooks, then every site.
 */
export function HandoverReportView({ report: r, stored }: { report: HandoverReport; stored: HandoverStored[] | undefined }) {
  return (
    <article className="handover-report" data-testid="handover-report" data-id={r.id} aria-labelledby="handover-report-title">
      <header className="handover-report__head">
        <h1 id="handover-report-title">
          Shift handover {utcTime(r.createdAt)} by {r.by}
        </h1>
        <p className="muted">
          Shift from {utcTime(r.shiftStart)} to {utcTime(r.createdAt)}. Report <span className="mono">{r.id}</span>. All times UTC.
        </p>
      </header>
      {r.notices.length > 0 && (
        <ul className="handover-notices" data-testid="handover-notices">
          {r.notices.map((n, i) => (
            <li key={i} className="handover-warning">
              {n}
            </li>
          ))}
        </ul>
      )}
      <StoredSection stored={stored} />
      <DiffSection diff={r.diff} />
      <NotesSection notes={r.notes} />
      <RunbooksSection runs={r.runbooks} />
      {r.sites.map((s) => (
        <SiteSection key={s.site} site={s} />
      ))}
    </article>
  );
}
