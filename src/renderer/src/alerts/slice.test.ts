import { describe, expect, it } from 'vitest';
import type { SiteAlerts } from '../../../shared/alerts';
import { createAppStore } from '../store/store';
import { fakeClient, manualDeps, settle, siteInfo } from '../store/testing';
import { alertOf, siteAlertsOf } from './testing';

async function setup(list: () => Promise<SiteAlerts[]>) {
  /** Whether the slice was subscribed when it asked for the list. */
  let subscribedFirst: boolean | undefined;
  const fake = fakeClient([siteInfo('fra'), siteInfo('ams')], [], {
    alerts: {
      list: () => {
        subscribedFirst = fake.log.includes('on:alerts.changed');
        return list();
      },
    },
  });
  const store = createAppStore(manualDeps(fake.client));
  await store.getState().actions.start();
  await settle();
  return { fake, store, alerts: () => store.getState().alerts, subscribedFirst: () => subscribedFirst };
}

describe('alerts slice', () => {
  it('subscribes to alerts.changed before loading the list, and keeps every site by id', async () => {
    const { alerts, subscribedFirst } = await setup(() => Promise.resolve([siteAlertsOf('fra', [alertOf('KubeNodeNotReady', 'warning')]), { site: 'ams', configured: false, status: { state: 'ok', stale: false, failures: 0, skipped: 0 }, alerts: [], silences: [] }]));
    expect(subscribedFirst()).toBe(true);
    expect(Object.keys(alerts())).toEqual(['fra', 'ams']);
    expect(alerts().fra?.alerts.map((a) => a.name)).toEqual(['KubeNodeNotReady']);
    expect(alerts().ams?.configured).toBe(false);
  });

  it('replaces a site\'s entry with each alerts.changed, leaving the others', async () => {
    const { fake, alerts } = await setup(() => Promise.resolve([siteAlertsOf('fra', [alertOf('A', 'warning')]), siteAlertsOf('ams', [alertOf('B', 'critical')])]));
    const ams = alerts().ams;
    fake.emit('alerts.changed', siteAlertsOf('fra', [], { status: { state: 'unreachable', message: 'connection refused', stale: true, failures: 2, skipped: 0 } }));
    expect(alerts().fra).toMatchObject({ alerts: [], status: { state: 'unreachable', stale: true } });
    expect(alerts().ams).toBe(ams);
  });

  it('applies an event that arrives while the list is on its way, and then the (newer) list', async () => {
    let answer!: (l: SiteAlerts[]) => void;
    const { fake, alerts } = await setup(() => new Promise((r) => (answer = r)));
    expect(alerts()).toEqual({});
    fake.emit('alerts.changed', siteAlertsOf('ams', [alertOf('Early', 'info')]));
    expect(alerts().ams?.alerts.map((a) => a.name)).toEqual(['Early']);
    answer([siteAlertsOf('ams', [alertOf('Later', 'info')])]);
    await settle();
    expect(alerts().ams?.alerts.map((a) => a.name)).toEqual(['Later']);
  });

  it('ignores malformed events and a failed list (the console still starts)', async () => {
    const { fake, store, alerts } = await setup(() => Promise.reject(new Error('host restarting')));
    expect(store.getState().boot.phase).toBe('ready');
    fake.emit('alerts.changed', { site: '../etc', configured: true } as unknown as SiteAlerts);
    fake.emit('alerts.changed', null as unknown as SiteAlerts);
    expect(alerts()).toEqual({});
  });

  it('stops following once stopped', async () => {
    const { fake, store, alerts } = await setup(() => Promise.resolve([]));
    store.getState().actions.stop();
    fake.emit('alerts.changed', siteAlertsOf('fra', [alertOf('A', 'warning')]));
    expect(alerts()).toEqual({});
  });
});
