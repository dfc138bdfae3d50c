import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../emulator/fleet';
import { LABEL_RACK, LABEL_RACK_UNIT, LABEL_ZONE } from '../../shared/labels';
import { trainingSites } from './training';

describe('trainingSites against a real training fleet', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await Fleet.start({ sites: 3 });
  });
  afterAll(async () => fleet?.close());

  it('describes the fleet’s three sites', () => {
    const { sites } = trainingSites(fleet.info, fleet.kubeconfig());
    expect(sites.map((s) => [s.id, s.name])).toEqual([
      ['fra', 'Frankfurt'],
      ['ams', 'Amsterdam'],
      ['dub', 'Dublin'],
    ]);
    expect(new Set(sites.map((s) => s.color)).size).toBe(3);
    for (const [i, s] of sites.entries()) {
      const info = fleet.info.sites[i];
      expect(s.training).toBe(true);
      expect(s.context).toBe(info?.contexts.operator);
      expect(s.server).toBe(info?.server);
      expect(s.labels).toEqual({ room: LABEL_ZONE, rack: LABEL_RACK, unit: LABEL_RACK_UNIT });
    }
  });

  it('gives each site the fleet\'s Alertmanager for it, trusting the fleet\'s CA file', () => {
    const { alertmanagers } = trainingSites({ ...fleet.info, caFile: '/tmp/fleet/ca.crt' }, fleet.kubeconfig());
    expect([...alertmanagers.keys()]).toEqual(['fra', 'ams', 'dub']);
    for (const s of fleet.info.sites) expect(alertmanagers.get(s.name)).toEqual({ url: s.alertmanager, caCert: '/tmp/fleet/ca.crt' });
    expect(alertmanagers.get('fra')?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/fra$/);
  });

  it('gives a kubeconfig that reaches each site, whose nodes carry the label keys the sites name', async () => {
    const { sites, kubeconfig } = trainingSites(fleet.info, fleet.kubeconfig());
    expect(kubeconfig.getContexts().length).toBeGreaterThanOrEqual(3);
    for (const s of sites) {
      kubeconfig.setCurrentContext(s.context);
      expect(kubeconfig.getCurrentCluster()?.server).toBe(s.server);
      const nodes = await kubeconfig.makeApiClient(CoreV1Api).listNode({ limit: 5 });
      const labels = nodes.items.find((n) => n.metadata?.labels?.[s.labels.rack])?.metadata?.labels ?? {};
      expect(labels[s.labels.room]).toMatch(new RegExp(`^${s.id}-`));
      expect(labels[s.labels.unit]).toMatch(/^\d+$/);
    }
  });
});

describe('trainingSites without a fleet', () => {
  const kubeconfig = ['clusters: [{name: c, cluster: {server: "https://c"}}]', 'users: [{name: u, user: {token: t}}]', 'contexts: [{name: site4, context: {cluster: c, user: u}}]', ''].join('\n');

  it('names sites outside the default list after their id', () => {
    const { sites } = trainingSites({ sites: [{ name: 'site4', server: 'https://c', contexts: { operator: 'site4' } }] }, kubeconfig);
    expect(sites[0]?.name).toBe('Site4');
  });

  it('refuses fleet info whose context the kubeconfig lacks', () => {
    expect(() => trainingSites({ sites: [{ name: 'x', server: 'https://c', contexts: { operator: 'x' } }] }, kubeconfig)).toThrow("no context 'x'");
  });
});
