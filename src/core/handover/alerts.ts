/**
 * A site's firing alerts as a handover keeps them: what the next admin
 * needs to read (name, severity, what it is about, since when, silenced or
 * not), most severe first, capped, with the Watchdog left out — it always
 * fires, by design, and says nothing about the platform.
 */
import { alertTarget, type SiteAlerts } from '../../shared/alerts';
import { text } from '../kube/projections';
import type { HandoverAlert, SiteHandoverAlerts } from './types';

/** Alerts listed per site; the total is always counted. */
export const MAX_HANDOVER_ALERTS = 50;

/** The report's alerts for a site, or undefined when it has no Alertmanager (or the console cannot say). */
export function handoverAlerts(sa: SiteAlerts | undefined, max = MAX_HANDOVER_ALERTS): SiteHandoverAlerts | undefined {
  if (!sa?.configured) return undefined;
  // Already most severe first, then oldest (AlertService's order).
  const shown = sa.alerts.filter((a) => (a.severity ?? '').toLowerCase() !== 'none');
  const firing = shown.slice(0, max).map(
    (a): HandoverAlert => ({
      name: text(a.name, 253),
      ...(a.severity !== undefined ? { severity: text(a.severity, 63) } : {}),
      target: text(alertTarget(a), 253),
      ...(a.summary !== undefined ? { summary: text(a.summary, 500) } : {}),
      startsAt: a.startsAt,
      silenced: a.state === 'suppressed' || a.silencedBy.length > 0 || a.inhibitedBy.length > 0,
    }),
  );
  const out: SiteHandoverAlerts = { firing, total: shown.length };
  const st = sa.status;
  if (st.state === 'starting') out.problem = 'the Alertmanager had not been read yet when the report was written';
  else if (st.state !== 'ok') out.problem = text(`${st.stale ? 'these are the last known alerts: ' : ''}the Alertmanager could not be read (${st.state}${st.message ? `: ${st.message}` : ''})`, 500);
  return out;
}
