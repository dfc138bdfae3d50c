/**
 * Alerts for the console: one AlertWatcher per site with an Alertmanager
 * (triptych.yaml `sites[].alertmanager`, or the training fleet's), its
 * changes published as `alerts.changed` with the site's whole SiteAlerts, so
 * a view never has to merge. Silences are read with each poll (read-only:
 * the console never creates or expires one); only active and pending ones
 * are kept, since expired silences mute nothing.
 *
 * Nothing about how a site's Alertmanager is reached — URL, token file,
 * password file — leaves this module: events and list() carry alerts and
 * status only, and the clients' own inspect/toJSON show the URL alone.
 */
import type { EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import { severityRank, type Alert, type AlertWatchStatus, type Silence, type SiteAlerts } from '../../shared/alerts';
import { AlertmanagerClient, AlertWatcher, type AlertmanagerConfig, type AlertQuery } from '../alerts';

export interface AlertServiceOptions {
  /** Site ids in display order, with the Alertmanager of those that have one. */
  sites: { id: string; alertmanager?: AlertmanagerConfig }[];
  bus: EventBus<TriptychEvents>;
  /** Between polls, ms (tests shorten it); default 30 s. */
  intervalMs?: number;
  /** Per request, ms; default the client's 10 s. */
  timeoutMs?: number;
}

interface SiteEntry {
  id: string;
  watcher?: AlertWatcher;
  client?: AlertmanagerClient;
  silences: Silence[];
  /** A poll changed the silences but not the alerts: the change still has to be published. */
  silencesDirty: boolean;
  offs: (() => void)[];
}

const NOT_CONFIGURED: AlertWatchStatus = { state: 'ok', stale: false, failures: 0, skipped: 0 };

/** Most severe first, then oldest first; name and fingerprint keep the order stable between polls. */
export function sortAlerts(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      Date.parse(a.startsAt) - Date.parse(b.startsAt) ||
      a.name.localeCompare(b.name) ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
}

/** Polls every configured site's Alertmanager and publishes what it finds. */
export class AlertService {
  private readonly sites: SiteEntry[];
  private started = false;

  constructor(private readonly o: AlertServiceOptions) {
    this.sites = o.sites.map((s) => {
      const entry: SiteEntry = { id: s.id, silences: [], silencesDirty: false, offs: [] };
      if (!s.alertmanager) return entry;
      const client = new AlertmanagerClient(s.alertmanager, o.timeoutMs ? { timeoutMs: o.timeoutMs } : {});
      entry.client = client;
      entry.watcher = new AlertWatcher({
        site: s.id,
        // Only when set: an explicit undefined would override the watcher's 30 s default and poll non-stop.
        ...(o.intervalMs !== undefined ? { intervalMs: o.intervalMs } : {}),
        source: { alerts: (q?: AlertQuery) => this.poll(entry, client, q) },
      });
      return entry;
    });
  }

  /** Starts polling every configured site. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const e of this.sites) {
      const w = e.watcher;
      if (!w) continue;
      const publish = () => {
        e.silencesDirty = false;
        this.o.bus.emit('alerts.changed', this.siteAlerts(e));
      };
      w.on('change', publish);
      w.on('status', publish);
      e.offs.push(() => w.off('change', publish), () => w.off('status', publish));
      w.start();
    }
  }

  /** Every site in display order, its alerts most severe first. */
  list(): SiteAlerts[] {
    return this.sites.map((e) => this.siteAlerts(e));
  }

  /**
   * Polls a site now (joining a poll under way) and resolves once its
   * result is applied and published: for a refresh button and for tests.
   */
  async refresh(site: string): Promise<void> {
    await this.sites.find((e) => e.id === site)?.watcher?.refresh();
  }

  /** Stops every watcher and closes the clients' connections. */
  async close(): Promise<void> {
    for (const e of this.sites) {
      for (const off of e.offs) off();
      e.offs = [];
      e.watcher?.stop();
      e.client?.close();
    }
    this.started = false;
  }

  private siteAlerts(e: SiteEntry): SiteAlerts {
    if (!e.watcher) return { site: e.id, configured: false, status: { ...NOT_CONFIGURED }, alerts: [], silences: [] };
    return { site: e.id, configured: true, status: e.watcher.status, alerts: sortAlerts(e.watcher.alerts), silences: e.silences };
  }

  /**
   * The watcher's source: the alerts, and with them the silences. A failed
   * silences read keeps the last ones (the alerts still say which are
   * silenced); a changed list is published once the watcher has applied the
   * alerts of the same poll.
   */
  private async poll(e: SiteEntry, client: AlertmanagerClient, q?: AlertQuery) {
    // Both at once: a slow or hung silences endpoint must not hold the alerts back by a whole request timeout.
    // A failed silences read is undefined (the alerts' silencedBy still marks what is muted; the list is refreshed at the next poll).
    const [alerts, silences] = await Promise.all([
      client.alerts(q),
      client.silences().then(
        (r) => r.items.filter((s) => s.state !== 'expired'),
        () => undefined,
      ),
    ]);
    if (silences && JSON.stringify(silences) !== JSON.stringify(e.silences)) {
      e.silences = silences;
      e.silencesDirty = true;
      // After the watcher's own events for this poll (which publish and clear the flag); only when they did not.
      setImmediate(() => {
        if (!e.silencesDirty || !this.started) return;
        e.silencesDirty = false;
        this.o.bus.emit('alerts.changed', this.siteAlerts(e));
      });
    }
    return alerts;
  }
}
