/**
 * What the alert views show, as pure functions of a site's SiteAlerts (the
 * overview column, the war-room screen and their tests use the same ones).
 */
import { severityRank, type Alert, type SiteAlerts } from '../../../shared/alerts';

export { alertTarget } from '../../../shared/alerts';

/** How many alerts of one severity fire (silenced and inhibited ones left out). */
export interface SeverityCount {
  severity: string;
  count: number;
}

/**
 * The alerts worth an operator's eye: all but severity `none`, which
 * kube-prometheus gives its always-firing Watchdog (a heartbeat for the
 * alerting pipeline, not a problem).
 */
export function shownAlerts(sa: SiteAlerts | undefined): Alert[] {
  return (sa?.alerts ?? []).filter((a) => (a.severity ?? '').toLowerCase() !== 'none');
}

/** Muted: silenced, or inhibited by another alert (Alertmanager calls both `suppressed`). */
export function isMuted(a: Alert): boolean {
  return a.state === 'suppressed' || a.silencedBy.length > 0 || a.inhibitedBy.length > 0;
}

/** The severity as shown: lower case, `unknown` when the alert has none. */
export function severityOf(a: Alert): string {
  return (a.severity ?? '').toLowerCase() || 'unknown';
}

/** Firing (not muted) alerts counted per severity, most severe first. */
export function severityCounts(alerts: readonly Alert[]): SeverityCount[] {
  const counts = new Map<string, number>();
  for (const a of alerts) if (!isMuted(a)) counts.set(severityOf(a), (counts.get(severityOf(a)) ?? 0) + 1);
  return [...counts].map(([severity, count]) => ({ severity, count })).sort((x, y) => severityRank(x.severity) - severityRank(y.severity) || x.severity.localeCompare(y.severity));
}

/** A CSS modifier for a severity: critical, warning, info or other. */
export function severityClass(severity: string): 'critical' | 'warning' | 'info' | 'other' {
  const rank = severityRank(severity);
  return rank <= 1 ? 'critical' : rank === 2 ? 'warning' : rank === 4 ? 'info' : 'other';
}

/** One line for a status: why the alerts shown may be out of date, or undefined when they are current. */
export function statusProblem(sa: SiteAlerts | undefined): string | undefined {
  if (!sa?.configured) return undefined;
  switch (sa.status.state) {
    case 'ok':
    case 'starting':
      return undefined;
    case 'unreachable':
      return `Alertmanager unreachable${sa.status.message ? `: ${sa.status.message}` : ''}`;
    case 'unauthorized':
      return `Alertmanager refused the console's credentials${sa.status.message ? `: ${sa.status.message}` : ''}`;
    case 'error':
      return `Alertmanager answered with an error${sa.status.message ? `: ${sa.status.message}` : ''}`;
  }
}
