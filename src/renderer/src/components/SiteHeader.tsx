import type { SiteInfo } from '../../../shared/model';
import { ConnectionBadge } from './ConnectionBadge';
import { SiteBand } from './SiteBand';

/** A column's header: the site band and its connection. */
export function SiteHeader({ site }: { site: SiteInfo }) {
  return (
    <header className="site-header">
      <SiteBand site={site} size="large" />
      <ConnectionBadge site={site.id} />
    </header>
  );
}
