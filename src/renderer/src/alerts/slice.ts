/**
 * The alerts slice: every site's firing alerts and silences as the host
 * polls them from its Alertmanager, in `alerts` (site id → SiteAlerts).
 * Loaded once at start (alerts.list) and kept by `alerts.changed`, which
 * always carries a site's whole SiteAlerts, so an event simply replaces its
 * site's entry. The overview and the war-room screen read it; nothing here
 * calls the host after the first load.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { TriptychClient } from '../api';
import type { SiteAlerts } from '../../../shared/alerts';
import type { AppStore } from '../store/actions';
import { isSiteId } from '../store/selectors';

type SetState = StoreApi<AppStore>['setState'];

/** `attach`, which start() calls once connected: subscribes, then loads; its result unsubscribes. */
export function createAlertsSlice(set: SetState): { attach(c: TriptychClient): () => void } {
  function apply(list: readonly SiteAlerts[]): void {
    const valid = list.filter(isSiteAlerts);
    if (valid.length === 0) return;
    set((st) => ({ alerts: { ...st.alerts, ...Object.fromEntries(valid.map((a) => [a.site, a])) } }));
  }
  return {
    attach(c) {
      let attached = true;
      const off = c.on('alerts.changed', (a) => apply([a]));
      // One ordered transport: the answer is newer than every event before it and older than every one after, so it applies as it comes.
      c.api.alerts.list().then(
        (list) => {
          if (attached && Array.isArray(list)) apply(list);
        },
        (e: unknown) => console.warn('Alerts unavailable:', e instanceof Error ? e.message : String(e)),
      );
      return () => {
        attached = false;
        off();
      };
    },
  };
}

/** A SiteAlerts worth keeping: the fields every view reads are there (the host is trusted, but a malformed event must not break a view). */
export function isSiteAlerts(a: unknown): a is SiteAlerts {
  if (a === null || typeof a !== 'object') return false;
  const x = a as Partial<SiteAlerts>;
  return isSiteId(x.site) && typeof x.configured === 'boolean' && typeof x.status === 'object' && x.status !== null && typeof x.status.state === 'string' && Array.isArray(x.alerts) && Array.isArray(x.silences);
}
