import type { CSSProperties } from 'react';
import type { SiteInfo } from '../../../shared/model';
import { useApp } from '../store/store';
import { ProblemsList } from './ProblemsList';
import { RackMapCanvas } from './RackMapCanvas';
import { SiteHeader } from './SiteHeader';
import { SiteStats } from './SiteStats';
import { SiteAlertsPanel } from '../alerts/SiteAlertsPanel';

/**
 * One site: header, stats, firing alerts, rack map and problems. It reads the throttled
 * derived views, never the raw mirror, so a delta storm re-renders it a few
 * times a second at most.
 */
export function SiteColumn({ site }: { site: SiteInfo }) {
  const derived = useApp((s) => s.derived[site.id]);
  const loadError = useApp((s) => s.loadErrors[site.id]);
  return (
    <section className="site-column" data-testid={`site-column-${site.id}`} aria-label={site.name} style={{ '--site-color': site.color } as CSSProperties}>
      <SiteHeader site={site} />
      {loadError !== undefined && (
        <p className="site-column__error" role="alert">
          Cannot load this site yet: {loadError}
        </p>
      )}
      <SiteStats site={site.id} health={derived?.health} />
      <SiteAlertsPanel site={site.id} />
      <RackMapCanvas site={site.id} siteName={site.name} derived={derived} />
      <ProblemsList site={site.id} health={derived?.health} />
    </section>
  );
}
