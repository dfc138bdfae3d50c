import { useMemo, type CSSProperties, type ReactNode } from 'react';
import { alertTarget } from '../../../shared/alerts';
import type { SiteInfo } from '../../../shared/model';
import { formatCount } from '../format';
import { displayText } from '../incident/timeline';
import { connectionView } from '../store/selectors';
import { getAppStore, useApp } from '../store/store';
import { alertCounts, firingAlerts, latestWarnings, siteFigures } from './figures';
import { selectSiteAlerts } from './siteAlerts';
import { WarRoomRack } from './WarRoomRack';

/** Alerts listed per site; the count says how many more there are. */
export const ALERTS_SHOWN = 4;
/** Warning events in a site's ticker. */
export const TICKER_EVENTS = 4;

/**
 * One site on the war-room screen: name and connection (with the data's age
 * when stale), the figures that matter from across a room, the rack map,
 * firing alerts and the latest Warning events. Everything here is text from
 * the clusters rendered as React text, never as markup.
 */
export function WarRoomSite({ site, rackHeight }: { site: SiteInfo; rackHeight: number }) {
  const derived = useApp((s) => s.derived[site.id]);
  const status = useApp((s) => s.status[site.id]);
  const statusAt = useApp((s) => s.statusAt[site.id]);
  const now = useApp((s) => s.now);
  const loadError = useApp((s) => s.loadErrors[site.id]);
  const alerts = useApp((s) => selectSiteAlerts(s, site.id));
  const conn = connectionView(status, now, statusAt);
  const f = derived ? siteFigures(derived.health) : undefined;
  const firing = useMemo(() => firingAlerts(alerts), [alerts]);
  const counts = alertCounts(firing);
  // The events map is read when the derived views change (a few times a second at most), not on every delta frame or clock tick.
  const warnings = useMemo(() => {
    const events = derived && getAppStore().getState().mirrors[site.id]?.events;
    return events ? latestWarnings(events.values(), TICKER_EVENTS) : [];
  }, [derived, site.id]);
  return (
    <section className={`wr-site wr-site--${conn.state}`} data-testid={`wr-site-${site.id}`} aria-label={site.name} style={{ '--site-color': site.color } as CSSProperties}>
      <header className="wr-site__head">
        <h2 className="wr-site__name">{displayText(site.name, 40)}</h2>
        <span className="wr-conn" data-testid={`wr-state-${site.id}`} data-state={conn.state}>
          {conn.state}
        </span>
      </header>
      {conn.detail !== '' && conn.state !== 'live' && <p className="wr-site__detail">{displayText(conn.detail, 160)}</p>}
      {loadError !== undefined && <p className="wr-site__detail">Cannot load this site yet: {displayText(loadError, 160)}</p>}
      <dl className="wr-figures" data-testid={`wr-figures-${site.id}`}>
        <Figure label="Nodes ready" tone={f && f.nodesNotReady > 0 ? 'bad' : 'ok'} testId={`wr-nodes-${site.id}`}>
          {f ? `${formatCount(f.nodesReady)}/${formatCount(f.nodesTotal)}` : '–'}
        </Figure>
        <Figure label="Not ready" tone={f && f.nodesNotReady > 0 ? 'bad' : undefined} testId={`wr-notready-${site.id}`}>
          {f ? formatCount(f.nodesNotReady) : '–'}
        </Figure>
        <Figure label="Cordoned" tone={f && f.cordoned > 0 ? 'warn' : undefined}>
          {f ? formatCount(f.cordoned) : '–'}
        </Figure>
        <Figure label="Pods running / problem" tone={f && f.podsProblem > 0 ? 'warn' : undefined}>
          {f ? (
            <>
              {formatCount(f.podsRunning)} / <span className={f.podsProblem > 0 ? 'wr-warn' : undefined}>{formatCount(f.podsProblem)}</span>
            </>
          ) : (
            '–'
          )}
        </Figure>
        <Figure label="Workloads degraded" tone={f && f.workloadsDegraded > 0 ? 'bad' : undefined}>
          {f ? formatCount(f.workloadsDegraded) : '–'}
        </Figure>
        <Figure label="Alerts critical / warning" tone={counts.critical > 0 ? 'bad' : counts.warning > 0 ? 'warn' : undefined} testId={`wr-alerts-${site.id}`}>
          {alerts === undefined || !alerts.configured ? <span className="wr-muted">none set up</span> : `${counts.critical} / ${counts.warning}`}
        </Figure>
      </dl>
      <WarRoomRack site={site.id} siteName={site.name} derived={derived} maxHeight={rackHeight} />
      {firing.length > 0 && (
        <ul className="wr-alerts" aria-label="Firing alerts">
          {firing.slice(0, ALERTS_SHOWN).map((a) => (
            <li key={a.fingerprint} className={`wr-alert wr-alert--${(a.severity ?? 'unknown').toLowerCase()}`}>
              <span className="wr-alert__name">{displayText(a.name || '(unnamed)', 60)}</span> {displayText(alertTarget(a), 80)} <span className="wr-muted">{displayText(a.summary ?? '', 120)}</span>
            </li>
          ))}
          {firing.length > ALERTS_SHOWN && <li className="wr-muted">and {firing.length - ALERTS_SHOWN} more</li>}
        </ul>
      )}
      <ul className="wr-ticker" aria-label="Latest warning events" data-testid={`wr-ticker-${site.id}`}>
        {warnings.map((e) => (
          <li key={`${e.namespace}/${e.name}`}>
            <span className="wr-warn">{displayText(e.reason, 40)}</span> {displayText(`${e.objectKind}/${e.objectName}`, 60)}: <span className="wr-muted">{displayText(e.message, 140)}</span>
          </li>
        ))}
        {derived && warnings.length === 0 && <li className="wr-muted">No warning events</li>}
      </ul>
    </section>
  );
}

function Figure({ label, tone, testId, children }: { label: string; tone?: 'bad' | 'warn' | 'ok' | undefined; testId?: string; children: ReactNode }) {
  return (
    <div className={`wr-figure${tone ? ` wr-figure--${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
