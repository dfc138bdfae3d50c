/**
 * The training fleet's Alertmanager API (emulator/monitoring), read through
 * the same AlertmanagerClient that reads a real Alertmanager (see
 * alertmanager.integration.test.ts): faults make the rules fire
 * and resolve, an outage of a site's API server is reported by its
 * monitoring, which stays up.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AlertmanagerClient, AlertmanagerError, type Alert } from '.';
import { resourceFor } from '../../emulator/api/resources';
import { fingerprint } from '../../emulator/monitoring';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';

let t: TestFleet;
const clients = new Map<string, AlertmanagerClient>();

beforeAll(async () => {
  // forScale 0: a rule fires as soon as its condition holds.
  t = await startTestFleet({ nodes: 12, podsPerNode: 4, alertForScale: 0 });
}, 60_000);

afterAll(async () => {
  for (const c of clients.values()) c.close();
  await t?.close();
});

/** The client a console would use for `site`: the URL and CA file the fleet publishes. */
function client(site: string): AlertmanagerClient {
  let c = clients.get(site);
  if (!c) {
    const url = t.fleet.info.sites.find((s) => s.name === site)?.alertmanager as string;
    clients.set(site, (c = new AlertmanagerClient({ url, caCert: t.fleet.info.caFile as string }, { timeoutMs: 5_000 })));
  }
  return c;
}

const named = async (site: string, name: string): Promise<Alert[]> => (await client(site).alerts({ filter: [`alertname="${name}"`] })).items;
const worker = (site: string): string => [...t.fleet.site(site).site.idx.nodes.values()].find((n) => !n.labels['node-role.kubernetes.io/control-plane'])?.name as string;

describe('training fleet Alertmanager (API v2 through AlertmanagerClient)', () => {
  it('serves each site under its own prefix with the always-firing Watchdog, in Alertmanager\'s shapes', async () => {
    for (const s of t.fleet.info.sites) expect(s.alertmanager).toBe(`${t.fleet.monitoring.url}/${s.name}`);
    const { items, skipped } = await client('fra').alerts();
    expect(skipped).toBe(0);
    const watchdog = items.find((a) => a.name === 'Watchdog') as Alert;
    expect(watchdog).toMatchObject({
      severity: 'none',
      state: 'active',
      silencedBy: [],
      inhibitedBy: [],
      receivers: ['training-null'],
      labels: { alertname: 'Watchdog', severity: 'none', cluster: 'fra', site: 'fra' },
      summary: expect.stringMatching(/always be firing/),
    });
    expect(watchdog.fingerprint).toBe(fingerprint(watchdog.labels));
    expect(watchdog.generatorURL).toMatch(/^https:\/\/prometheus\.fra\.training\.invalid\/graph\?g0\.expr=vector\(1\)/);
    expect(Date.parse(watchdog.endsAt)).toBeGreaterThan(Date.now());
    // The same labels at another site are another alert (the site label differs).
    const ams = (await named('ams', 'Watchdog'))[0] as Alert;
    expect(ams.fingerprint).not.toBe(watchdog.fingerprint);
    const status = await client('fra').status();
    expect(status).toMatchObject({ version: '0.25.0', clusterStatus: 'disabled', peers: [] });
  });

  it('fires KubeNodeNotReady for a node whose kubelet stops reporting, with a stable fingerprint, and resolves it', async () => {
    const node = worker('ams');
    await t.fleet.faults.apply({ fault: 'node-not-ready', site: 'ams', node });
    const firing = await vi.waitFor(async () => {
      const a = (await named('ams', 'KubeNodeNotReady')).find((x) => x.labels.node === node);
      if (!a) throw new Error('not firing yet');
      return a;
    }, { timeout: 10_000, interval: 50 });
    expect(firing).toMatchObject({ severity: 'warning', state: 'active', summary: 'Node is not ready.', labels: { cluster: 'ams', node } });
    expect(Date.parse(firing.startsAt)).toBeLessThanOrEqual(Date.now());
    // The node lifecycle controller taints it unreachable: that rule fires too.
    await vi.waitFor(async () => expect((await named('ams', 'KubeNodeUnreachable')).map((a) => a.labels.node)).toContain(node), { timeout: 10_000, interval: 50 });
    // Polled again: same alert, same fingerprint and start (the watcher keys on the fingerprint).
    const again = (await named('ams', 'KubeNodeNotReady')).find((x) => x.labels.node === node) as Alert;
    expect({ fp: again.fingerprint, startsAt: again.startsAt }).toEqual({ fp: firing.fingerprint, startsAt: firing.startsAt });
    // Other sites are untouched.
    expect(await named('fra', 'KubeNodeNotReady')).toEqual([]);

    await t.fleet.faults.apply({ fault: 'node-ready', site: 'ams', node });
    await vi.waitFor(async () => expect(await named('ams', 'KubeNodeNotReady')).toEqual([]), { timeout: 10_000, interval: 50 });
  });

  it('fires KubeAPIDown while the site\'s API server is down, its monitoring staying up', async () => {
    await t.fleet.faults.apply({ fault: 'site-outage', site: 'dub' });
    try {
      const down = await named('dub', 'KubeAPIDown');
      expect(down).toEqual([expect.objectContaining({ severity: 'critical', state: 'active', labels: expect.objectContaining({ cluster: 'dub' }) })]);
      expect(await named('fra', 'KubeAPIDown')).toEqual([]);
      expect((await client('dub').status()).version).toBe('0.25.0');
    } finally {
      await t.fleet.faults.apply({ fault: 'site-restore', site: 'dub' });
    }
    expect(await named('dub', 'KubeAPIDown')).toEqual([]);
  });

  /** Restarts of a fra pod's containers, as the fleet's store holds them now. */
  const restarts = (pod: string): number => {
    const v = [...t.fleet.site('fra').site.store.all(resourceFor('', 'pods'))].find((x) => x.name === pod);
    const o = v ? (JSON.parse(v.json) as { status?: { containerStatuses?: { restartCount?: number }[] } }) : undefined;
    return (o?.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  };

  it('reports DiskPressure, a sealed Vault, and crash-looping containers', async () => {
    const node = worker('fra');
    await t.fleet.faults.apply({ fault: 'node-disk-pressure', site: 'fra', node });
    await t.fleet.faults.apply({ fault: 'vault-seal' });
    try {
      expect((await named('fra', 'KubeNodePressure')).map((a) => [a.labels.node, a.labels.condition, a.severity])).toEqual([[node, 'DiskPressure', 'info']]);
      for (const site of ['fra', 'ams', 'dub']) expect((await named(site, 'VaultSealed')).map((a) => a.severity)).toEqual(['critical']);
    } finally {
      await t.fleet.faults.apply({ fault: 'vault-unseal' });
      await t.fleet.faults.apply({ fault: 'node-disk-pressure-clear', site: 'fra', node });
    }
    expect(await named('fra', 'VaultSealed')).toEqual([]);
    expect(await named('fra', 'KubeNodePressure')).toEqual([]);

    const deploy = [...t.fleet.site('fra').site.store.all(resourceFor('apps', 'deployments'))][0];
    if (!deploy) throw new Error('the test fleet has no deployment');
    await t.fleet.faults.apply({ fault: 'bad-rollout', site: 'fra', namespace: deploy.ns, deployment: deploy.name });
    const crash = await vi.waitFor(async () => {
      const a = (await named('fra', 'KubePodCrashLooping')).find((x) => x.labels.namespace === deploy.ns);
      if (!a) throw new Error('no crash loop yet');
      return a;
    }, { timeout: 20_000, interval: 100 });
    expect(crash.labels).toMatchObject({ namespace: deploy.ns, pod: expect.stringMatching(new RegExp(`^${deploy.name}-`)), container: expect.any(String) });
    expect(crash.description).toMatch(/is in waiting state \(reason: "CrashLoopBackOff"\)/);
    // Like the real rule's [5m] look-back: through a restart (the container Running for a moment between two
    // crashes) the alert holds, with the same start, instead of resolving and firing anew.
    const restartsBefore = restarts(crash.labels.pod as string);
    await vi.waitFor(async () => {
      const now = (await named('fra', 'KubePodCrashLooping')).find((a) => a.fingerprint === crash.fingerprint);
      expect(now?.startsAt, `the crash-loop alert of ${crash.labels.pod} resolved or restarted`).toBe(crash.startsAt);
      if (restarts(crash.labels.pod as string) <= restartsBefore) throw new Error('not restarted yet');
    }, { timeout: 30_000, interval: 100 });
  });

  it('marks silenced alerts suppressed, filters them like Alertmanager, and lists the silence', async () => {
    const id = t.fleet.monitoring.addSilence('ams', { matchers: [{ name: 'alertname', value: 'Watchdog' }], createdBy: 'trainer@example.com', comment: 'deadman switch handled elsewhere' });
    const [dog] = await named('ams', 'Watchdog');
    expect(dog).toMatchObject({ state: 'suppressed', silencedBy: [id] });
    expect((await client('ams').alerts({ silenced: false, filter: ['alertname="Watchdog"'] })).items).toEqual([]);
    expect((await client('ams').alerts({ active: false, filter: ['alertname=~"Watch.*"'] })).items.map((a) => a.name)).toEqual(['Watchdog']);
    // The silence is ams' only: fra's Watchdog still fires.
    expect((await named('fra', 'Watchdog'))[0]?.state).toBe('active');
    const { items } = await client('ams').silences();
    expect(items).toEqual([expect.objectContaining({ id, state: 'active', createdBy: 'trainer@example.com', comment: 'deadman switch handled elsewhere', matchers: [{ name: 'alertname', value: 'Watchdog', isRegex: false, isEqual: true }] })]);
  });

  it('answers bad filters with 400 and writes with 405, saying why', async () => {
    const err = await client('fra').alerts({ filter: ['alertname~Watchdog'] }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(AlertmanagerError);
    expect((err as AlertmanagerError).message).toMatch(/400/);
    const post = await raw('POST', `${t.fleet.monitoring.url}/fra/api/v2/silences`);
    expect(post).toEqual({ status: 405, text: expect.stringMatching(/read-only/) });
    const bad = await raw('GET', `${t.fleet.monitoring.url}/fra/api/v2/alerts?filter=${encodeURIComponent('alertname=~"("')}`);
    expect(bad).toEqual({ status: 400, text: expect.stringMatching(/bad matcher format.*invalid regular expression/) });
    expect((await raw('GET', `${t.fleet.monitoring.url}/nowhere/api/v2/alerts`)).status).toBe(404);
    // Malformed percent-encoding names no site: 404, not a 500.
    expect((await raw('GET', `${t.fleet.monitoring.url}/%E0/api/v2/alerts`)).status).toBe(404);
    expect(await raw('GET', `${t.fleet.monitoring.url}/fra/-/ready`)).toEqual({ status: 200, text: 'OK' });
  });
});

function raw(method: string, url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, ca: t.fleet.tls.caCert }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}
