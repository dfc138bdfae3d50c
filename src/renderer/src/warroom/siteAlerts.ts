import type { SiteAlerts } from '../../../shared/alerts';
import type { AppStore } from '../store/actions';

/** A site's alerts from the store's alerts slice; undefined until the host has said (shown as "none set up"). */
export function selectSiteAlerts(s: AppStore, site: string): SiteAlerts | undefined {
  return Object.hasOwn(s.alerts, site) ? s.alerts[site] : undefined;
}
