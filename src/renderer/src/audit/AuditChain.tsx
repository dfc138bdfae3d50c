import { formatCount } from '../format';
import { useActions, useApp } from '../store/store';

/** The hash chain's state in one line: intact with its length, or where and why it breaks. */
export function AuditChain() {
  const v = useApp((s) => s.audit.verification);
  const problem = useApp((s) => s.audit.verifyError);
  const { verifyAudit } = useActions();

  let text: string;
  let tone: string;
  if (problem !== undefined) {
    text = `The hash chain could not be checked: ${problem}`;
    tone = 'text-bad';
  } else if (v === undefined) {
    text = 'Checking the hash chain…';
    tone = 'muted';
  } else if (v.ok) {
    text = `✓ Hash chain intact, ${formatCount(v.entries)} ${v.entries === 1 ? 'entry' : 'entries'}`;
    tone = 'audit-chain--ok';
  } else {
    const at = v.brokenAt;
    text = `✗ Hash chain broken${at ? ` at line ${at.line}: ${at.reason}` : ''} (${formatCount(v.entries)} entries read). Entries from there on may have been edited, removed or reordered.`;
    tone = 'text-bad';
  }
  return (
    <span className="audit-chain">
      <span className={tone} data-testid="audit-chain" data-ok={v === undefined || problem !== undefined ? undefined : String(v.ok)} role="status">
        {text}
      </span>{' '}
      <button type="button" className="small" onClick={() => void verifyAudit()} title="Walk the whole chain again">
        Check again
      </button>
    </span>
  );
}
