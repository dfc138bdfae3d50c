import { useApp } from '../store/store';
import { maintenanceText } from './view';

/**
 * The maintenance in progress at a site, one line per Lease, whichever
 * console holds it: "rack B-07 under maintenance by … since 08:30
 * (drain-rack)". Nothing when there is none.
 */
export function MaintenanceNotice({ site }: { site: string }) {
  const all = useApp((s) => s.runbooks.maintenance);
  const here = all.filter((m) => m.site === site);
  if (here.length === 0) return null;
  // Only the day boundary depends on the time: no need to follow the one-second clock.
  const now = Date.now();
  return (
    <ul className="rb-maintenance" aria-label="Maintenance in progress">
      {here.map((m) => (
        <li
          key={`${m.scope}\u0000${m.holder}`}
          className="rb-maintenance__item"
          data-testid="maintenance"
          data-site={m.site}
          data-scope={m.scope}
          title={[m.reason, m.expiresAt ? `Lease expires ${m.expiresAt} unless renewed` : undefined].filter(Boolean).join(' · ') || undefined}
        >
          <span className="rb-maintenance__icon" aria-hidden="true">
            ⚠
          </span>
          {maintenanceText(m, now)}
        </li>
      ))}
    </ul>
  );
}
