/**
 * Configuration errors that point at the spot to fix: every problem carries
 * the file and, where known, line and column, in the `file:line:column` form
 * editors and terminals turn into links.
 */

/** One problem in one configuration file. Lines and columns are 1-based. */
export interface ConfigIssue {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** Formats an issue as `file:line:column: message`. */
export function formatIssue(issue: ConfigIssue): string {
  const at = issue.line === undefined ? '' : `:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  return `${issue.file}${at}: ${issue.message}`;
}

// A file with thousands of bad rows should not produce a thousand-line dialog.
const SHOWN_ISSUES = 20;

/** Thrown when configuration cannot be used; `issues` lists every problem found, not just the first. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const first = issues[0];
    const message =
      issues.length === 1 && first
        ? formatIssue(first)
        : [
            `${issues.length} problems in the configuration:`,
            ...issues.slice(0, SHOWN_ISSUES).map((i) => `  ${formatIssue(i)}`),
            ...(issues.length > SHOWN_ISSUES ? [`  … and ${issues.length - SHOWN_ISSUES} more`] : []),
          ].join('\n');
    super(message);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Issues in reading order (file, then line, then column), so a list of them reads top to bottom. */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** Edit distance, for "did you mean" hints on misspelt keys and contexts. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** ` (did you mean 'x'?)` when one candidate is close to `word`, else an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/** `a, b, c` with at most `max` items, so a kubeconfig with 300 contexts stays readable. */
export function listSome(items: readonly string[], max = 15): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown}, … (${items.length - max} more)` : shown;
}
