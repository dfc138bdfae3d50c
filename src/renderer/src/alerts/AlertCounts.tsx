import type { SiteAlerts } from '../../../shared/alerts';
import { useApp } from '../store/store';
import { severityClass, severityCounts, shownAlerts, statusProblem } from './view';
import './alerts.css';

/**
 * The site header's alert summary: firing alerts per severity, or that the
 * Alertmanager cannot be read. Nothing for a site without an Alertmanager.
 */
export function AlertCounts({ site }: { site: string }) {
  const sa = useApp((s) => s.alerts[site]);
  return sa === undefined ? null : <AlertCountsView site={site} alerts={sa} />;
}

/** The summary for a given SiteAlerts. */
export function AlertCountsView({ site, alerts: sa }: { site: string; alerts: SiteAlerts }) {
  if (!sa.configured) return null;
  const counts = severityCounts(shownAlerts(sa));
  const problem = statusProblem(sa);
  return (
    <span className="alert-counts" data-testid={`alert-counts-${site}`} aria-label="Firing alerts">
      {problem !== undefined && (
        <span className="alert-chip alert-chip--down" title={problem}>
          Alertmanager {sa.status.state}
        </span>
      )}
      {sa.status.state === 'starting' && <span className="alert-chip alert-chip--other">alerts…</span>}
      {sa.status.state !== 'starting' && counts.length === 0 && problem === undefined && <span className="alert-chip alert-chip--ok">no alerts</span>}
      {counts.map((c) => (
        <span key={c.severity} className={`alert-chip alert-chip--${severityClass(c.severity)}${sa.status.stale ? ' alert-chip--stale' : ''}`} data-severity={c.severity}>
          {c.count} {c.severity}
        </span>
      ))}
    </span>
  );
}
