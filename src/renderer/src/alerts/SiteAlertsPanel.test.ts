/**
 * The site column's alert list, rendered to markup: severity, name and
 * target per row, silenced ones marked, "+N more", an unreachable
 * Alertmanager said so with the alerts marked as the last known ones, and
 * hostile alert text shown as text.
 */
import { createElement, Fragment } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SiteAlerts } from '../../../shared/alerts';
import { AlertCountsView } from './AlertCounts';
import { ALERT_ROWS, SiteAlertsView } from './SiteAlertsPanel';
import { alertOf, siteAlertsOf } from './testing';

const show = (sa: SiteAlerts): string => {
  // No JSX here: the test runner only takes *.test.ts.
  return renderToStaticMarkup(createElement(Fragment, null, createElement(AlertCountsView, { site: sa.site, alerts: sa }), createElement(SiteAlertsView, { site: sa.site, alerts: sa })));
};

const rows = (html: string): number => html.split('data-testid="alert-row"').length - 1;

describe('SiteAlertsView and AlertCountsView', () => {
  it('lists the top alerts with what they are about, marks silenced ones, and counts the rest', () => {
    const alerts = [
      alertOf('KubeAPIDown', 'critical'),
      alertOf('KubeNodeNotReady', 'warning', { labels: { alertname: 'KubeNodeNotReady', node: 'fra-b07-n3' } }),
      alertOf('KubePodCrashLooping', 'warning', { state: 'suppressed', silencedBy: ['s1'], labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'cart-1' } }),
      ...Array.from({ length: ALERT_ROWS }, (_, i) => alertOf(`Extra${i}`, 'info')),
      alertOf('Watchdog', 'none'),
    ];
    const html = show(siteAlertsOf('fra', alerts));
    expect(rows(html)).toBe(ALERT_ROWS);
    expect(html).toContain('Alerts (9)');
    expect(html).toContain('+3 more');
    expect(html).toContain('fra-b07-n3');
    expect(html).toMatch(/data-alertname="KubePodCrashLooping"[^>]*data-silenced="true".*shop\/cart-1.*silenced/);
    expect(html).not.toContain('Watchdog');
    // The header counts firing alerts per severity; the silenced one is not counted.
    expect(html).toMatch(/data-severity="critical"[^>]*>1 critical</);
    expect(html).toMatch(/data-severity="warning"[^>]*>1 warning</);
  });

  it('says the Alertmanager is unreachable and marks the alerts shown as the last known ones', () => {
    const html = show(siteAlertsOf('ams', [alertOf('KubeNodeNotReady', 'warning')], { status: { state: 'unreachable', message: 'connect ECONNREFUSED 127.0.0.1:9093', stale: true, failures: 3, skipped: 0, lastSuccessAt: Date.now() } }));
    expect(html).toContain('data-state="unreachable"');
    expect(html).toContain('Alertmanager unreachable: connect ECONNREFUSED 127.0.0.1:9093');
    expect(html).toContain('Alertmanager unreachable</span>');
    expect(html).toContain('last known');
    expect(html).toContain('site-alerts--stale');
  });

  it('says when a site has no Alertmanager, and when nothing fires', () => {
    expect(show({ site: 'dub', configured: false, status: { state: 'ok', stale: false, failures: 0, skipped: 0 }, alerts: [], silences: [] })).toContain('No Alertmanager configured for this site.');
    const quiet = show(siteAlertsOf('fra', [alertOf('Watchdog', 'none')]));
    expect(quiet).toContain('No alerts firing');
    expect(quiet).toContain('no alerts');
  });

  it('shows hostile alert text as text', () => {
    const html = show(siteAlertsOf('fra', [alertOf('<img src=x onerror=alert(1)>', 'critical', { labels: { alertname: 'x', node: '<script>alert(1)</script>' }, summary: '"><b>bold</b>' })]));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
