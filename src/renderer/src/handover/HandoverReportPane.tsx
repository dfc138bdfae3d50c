import { useApp, useActions } from '../store/store';
import { saveTextFile } from '../download';
import { fileName } from './format';
import { HandoverReportView } from './HandoverReportView';

/**
 * A handover on screen with its exports: Markdown (for a ticket) from the
 * host, and PDF through the print dialog ("Save as PDF" in Chromium and
 * Electron alike), which prints the report alone (see handover.css).
 */
export function HandoverReportPane() {
  const report = useApp((s) => s.handover.report);
  const stored = useApp((s) => s.handover.stored);
  const { handoverMarkdown, composeHandover } = useActions();
  if (report === undefined) return null;

  const exportMarkdown = async (): Promise<void> => {
    const md = await handoverMarkdown(report.id);
    if (md !== undefined) saveTextFile(fileName(report.id, 'md'), [md], 'text/markdown;charset=utf-8');
  };

  return (
    <div className="handover-pane">
      <div className="handover-pane__actions no-print">
        <button type="button" data-testid="handover-export-md" onClick={() => void exportMarkdown()}>
          Export Markdown
        </button>
        <button type="button" data-testid="handover-print" onClick={() => window.print()} title="Opens the print dialog: choose “Save as PDF”">
          Print / save as PDF
        </button>
        <span className="top-bar__spacer" />
        <button type="button" onClick={composeHandover}>
          Write a new handover
        </button>
      </div>
      <HandoverReportView report={report} stored={stored} />
    </div>
  );
}
