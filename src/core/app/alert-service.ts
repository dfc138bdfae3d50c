/**
 * Alerts for the console: one AlertWatcher per site with an Alertmanager
 * (triptych.yaml `sites[].alertmanager`, or the training fleet's), its
 * changes published as `alerts.changed`.
 * SKELETON (owned by the alerts helper): replace.
 */
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { SiteAlerts } from '../../shared/alerts';
import type { AlertmanagerConfig } from '../alerts';

export interface AlertServiceOptions {
  /** Site ids in display order, with the Alertmanager of those that have one. */
  sites: { id: string; alertmanager?: AlertmanagerConfig }[];
  bus: EventBus<TriptychEvents>;
  /** Between polls, ms (tests shorten it); default 30 s. */
  intervalMs?: number;
}

export class AlertService {
  constructor(private readonly o: AlertServiceOptions) {}
  start(): void {}
  list(): SiteAlerts[] {
    throw new ContractError('unavailable', `alerts are not built yet (${this.o.sites.length} sites)`);
  }
  async close(): Promise<void> {}
}
