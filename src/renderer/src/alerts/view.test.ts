import { describe, expect, it } from 'vitest';
import { alertOf, siteAlertsOf } from './testing';
import { alertTarget, severityClass, severityCounts, shownAlerts, statusProblem } from './view';

describe('alert views', () => {
  it('leaves out the Watchdog (severity none) and counts firing alerts per severity, muted ones apart', () => {
    const sa = siteAlertsOf('fra', [
      alertOf('KubeAPIDown', 'critical'),
      alertOf('Watchdog', 'none'),
      alertOf('KubeNodeNotReady', 'warning'),
      alertOf('KubePodCrashLooping', 'warning', { state: 'suppressed', silencedBy: ['s1'] }),
      alertOf('Custom', 'Page'),
      alertOf('NoSeverity', undefined),
    ]);
    expect(shownAlerts(sa).map((a) => a.name)).toEqual(['KubeAPIDown', 'KubeNodeNotReady', 'KubePodCrashLooping', 'Custom', 'NoSeverity']);
    expect(severityCounts(shownAlerts(sa))).toEqual([
      { severity: 'critical', count: 1 },
      { severity: 'page', count: 1 },
      { severity: 'warning', count: 1 },
      { severity: 'unknown', count: 1 },
    ]);
    expect(['critical', 'page', 'warning', 'info', 'bogus'].map(severityClass)).toEqual(['critical', 'critical', 'warning', 'info', 'other']);
  });

  it('names what an alert is about from its labels', () => {
    expect(alertTarget(alertOf('KubePodCrashLooping', 'warning', { labels: { namespace: 'shop', pod: 'cart-1', container: 'app' } }))).toBe('shop/cart-1 (app)');
    expect(alertTarget(alertOf('KubeNodeNotReady', 'warning', { labels: { node: 'fra-a01-n1' } }))).toBe('fra-a01-n1');
    expect(alertTarget(alertOf('KubeDeploymentReplicasMismatch', 'warning', { labels: { namespace: 'shop', deployment: 'cart' } }))).toBe('shop/cart');
    expect(alertTarget(alertOf('Watchdog', 'none'))).toBe('');
  });

  it('says why alerts may be out of date', () => {
    expect(statusProblem(siteAlertsOf('fra', []))).toBeUndefined();
    expect(statusProblem(siteAlertsOf('fra', [], { status: { state: 'unreachable', message: 'connect ECONNREFUSED', stale: true, failures: 3, skipped: 0 } }))).toBe('Alertmanager unreachable: connect ECONNREFUSED');
    expect(statusProblem(siteAlertsOf('fra', [], { configured: false }))).toBeUndefined();
  });
});
