import type { ShownIssue } from './runbookDraft';

const SOURCE_LABEL: Record<ShownIssue['source'], string> = { schema: 'schema', runbook: 'runbook', yaml: 'YAML' };

interface Props {
  issues: readonly ShownIssue[];
  /** The host has not answered for the latest draft yet. */
  checking: boolean;
  onPick(issue: ShownIssue): void;
}

/**
 * The draft's problems below the editor, `line:column` first; choosing one
 * puts the cursor there. `data-count` and `data-checking` tell a test (or a
 * screen reader's live region) when the list is current.
 */
export function IssueList({ issues, checking, onPick }: Props) {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return (
    <section className="issue-list" data-testid="runbook-issues" data-count={issues.length} data-errors={errors} data-checking={checking} aria-live="polite">
      <h3 className="issue-list__title">
        {issues.length === 0 ? (checking ? 'Checking…' : 'No problems') : `${issues.length} problem${issues.length === 1 ? '' : 's'}`}
        {checking && issues.length > 0 && <span className="muted"> (checking…)</span>}
      </h3>
      {issues.length > 0 && (
        <ol className="issue-list__items">
          {issues.map((i) => (
            <li key={`${i.line}:${i.column}:${i.source}:${i.message}`}>
              <button type="button" className={`issue issue--${i.severity}`} data-testid="runbook-issue" data-source={i.source} data-line={i.line} onClick={() => onPick(i)}>
                <span className="issue__at mono">
                  {i.line}:{i.column}
                </span>
                <span className="issue__source">{SOURCE_LABEL[i.source]}</span>
                <span className="issue__message">{i.message}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
