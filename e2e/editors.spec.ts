/**
 * The Monaco editors: runbook authoring (the schema's checks and completion,
 * the host parser's problems as you type, save as a new runbook), and a
 * Deployment's YAML edited with the server's dry run reviewed as a diff
 * before Apply, including an edit gone stale meanwhile.
 */
import type { Locator, Page } from '@playwright/test';
import { parse, stringify } from 'yaml';
import { expect, loaded, test } from './fixtures';
import { readSnapshot } from '../src/shared/contract/snapshot';
import type { SiteSnapshot } from '../src/shared/contract/triptych';

/** Puts the cursor on the first non-blank of a line (1-based) of the Monaco editor in `code`, from the keyboard as an admin would. */
async function goToLine(app: Page, code: Locator, line: number): Promise<void> {
  await code.locator('.monaco-editor .view-lines').click();
  await app.keyboard.press('Control+Home');
  for (let i = 1; i < line; i++) await app.keyboard.press('ArrowDown');
  // From column 1, Home goes to the line's first non-blank.
  await app.keyboard.press('Home');
}

/** The 1-based number of the first line of `text` matching `re`. */
function lineOf(text: string, re: RegExp): number {
  const i = text.split('\n').findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`no line matches ${re}`);
  return i + 1;
}

test.describe('editors', () => {
  /** What the page said about CSP refusals or Monaco falling back to a worker on the main thread: both must stay silent. */
  let problems: string[] = [];
  /** Every worker the page started: under the CSP each must be a file of the console's own origin, never a blob. */
  let workers: string[] = [];
  test.beforeEach(({ app }) => {
    problems = [];
    workers = [];
    app.on('console', (m) => {
      if (/Content Security Policy|Could not create web worker|Failed to load worker/i.test(m.text())) problems.push(m.text());
    });
    app.on('pageerror', (e) => problems.push(e.message));
    app.on('worker', (w) => workers.push(w.url()));
  });
  test.afterEach(({ app }) => {
    expect(problems).toEqual([]);
    const origin = new URL(app.url()).origin;
    for (const url of workers) expect(url.startsWith(`${origin}/assets/`), url).toBe(true);
  });

  test('runbook authoring: schema and host checks as you type, completion, save as a new runbook', async ({ app, triptych }) => {
    await app.goto(triptych.host.operatorUrl);
    await loaded(app);
    await app.getByTestId('runbook-editor-open').click();
    const dialog = app.getByTestId('runbook-editor');
    await expect(dialog).toBeVisible();
    const issues = dialog.getByTestId('runbook-issues');
    const code = dialog.getByTestId('runbook-code');

    // The template is a valid runbook as it stands.
    await dialog.getByTestId('runbook-picker').selectOption({ label: 'New from template…' });
    await expect(code).toHaveAttribute('data-editor-mode', 'editor');
    await expect(issues).toHaveAttribute('data-checking', 'false');
    await expect(issues).toHaveAttribute('data-count', '0');

    const { text } = await triptych.core.impl.runbooks.source('drain-node');
    await dialog.getByTestId('runbook-picker').selectOption('drain-node');
    await expect(dialog.getByTestId('runbook-file')).toContainText('drain-node.yaml');
    await expect(code.locator('.view-lines')).toContainText('Drain a node for maintenance');
    await expect(issues).toHaveAttribute('data-checking', 'false');
    await expect(issues).toHaveAttribute('data-count', '0');

    // An unknown step type: the schema's marker and the host's parser both say so, on that line.
    const uncordon = lineOf(text, /^\s+uncordon: \{/);
    /** Replaces the step type on that line (the cursor is at its first non-blank after goToLine). */
    const stepType = async (from: string, to: string): Promise<void> => {
      await goToLine(app, code, uncordon);
      for (let i = 0; i < from.length; i++) await app.keyboard.press('Delete');
      await app.keyboard.type(to);
    };
    await stepType('uncordon', 'reboot');
    await expect(issues.locator(`[data-testid="runbook-issue"][data-source="schema"][data-line="${uncordon}"]`).first()).toBeVisible();
    await expect(issues.locator(`[data-testid="runbook-issue"][data-source="runbook"][data-line="${uncordon}"]`)).toContainText("unknown step type 'reboot'");
    // Choosing a problem puts the cursor on it (and the line in view, squiggle and all).
    await issues.locator(`[data-testid="runbook-issue"][data-source="schema"][data-line="${uncordon}"]`).first().click();
    await expect(code.locator('.line-numbers.active-line-number')).toHaveText(String(uncordon));
    await expect(code.locator('.squiggly-error').first()).toBeVisible();
    await app.screenshot({ path: test.info().outputPath('runbook-unknown-step.png') });
    await stepType('reboot', 'uncordon');
    await expect(issues).toHaveAttribute('data-count', '0');

    // An undeclared ${param}: only the host's parser knows the declared ones.
    const confirm = lineOf(text, /confirm: \{ message: "Drain/);
    /** The cursor just inside the message's closing quote: `…site.|" }`. */
    const endOfMessage = async (): Promise<void> => {
      await goToLine(app, code, confirm);
      await app.keyboard.press('End');
      for (let i = 0; i < 3; i++) await app.keyboard.press('ArrowLeft');
    };
    await endOfMessage();
    await app.keyboard.type(' ${why}');
    const undeclared = issues.locator(`[data-testid="runbook-issue"][data-source="runbook"][data-line="${confirm}"]`);
    await expect(undeclared).toContainText("unknown parameter '${why}'");
    await undeclared.click();
    await expect(code.locator('.line-numbers.active-line-number')).toHaveText(String(confirm));
    await app.screenshot({ path: test.info().outputPath('runbook-undeclared-param.png') });
    await endOfMessage();
    for (let i = 0; i < ' ${why}'.length; i++) await app.keyboard.press('Backspace');
    await expect(issues).toHaveAttribute('data-count', '0');

    // Completion in steps: the step types.
    await goToLine(app, code, text.split('\n').length);
    await app.keyboard.type('    - dr');
    await app.keyboard.press('Control+Space');
    const suggest = code.locator('.suggest-widget');
    await expect(suggest).toBeVisible();
    await expect(suggest.locator('.monaco-list-row').filter({ hasText: /^drain/ }).first()).toBeVisible();
    await app.screenshot({ path: test.info().outputPath('runbook-completion.png') });
    await app.keyboard.press('Escape');
    await app.keyboard.press('Control+Shift+K');

    // Saved under a new name: a new file in the admin's folder, and a runbook the host lists.
    await goToLine(app, code, lineOf(text, /^ {2}name: drain-node$/));
    await app.keyboard.press('End');
    await app.keyboard.type('-e2e');
    await expect(dialog.getByTestId('runbook-save')).toHaveText('Save as drain-node-e2e.yaml');
    await expect(issues).toHaveAttribute('data-checking', 'false');
    await expect(issues).toHaveAttribute('data-errors', '0');
    await dialog.getByTestId('runbook-save').click();
    await expect(dialog.getByTestId('runbook-saved')).toContainText(/drain-node-e2e\.yaml/);
    await app.screenshot({ path: test.info().outputPath('runbook-saved.png') });
    const { runbooks } = await triptych.core.impl.runbooks.list();
    const saved = runbooks.find((r) => r.name === 'drain-node-e2e');
    expect(saved?.source).toMatch(/drain-node-e2e\.yaml$/);
    await expect(dialog.getByTestId('runbook-saved')).toContainText(saved!.source);
    await expect(dialog.getByTestId('runbook-picker')).toHaveValue('drain-node-e2e');
    await dialog.getByTestId('runbook-editor-close').click();
    await expect(dialog).toHaveCount(0);
  });

  test('a Deployment edited as YAML: dry run reviewed as a diff, applied; a stale edit is refused', async ({ app, triptych }) => {
    await app.goto(triptych.host.operatorUrl);
    await loaded(app);
    const snap = await readSnapshot(async (t) => triptych.core.impl.sites.snapshot('fra', t) as SiteSnapshot);
    const w = snap.items.workloads.find((x) => x.kind === 'Deployment' && x.ready === x.desired && x.desired > 0)!;
    const ref = { kind: 'Deployment', namespace: w.namespace, name: w.name };
    await app.keyboard.press('Control+K');
    await app.getByTestId('palette-input').fill(`fra: ${w.name}`);
    await app.locator('[data-testid="palette-result"][data-kind="workload"]').first().click();
    await expect(app.getByTestId('workload-detail')).toBeVisible();
    await app.getByTestId('workload-detail').getByTestId('edit-yaml').click();

    const dialog = app.getByTestId('yaml-editor');
    await expect(dialog).toBeVisible();
    const site = triptych.core.sites.find((s) => s.id === 'fra')!;
    await expect(dialog.getByTestId('yaml-site')).toHaveText(site.name);
    const code = dialog.getByTestId('yaml-code');
    await expect(code).toHaveAttribute('data-editor-mode', 'editor');
    await expect(code.locator('.view-lines')).toContainText(`name: ${w.name}`);

    /** Adds an annotation from the keyboard, under `annotations:` (or a new one under `metadata:`). */
    const annotate = async (shown: string, key: string, value: string): Promise<void> => {
      const existing = shown.split('\n').findIndex((l) => l === '  annotations:');
      await goToLine(app, code, existing >= 0 ? existing + 1 : lineOf(shown, /^metadata:$/));
      await app.keyboard.press('End');
      await app.keyboard.press('Enter');
      // Enter keeps the line's indentation; the rest is typed.
      if (existing < 0) {
        await app.keyboard.type('  annotations:');
        await app.keyboard.press('Enter');
      }
      await app.keyboard.type(`  ${key}: ${value}`);
    };

    const before = await triptych.core.impl.resources.yaml('fra', ref);
    await annotate(before.yaml, 'triptych.io/e2e-edit', 'reviewed');
    await dialog.getByTestId('yaml-dry-run').click();
    const diff = dialog.getByTestId('yaml-diff');
    await expect(diff).toHaveAttribute('data-diff', 'ready');
    expect(Number(await diff.getAttribute('data-changes'))).toBeGreaterThan(0);
    await expect(diff.locator('.editor.modified .view-lines')).toContainText('triptych.io/e2e-edit: reviewed');
    await app.screenshot({ path: test.info().outputPath('yaml-review.png') });

    await dialog.getByTestId('yaml-apply').click();
    await expect(dialog.getByTestId('yaml-applied')).toBeVisible();
    await expect(code.locator('.view-lines')).toContainText('triptych.io/e2e-edit: reviewed');
    const after = await triptych.core.impl.resources.yaml('fra', ref);
    expect((parse(after.yaml) as { metadata: { annotations?: Record<string, string> } }).metadata.annotations?.['triptych.io/e2e-edit']).toBe('reviewed');
    expect(after.resourceVersion).not.toBe(before.resourceVersion);
    await app.screenshot({ path: test.info().outputPath('yaml-applied.png') });

    // Someone else changes the object between the review and the apply: the apply is refused, nothing overwritten.
    await annotate(after.yaml, 'triptych.io/e2e-stale', 'mine');
    await dialog.getByTestId('yaml-dry-run').click();
    await expect(diff).toHaveAttribute('data-diff', 'ready');
    const theirs = parse(after.yaml) as { metadata: { annotations?: Record<string, string> } };
    theirs.metadata.annotations = { ...theirs.metadata.annotations, 'triptych.io/e2e-other': 'theirs' };
    await triptych.core.impl.resources.apply('fra', ref, stringify(theirs), { dryRun: false, resourceVersion: after.resourceVersion });
    await dialog.getByTestId('yaml-apply').click();
    await expect(dialog.getByTestId('yaml-error')).toContainText('changed by someone else');
    await app.screenshot({ path: test.info().outputPath('yaml-conflict.png') });
    const now = parse((await triptych.core.impl.resources.yaml('fra', ref)).yaml) as { metadata: { annotations?: Record<string, string> } };
    expect(now.metadata.annotations?.['triptych.io/e2e-other']).toBe('theirs');
    expect(now.metadata.annotations?.['triptych.io/e2e-stale']).toBeUndefined();
    // Reload shows their change; the editor is ready for the edit again.
    await dialog.getByTestId('yaml-reload').click();
    await expect(dialog.getByTestId('yaml-error')).toHaveCount(0);
    await expect(code.locator('.view-lines')).toContainText('triptych.io/e2e-other: theirs');
  });

  test('a read-only screen may look but not save or apply', async ({ app, triptych }) => {
    await loaded(app);
    await app.getByTestId('runbook-editor-open').click();
    const rb = app.getByTestId('runbook-editor');
    await rb.getByTestId('runbook-picker').selectOption('drain-node');
    await expect(rb.getByTestId('runbook-code')).toHaveAttribute('data-editor-mode', 'editor');
    await rb.getByTestId('runbook-save').click();
    await expect(rb.getByTestId('runbook-error')).toContainText(/operator role/);
    await rb.getByTestId('runbook-editor-close').click();

    const snap = await readSnapshot(async (t) => triptych.core.impl.sites.snapshot('ams', t) as SiteSnapshot);
    // The pod detail's read-only YAML is still Monaco's viewer.
    const pod = snap.items.pods.find((p) => p.status === 'Running')!;
    await app.keyboard.press('Control+K');
    await app.getByTestId('palette-input').fill(`ams: ${pod.name}`);
    await app.locator('[data-testid="palette-result"][data-kind="pod"]').first().click();
    const podYaml = app.getByTestId('pod-yaml');
    await expect(podYaml.locator('[data-yaml-mode="editor"]')).toBeVisible();
    await expect(podYaml.getByTestId('yaml-viewer').locator('.view-lines')).toContainText('kind: Pod');

    const node = snap.items.nodes[0]!;
    await app.keyboard.press('Control+K');
    await app.getByTestId('palette-input').fill(`ams: ${node.name}`);
    await app.locator('[data-testid="palette-result"][data-kind="node"]').first().click();
    await app.getByTestId('node-detail').getByTestId('edit-yaml').click();
    const dialog = app.getByTestId('yaml-editor');
    await expect(dialog.getByTestId('yaml-code')).toHaveAttribute('data-editor-mode', 'editor');
    await dialog.getByTestId('yaml-dry-run').click();
    await expect(dialog.getByTestId('yaml-error')).toHaveAttribute('data-code', 'forbidden');
    await expect(dialog.getByTestId('yaml-error')).toContainText(/operator role/);
    await expect(dialog.getByTestId('yaml-apply')).toBeDisabled();
  });
});
