/**
 * Pure helpers of the runbook editor: the template a new runbook starts
 * from, where a located issue's marker ends, and reading a draft's name.
 */
import type { RunbookIssue } from '../../../shared/runbooks';

/**
 * What "New from template" opens: a complete, valid runbook (it passes the
 * parser as it is) showing the usual shape — guards, a confirm, the
 * mutating steps — so that a new procedure is edited, not written from nothing.
 */
export const RUNBOOK_TEMPLATE = `# yaml-language-server: $schema=./runbook.schema.json
#
# A new runbook. Saved as <config dir>/runbooks/<metadata.name>.yaml; with the
# name of a shipped runbook it replaces that one. Format: docs/runbooks.md.
apiVersion: triptych.io/v1
kind: Runbook
metadata:
  name: my-runbook
  title: My runbook
  description: What it does and when to use it.
spec:
  target: node
  params:
    - name: reason
      type: string
      description: Why; recorded on the node for the next admin.
      default: maintenance
  lease: { scope: "node/\${node}", duration: 1h }
  steps:
    - id: capacity
      check: { guard: geo-redundancy }
    - id: go
      confirm: { message: "Cordon and drain \${node} at \${site} (\${reason})?" }
    - id: cordon
      cordon: { node: "\${node}", reason: "\${reason}" }
    - id: drain
      drain: { node: "\${node}", timeout: 10m }
`;

/** The name a new draft's model gets until it is saved under its own. */
export const TEMPLATE_NAME = 'new-runbook';

/**
 * The end column (exclusive, 1-based as Monaco counts) of the token an issue
 * points at: a quoted string up to its closing quote, otherwise up to the
 * next space, comma or closing bracket; at least one character, so the
 * marker is always visible.
 */
export function issueEndColumn(lineText: string, column: number): number {
  const start = Math.max(0, Math.min(column - 1, lineText.length));
  // Past the end (an issue about a missing key): one column, which Monaco shows as a squiggle at the line's end.
  if (start >= lineText.length) return start + 2;
  const quote = lineText[start];
  if (quote === '"' || quote === "'") {
    const close = lineText.indexOf(quote, start + 1);
    return (close === -1 ? lineText.length : close + 1) + 1;
  }
  let end = start;
  while (end < lineText.length && !/[\s,}\]]/.test(lineText[end] as string)) end++;
  return Math.max(end, start + 1) + 1;
}

/** A located issue as the list below the editor shows it. */
export interface ShownIssue {
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
  /** `schema`: the JSON Schema (monaco-yaml); `runbook`: the host's parser (runbooks.validate); `yaml`: syntax. */
  source: 'schema' | 'runbook' | 'yaml';
}

/** Issues in document order, errors before warnings on the same spot, each (line, column, message) once. */
export function sortIssues(issues: readonly ShownIssue[]): ShownIssue[] {
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const seen = new Set<string>();
  return [...issues]
    .sort((a, b) => a.line - b.line || a.column - b.column || rank[a.severity] - rank[b.severity])
    .filter((i) => {
      const key = `${i.line}:${i.column}:${i.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** The host's issue severity in the list's terms (absent means error: the file does not load). */
export function severityOf(issue: Pick<RunbookIssue, 'severity'>): 'error' | 'warning' {
  return issue.severity === 'warning' ? 'warning' : 'error';
}

/**
 * `metadata.name` as written in a draft (the file it will be saved as), by a
 * line scan rather than a parse: the draft is often invalid mid-edit, and
 * this only labels the Save button.
 */
export function draftName(text: string): string | undefined {
  const lines = text.split('\n');
  let inMetadata = false;
  for (const line of lines) {
    if (/^metadata:\s*(#.*)?$/.test(line)) {
      inMetadata = true;
      continue;
    }
    if (inMetadata && /^\S/.test(line)) inMetadata = false;
    const m = inMetadata ? /^\s+name:\s*["']?([a-z0-9][-a-z0-9]*)["']?\s*(#.*)?$/.exec(line) : null;
    if (m) return m[1];
    const flow = /^metadata:\s*\{.*\bname:\s*["']?([a-z0-9][-a-z0-9]*)/.exec(line);
    if (flow) return flow[1];
  }
  return undefined;
}

/** The parts of a Monaco marker the list needs (Monaco's MarkerSeverity: 8 error, 4 warning, 2 info, 1 hint). */
export interface MarkerLike {
  owner: string;
  source?: string | undefined;
  severity: number;
  startLineNumber: number;
  startColumn: number;
  message: string;
}

/** The owner of the markers the editor sets from `runbooks.validate`. */
export const HOST_MARKER_OWNER = 'triptych';

/**
 * The editor's markers as the list shows them: ours are the host's parser
 * (`runbook`); monaco-yaml's are the schema's (its diagnostics' source names
 * the schema) or plain YAML syntax. Hints are left out.
 */
export function issuesFromMarkers(markers: readonly MarkerLike[]): ShownIssue[] {
  return sortIssues(
    markers
      .filter((m) => m.severity >= 2)
      .map((m) => ({
        line: m.startLineNumber,
        column: m.startColumn,
        message: m.message,
        severity: m.severity >= 8 ? 'error' : m.severity >= 4 ? 'warning' : 'info',
        source: m.owner === HOST_MARKER_OWNER ? 'runbook' : /schema/i.test(m.source ?? '') ? 'schema' : 'yaml',
      })),
  );
}

/** The host's issues as the list shows them, when there is no editor to hold markers (the plain-text fallback). */
export function issuesFromHost(issues: readonly Pick<RunbookIssue, 'line' | 'column' | 'message' | 'severity'>[]): ShownIssue[] {
  return sortIssues(issues.map((i) => ({ line: i.line, column: i.column, message: i.message, severity: severityOf(i), source: 'runbook' })));
}
