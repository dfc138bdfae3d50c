/**
 * The shift handover and the audit trail through the UI, on a scripted
 * shift at the training fleet: a node cordoned and drained by the drain-node
 * runbook (driven through the core API: the runbook UI is tested on its
 * own), a bad rollout crashlooping at another site, a node gone NotReady at
 * the third. The handover report must show exactly that, be stored at every
 * site, and export as Markdown and PDF; the audit view finds the runbook's
 * cordon with the chain intact and exports CSV. A read-only (viewer) screen
 * is refused the handover but reads the latest one.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import { expect, loaded, test, type Console } from './fixtures';
import { readSnapshot } from '../src/shared/contract/snapshot';
import type { SiteSnapshot } from '../src/shared/contract/triptych';
import type { HandoverReport } from '../src/shared/handover';
import type { RunStatus } from '../src/shared/runbooks';

test.use({ viewport: { width: 1920, height: 1080 } });

/** Draining moves pods and a bad rollout takes a few restarts to back off: generous, but each wait ends on its signal. */
const SLOW = { timeout: 60_000 };
const NOTE = 'Fans of rack A loud — ticket OPS-4711 open.\nCheck again at 06:00.';
const REASON = 'PSU swap (e2e handover)';

async function snapshot(t: Console, site: string): Promise<SiteSnapshot> {
  return readSnapshot(async (token) => (await t.core.impl.sites.snapshot(site, token)) as SiteSnapshot);
}

/** What was already wrong before the shift (other specs may share this worker's fleet). */
interface Baseline {
  notReady: string[];
  cordoned: string[];
  crashloops: string[];
}

function baseline(snap: SiteSnapshot): Baseline {
  return {
    notReady: snap.items.nodes.filter((n) => n.ready !== 'True').map((n) => n.name),
    cordoned: snap.items.nodes.filter((n) => n.unschedulable).map((n) => n.name),
    crashloops: [...new Set(snap.items.pods.filter((p) => /CrashLoopBackOff$/.test(p.status)).map((p) => p.deployment ?? p.ownerName))],
  };
}

/** Resolves once the run waits at the gate `step` (runbook status from the core, which the UI would show). */
async function gate(t: Console, run: string, step: string): Promise<void> {
  await expect
    .poll(async () => {
      const s = (await t.core.impl.runbooks.runs()).find((r: RunStatus) => r.run === run);
      if (s?.state === 'failed' || s?.state === 'aborted') throw new Error(`run ${s.state}: ${s.error ?? ''}`);
      return s?.state === 'waiting-confirm' ? s.steps[s.current ?? -1]?.id : s?.state;
    }, { ...SLOW, message: `run ${run} waits at ${step}` })
    .toBe(step);
}

async function downloadText(download: Promise<Download>): Promise<{ name: string; text: string }> {
  const d = await download;
  const file = await d.path();
  return { name: d.suggestedFilename(), text: await readFile(file, 'utf8') };
}

/** The rows of a report table (0 when it says "None."). */
function rows(app: Page, testId: string) {
  return app.getByTestId(testId).locator('tbody tr');
}

test.describe('shift handover and audit trail', () => {
  test('a scripted shift: the report holds exactly what happened, is stored at every site, exports Markdown and PDF; the audit view finds the cordon', async ({ app, triptych }) => {
    await app.goto(triptych.host.operatorUrl);
    await loaded(app);
    const [fra, ams, dub] = await Promise.all(['fra', 'ams', 'dub'].map((s) => snapshot(triptych, s)));
    const before = { fra: baseline(fra!), ams: baseline(ams!), dub: baseline(dub!) };

    // 1. A node at fra cordoned and drained by the drain-node runbook, which then waits at its maintenance note.
    const node = fra!.items.nodes.find((n) => n.ready === 'True' && !n.unschedulable && !n.roles.includes('control-plane') && fra!.items.pods.some((p) => p.node === n.name && p.ownerKind === 'ReplicaSet'))!.name;
    const plan = await triptych.core.impl.runbooks.plan('drain-node', { site: 'fra', node, reason: REASON });
    expect(plan.blockers).toEqual([]);
    const { run } = await triptych.core.impl.runbooks.start(plan.id);
    await gate(triptych, run, 'go');
    await triptych.core.impl.runbooks.confirm(run);
    await gate(triptych, run, 'maintenance');

    // 2. A bad rollout at ams (crashloop), 3. a kubelet that stops reporting at dub.
    const deployment = ams!.items.workloads.find((w) => w.kind === 'Deployment' && w.desired > 0 && !before.ams.crashloops.includes(w.name))!;
    await triptych.fault({ fault: 'bad-rollout', site: 'ams', namespace: deployment.namespace, deployment: deployment.name });
    const down = dub!.items.nodes.find((n) => n.ready === 'True' && !n.roles.includes('control-plane'))!.name;
    await triptych.fault({ fault: 'node-not-ready', site: 'dub', node: down });
    // The report is collected from the console's mirrors: wait until they show both.
    await expect.poll(async () => (await snapshot(triptych, 'ams')).items.pods.some((p) => p.deployment === deployment.name && /CrashLoopBackOff$/.test(p.status)), SLOW).toBe(true);
    await expect.poll(async () => (await snapshot(triptych, 'dub')).items.nodes.find((n) => n.name === down)?.ready, SLOW).not.toBe('True');

    // The handover through the UI: the note, written, shown.
    await app.getByTestId('handover-open').click();
    const dialog = app.getByTestId('handover-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('One note per paragraph');
    await app.getByTestId('handover-notes').fill(NOTE);
    await app.getByTestId('handover-create').click();
    const report = app.getByTestId('handover-report');
    await expect(report).toBeVisible(SLOW);
    const id = (await report.getAttribute('data-id'))!;
    const written = (await triptych.core.impl.handover.latest()) as HandoverReport;
    expect(written.id).toBe(id);
    const site = (s: string) => written.sites.find((x) => x.site === s)!;

    // Exactly what happened, on top of what was already wrong before the shift.
    expect(site('fra').cordonedNodes.map((n) => n.name).sort()).toEqual([...before.fra.cordoned, node].sort());
    expect(site('dub').notReadyNodes.map((n) => n.name).sort()).toEqual([...before.dub.notReady, down].sort());
    expect(site('ams').crashloops.map((w) => w.name).sort()).toEqual([...before.ams.crashloops, deployment.name].sort());
    expect(site('fra').maintenance).toEqual([expect.objectContaining({ scope: `node/${node}`, holder: 'userpass-operator', runbook: 'drain-node' })]);
    expect(written.runbooks).toEqual(expect.arrayContaining([expect.objectContaining({ run, runbook: 'drain-node', site: 'fra', result: 'running' })]));
    expect(written.notes).toEqual([expect.objectContaining({ text: NOTE, open: true, by: 'userpass-operator' })]);

    // …and the view shows the same, from the report object.
    await expect(report.getByRole('heading', { level: 1 })).toContainText(/Shift handover \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by userpass-operator/);
    const cordoned = app.getByTestId('handover-fra-cordoned');
    await expect(rows(app, 'handover-fra-cordoned')).toHaveCount(site('fra').cordonedNodes.length);
    await expect(cordoned.locator('tr', { hasText: node })).toContainText('userpass-operator');
    await expect(cordoned.locator('tr', { hasText: node })).toContainText(REASON);
    await expect(rows(app, 'handover-dub-notready')).toHaveCount(site('dub').notReadyNodes.length);
    await expect(app.getByTestId('handover-dub-notready')).toContainText(down);
    await expect(rows(app, 'handover-ams-crashloops')).toHaveCount(site('ams').crashloops.length);
    await expect(app.getByTestId('handover-ams-crashloops')).toContainText(deployment.name);
    await expect(app.getByTestId('handover-fra-maintenance')).toContainText(`node/${node}`);
    await expect(app.getByTestId('handover-runbooks').locator('tr', { hasText: run })).toContainText('drain-node');
    await expect(app.getByTestId('handover-notes-list')).toContainText('ticket OPS-4711 open.');
    await expect(app.getByTestId('handover-site-ams')).toContainText(`Warning events during the shift`);
    await expect(app.getByTestId('handover-diff')).toBeVisible();
    for (const s of ['fra', 'ams', 'dub']) {
      await expect(app.getByTestId(`handover-stored-${s}`)).toHaveAttribute('data-ok', 'true');
      await expect(app.getByTestId(`handover-stored-${s}`)).toContainText(`triptych-system/${id}`);
    }
    await app.screenshot({ path: test.info().outputPath('handover-report.png') });

    // Markdown: the host's export, saved as <id>.md.
    const mdDownload = app.waitForEvent('download');
    await app.getByTestId('handover-export-md').click();
    const markdown = await downloadText(mdDownload);
    expect(markdown.name).toBe(`${id}.md`);
    expect(markdown.text).toContain('ticket OPS-4711 open.');
    expect(markdown.text).toContain(node);

    // PDF: the print button opens the print dialog; what it prints is the report alone (print CSS), as page.pdf() renders it.
    // In the page, counting calls instead of opening a dialog a headless browser cannot show (this file has no DOM types).
    await app.evaluate(() => {
      const w = globalThis as unknown as { print(): void; printed: number };
      w.printed = 0;
      w.print = () => void w.printed++;
    });
    await app.getByTestId('handover-print').click();
    expect(await app.evaluate(() => (globalThis as unknown as { printed: number }).printed)).toBe(1);
    await app.emulateMedia({ media: 'print' });
    await expect(app.locator('.top-bar')).toBeHidden();
    await expect(app.getByTestId('handover-export-md')).toBeHidden();
    await expect(report).toBeVisible();
    await app.screenshot({ path: test.info().outputPath('handover-print.png') });
    await app.emulateMedia({ media: null });
    const pdf = await app.pdf({ path: test.info().outputPath(`${id}.pdf`), format: 'A4', printBackground: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Three sites' tables do not fit one page: the report flows on instead of being clipped to the dialog.
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0).toBeGreaterThan(1);

    // The audit view: the runbook's cordon, the chain intact, CSV export.
    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await app.getByTestId('audit-open').click();
    const audit = app.getByTestId('audit-view');
    await expect(audit).toBeVisible();
    await expect(app.getByTestId('audit-chain')).toHaveAttribute('data-ok', 'true');
    await expect(app.getByTestId('audit-chain')).toHaveText(/Hash chain intact, [\d\u202f]+ entries/);
    await app.getByTestId('audit-verb').fill('cordon');
    await app.getByTestId('audit-verb').press('Enter');
    // The filter has applied once the other verbs are gone.
    await expect(audit.locator('[data-testid="audit-row"]:not([data-verb="cordon"])')).toHaveCount(0);
    const cordonRow = audit.locator('[data-testid="audit-row"]', { hasText: node });
    await expect(cordonRow).toContainText('drain-node · cordon');
    await expect(cordonRow).toContainText('userpass-operator');
    await app.screenshot({ path: test.info().outputPath('audit-view.png') });
    const csvDownload = app.waitForEvent('download');
    await app.getByTestId('audit-export-csv').click();
    const csv = await downloadText(csvDownload);
    expect(csv.name).toMatch(/^triptych-audit-.*\.csv$/);
    // A byte order mark for Excel, then the header line.
    expect(csv.text.startsWith('\uFEFF"seq","at","who","verb","site"')).toBe(true);
    expect(csv.text).toContain(node);
    expect(csv.text.split('\r\n').slice(1).every((line) => line === '' || line.includes('"cordon"'))).toBe(true);

    // Back to a clean fleet for whatever runs next in this worker: the maintenance ends, the node returns.
    await app.keyboard.press('Escape');
    await expect(audit).toBeHidden();
    await triptych.core.impl.runbooks.confirm(run);
    await gate(triptych, run, 'done');
    await triptych.fault({ fault: 'node-ready', site: 'dub', node: down });
    await triptych.core.impl.runbooks.confirm(run);
    await expect.poll(async () => (await triptych.core.impl.runbooks.runs()).find((r: RunStatus) => r.run === run)?.state, SLOW).toBe('succeeded');
  });

  test('a read-only (viewer) screen is refused the handover, and opens the latest one', async ({ app, triptych }) => {
    // The fixture opened the viewer URL, as on a war-room screen.
    await loaded(app);
    const latest = (await triptych.core.impl.handover.latest()) ?? (await triptych.core.impl.handover.create({ notes: ['written for the viewer test'] })).report;
    await app.getByTestId('handover-open').click();
    await app.getByTestId('handover-notes').fill('a viewer tries');
    await app.getByTestId('handover-create').click();
    await expect(app.getByTestId('handover-error')).toContainText(/read-only \(viewer\)/);
    await expect(app.getByTestId('handover-dialog')).toHaveAttribute('data-view', 'compose');
    // The draft is still there to copy elsewhere, and nothing was written.
    await expect(app.getByTestId('handover-notes')).toHaveValue('a viewer tries');
    expect((await triptych.core.impl.handover.latest())?.id).toBe(latest.id);
    await app.screenshot({ path: test.info().outputPath('handover-viewer-refused.png') });

    await app.getByTestId('handover-latest').click();
    const report = app.getByTestId('handover-report');
    await expect(report).toHaveAttribute('data-id', latest.id);
    await expect(app.getByTestId('handover-stored')).toContainText('Read back from the clusters');
    await expect(app.getByTestId('handover-error')).toHaveCount(0);
    await app.screenshot({ path: test.info().outputPath('handover-viewer-latest.png') });
  });
});
