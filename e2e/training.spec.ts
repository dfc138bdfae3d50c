/**
 * A training session end to end in the browser host, as a trainer and a
 * trainee run it: the trainer starts "Rack power loss" from the training
 * panel; the trainee reads the briefing and the goals, drains the affected
 * rack with the shipped drain-rack runbook from the rack map (the goal
 * "cordoned before power returns" ticks), the trainer plays the power
 * restore with "Next step now", the trainee returns the rack with
 * return-rack (the second goal ticks), and Stop produces the debrief with
 * the runbooks' actions from the audit trail, its duration, and a Markdown
 * download.
 */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { expect, loaded, test } from './fixtures';
import { rightClickRack } from './rack-map';

/** Starts a rack runbook from the rack map and returns its run in the dock. */
async function startRackRunbook(app: Page, site: string, rack: string, runbook: string): Promise<Locator> {
  await rightClickRack(app, site, rack);
  await app.getByTestId('runbook-menu').locator(`[data-testid="runbook-item"][data-runbook="${runbook}"]`).click();
  const plan = app.getByTestId('runbook-plan');
  await expect(plan).toHaveAttribute('data-site', site);
  await expect(plan.getByTestId('runbook-blockers')).toHaveCount(0);
  await app.getByTestId('runbook-start').click();
  await expect(plan).toHaveCount(0);
  const run = app.getByTestId('runbook-run');
  await expect(run).toHaveAttribute('data-runbook', runbook);
  return run;
}

/** Confirms the gate the run waits at, once it waits there. */
async function confirmGate(app: Page, run: Locator, step: string): Promise<void> {
  await expect(run).toHaveAttribute('data-state', 'waiting-confirm', { timeout: 90_000 });
  await expect(run.getByTestId('runbook-gate')).toHaveAttribute('data-step', step, { timeout: 90_000 });
  await app.getByTestId('runbook-confirm').click();
}

async function openPanel(app: Page, tab: 'trainee' | 'trainer' | 'debrief'): Promise<Locator> {
  const panel = app.getByTestId('training-panel');
  if ((await panel.count()) === 0) await app.getByTestId('training-open').click();
  await app.getByTestId(`training-tab-${tab}`).click();
  await expect(panel).toHaveAttribute('data-tab', tab);
  return panel;
}

test.describe('training', () => {
  test.afterAll(async ({ triptych }) => {
    // A run left playing by a failure ends here, its steps played, so later specs in this worker find the fleet whole.
    const { run } = await triptych.core.impl.training.status();
    if (run && run.endedAt === undefined) {
      while ((await triptych.core.impl.training.status()).run?.steps.some((s) => s.applied === undefined)) await triptych.core.impl.training.advance();
      await triptych.core.impl.training.stop();
    }
  });

  test('rack power loss: started by the trainer, handled through runbooks, goals ticked, debriefed', async ({ app, triptych }) => {
    // Two rack runbooks of a dozen nodes each, with their gates; the fleet checks goals every second.
    test.setTimeout(300_000);
    await app.goto(triptych.host.operatorUrl);
    await loaded(app);

    // The trainer: the panel opens on the scenarios; Start.
    await app.getByTestId('training-open').click();
    const panel = app.getByTestId('training-panel');
    await expect(panel).toHaveAttribute('data-tab', 'trainer');
    const scenario = panel.locator('[data-testid="training-scenario"][data-scenario="rack-power-loss"]');
    await expect(scenario).toContainText('Rack power loss');
    await expect(panel.getByTestId('training-scenario')).toHaveCount((await triptych.core.impl.training.catalogue()).scenarios.length);
    await scenario.getByTestId('training-start').click();

    // The trainee: briefing, target, goals (none met), the power loss played.
    await expect(panel).toHaveAttribute('data-tab', 'trainee');
    const run = panel.getByTestId('training-run');
    await expect(run).toHaveAttribute('data-state', 'playing');
    const site = (await run.getAttribute('data-site')) as string;
    const rack = (await run.getAttribute('data-rack')) as string;
    expect(triptych.core.sites.map((s) => s.id)).toContain(site);
    expect(rack).toMatch(/^[A-Z]-\d\d$/);
    await expect(panel.getByTestId('training-target')).toHaveText(`site ${site} · rack ${rack}`);
    await expect(panel.getByTestId('training-briefing')).toContainText('tripped breaker');
    const goals = panel.getByTestId('training-goal');
    await expect(goals).toHaveCount(2);
    await expect(goals.first()).toContainText(`rack ${rack} at ${site}`);
    await expect(goals.first()).toHaveAttribute('data-met', 'false');
    await expect(goals.first().getByTestId('training-goal-detail')).toContainText(`nodes of rack ${rack} at ${site} still schedulable`);
    await expect(panel.locator('[data-testid="training-step"][data-fault="rack-power-loss"]')).toHaveAttribute('data-ok', 'true');
    await expect(panel.getByTestId('training-elapsed')).toHaveText(/^\d+:\d\d$/);
    await app.screenshot({ path: test.info().outputPath('training-briefing.png') });

    // Drain the rack from the rack map: the panel is closed to reach it; the top bar keeps the score.
    await app.getByTestId('training-close').click();
    await expect(app.getByTestId('training-open')).toHaveText('Training 0/2');
    const drain = await startRackRunbook(app, site, rack, 'drain-rack');
    await confirmGate(app, drain, 'go');
    await expect(drain.getByTestId('runbook-gate')).toHaveAttribute('data-step', 'start-draining', { timeout: 90_000 });
    // Every node cordoned: the fleet ticks the first goal within about a second.
    await expect(app.getByTestId('training-open')).toHaveText('Training 1/2', { timeout: 15_000 });
    let p = await openPanel(app, 'trainee');
    await expect(p.locator('[data-testid="training-goal"][data-goal="rack-cordoned"]')).toHaveAttribute('data-met', 'true');
    await expect(p.locator('[data-testid="training-goal"][data-goal="rack-returned"]')).toContainText('counts once rack-power-restore has played');

    // The trainer plays the power restore now instead of in ten minutes.
    p = await openPanel(app, 'trainer');
    await p.getByTestId('training-advance').click();
    await expect(p.getByTestId('training-advance')).toBeDisabled();
    p = await openPanel(app, 'trainee');
    await expect(p.locator('[data-testid="training-step"][data-fault="rack-power-restore"]')).toHaveAttribute('data-ok', 'true');
    await app.screenshot({ path: test.info().outputPath('training-goal-ticked.png') });
    await app.getByTestId('training-close').click();

    // The drain goes on with power back, to its manual step and the end.
    await confirmGate(app, drain, 'start-draining');
    await confirmGate(app, drain, 'maintenance');
    await expect(drain).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
    await app.getByRole('button', { name: 'Close the run dock' }).click();

    // Return the rack to service.
    const back = await startRackRunbook(app, site, rack, 'return-rack');
    await confirmGate(app, back, 'go');
    await expect(back).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
    await expect(app.getByTestId('training-open')).toHaveText('Training 2/2', { timeout: 15_000 });

    // Stop: the debrief, with the goals' times, the runbooks' actions and the duration.
    p = await openPanel(app, 'trainer');
    await p.getByTestId('training-stop').click();
    await expect(p).toHaveAttribute('data-tab', 'debrief');
    const debrief = p.getByTestId('training-debrief');
    await expect(debrief).toHaveAttribute('data-scenario', 'rack-power-loss');
    await expect(p.getByTestId('training-debrief-duration')).toHaveText(/^\d+:\d\d$/);
    const dGoals = p.getByTestId('training-debrief-goal');
    await expect(dGoals).toHaveCount(2);
    for (const g of await dGoals.all()) {
      await expect(g).toHaveAttribute('data-met', 'true');
      await expect(g).toContainText(/met after \d+:\d\d/);
    }
    const actions = p.getByTestId('training-debrief-action');
    await expect(p.locator('[data-testid="training-debrief-action"][data-runbook="drain-rack"][data-verb="cordon"]').first()).toContainText(site);
    await expect(p.locator('[data-testid="training-debrief-action"][data-runbook="drain-rack"][data-verb="drain"]').first()).toContainText('userpass-operator');
    await expect(p.locator('[data-testid="training-debrief-action"][data-runbook="return-rack"][data-verb="uncordon"]').first()).toBeVisible();
    for (const verb of ['training.start', 'training.advance', 'training.stop']) await expect(p.locator(`[data-testid="training-debrief-action"][data-verb="${verb}"]`)).toHaveCount(1);
    const rackNodes = (await triptych.core.impl.training.debrief())?.actions.filter((a) => a.verb === 'cordon' && a.runbook?.name === 'drain-rack').length ?? 0;
    expect(rackNodes).toBeGreaterThan(0);
    expect(await actions.count()).toBeGreaterThan(2 * rackNodes);
    await app.screenshot({ path: test.info().outputPath('training-debrief.png') });

    const download = app.waitForEvent('download');
    await p.getByTestId('training-debrief-download').click();
    const file = test.info().outputPath('debrief.md');
    await (await download).saveAs(file);
    const md = await readFile(file, 'utf8');
    expect(md).toContain('# Debrief: Rack power loss');
    expect(md).toMatch(/- Duration: \d+:\d\d/);
    expect(md).toContain('- Goals met: 2 of 2');
    expect(md).toContain('cordon (runbook drain-rack)');
    expect(md).toContain('uncordon (runbook return-rack)');

    // The scenario has ended everywhere: the trainee view says so, the top bar no longer counts.
    await expect(app.getByTestId('training-open')).toHaveText('Training');
    p = await openPanel(app, 'trainee');
    await expect(p.getByTestId('training-run')).toHaveAttribute('data-state', 'ended');
  });
});
