import type { SiteInfo } from '../../../shared/model';
import { ConnectionBadge } from './ConnectionBadge';
import { AlertCounts } from '../alerts/AlertCounts';
import { SiteBand } from './SiteBand';
import { SiteCredentials } from './SiteCredentials';
import { MaintenanceNotice } from '../runbooks/MaintenanceNotice';
import { RunbookMenu } from '../runbooks/RunbookMenu';

/** A column's header: the site band, its connection, its firing alerts, for Vault-backed sites its credentials, the maintenance in progress and the site's runbooks. */
export function SiteHeader({ site }: { site: SiteInfo }) {
  return (
    <header className="site-header">
      <SiteBand site={site} size="large" />
      <ConnectionBadge site={site.id} />
      <AlertCounts site={site.id} />
      <SiteCredentials site={site.id} />
      <MaintenanceNotice site={site.id} />
      <RunbookMenu target={{ kind: 'site', site: site.id }} />
    </header>
  );
}
