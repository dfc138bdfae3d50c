import type { SiteHandover } from '../../../shared/handover';
import { utcTime, warningCount } from './format';
import { ReportTable } from './ReportTable';
import { AlertsSection } from './AlertsSection';
import { SiteMark } from './SiteMark';

/**
 * One site at handover time: its firing alerts, NotReady and cordoned nodes (who and why),
 * maintenance in progress, crashlooping workloads and the shift's warning
 * events. An unreachable site says so instead of looking all clear.
 */
export function SiteSection({ site: s }: { site: SiteHandover }) {
  const id = s.site;
  return (
    <section className="handover-site" data-testid={`handover-site-${id}`} data-reachable={s.reachable}>
      <h2 className="handover-site__title">
        <SiteMark id={id} name={s.name} /> <span className="muted mono">{id}</span>
      </h2>
      {!s.reachable && <p className="handover-warning">Not reachable at handover time: nothing below is known about this site, which is not the same as all clear.</p>}
      {s.problems.map((p, i) => (
        <p key={i} className="handover-warning">
          {p}
        </p>
      ))}
      {s.alerts && <AlertsSection site={id} alerts={s.alerts} />}
      {s.reachable && (
        <>
          <h3>NotReady nodes ({s.notReadyNodes.length})</h3>
          <ReportTable testId={`handover-${id}-notready`} columns={['Node', 'Rack', 'Ready', 'Since']} rows={s.notReadyNodes.map((n) => [n.name, n.rack ?? '', n.ready, utcTime(n.since)])} />
          <h3>Cordoned nodes ({s.cordonedNodes.length})</h3>
          <ReportTable
            testId={`handover-${id}-cordoned`}
            columns={['Node', 'Rack', 'By', 'Reason', 'At']}
            rows={s.cordonedNodes.map((n) => [n.name, n.rack ?? '', n.by ?? 'unknown (not cordoned through Triptych)', n.reason ?? '', utcTime(n.at)])}
          />
          <h3>Maintenance in progress ({s.maintenance.length})</h3>
          <ReportTable
            testId={`handover-${id}-maintenance`}
            columns={['Scope', 'Holder', 'Since', 'Runbook', 'Reason']}
            rows={s.maintenance.map((m) => [m.scope, m.holder, utcTime(m.since), m.runbook ? `${m.runbook}${m.run ? ` (${m.run})` : ''}` : '', m.reason ?? ''])}
          />
          <h3>Crashlooping workloads ({s.crashloops.length})</h3>
          <ReportTable
            testId={`handover-${id}-crashloops`}
            columns={['Namespace', 'Kind', 'Name', 'Pods', 'Restarts', 'Ready']}
            numeric={[3, 4, 5]}
            rows={s.crashloops.map((w) => [w.namespace, w.kind, w.name, String(w.pods), String(w.restarts), w.desired !== undefined ? `${w.ready ?? 0}/${w.desired}` : ''])}
          />
          <h3>Warning events during the shift ({warningCount(s.warningEvents.length, s.warningEventsTotal)})</h3>
          <ReportTable
            testId={`handover-${id}-warnings`}
            columns={['Last seen', 'Namespace', 'Object', 'Reason', 'Message', 'Count']}
            numeric={[5]}
            rows={s.warningEvents.map((e) => [utcTime(e.lastSeen), e.namespace, e.object, e.reason, e.message, String(e.count)])}
          />
        </>
      )}
    </section>
  );
}
