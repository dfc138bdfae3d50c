/**
 * Why a maintenance could not be started or kept, in words an admin can act
 * on. Each error carries the facts as fields too, for the UI.
 */
import { scopeLabel } from './lease-name';
import { formatSince, TRIPTYCH_NAMESPACE, type Maintenance } from './maintenance';

/** "rack B-07 at fra is under maintenance by alice since 2026-11-28 08:30 UTC (runbook drain-rack)". */
export function describeMaintenance(m: Maintenance, site: string): string {
  const runbook = m.runbook ? ` (runbook ${m.runbook})` : '';
  return `${scopeLabel(m.scope)} at ${site} is under maintenance by ${m.holder} since ${formatSince(m.since)}${runbook}`;
}

/** Someone else holds the maintenance of this scope and is still renewing it. */
export class MaintenanceConflict extends Error {
  constructor(
    readonly site: string,
    /** The maintenance in the way. */
    readonly current: Maintenance,
  ) {
    super(`${describeMaintenance(current, site)}; wait for it to end or ask ${current.holder}`);
    this.name = 'MaintenanceConflict';
  }
}

/** The site does not let this identity hold maintenance Leases (or create their namespace). */
export class MaintenanceForbidden extends Error {
  constructor(
    readonly site: string,
    message: string,
  ) {
    super(message);
    this.name = 'MaintenanceForbidden';
  }
}

/** A held maintenance that is no longer ours: taken over, deleted, or lapsed while the site was unreachable. */
export class MaintenanceLost extends Error {
  constructor(
    readonly site: string,
    readonly scope: string,
    why: string,
  ) {
    super(`the maintenance of ${scopeLabel(scope)} at ${site} is no longer held by this console: ${why}`);
    this.name = 'MaintenanceLost';
  }
}

/** The words for a 403 on `what` in the Triptych namespace, with what an admin can do about it. */
export function forbiddenMessage(site: string, what: string, serverSays: string): string {
  return `not allowed to ${what} in namespace ${TRIPTYCH_NAMESPACE} at ${site}: ${serverSays}. Maintenance coordination needs create, update and delete on leases (coordination.k8s.io) there; ask a cluster admin to grant them, or to create the namespace (kubectl create namespace ${TRIPTYCH_NAMESPACE}) if that is what is refused.`;
}
