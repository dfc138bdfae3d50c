/**
 * Test data for the alert views and slice (imported only by tests).
 */
import type { Alert, SiteAlerts } from '../../../shared/alerts';

/** A firing alert; override any field. Labels default to alertname and severity. */
export function alertOf(name: string, severity: string | undefined, over: Partial<Alert> = {}): Alert {
  return {
    fingerprint: `${name}-${severity ?? 'none'}`.replace(/[^0-9a-f]/gi, '').slice(0, 16).padEnd(16, '0').toLowerCase(),
    name,
    ...(severity !== undefined ? { severity } : {}),
    state: 'active',
    startsAt: '2025-06-01T11:00:00Z',
    endsAt: '2025-06-01T12:04:00Z',
    labels: { alertname: name, ...(severity !== undefined ? { severity } : {}) },
    annotations: {},
    silencedBy: [],
    inhibitedBy: [],
    receivers: ['null'],
    ...over,
  };
}

/** A configured site whose last poll succeeded with `alerts`. */
export function siteAlertsOf(site: string, alerts: Alert[], over: Partial<SiteAlerts> = {}): SiteAlerts {
  return { site, configured: true, status: { state: 'ok', stale: false, failures: 0, skipped: 0, lastSuccessAt: Date.parse('2025-06-01T12:00:00Z') }, alerts, silences: [], ...over };
}
