import { describe, expect, it } from 'vitest';
import type { Alert, SiteAlerts } from '../../../shared/alerts';
import type { SiteHealth } from '../../../shared/derive';
import type { EventView } from '../../../shared/model';
import { alertCounts, firingAlerts, latestWarnings, siteFigures } from './figures';

function ev(name: string, type: string, lastSeen: string): EventView {
  return { namespace: 'ns', name, type, reason: 'BackOff', message: 'm', objectKind: 'Pod', objectName: 'p', count: 1, lastSeen };
}
function alert(fp: string, severity: string | undefined, state: Alert['state'] = 'active'): Alert {
  return { fingerprint: fp, name: fp, severity, state, startsAt: '', endsAt: '', labels: {}, annotations: {}, silencedBy: [], inhibitedBy: [], receivers: [] };
}

describe('war-room figures', () => {
  it('sums up a site', () => {
    const h: SiteHealth = {
      nodes: { total: 10, ready: 8, notReady: 1, unknown: 1, cordoned: 2, pressure: 0 },
      pods: { byPhase: { Running: 90, Pending: 3, Failed: 1, Succeeded: 5 }, total: 99 },
      crashLooping: [{ namespace: 'shop', owner: 'Deployment/cart', ownerKind: 'Deployment', ownerName: 'cart', pods: 2 }],
      warningsLastHour: 4,
      problems: [
        { id: 'a', kind: 'crash-loop', severity: 'critical', subject: 'shop/Deployment/cart', title: '' },
        { id: 'b', kind: 'workload-degraded', severity: 'warning', subject: 'shop/Deployment/web', title: '' },
        { id: 'c', kind: 'node-not-ready', severity: 'critical', subject: 'n1', title: '' },
      ],
    };
    expect(siteFigures(h)).toEqual({ nodesReady: 8, nodesTotal: 10, nodesNotReady: 2, cordoned: 2, podsRunning: 90, podsProblem: 4, workloadsDegraded: 2 });
  });

  it('lists firing alerts most severe first, without silenced ones or severity none', () => {
    const a: SiteAlerts = { site: 'fra', configured: true, status: { state: 'ok', stale: false, failures: 0, skipped: 0 }, silences: [], alerts: [alert('w', 'warning'), alert('dog', 'none'), alert('c', 'critical'), alert('m', 'critical', 'suppressed'), alert('x', undefined)] };
    const firing = firingAlerts(a);
    expect(firing.map((x) => x.fingerprint)).toEqual(['c', 'w', 'x']);
    expect(alertCounts(firing)).toEqual({ critical: 1, warning: 2, other: 0 });
    expect(firingAlerts(undefined)).toEqual([]);
  });

  it('finds the newest Warning events, newest first, in one pass', () => {
    const events = [ev('a', 'Warning', '2026-01-01T10:00:00Z'), ev('b', 'Normal', '2026-01-01T12:00:00Z'), ev('c', 'Warning', '2026-01-01T11:00:00Z'), ev('d', 'Warning', '2026-01-01T09:00:00Z'), ev('e', 'Warning', '2026-01-01T11:30:00Z')];
    expect(latestWarnings(events, 3).map((e) => e.name)).toEqual(['e', 'c', 'a']);
    expect(latestWarnings([], 3)).toEqual([]);
  });
});
