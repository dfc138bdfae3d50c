import { describe, expect, it } from 'vitest';
import { draftName, HOST_MARKER_OWNER, issueEndColumn, issuesFromHost, issuesFromMarkers, RUNBOOK_TEMPLATE } from './runbookDraft';

describe('issueEndColumn', () => {
  const line = '      cordon: { node: "${node}", reason: "${why}" }';

  it('covers a quoted string up to its closing quote', () => {
    const col = line.indexOf('"${why}"') + 1;
    expect(line.slice(col - 1, issueEndColumn(line, col) - 1)).toBe('"${why}"');
  });

  it('covers a plain token up to a space, comma or bracket', () => {
    expect(line.slice(6, issueEndColumn(line, 7) - 1)).toBe('cordon:');
    const l = 'steps: [reboot]';
    expect(l.slice(8, issueEndColumn(l, 9) - 1)).toBe('reboot');
  });

  it('is at least one column wide, also past the end of the line', () => {
    expect(issueEndColumn('a, b', 2)).toBe(3);
    expect(issueEndColumn('spec:', 6)).toBe(7);
    expect(issueEndColumn('', 1)).toBe(2);
  });
});

describe('draftName', () => {
  it('reads metadata.name, not a parameter called name', () => {
    const text = 'apiVersion: triptych.io/v1\nmetadata:\n  # the file name\n  name: drain-rack-b\n  title: x\nspec:\n  params:\n    - name: reason\n';
    expect(draftName(text)).toBe('drain-rack-b');
    expect(draftName('spec:\n  params:\n    - name: reason\nmetadata:\n  title: t\n')).toBeUndefined();
  });

  it('reads quoted and flow-style names', () => {
    expect(draftName('metadata:\n  name: "quoted-one"\n')).toBe('quoted-one');
    expect(draftName('metadata: { name: flow-one, title: t }\n')).toBe('flow-one');
  });

  it('names the template my-runbook', () => {
    expect(draftName(RUNBOOK_TEMPLATE)).toBe('my-runbook');
  });
});

describe('the issue list', () => {
  const marker = (over: Partial<Parameters<typeof issuesFromMarkers>[0][number]>) => ({ owner: 'yaml', severity: 8, startLineNumber: 1, startColumn: 1, message: 'm', ...over });

  it('says where each marker comes from: the host parser, the schema, or YAML syntax', () => {
    const shown = issuesFromMarkers([
      marker({ owner: HOST_MARKER_OWNER, startLineNumber: 9, message: 'unknown parameter' }),
      marker({ source: 'yaml-schema: file:///triptych/runbooks/runbook.schema.json', startLineNumber: 3, message: 'Property reboot is not allowed.' }),
      marker({ source: 'YAML', startLineNumber: 5, message: 'Implicit keys need to be on a single line' }),
    ]);
    expect(shown.map((i) => [i.line, i.source])).toEqual([
      [3, 'schema'],
      [5, 'yaml'],
      [9, 'runbook'],
    ]);
  });

  it('orders by position, errors first, and drops hints and repeats', () => {
    const shown = issuesFromMarkers([
      marker({ startLineNumber: 2, startColumn: 5, severity: 4, message: 'a warning' }),
      marker({ startLineNumber: 2, startColumn: 5, severity: 8, message: 'an error' }),
      marker({ startLineNumber: 1, severity: 1, message: 'a hint' }),
      marker({ startLineNumber: 2, startColumn: 5, severity: 8, message: 'an error' }),
    ]);
    expect(shown.map((i) => `${i.severity}:${i.message}`)).toEqual(['error:an error', 'warning:a warning']);
  });

  it("shows the host's issues on their own when there is no editor (plain-text fallback)", () => {
    expect(issuesFromHost([{ line: 4, column: 2, message: 'duplicate id' }, { line: 1, column: 1, message: 'replaces a shipped runbook', severity: 'warning' }])).toEqual([
      { line: 1, column: 1, message: 'replaces a shipped runbook', severity: 'warning', source: 'runbook' },
      { line: 4, column: 2, message: 'duplicate id', severity: 'error', source: 'runbook' },
    ]);
  });
});
