import type { HandoverDiff, HandoverNote, RunbookRun } from '../../../shared/handover';
import type { HandoverStored } from './state';
import { runActions, runSites, siteChanges, utcTime } from './format';
import { ReportTable } from './ReportTable';
import { SiteMark } from './SiteMark';

/** "Since the last handover": what changed at each site, and the notes added and closed. */
export function DiffSection({ diff }: { diff: HandoverDiff | undefined }) {
  return (
    <section className="handover-section" data-testid="handover-diff">
      <h2>Since the last handover</h2>
      {diff === undefined ? (
        <p className="muted">This is the first handover: there is nothing to compare with.</p>
      ) : (
        <>
          <p className="muted">
            Compared with {diff.previous.id} by {diff.previous.by} at {utcTime(diff.previous.createdAt)}.
          </p>
          <ul className="handover-diff">
            {diff.sites.map((s) => {
              const lines = siteChanges(s);
              return (
                <li key={s.site}>
                  <SiteMark id={s.site} name={s.name} />{' '}
                  {!s.compared ? <span className="muted">not compared ({s.why ?? 'unknown'})</span> : lines.length === 0 ? <span className="muted">no change</span> : lines.join('; ')}
                </li>
              );
            })}
            {diff.notesClosed.length > 0 && <li>Notes closed: {diff.notesClosed.length}</li>}
            {diff.notesAdded.length > 0 && <li>Notes added: {diff.notesAdded.length}</li>}
          </ul>
        </>
      )}
    </section>
  );
}

/** The notes for the next shift: open ones first as the report orders them, closed ones marked with who closed them. */
export function NotesSection({ notes }: { notes: HandoverNote[] }) {
  return (
    <section className="handover-section" data-testid="handover-notes-list">
      <h2>Notes for the next shift</h2>
      {notes.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="handover-notes">
          {notes.map((n) => (
            <li key={n.id} className={n.open ? 'handover-note' : 'handover-note handover-note--closed'} data-id={n.id} data-open={n.open}>
              <span className={`tag ${n.open ? 'handover-tag--open' : 'handover-tag--closed'}`}>{n.open ? 'open' : 'closed'}</span>
              <span className="handover-note__text">{n.text}</span>
              <span className="handover-note__meta muted">
                {n.by}, {utcTime(n.since)}
                {n.closedBy ? `; closed by ${n.closedBy}` : ''} · {n.id}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The runbook runs the audit trail recorded during the shift. */
export function RunbooksSection({ runs }: { runs: RunbookRun[] }) {
  return (
    <section className="handover-section">
      <h2>Runbooks run during the shift ({runs.length})</h2>
      <ReportTable
        testId="handover-runbooks"
        columns={['Runbook', 'Run', 'Sites', 'Who', 'Started', 'Ended', 'Result', 'Actions']}
        numeric={[7]}
        rows={runs.map((r) => [r.runbook, r.run, runSites(r), r.who, r.started ? utcTime(r.started) : 'before the shift', r.ended ? utcTime(r.ended) : r.result === 'running' ? 'still running' : '', r.result, runActions(r)])}
      />
    </section>
  );
}

/** Where the handover was stored at each site, when this console just wrote it. */
export function StoredSection({ stored }: { stored: HandoverStored[] | undefined }) {
  if (stored === undefined)
    return (
      <p className="muted" data-testid="handover-stored">
        Read back from the clusters (the newest handover stored at any reachable site).
      </p>
    );
  return (
    <section className="handover-section">
      <h2>Stored at</h2>
      <ul className="handover-stored" data-testid="handover-stored">
        {stored.map((s) => (
          <li key={s.site} data-testid={`handover-stored-${s.site}`} data-ok={s.ok}>
            <SiteMark id={s.site} /> <span className={s.ok ? 'handover-ok' : 'text-bad'}>{s.ok ? 'stored' : 'failed'}</span> <span className="muted">{s.detail}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
