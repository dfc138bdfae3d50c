/**
 * Team coordination through the clusters: a maintenance in progress holds a
 * Lease at its site, so every console sees it and a second one is refused.
 */
export { consoleInstance } from './console-instance';
export { describeMaintenance, MaintenanceConflict, MaintenanceForbidden, MaintenanceLost } from './errors';
export { LEASE_PREFIX, maintenanceLeaseName, scopeKey, scopeLabel } from './lease-name';
export { activeMaintenance, listMaintenance } from './list-maintenance';
export { ANNOTATION, formatSince, MAINTENANCE_LABELS, TRIPTYCH_NAMESPACE, type LeaseObject, type Maintenance } from './maintenance';
export { acquireMaintenance, MaintenanceLease, type AcquireOptions, type MaintenanceRequest, type MaintenanceState } from './maintenance-lease';
export { microTime, parseMicroTime } from './micro-time';
export { ensureTriptychNamespace } from './triptych-namespace';
