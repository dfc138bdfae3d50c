/**
 * A report section's table: text cells only (every value in a report is
 * untrusted text from the clusters), "None." when empty.
 */
export interface ReportTableProps {
  columns: string[];
  rows: string[][];
  /** Columns to align right (counts). */
  numeric?: number[];
  testId?: string;
}

/** The rows as a table, or "None." */
export function ReportTable({ columns, rows, numeric = [], testId }: ReportTableProps) {
  if (rows.length === 0)
    return (
      <p className="muted handover-none" data-testid={testId}>
        None.
      </p>
    );
  return (
    <table className="table handover-table" data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={c} className={numeric.includes(i) ? 'num' : undefined} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, j) => (
          <tr key={j}>
            {r.map((cell, i) => (
              <td key={i} className={numeric.includes(i) ? 'num' : undefined}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
