/**
 * AlertService against a real Alertmanager (Debian's prometheus-alertmanager
 * on loopback, started as in core/alerts' integration test): alerts posted
 * to it, as Prometheus would, reach `alerts.changed` and list() most severe
 * first; a silence created through its API shows the alert silenced; a site
 * whose Alertmanager cannot be reached says so; a site without one says it
 * has none; the bearer token never leaves the service.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { SiteAlerts } from '../../shared/alerts';
import { alertmanagerMissing, freePort, startAlertmanager, type TestAlertmanager } from '../alerts/test-alertmanager';
import { fingerprint } from '../../emulator/monitoring/fingerprint';
import { AlertService } from './alert-service';

const TOKEN = 'am-secret-token-7c1e0b';
let missing: string | undefined;
let am: TestAlertmanager;
let dir: string;
let service: AlertService;
const bus = new EventBus<TriptychEvents>();
const events: SiteAlerts[] = [];
const raw: string[] = [];

beforeAll(async () => {
  missing = alertmanagerMissing();
  if (missing) return;
  am = await startAlertmanager();
  dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-alert-service-'));
  const tokenFile = path.join(dir, 'am-token');
  await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  bus.tap((name, payload) => {
    raw.push(JSON.stringify(payload));
    if (name === 'alerts.changed') events.push(payload as SiteAlerts);
  });
  const closed = await freePort();
  service = new AlertService({
    sites: [
      // A real Alertmanager without auth ignores the header; it is sent all the same, as to one behind a proxy.
      { id: 'fra', alertmanager: { url: am.url, caCert: am.caFile, bearerTokenFile: tokenFile } },
      { id: 'ams' },
      { id: 'dub', alertmanager: { url: `https://127.0.0.1:${closed}`, caCert: am.caFile } },
    ],
    bus,
    intervalMs: 200,
    timeoutMs: 2_000,
  });
  service.start();
}, 600_000);

afterAll(async () => {
  await service?.close();
  await am?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const lastFor = (site: string) => [...events].reverse().find((e) => e.site === site);

describe('AlertService against a real Alertmanager', () => {
  it('publishes posted alerts per site, most severe first, then oldest', async (ctx) => {
    if (missing) ctx.skip(missing);
    await am.postAlerts([
      { labels: { alertname: 'KubePodCrashLooping', severity: 'warning', namespace: 'shop', pod: 'cart-1' }, startsAt: minutesAgo(30) },
      { labels: { alertname: 'KubeNodeNotReady', severity: 'critical', node: 'fra-a01-n2' }, startsAt: minutesAgo(2), annotations: { summary: 'Node is not ready.' } },
      { labels: { alertname: 'KubeAPIErrorBudgetBurn', severity: 'critical' }, startsAt: minutesAgo(10) },
      { labels: { alertname: 'Watchdog', severity: 'none' }, startsAt: minutesAgo(60) },
    ]);
    const fra = await vi.waitFor(() => {
      const e = lastFor('fra');
      if (e?.alerts.length !== 4) throw new Error('not all alerts published yet');
      return e;
    }, { timeout: 15_000, interval: 50 });
    expect(fra.configured).toBe(true);
    expect(fra.status).toMatchObject({ state: 'ok', stale: false, failures: 0 });
    expect(fra.alerts.map((a) => a.name)).toEqual(['KubeAPIErrorBudgetBurn', 'KubeNodeNotReady', 'KubePodCrashLooping', 'Watchdog']);
    expect(service.list().find((s) => s.site === 'fra')?.alerts.map((a) => a.name)).toEqual(fra.alerts.map((a) => a.name));
    // The training fleet's fingerprints are Alertmanager's own.
    for (const a of fra.alerts) expect(fingerprint(a.labels)).toBe(a.fingerprint);
  });

  it('shows an alert silenced, with the silence, once one is created in Alertmanager', async (ctx) => {
    if (missing) ctx.skip(missing);
    const id = await am.postSilence([{ name: 'alertname', value: 'KubePodCrashLooping' }], { comment: 'rollback under way', createdBy: 'ops@example.com' });
    const fra = await vi.waitFor(() => {
      const e = lastFor('fra');
      const crash = e?.alerts.find((a) => a.name === 'KubePodCrashLooping');
      if (crash?.state !== 'suppressed' || e?.silences.length !== 1) throw new Error('silence not published yet');
      return e;
    }, { timeout: 15_000, interval: 50 });
    expect(fra.alerts.find((a) => a.name === 'KubePodCrashLooping')?.silencedBy).toEqual([id]);
    expect(fra.silences).toEqual([expect.objectContaining({ id, state: 'active', comment: 'rollback under way', createdBy: 'ops@example.com' })]);
  });

  it('drops a resolved alert', async (ctx) => {
    if (missing) ctx.skip(missing);
    await am.postAlerts([{ labels: { alertname: 'KubeNodeNotReady', severity: 'critical', node: 'fra-a01-n2' }, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    await vi.waitFor(() => expect(lastFor('fra')?.alerts.map((a) => a.name)).not.toContain('KubeNodeNotReady'), { timeout: 15_000, interval: 50 });
  });

  it('says a site has no Alertmanager, and that one it cannot reach is unreachable', async (ctx) => {
    if (missing) ctx.skip(missing);
    const ams = service.list().find((s) => s.site === 'ams');
    expect(ams).toEqual({ site: 'ams', configured: false, status: expect.objectContaining({ state: 'ok' }), alerts: [], silences: [] });
    const dub = await vi.waitFor(() => {
      const e = lastFor('dub');
      if (e?.status.state !== 'unreachable') throw new Error('no unreachable status yet');
      return e;
    }, { timeout: 15_000, interval: 50 });
    expect(dub.status.message).toMatch(/127\.0\.0\.1/);
    expect(dub.status.stale).toBe(false);
    expect(service.list().map((s) => s.site)).toEqual(['fra', 'ams', 'dub']);
  });

  it('polls every 30 s unless told otherwise', async (ctx) => {
    if (missing) ctx.skip(missing);
    const quiet = new AlertService({ sites: [{ id: 'fra', alertmanager: { url: am.url, caCert: am.caFile } }], bus: new EventBus<TriptychEvents>() });
    quiet.start();
    try {
      await quiet.refresh('fra');
      const { status } = quiet.list()[0] as SiteAlerts;
      expect(status.state).toBe('ok');
      expect((status.nextPollAt ?? 0) - (status.lastSuccessAt ?? 0)).toBeGreaterThanOrEqual(29_000);
    } finally {
      await quiet.close();
    }
  });

  it('never puts the token, or where it is kept, into an event or the list', async (ctx) => {
    if (missing) ctx.skip(missing);
    const everything = [...raw, JSON.stringify(service.list())].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('am-token');
  });
});
