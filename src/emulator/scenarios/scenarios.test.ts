import https from 'node:https';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, waitForOutput, type TestFleet } from '../testing/fleet-fixture';
import { loadScenarios, parseDuration, parseScenario, SCENARIO_DIR } from './scenario';
import { FAULTS } from './faults';

describe('scenario files', () => {
  it('every shipped scenario loads and only names known faults', async () => {
    const all = await loadScenarios(SCENARIO_DIR);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const faults = new Set(FAULTS.map((f) => f.name));
    for (const s of all) for (const step of s.timeline) expect(faults.has(step.fault)).toBe(true);
    // The failure classes training must cover.
    const used = new Set(all.flatMap((s) => s.timeline.map((x) => x.fault)));
    for (const f of ['rack-power-loss', 'bad-rollout', 'site-outage', 'node-disk-pressure', 'vault-seal', 'credentials-expire']) expect(used).toContain(f);
  });

  it('durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(5)).toBe(5000);
    expect(parseDuration('5 minutes')).toBeUndefined();
  });

  it.each([
    ['name: x\ntitle: t\nbriefing: b\ntimeline:\n  - at: 0s\n    fault: rack-power-loss\n    site: fra\n', /x\.yaml:5:5: fault "rack-power-loss" needs "rack"/],
    ['name: x\ntitle: t\nbriefing: b\ntimeline:\n  - at: soon\n    fault: vault-seal\n', /x\.yaml:5:5: "at" must be a duration/],
    ['name: x\ntitle: t\nbriefing: b\ntimeline:\n  - at: 0s\n    fault: meteor-strike\n', /unknown fault "meteor-strike"; known faults: rack-power-loss/],
    ['name: x\ntitle: t\nbriefing: b\ntimeline: [\n', /x\.yaml:\d+:\d+: invalid YAML/],
    ['name: x\ntitle: t\nbriefing: b\ncolour: red\ntimeline:\n  - {at: 0s, fault: vault-seal}\n', /x\.yaml:4:1: unknown field "colour"/],
    ['name: x\ntitle: t\ntimeline:\n  - {at: 0s, fault: vault-seal}\n', /missing required field "briefing"/],
    ['name: x\ntitle: t\nbriefing: b\ndefaults: {a: &a [1,2,3,4,5,6,7,8,9], b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b], d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]}\ntimeline:\n  - {at: 0s, fault: vault-seal}\n', /x\.yaml: .*alias/i],
  ])('rejects a bad scenario with a located, actionable error (%#)', (text, message) => {
    expect(() => parseScenario(text, 'x.yaml')).toThrow(message);
  });
});

describe('faults through the control endpoint and the CLI', () => {
  let t: TestFleet;
  beforeAll(async () => {
    t = await startTestFleet({ sites: 2 });
  });
  afterAll(async () => t?.close());

  const control = (method: string, p: string, body?: unknown, token = t.fleet.info.control.token): Promise<{ status: number; json: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      const req = https.request(new URL(p, t.fleet.info.control.address), { method, ca: t.fleet.tls.caCert, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  it('refuses requests without the control token', async () => {
    expect((await control('GET', '/v1/status', undefined, 'wrong')).status).toBe(401);
  });

  it('a site outage refuses connections at that site only; restore serves on the same port', async () => {
    const [a, b] = t.fleet.sites.map((s) => s.site.name) as [string, string];
    const url = t.fleet.site(a).server.url;
    expect((await control('POST', '/v1/faults', { fault: 'site-outage', site: a })).status).toBe(200);
    await expect(t.request(a, 'GET', '/version')).rejects.toThrow(/ECONNREFUSED/);
    expect((await t.request(b, 'GET', '/version')).status).toBe(200);
    expect((await control('POST', '/v1/faults', { fault: 'site-restore', site: a })).status).toBe(200);
    expect(t.fleet.site(a).server.url).toBe(url);
    expect((await t.request(a, 'GET', '/version')).status).toBe(200);
  });

  it('a watch-expiry storm ends open watches with 410', async () => {
    const a = t.fleet.sites[0]?.site.name as string;
    const w = t.kubectlSpawn(['get', 'pods', '-n', 'kube-system', '-w', '-v=6']);
    try {
      await waitForOutput(w.stderr, (s) => s.includes('watch=true'));
      const r = await control('POST', '/v1/faults', { fault: 'watch-expiry-storm', site: a });
      expect(r.json.result).toMatch(/watches at .* ended with 410 Expired/);
      expect(Number(/(\d+) watches/.exec(String(r.json.result))?.[1])).toBeGreaterThanOrEqual(1);
    } finally {
      w.kill();
    }
  });

  it('a container restart starts a new instance, and a log follow of the old one ends as the kubelet ends it', async () => {
    const site = t.fleet.sites[0]?.site.name as string;
    const pod = [...t.fleet.site(site).site.idx.pods.values()].find((p) => p.phase === 'Running' && p.ready && !p.terminating && p.ns !== 'kube-system');
    if (!pod) throw new Error('no running pod');
    const podJson = async (): Promise<{ status: { containerStatuses: { name: string; restartCount: number; lastState: { terminated?: { reason: string } } }[] } }> =>
      (await t.request(site, 'GET', `/api/v1/namespaces/${pod.ns}/pods/${pod.name}`)).json() as never;
    const container = (await podJson()).status.containerStatuses[0] as { name: string; restartCount: number };
    const follow = t.kubectlSpawn(['logs', '-f', '-n', pod.ns, pod.name, '-c', container.name], site);
    const exited = new Promise<number | null>((resolve) => follow.on('exit', resolve));
    try {
      // Following: the history has been printed.
      await waitForOutput(follow.stdout, (s) => s.includes('\n'));
      const r = await control('POST', '/v1/faults', { fault: 'container-restart', site, namespace: pod.ns, pod: pod.name });
      expect(r.json.result).toMatch(new RegExp(`^container-restart: ${container.name} of ${pod.ns}/${pod.name} at ${site} restarted`));
      // The old instance wrote its last line: `kubectl logs -f` ends, as it does when a container exits.
      expect(await exited).toBe(0);
    } finally {
      follow.kill();
    }
    const after = (await podJson()).status.containerStatuses.find((c) => c.name === container.name);
    expect(after?.restartCount).toBe(container.restartCount + 1);
    expect(after?.lastState.terminated?.reason).toBe('OOMKilled');
    expect((await control('POST', '/v1/faults', { fault: 'container-restart', site, namespace: pod.ns, pod: 'no-such-pod' })).json.error).toMatch(/no pod .*no-such-pod/);
  });

  it('unknown faults and bad parameters are 400 with the reason', async () => {
    const r = await control('POST', '/v1/faults', { fault: 'rack-power-loss', site: 'fra', rack: 'Z-99' });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/no rack "Z-99"/);
    expect((await control('POST', '/v1/faults', { fault: 'nope' })).json.error).toMatch(/unknown fault "nope"/);
    expect((await control('POST', '/v1/scenarios/nope')).json.error).toMatch(/unknown scenario "nope"; shipped scenarios: /);
  });

  it('the CLI injects a fault into a running fleet found by --dir', async () => {
    const cli = path.resolve(import.meta.dirname, '../cli.ts');
    const tsx = path.resolve(import.meta.dirname, '../../../node_modules/tsx/dist/cli.mjs');
    const site = t.fleet.sites[1]?.site.name as string;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [tsx, cli, 'fault', 'node-disk-pressure', '--site', site, '--node', 'pick', '--dir', t.dir], (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout))),
    );
    expect(out).toMatch(new RegExp(`node-disk-pressure: \\S+ at ${site}`));
    const node = /node-disk-pressure: (\S+) at/.exec(out)?.[1] as string;
    const r = await t.kubectl(['get', 'node', node, '-o', 'jsonpath={.status.conditions[?(@.type=="DiskPressure")].status} {.spec.taints[*].key}'], { context: site });
    expect(r.stdout).toBe('True node.kubernetes.io/disk-pressure');
  });

  it('starts a scenario, reports its run with goals and steps, advances it, and keeps it after the stop', async () => {
    const r = await control('POST', '/v1/scenarios/site-api-outage');
    expect(r.status).toBe(200);
    const status = await control('GET', '/v1/status');
    const scenario = status.json.scenario as { name: string; target: { site: string } };
    expect(scenario.name).toBe('site-api-outage');
    const picked = scenario.target.site;
    expect(t.fleet.sites.map((s) => s.site.name)).toContain(picked);
    type Run = { goals: { id: string; met: boolean; detail?: string }[]; steps: { fault: string; applied?: { ok: boolean; result: string } }[]; endedAt?: number };
    const current = async (): Promise<Run> => (await control('GET', '/v1/scenarios/current')).json.run as Run;
    await expect.poll(async () => (await current()).steps[0]?.applied?.ok).toBe(true);
    expect((await current()).goals.map((g) => g.id)).toEqual(['headroom', 'handover']);
    const adv = await control('POST', '/v1/scenarios/advance');
    expect(adv.status).toBe(200);
    expect(adv.json.step).toMatchObject({ fault: 'site-restore', applied: { ok: true, result: `site-restore: ${picked} is listening again` } });
    const again = await control('POST', '/v1/scenarios/advance');
    expect(again).toMatchObject({ status: 400, json: { error: 'every step of scenario "site-api-outage" has been played already' } });
    const stopped = await control('DELETE', '/v1/scenarios');
    expect((stopped.json.run as Run).endedAt).toBeGreaterThan(0);
    const kept = await current();
    expect(kept.endedAt).toBeGreaterThan(0);
    expect(kept.goals.every((g) => !g.met && g.detail)).toBe(true);
    expect((await control('POST', '/v1/scenarios/advance')).json.error).toMatch(/has ended; start it again/);
  });
});
