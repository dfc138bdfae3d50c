/**
 * One-click runbooks on the training fleet, as an admin does it: from the
 * rack map at Frankfurt, right-click a rack, "Drain a rack", read the plan
 * (the site's name and colour, every step, what each touches), start it,
 * pass its gates, see the rack under maintenance on every console while it
 * runs (and a drain at another site refused meanwhile, and the run survive
 * a reload), watch it to the end; then write the shift handover and find
 * the run in it. A read-only (viewer) screen can
 * plan but not start, and says why.
 *
 * The tests share the worker's fleet and run in order: the viewer first,
 * while nothing is under maintenance; the handover last, after the drain.
 */
import { readFile } from 'node:fs/promises';
import type { Locator } from '@playwright/test';
import { expect, loaded, test } from './fixtures';
import { rightClickRack } from './rack-map';
import { readSnapshot } from '../src/shared/contract/snapshot';
import type { SiteSnapshot } from '../src/shared/contract/triptych';
import type { RunStatus } from '../src/shared/runbooks';
import type { Console } from './fixtures';

/** The smallest rack at Frankfurt on the e2e fleet (8 nodes, ~116 pods): drained in about 10 s. */
const RACK = 'B-01';
const SITE = 'fra';

/** The rack's nodes, in the order the runbook drains them (rack unit). */
async function rackNodes(c: Console, site: string, rack: string): Promise<string[]> {
  const snap = await readSnapshot(async (t) => c.core.impl.sites.snapshot(site, t) as SiteSnapshot);
  return snap.items.nodes
    .filter((n) => n.rack === rack)
    .sort((a, b) => (a.unit ?? 0) - (b.unit ?? 0))
    .map((n) => n.name);
}

/** The gate the run waits at, once it waits there. */
async function gate(run: Locator, step: string): Promise<Locator> {
  await expect(run).toHaveAttribute('data-state', 'waiting-confirm', { timeout: 60_000 });
  const g = run.getByTestId('runbook-gate');
  await expect(g).toHaveAttribute('data-step', step, { timeout: 60_000 });
  return g;
}

/**
 * Brings a drained rack back with the shipped return-rack runbook, through
 * the host (its one gate confirmed there): the worker's fleet may serve
 * further spec files, which should not find a rack cordoned.
 */
async function returnRack(c: Console, site: string, rack: string): Promise<void> {
  const plan = await c.core.impl.runbooks.plan('return-rack', { site, rack });
  if (plan.blockers.length > 0) throw new Error(`return-rack cannot start: ${plan.blockers.join('; ')}`);
  const ended = new Promise<RunStatus>((resolve) => {
    const off = c.core.bus.tap((name, payload) => {
      const s = payload as RunStatus;
      if (name !== 'runbook.status' || s.runbook !== 'return-rack') return;
      // Later, not inside the engine's own emit. A gate's status can be emitted twice; a second confirm is refused as "not waiting", and the end state below is what counts.
      if (s.state === 'waiting-confirm')
        Promise.resolve()
          .then(() => c.core.impl.runbooks.confirm(s.run))
          .catch(() => undefined);
      if (s.state === 'succeeded' || s.state === 'failed' || s.state === 'aborted') {
        off();
        resolve(s);
      }
    });
  });
  await c.core.impl.runbooks.start(plan.id);
  const end = await ended;
  if (end.state !== 'succeeded') throw new Error(`return-rack ${end.state}: ${end.error ?? ''}`);
}

test.describe('runbooks', () => {
  // The handover reads what the drain did: after a failure the worker (and its fleet) is replaced, so what follows is skipped instead.
  test.describe.configure({ mode: 'serial' });

  test.afterAll(async ({ triptych }) => {
    const drained = (await triptych.core.impl.runbooks.runs()).some((r) => r.runbook === 'drain-rack' && r.state === 'succeeded');
    if (drained) await returnRack(triptych, SITE, RACK);
  });

  test('a read-only (viewer) screen plans a runbook but cannot start it, and says why', async ({ app, triptych }) => {
    // The fixture opened the viewer URL, as on a war-room screen.
    await loaded(app);
    // Other specs in this worker may have run runbooks already: what matters is that this one adds none.
    const runsBefore = (await triptych.core.impl.runbooks.runs()).length;
    const snap = await readSnapshot(async (t) => triptych.core.impl.sites.snapshot('dub', t) as SiteSnapshot);
    const picked = snap.items.nodes.find((n) => n.rack !== undefined && !n.roles.includes('control-plane'));
    if (picked === undefined) throw new Error('no racked node at dub');
    const node = picked.name;
    await app.keyboard.press('Control+K');
    await app.getByTestId('palette-input').fill(`dub: ${node}`);
    await app.locator('[data-testid="palette-result"][data-kind="node"]', { hasText: node }).first().click();
    const detail = app.getByTestId('node-detail');
    await expect(detail).toHaveAttribute('data-node', node);

    // By keyboard: ↓ on the menu button opens the menu on its first item; the arrows move, Enter chooses.
    await detail.getByTestId('runbook-menu-button').focus();
    await app.keyboard.press('ArrowDown');
    const menu = app.getByTestId('runbook-menu');
    await expect(menu).toBeVisible();
    // The node's runbooks, then its rack's.
    await expect(menu.getByRole('group')).toHaveText([new RegExp(`^Node ${node}`), new RegExp(`^Rack ${picked.rack}`)]);
    const items = menu.getByTestId('runbook-item');
    await expect(items.first()).toBeFocused();
    const names = await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-runbook')));
    for (let i = 0; i < names.indexOf('collect-node-diagnostics'); i++) await app.keyboard.press('ArrowDown');
    await expect(menu.locator('[data-runbook="collect-node-diagnostics"]')).toBeFocused();
    await app.keyboard.press('Enter');

    const plan = app.getByTestId('runbook-plan');
    await expect(plan).toBeVisible();
    await expect(plan).toHaveAttribute('data-site', 'dub');
    await expect(app.getByTestId('runbook-plan-target')).toContainText(`node ${node}`);
    await expect(app.getByTestId('runbook-plan-target')).toContainText('Dublin');
    await expect(plan.getByTestId('runbook-plan-step')).not.toHaveCount(0);
    const start = app.getByTestId('runbook-start');
    await expect(start).toBeEnabled();
    await start.click();
    await expect(app.getByTestId('runbook-start-error')).toContainText(/needs the operator role; this connection is read-only \(viewer\)/);
    await expect(plan).toBeVisible();
    await app.screenshot({ path: test.info().outputPath('viewer-refused.png') });
    // Nothing started at the host.
    expect(await triptych.core.impl.runbooks.runs()).toHaveLength(runsBefore);

    // Escape closes the dialog, and only the dialog: the node detail stays open behind it.
    await app.keyboard.press('Escape');
    await expect(plan).toHaveCount(0);
    await expect(detail).toBeVisible();
  });

  test('drain a rack from the rack map: plan, gates, maintenance on screen, reload, pause, progress to the end', async ({ app, triptych }) => {
    // The drain itself takes about 10 s; the gates, a reload and the screenshots add some.
    test.setTimeout(120_000);
    await app.goto(triptych.host.operatorUrl);
    await loaded(app);
    const nodes = await rackNodes(triptych, SITE, RACK);
    expect(nodes.length).toBeGreaterThan(0);
    const frankfurt = triptych.core.sites.find((s) => s.id === SITE);
    if (frankfurt === undefined) throw new Error('no Frankfurt in the training fleet');

    // One click on the rack: its runbooks.
    await rightClickRack(app, SITE, RACK);
    const menu = app.getByTestId('runbook-menu');
    await expect(menu).toBeVisible();
    await expect(menu.locator('[data-testid="runbook-item"][data-runbook="drain-rack"]')).toHaveCount(1);
    await expect(menu.locator('[data-testid="runbook-item"][data-runbook="drain-node"]')).toHaveCount(0);
    await app.screenshot({ path: test.info().outputPath('rack-menu.png') });
    await menu.locator('[data-runbook="drain-rack"]').click();

    // The plan: Frankfurt on its colour, every step with its site, what the drains touch, no blockers.
    const plan = app.getByTestId('runbook-plan');
    await expect(plan).toBeVisible();
    await expect(plan).toHaveAttribute('data-site', SITE);
    await expect(plan.locator('.site-band__name')).toHaveText(frankfurt.name);
    await expect(plan).toHaveCSS('border-top-color', rgb(frankfurt.color));
    await expect(app.getByTestId('runbook-plan-target')).toContainText(`rack ${RACK} at ${frankfurt.name}`);
    const steps = plan.getByTestId('runbook-plan-step');
    // Two checks and a confirm; a cordon per node; a confirm; a check and a drain per node; the manual step.
    await expect(steps).toHaveCount(3 + nodes.length + 1 + 2 * nodes.length + 1);
    const firstDrain = plan.locator(`[data-testid="runbook-plan-step"][data-step="drain[${nodes[0]}]"]`);
    await expect(firstDrain).toHaveAttribute('data-mutates', 'true');
    await expect(firstDrain).toContainText(frankfurt.name);
    await expect(firstDrain.getByTestId('runbook-touches')).toContainText(nodes[0] as string);
    await expect(plan.getByTestId('runbook-blockers')).toHaveCount(0);
    const start = app.getByTestId('runbook-start');
    await expect(start).toBeEnabled();
    await expect(start).toHaveText(`Start at ${frankfurt.name}`);
    await app.screenshot({ path: test.info().outputPath('drain-rack-plan.png') });

    const startedAt = Date.now();
    await start.click();
    await expect(plan).toHaveCount(0);
    const run = app.getByTestId('runbook-run');
    await expect(run).toHaveAttribute('data-runbook', 'drain-rack');

    // Gate 1, on Frankfurt's name and colour.
    const go = await gate(run, 'go');
    await expect(go).toContainText(frankfurt.name);
    await expect(go).toContainText(`Drain every node of rack ${RACK}`);
    await app.screenshot({ path: test.info().outputPath('drain-rack-gate.png') });
    await app.getByTestId('runbook-confirm').click();

    // The whole rack cordoned: the Lease is held, and the console says so in Frankfurt's column and on its rack map.
    await gate(run, 'start-draining');
    const column = app.getByTestId(`site-column-${SITE}`);
    const maintenance = column.getByTestId('maintenance');
    await expect(maintenance).toHaveText(new RegExp(`rack ${RACK} under maintenance by userpass-operator since \\d\\d:\\d\\d \\(drain-rack\\)`));
    await expect(app.locator(`[data-testid="rack-maintenance-${SITE}"][data-name="${RACK}"]`)).toHaveCount(1);
    for (const other of ['ams', 'dub']) await expect(app.getByTestId(`site-column-${other}`).getByTestId('maintenance')).toHaveCount(0);
    await app.screenshot({ path: test.info().outputPath('drain-rack-maintenance.png') });

    // Meanwhile a rack at Amsterdam cannot be drained: never two sites in maintenance at once. The plan says why; Start stays disabled.
    await rightClickRack(app, 'ams', 'A-01');
    await app.getByTestId('runbook-menu').locator('[data-runbook="drain-rack"]').click();
    const refused = app.getByTestId('runbook-plan');
    await expect(refused).toHaveAttribute('data-site', 'ams');
    await expect(refused.getByTestId('runbook-blockers')).toContainText(`${frankfurt.name}: rack/${RACK} under maintenance by userpass-operator`);
    await expect(app.getByTestId('runbook-start')).toBeDisabled();
    await app.screenshot({ path: test.info().outputPath('drain-rack-blocked-elsewhere.png') });
    await app.keyboard.press('Escape');
    await expect(refused).toHaveCount(0);

    // A reload loses nothing: the dock comes back on the run, still at its gate.
    await app.reload();
    await loaded(app);
    await gate(run, 'start-draining');
    await expect(maintenance).toHaveCount(1);

    // Paused before the drains begin: the pause takes effect at the next step boundary, after the gate.
    await app.getByTestId('runbook-pause').click();
    await expect(app.getByTestId('runbook-pause')).toHaveText(/Pausing/);
    await app.getByTestId('runbook-confirm').click();
    await expect(run).toHaveAttribute('data-state', 'paused');
    await expect(run.locator('[data-testid="runbook-run-step"][data-step^="drain["][data-state="pending"]')).toHaveCount(nodes.length);
    const drainingFrom = Date.now();
    await app.getByTestId('runbook-resume').click();

    // Node by node, to the manual step; every drain done.
    const note = await gate(run, 'maintenance');
    const drained = Date.now();
    await expect(run.locator('[data-testid="runbook-run-step"][data-step^="drain["][data-state="succeeded"]')).toHaveCount(nodes.length);
    await expect(note).toContainText(`Rack ${RACK} at ${SITE} runs no workload pods now`);
    await app.screenshot({ path: test.info().outputPath('drain-rack-drained.png') });
    await app.getByTestId('runbook-confirm').click();

    await expect(run).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    const ended = Date.now();
    await expect(run.getByTestId('runbook-error')).toHaveCount(0);
    // The Lease went with the run.
    await expect(maintenance).toHaveCount(0);
    await app.screenshot({ path: test.info().outputPath('drain-rack-succeeded.png') });

    const timing = `drain of ${nodes.length} nodes: ${drained - drainingFrom} ms; start to end (with gates, a reload and a pause): ${ended - startedAt} ms`;
    test.info().annotations.push({ type: 'rack-drain', description: timing });
    console.log(`rack ${RACK} at ${SITE}: ${timing}`);
    // Other specs in this worker may have run other runbooks: this one ran drain-rack once, to the end.
    const runs = (await triptych.core.impl.runbooks.runs()).filter((r) => r.runbook === 'drain-rack');
    expect(runs.map((r) => [r.runbook, r.state])).toEqual([['drain-rack', 'succeeded']]);
  });

  test('the shift handover names the sites and the rack drain', async ({ app, triptych }) => {
    await app.goto(triptych.host.operatorUrl);
    await loaded(app);
    await expect(app.getByTestId('handover-open')).toBeVisible();
    await app.getByTestId('handover-open').click();
    const dialog = app.getByTestId('handover-dialog');
    await expect(dialog).toBeVisible();
    await app.getByTestId('handover-notes').fill(`Rack ${RACK} at Frankfurt drained for PSU work; return it with return-rack.`);
    await app.getByTestId('handover-create').click();
    const report = app.getByTestId('handover-report');
    await expect(report).toBeVisible({ timeout: 30_000 });
    for (const s of triptych.core.sites) await expect(report).toContainText(s.name);
    await expect(report).toContainText('drain-rack');
    await app.screenshot({ path: test.info().outputPath('handover-report.png') });

    const download = app.waitForEvent('download');
    await app.getByTestId('handover-export-md').click();
    const file = test.info().outputPath('handover.md');
    await (await download).saveAs(file);
    const md = await readFile(file, 'utf8');
    expect(md).toContain('drain-rack');
    expect(md).toContain(`Rack ${RACK} at Frankfurt drained for PSU work`);
  });
});

/** `#0072b2` → `rgb(0, 114, 178)`, as getComputedStyle reports colours. */
function rgb(hex: string): string {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
