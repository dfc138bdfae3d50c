/**
 * Every shipped scenario, played against a small fleet: its goals are met by
 * doing the right thing through the Kubernetes and Vault APIs (what the
 * console's runbooks, editor and handover do), and not met by doing nothing.
 * Runs are stepped with `advance()` instead of waiting for their timelines.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestFleet, type TestFleet } from '../testing/fleet-fixture';
import { LABEL_RACK } from '../sim/topology';
import { HANDOVER_NAMESPACE } from './goals';
import { ScenarioRun } from './runner';
import { loadScenarios, parseScenario, SCENARIO_DIR, type Scenario } from './scenario';

let t: TestFleet;
let scenarios: Scenario[];
/** checkout-api's image per site before any bad rollout: what a rollback goes back to. */
let good: Record<string, string>;
beforeAll(async () => {
  t = await startTestFleet({ nodes: 12, podsPerNode: 8 });
  scenarios = await loadScenarios(SCENARIO_DIR);
  good = Object.fromEntries(await Promise.all(t.fleet.sites.map(async (s) => [s.site.name, await image(s.site.name)] as const)));
}, 60_000);
afterAll(async () => t?.close());

const scenario = (name: string): Scenario => {
  const s = scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no shipped scenario ${name}`);
  return s;
};
const start = (name: string): ScenarioRun => new ScenarioRun(scenario(name), t.fleet.faults, t.fleet.faults.world());
/** Waits for the step at 0s (played by a timer) to be applied. */
const begun = async (run: ScenarioRun): Promise<void> => {
  await vi.waitFor(() => expect(run.status().steps[0]?.applied).toBeDefined());
};
const playAll = async (run: ScenarioRun): Promise<void> => {
  await begun(run);
  while (!run.done) await run.advance();
};
const goal = (run: ScenarioRun, id: string): { met: boolean; detail?: string } => {
  run.evaluate();
  const g = run.status().goals.find((x) => x.id === id);
  if (!g) throw new Error(`no goal ${id}`);
  return g;
};
const metEventually = async (run: ScenarioRun, id: string): Promise<void> => {
  await vi.waitFor(() => expect(goal(run, id)).toMatchObject({ met: true }), { timeout: 20_000, interval: 100 });
};

const ok = async (r: Promise<{ status: number; text: string }>): Promise<void> => {
  const res = await r;
  expect(res.status, res.text).toBeLessThan(300);
};
const mergePatch = { 'content-type': 'application/merge-patch+json' };
const cordon = (site: string, node: string, on: boolean): Promise<void> => ok(t.request(site, 'PATCH', `/api/v1/nodes/${node}`, { body: { spec: { unschedulable: on ? true : null } }, headers: mergePatch }));
const rackNodes = (site: string, rack: string): string[] => [...t.fleet.site(site).site.idx.nodes.values()].filter((n) => n.labels[LABEL_RACK] === rack).map((n) => n.name);
const deployPath = (ns: string, name: string): string => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
const image = async (site: string): Promise<string> => {
  const d = (await t.request(site, 'GET', deployPath('checkout', 'checkout-api'))).json() as { spec: { template: { spec: { containers: { image: string }[] } } } };
  return d.spec.template.spec.containers[0]?.image ?? '';
};

/** What the console's handover does: a labelled ConfigMap in triptych-system. */
async function handover(site: string): Promise<void> {
  await t.request(site, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: HANDOVER_NAMESPACE } } });
  await ok(t.request(site, 'POST', `/api/v1/namespaces/${HANDOVER_NAMESPACE}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'handover-', labels: { 'app.kubernetes.io/managed-by': 'triptych', 'triptych.io/kind': 'handover' } }, data: { 'report.md': 'x' } } }));
}
/** Removes every handover, so one run's report never counts for the next. */
async function clearHandovers(): Promise<void> {
  for (const s of t.fleet.sites) {
    const name = s.site.name;
    const list = (await t.request(name, 'GET', `/api/v1/namespaces/${HANDOVER_NAMESPACE}/configmaps`)).json() as { items?: { metadata: { name: string } }[] };
    for (const cm of list.items ?? []) await t.request(name, 'DELETE', `/api/v1/namespaces/${HANDOVER_NAMESPACE}/configmaps/${cm.metadata.name}`);
  }
}

function vault(method: string, p: string, token?: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(p, t.fleet.vault.url), { method, ca: t.fleet.tls.caCert, headers: { ...(token ? { 'x-vault-token': token } : {}), 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('scenario goals', () => {
  it('ships at least five scenarios, every goal with a check', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(5);
    for (const s of scenarios) {
      expect(s.goals.length, s.name).toBeGreaterThan(0);
      for (const g of s.goals) expect(g.check.kind, `${s.name}/${g.id}`).toBeTruthy();
    }
  });

  it.each([
    ['goals:\n  - {id: a, text: t}\n', /x\.yaml:6:5: goal "a" needs a "check" the fleet can evaluate/],
    ['goals:\n  - {id: a, text: t, check: {kind: rack-found}}\n', /x\.yaml:6:5: goal "a": unknown check kind "rack-found"; kinds: rack-cordoned/],
    ['goals:\n  - {id: a, text: t, check: {kind: rack-cordoned, colour: red}}\n', /check "rack-cordoned" has no field "colour" \(fields: site, rack\)/],
    ['goals:\n  - {id: a, text: t, check: {kind: node-drained}}\n', /goal "a": check "node-drained" needs "node" \(in the check or in defaults\)/],
    ['goals:\n  - {id: a, text: t, check: {kind: rack-cordoned}, before: rack-power-restore}\n', /"before" must name a fault of this scenario's timeline \(rack-power-loss\)/],
    ['goals:\n  - {id: a, text: t, check: {kind: rack-cordoned}, requires: b}\n', /"requires" must name a goal listed before it/],
    ['goals:\n  - {id: a, text: t, check: {kind: deployment-scaled, namespace: n, deployment: d, factor: 0.5}}\n', /"factor" must be a number above 1/],
    ['goals:\n  - {id: a, text: t, check: {kind: rack-cordoned}}\n  - {id: a, text: u, check: {kind: rack-returned}}\n', /x\.yaml:7:5: goal id "a" is used twice/],
    ['goals: []\n', /"goals" must be a non-empty list/],
    ['goals:\n  - {id: a, text: t, check: {kind: rack-cordoned}}\n', /x\.yaml:1:7: name "advance" is reserved by the control endpoint/, 'advance'],
  ])('rejects a bad goal with a located, actionable error (%#)', (goals, message, name = 'x') => {
    const text = `name: ${name}\ntitle: t\nbriefing: b\ndefaults: {site: fra, rack: pick}\n${goals}timeline:\n  - {at: 0s, fault: rack-power-loss}\n`;
    expect(() => parseScenario(text, 'x.yaml')).toThrow(message);
  });

  it('rejects a step later than a day, which a timer would play at once', () => {
    const text = (at: string) => `name: x\ntitle: t\nbriefing: b\ndefaults: {site: fra, rack: pick}\ngoals:\n  - {id: a, text: t, check: {kind: rack-cordoned}}\ntimeline:\n  - {at: ${at}, fault: rack-power-loss}\n`;
    expect(() => parseScenario(text('600h'), 'x.yaml')).toThrow(/x\.yaml:8:5: "at" must be at most 24h from the start \(got "600h"\)/);
    expect(parseScenario(text('24h'), 'x.yaml').timeline[0]?.atMs).toBe(86_400_000);
  });

  it('doing nothing meets no goal of any scenario', async () => {
    // vault-sealed last: its credentials-expire step ends the site's tokens.
    const names = scenarios.map((s) => s.name).sort((a, b) => Number(a === 'vault-sealed') - Number(b === 'vault-sealed'));
    expect(names).toContain('vault-sealed');
    for (const name of names) {
      if (name === 'vault-sealed') continue;
      const run = start(name);
      await playAll(run);
      run.stop();
      const st = run.status();
      expect(st.endedAt).toBeGreaterThanOrEqual(st.startedAt);
      for (const g of st.goals) expect(g, `${name}/${g.id}`).toMatchObject({ met: false });
      for (const g of st.goals) expect(g.detail, `${name}/${g.id}`).toBeTruthy();
    }
  }, 60_000);

  it('rack-power-loss: cordoning the rack before power returns, then uncordoning it, meets both goals', async () => {
    const run = start('rack-power-loss');
    await begun(run);
    const { site, rack } = run.target() as { site: string; rack: string };
    expect(run.status().goals[0]?.text).toContain(`rack ${rack} at ${site}`);
    expect(goal(run, 'rack-cordoned').detail).toMatch(new RegExp(`\\d+ of \\d+ nodes of rack ${rack} at ${site} still schedulable`));
    expect(goal(run, 'rack-returned').detail).toMatch(/counts once this is met/);
    for (const n of rackNodes(site, rack)) await cordon(site, n, true);
    await metEventually(run, 'rack-cordoned');
    expect(goal(run, 'rack-returned')).toMatchObject({ met: false, detail: 'counts once rack-power-restore has played' });
    await run.advance();
    expect(goal(run, 'rack-returned').detail).toMatch(/still cordoned/);
    for (const n of rackNodes(site, rack)) await cordon(site, n, false);
    await metEventually(run, 'rack-returned');
    const st = run.status();
    expect(st.goals.every((g) => g.met && typeof g.metAt === 'number')).toBe(true);
    expect(st.steps.map((s) => s.applied?.ok)).toEqual([true, true]);
    run.stop();
  }, 60_000);

  it('rack-power-loss: cordoning only after power returns misses the first goal, and with it the second', async () => {
    const run = start('rack-power-loss');
    await begun(run);
    await run.advance();
    const { site, rack } = run.target() as { site: string; rack: string };
    for (const n of rackNodes(site, rack)) await cordon(site, n, true);
    expect(goal(run, 'rack-cordoned')).toMatchObject({ met: false, detail: expect.stringMatching(/^missed: not met before rack-power-restore/) as unknown });
    for (const n of rackNodes(site, rack)) await cordon(site, n, false);
    expect(goal(run, 'rack-returned').met).toBe(false);
    run.stop();
    await expect(run.advance()).rejects.toThrow(/has ended/);
  }, 60_000);

  it('node-disk-pressure: draining the node, then returning it after the pressure clears', async () => {
    const run = start('node-disk-pressure');
    await begun(run);
    const { site, node } = run.target() as { site: string; node: string };
    await cordon(site, node, true);
    expect(goal(run, 'node-drained').detail).toMatch(new RegExp(`node ${node} at ${site} cordoned, \\d+ pods still on it`));
    const pods = t.fleet.site(site).site.idx.podsOn(node).filter((p) => p.ownerKind !== 'DaemonSet' && p.ownerKind !== 'Node');
    for (const p of pods) await ok(t.request(site, 'POST', `/api/v1/namespaces/${p.ns}/pods/${p.name}/eviction`, { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p.name, namespace: p.ns } } }));
    await metEventually(run, 'node-drained');
    await run.advance();
    await cordon(site, node, false);
    await metEventually(run, 'node-returned');
    run.stop();
  }, 60_000);

  it('bad-rollout: rolling back in every site, then a handover (one written before the rollback does not count)', async () => {
    const run = start('bad-rollout');
    await playAll(run);
    expect(goal(run, 'rolled-back').detail).toMatch(/checkout\/checkout-api fra: still on .*; ams: still on/);
    await handover('ams');
    // creationTimestamp has whole seconds: the rollback is met in a later second than this handover.
    const early = Math.floor(Date.now() / 1000);
    await vi.waitFor(() => expect(Math.floor(Date.now() / 1000)).toBeGreaterThan(early), { timeout: 2_000, interval: 20 });
    for (const [site, img] of Object.entries(good)) {
      await ok(t.request(site, 'PATCH', deployPath('checkout', 'checkout-api'), { body: { spec: { template: { spec: { containers: [{ name: 'checkout-api', image: img }] } } } }, headers: { 'content-type': 'application/strategic-merge-patch+json' } }));
    }
    await metEventually(run, 'rolled-back');
    expect(goal(run, 'handover').met).toBe(false);
    await handover('fra');
    await metEventually(run, 'handover');
    run.stop();
    await clearHandovers();
  }, 60_000);

  it('site-api-outage: scaling up the surviving sites during the outage, then a handover after it', async () => {
    const run = start('site-api-outage');
    await begun(run);
    const { site } = run.target() as { site: string };
    const others = t.fleet.sites.map((s) => s.site.name).filter((s) => s !== site);
    expect(goal(run, 'headroom').detail).toMatch(new RegExp(`${others[0]}: \\d+ Ready of the \\d+ wanted`));
    for (const o of others) {
      const d = (await t.request(o, 'GET', deployPath('checkout', 'checkout-api'))).json() as { spec: { replicas: number } };
      await ok(t.request(o, 'PATCH', deployPath('checkout', 'checkout-api'), { body: { spec: { replicas: Math.ceil(d.spec.replicas * 1.5) } }, headers: mergePatch }));
    }
    await metEventually(run, 'headroom');
    await run.advance();
    await handover(others[0] as string);
    await metEventually(run, 'handover');
    run.stop();
    await clearHandovers();
  }, 60_000);

  it('watch-expiry-storm: a handover after the storm', async () => {
    const run = start('watch-expiry-storm');
    await playAll(run);
    await handover(t.fleet.sites[0]?.site.name as string);
    await metEventually(run, 'handover');
    run.stop();
    await clearHandovers();
  }, 60_000);

  it('vault-sealed: a handover while sealed, then fresh credentials after the unseal (doing nothing meets neither)', async () => {
    const idle = start('vault-sealed');
    await playAll(idle);
    idle.stop();
    expect(idle.status().goals.map((g) => g.met)).toEqual([false, false]);

    const run = start('vault-sealed');
    await begun(run);
    const { site } = run.target() as { site: string };
    // A site whose tokens neither run's credentials-expire step ended.
    const other = t.fleet.sites.map((s) => s.site.name).find((s) => s !== site && s !== idle.target().site) as string;
    await handover(other);
    await metEventually(run, 'handover-while-sealed');
    await run.advance();
    await run.advance();
    expect(goal(run, 'site-reconnected').detail).toBe(`no fresh credentials from Vault yet for ${site}`);
    const login = await vault('POST', '/v1/auth/userpass/login/operator', undefined, { password: 'training' });
    const token = (login.json.auth as { client_token: string }).client_token;
    expect((await vault('POST', `/v1/kubernetes-${site}/creds/operator`, token, { kubernetes_namespace: 'default' })).status).toBe(200);
    await metEventually(run, 'site-reconnected');
    run.stop();
    await clearHandovers();
  }, 60_000);
});
