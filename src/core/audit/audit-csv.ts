/**
 * The audit trail as CSV for a spreadsheet (RFC 4180: a header, CRLF line
 * ends, every field quoted with inner quotes doubled). Names, labels and
 * details come from the clusters and are untrusted, so a value a spreadsheet
 * would run as a formula (starting with = + - @, tab or CR) gets a leading
 * apostrophe, as OWASP recommends against CSV injection.
 */
import type { AuditEntry } from '../../shared/audit';

/** The columns, in order; `data` is the entry's extra facts as JSON. */
export const CSV_COLUMNS = ['seq', 'at', 'who', 'verb', 'site', 'kind', 'namespace', 'name', 'result', 'detail', 'runbook', 'run', 'step', 'data', 'prev', 'hash'] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One field: defused if a spreadsheet would evaluate it, then quoted. */
export function csvField(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  // Quoting every field keeps commas, semicolons (the separator of many locales), quotes and newlines inside it.
  return `"${s.replaceAll('"', '""')}"`;
}

/** The entries as a CSV document, in the order given. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = [CSV_COLUMNS.map(csvField).join(',')];
  for (const e of entries) {
    const cells: Record<(typeof CSV_COLUMNS)[number], string | number | undefined> = {
      seq: e.seq,
      at: e.at,
      who: e.who,
      verb: e.verb,
      site: e.site,
      kind: e.object?.kind,
      namespace: e.object?.namespace,
      name: e.object?.name,
      result: e.result,
      detail: e.detail,
      runbook: e.runbook?.name,
      run: e.runbook?.run,
      step: e.runbook?.step,
      data: e.data === undefined ? undefined : JSON.stringify(e.data),
      prev: e.prev,
      hash: e.hash,
    };
    rows.push(CSV_COLUMNS.map((c) => csvField(cells[c])).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
