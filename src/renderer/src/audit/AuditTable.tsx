import type { AuditEntry } from '../../../shared/audit';
import { utcTime } from '../handover/format';
import { SiteMark } from '../handover/SiteMark';
import { useApp } from '../store/store';
import { objectText, runbookText } from './query';

/** The entries, newest first: every value is text from the trail (names, details), shown as text. */
export function AuditTable() {
  const entries = useApp((s) => s.audit.entries);
  const loading = useApp((s) => s.audit.loading);
  if (entries.length === 0)
    return (
      <p className="audit-view__empty muted" data-testid="audit-empty">
        {loading ? 'Reading the trail…' : 'No entries match the filter.'}
      </p>
    );
  return (
    <div className="audit-view__table">
      <table className="table audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col" className="num">
              Seq
            </th>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">Site</th>
            <th scope="col">Verb</th>
            <th scope="col">Object</th>
            <th scope="col">Result</th>
            <th scope="col">Detail</th>
            <th scope="col">Runbook</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <AuditRow key={e.seq} entry={e} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AuditRow({ entry: e }: { entry: AuditEntry }) {
  const tone = e.result === 'failed' ? 'row--bad' : e.result === 'refused' ? 'row--warn' : undefined;
  return (
    <tr className={tone} data-testid="audit-row" data-seq={e.seq} data-verb={e.verb}>
      <td className="num">{e.seq}</td>
      <td className="audit-table__time">{utcTime(e.at, true).replace(' UTC', '')}</td>
      <td>{e.who}</td>
      <td>{e.site === undefined ? '' : <SiteMark id={e.site} />}</td>
      <td className="mono">{e.verb}</td>
      <td className="audit-table__object">{objectText(e)}</td>
      <td>{e.result}</td>
      <td className="audit-table__detail">{e.detail ?? ''}</td>
      <td className="audit-table__runbook">{runbookText(e)}</td>
    </tr>
  );
}
