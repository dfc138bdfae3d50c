import type { Alert, SiteAlerts } from '../../../shared/alerts';
import { useApp } from '../store/store';
import { alertTarget, isMuted, severityClass, severityOf, shownAlerts, statusProblem } from './view';
import './alerts.css';

/** Rows shown in a column before "+N more": the war-room screen has the full list. */
export const ALERT_ROWS = 6;

/**
 * A site's firing alerts in its overview column, most severe first (the
 * host's order): severity, name, what it is about; silenced ones marked.
 * When the Alertmanager cannot be read, says so and marks the alerts shown
 * as the last known ones. All text is the alert's own, shown as text.
 */
export function SiteAlertsPanel({ site }: { site: string }) {
  const sa = useApp((s) => s.alerts[site]);
  return sa === undefined ? null : <SiteAlertsView site={site} alerts={sa} />;
}

/** The list for a given SiteAlerts (the war-room screen can show it at its own size). */
export function SiteAlertsView({ site, alerts: sa, rows: limit = ALERT_ROWS }: { site: string; alerts: SiteAlerts; rows?: number }) {
  if (!sa.configured) {
    return (
      <section className="site-alerts" data-testid={`site-alerts-${site}`} data-state="not-configured" aria-label="Alerts">
        <h3 className="section-title">Alerts</h3>
        <p className="muted site-alerts__none">No Alertmanager configured for this site.</p>
      </section>
    );
  }
  const alerts = shownAlerts(sa);
  const rows = alerts.slice(0, limit);
  const more = alerts.length - rows.length;
  const problem = statusProblem(sa);
  const stale = sa.status.stale;
  return (
    <section className={`site-alerts${stale ? ' site-alerts--stale' : ''}`} data-testid={`site-alerts-${site}`} data-state={sa.status.state} aria-label="Alerts">
      <h3 className="section-title">
        Alerts{sa.status.state === 'starting' ? '' : ` (${alerts.length})`}
      </h3>
      {problem !== undefined && (
        <p className="site-alerts__problem" role="status">
          {problem}
          {stale && sa.status.lastSuccessAt !== undefined ? ` Showing the alerts as of ${new Date(sa.status.lastSuccessAt).toLocaleTimeString()}.` : ''}
        </p>
      )}
      {sa.status.state === 'starting' && <p className="muted site-alerts__none">Reading the Alertmanager…</p>}
      {sa.status.state !== 'starting' && alerts.length === 0 && !stale && <p className="site-alerts__none site-alerts__none--ok">No alerts firing</p>}
      {rows.length > 0 && (
        <ul className="site-alerts__list">
          {rows.map((a) => (
            <AlertRow key={a.fingerprint} alert={a} stale={stale} />
          ))}
        </ul>
      )}
      {more > 0 && <p className="muted site-alerts__more">+{more} more</p>}
    </section>
  );
}

function AlertRow({ alert: a, stale }: { alert: Alert; stale: boolean }) {
  const severity = severityOf(a);
  const muted = isMuted(a);
  const target = alertTarget(a);
  return (
    <li
      className={`alert-row alert-row--${severityClass(severity)}${muted ? ' alert-row--muted' : ''}`}
      data-testid="alert-row"
      data-alertname={a.name}
      data-fingerprint={a.fingerprint}
      data-silenced={a.silencedBy.length > 0 ? 'true' : undefined}
      title={[a.summary, a.description].filter(Boolean).join('\n')}
    >
      <span className="alert-row__severity">{severity}</span>
      <span className="alert-row__name">{a.name || '(no alertname)'}</span>
      {target !== '' && <span className="alert-row__target">{target}</span>}
      {a.silencedBy.length > 0 && <span className="alert-row__mark">silenced</span>}
      {a.silencedBy.length === 0 && a.inhibitedBy.length > 0 && <span className="alert-row__mark">inhibited</span>}
      {stale && <span className="alert-row__mark">last known</span>}
    </li>
  );
}
