/**
 * What a handover is collected from: the console's watch caches per site
 * (synchronous: the report describes one moment), the site's maintenance
 * Leases and the local audit trail. The core app implements it over its
 * site mirrors; tests implement it over lists read from the training fleet.
 */
import type { AuditEntry } from '../../shared/audit';
import type { SiteAlerts } from '../../shared/alerts';
import type { EventView, NodeView, PodView, WorkloadView } from '../../shared/model';

/** A site as the report names it. */
export interface HandoverSite {
  /** e.g. `fra`. */
  id: string;
  /** e.g. `Frankfurt`. */
  name: string;
}

/**
 * A maintenance in progress, in the shape core/coordination's
 * `listMaintenance` returns (its `Maintenance` fits as is). Lapsed ones
 * (`expired`) are left out of the report: nobody holds them any more.
 */
export interface MaintenanceInfo {
  scope: string;
  holder: string;
  since: string;
  runbook?: string;
  run?: string;
  reason?: string;
  expired?: boolean;
}

/** The reads a handover needs. Iterables, so a cache's `values()` can be passed without a copy. */
export interface HandoverSources {
  /** Every configured site, in display order. */
  sites(): HandoverSite[];
  /** Whether the site's caches are live now; an unreachable site's caches are stale and are not reported. */
  reachable(site: string): boolean;
  nodes(site: string): Iterable<NodeView>;
  pods(site: string): Iterable<PodView>;
  workloads(site: string): Iterable<WorkloadView>;
  events(site: string): Iterable<EventView>;
  /** The site's maintenance Leases (e.g. `listMaintenance(http)`); a rejection is reported as a problem of the site. */
  maintenance(site: string): Promise<readonly MaintenanceInfo[]>;
  /** Audit entries at or after `since` (epoch ms), in any order. */
  audit(since: number): readonly AuditEntry[];
  /** The site's alerts as last polled from its Alertmanager; absent (or undefined) when the console does not watch any. */
  alerts?(site: string): SiteAlerts | undefined;
}
