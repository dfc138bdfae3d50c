import type { SiteHandoverAlerts } from '../../../shared/handover';
import { utcTime } from './format';
import { ReportTable } from './ReportTable';

/**
 * A site's firing alerts at handover time, from its Alertmanager (so shown
 * for a site whose API server was unreachable too), with a warning when they
 * are only the last known ones.
 */
export function AlertsSection({ site, alerts: a }: { site: string; alerts: SiteHandoverAlerts }) {
  return (
    <>
      <h3>Firing alerts ({a.firing.length < a.total ? `most severe ${a.firing.length} of ${a.total}` : a.total})</h3>
      {a.problem !== undefined && <p className="handover-warning">{a.problem}</p>}
      <ReportTable
        testId={`handover-${site}-alerts`}
        columns={['Severity', 'Alert', 'About', 'Since', 'Summary', 'Silenced']}
        rows={a.firing.map((f) => [f.severity ?? '', f.name, f.target, utcTime(f.startsAt), f.summary ?? '', f.silenced ? 'silenced' : ''])}
      />
    </>
  );
}
