import { saveTextFile, stampedName, UTF8_BOM } from '../download';
import { useActions } from '../store/store';

const exportName = (ext: string): string => stampedName('triptych-audit', ext);

/** CSV (for a spreadsheet) and JSONL (re-verifiable) of every entry matching the filter. */
export function AuditExports() {
  const { exportAudit } = useActions();
  const save = async (format: 'csv' | 'jsonl'): Promise<void> => {
    const text = await exportAudit(format);
    if (text === undefined) return;
    if (format === 'csv') saveTextFile(exportName('csv'), [UTF8_BOM, text], 'text/csv;charset=utf-8');
    else saveTextFile(exportName('jsonl'), [text], 'application/x-ndjson;charset=utf-8');
  };
  return (
    <span className="audit-exports">
      <button type="button" data-testid="audit-export-csv" onClick={() => void save('csv')} title="Every entry matching the filter, oldest first, for a spreadsheet">
        Export CSV
      </button>
      <button type="button" data-testid="audit-export-jsonl" onClick={() => void save('jsonl')} title="Every entry matching the filter, oldest first, with its hashes">
        Export JSONL
      </button>
    </span>
  );
}
