/**
 * Alerts in the handover: which of a site's alerts a report keeps, that an
 * unreachable site's alerts are still reported, and that the Markdown, the
 * HTML and a report read back from a ConfigMap carry them.
 */
import { describe, expect, it } from 'vitest';
import type { Alert, SiteAlerts } from '../../shared/alerts';
import { handoverAlerts } from './alerts';
import { collect } from './collect';
import { toHtml } from './html';
import { toMarkdown } from './markdown';
import { parseReport } from './report-schema';
import type { HandoverSources } from './sources';

const alert = (name: string, severity: string, labels: Record<string, string> = {}, over: Partial<Alert> = {}): Alert => ({
  fingerprint: '0123456789abcdef',
  name,
  severity,
  state: 'active',
  startsAt: '2026-11-28T07:12:00.000Z',
  endsAt: '2026-11-28T08:04:00.000Z',
  labels: { alertname: name, severity, ...labels },
  annotations: {},
  silencedBy: [],
  inhibitedBy: [],
  receivers: ['null'],
  ...over,
});

const ok = { state: 'ok' as const, stale: false, failures: 0, skipped: 0 };

const fra: SiteAlerts = {
  site: 'fra',
  configured: true,
  status: ok,
  alerts: [
    alert('KubeAPIDown', 'critical'),
    alert('KubeNodeNotReady', 'warning', { node: 'fra-b07-n3' }, { summary: 'Node is not ready.' }),
    alert('KubePodCrashLooping', 'warning', { namespace: 'shop', pod: 'cart-1', container: 'app' }, { state: 'suppressed', silencedBy: ['s-1'] }),
    alert('Watchdog', 'none'),
  ],
  silences: [],
};

describe('handoverAlerts', () => {
  it('keeps name, severity, target, start and silenced, leaving out the Watchdog, and caps the list', () => {
    const a = handoverAlerts(fra);
    expect(a).toEqual({
      total: 3,
      firing: [
        { name: 'KubeAPIDown', severity: 'critical', target: '', startsAt: '2026-11-28T07:12:00.000Z', silenced: false },
        { name: 'KubeNodeNotReady', severity: 'warning', target: 'fra-b07-n3', summary: 'Node is not ready.', startsAt: '2026-11-28T07:12:00.000Z', silenced: false },
        { name: 'KubePodCrashLooping', severity: 'warning', target: 'shop/cart-1 (app)', startsAt: '2026-11-28T07:12:00.000Z', silenced: true },
      ],
    });
    expect(handoverAlerts(fra, 1)).toMatchObject({ total: 3, firing: [{ name: 'KubeAPIDown' }] });
  });

  it('says when the alerts are the last known ones, and reports nothing for a site without an Alertmanager', () => {
    const stale = handoverAlerts({ ...fra, status: { state: 'unreachable', message: 'connect ECONNREFUSED 10.0.0.9:9093', stale: true, failures: 4, skipped: 0 } });
    expect(stale?.problem).toBe('these are the last known alerts: the Alertmanager could not be read (unreachable: connect ECONNREFUSED 10.0.0.9:9093)');
    expect(handoverAlerts({ site: 'ams', configured: false, status: ok, alerts: [], silences: [] })).toBeUndefined();
    expect(handoverAlerts(undefined)).toBeUndefined();
  });
});

describe('a handover with alerts', () => {
  const sources = (alerts: Record<string, SiteAlerts>): HandoverSources => ({
    sites: () => [
      { id: 'fra', name: 'Frankfurt' },
      { id: 'ams', name: 'Amsterdam' },
    ],
    // fra's API server is down: its alerts come from its Alertmanager all the same.
    reachable: (site) => site !== 'fra',
    nodes: () => [],
    pods: () => [],
    workloads: () => [],
    events: () => [],
    maintenance: () => Promise.resolve([]),
    audit: () => [],
    alerts: (site) => alerts[site],
  });

  it('lists each site\'s firing alerts in the Markdown and HTML, unreachable sites included, and survives being read back', async () => {
    const report = await collect(sources({ fra, ams: { site: 'ams', configured: true, status: ok, alerts: [], silences: [] } }), { by: 'alice@example.com', now: Date.parse('2026-11-28T08:00:00Z') });
    expect(report.sites.map((s) => [s.site, s.alerts?.total])).toEqual([
      ['fra', 3],
      ['ams', 0],
    ]);
    const md = toMarkdown(report);
    expect(md).toContain('### Firing alerts (3)');
    expect(md).toContain('| critical | KubeAPIDown |');
    expect(md).toContain('| warning | KubeNodeNotReady | fra-b07-n3 | 2026-11-28 07:12:00 | Node is not ready. |   |');
    expect(md).toMatch(/\| warning \| KubePodCrashLooping \| shop\/cart-1 \(app\) \| .* \| silenced \|/);
    expect(md).not.toContain('Watchdog');
    // ams has an Alertmanager and nothing fires there.
    expect(md.slice(md.indexOf('## Amsterdam'))).toContain('### Firing alerts (0)\n\n*None.*');
    expect(toHtml(report)).toContain('KubeNodeNotReady');
    const back = parseReport(JSON.stringify(report));
    expect(back.ok && back.report.sites[0]?.alerts).toEqual(report.sites[0]?.alerts);
  });

  it('reads a report written before alerts existed', () => {
    const old = { version: 1, id: 'handover-20261127-080000', createdAt: '2026-11-27T08:00:00.000Z', by: 'bob', shiftStart: '2026-11-26T20:00:00.000Z', sites: [{ site: 'fra', name: 'Frankfurt', reachable: true, problems: [], notReadyNodes: [], cordonedNodes: [], maintenance: [], crashloops: [], warningEvents: [], warningEventsTotal: 0 }], runbooks: [], notes: [], notices: [] };
    const r = parseReport(JSON.stringify(old));
    expect(r.ok && r.report.sites[0]?.alerts).toBeUndefined();
    expect(r.ok && toMarkdown(r.report)).not.toContain('Firing alerts');
  });
});
