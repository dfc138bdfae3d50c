/**
 * Firing alerts per site from Alertmanager's API v2: configuration
 * (`sites[].alertmanager` in triptych.yaml), a read-only client, and a
 * watcher that polls and reports what changed.
 */
export { alertmanagerUrlProblem, readSiteAlertmanager, type AlertmanagerConfig } from './config';
export { AlertmanagerClient, type AlertmanagerClientOptions, type AlertQuery } from './client';
export { AlertmanagerError, type AlertmanagerErrorKind } from './errors';
export { sanitizeText, type Alert, type AlertmanagerStatus, type AlertState, type Parsed, type Silence, type SilenceMatcher } from './normalize';
export { AlertWatcher, type AlertChange, type AlertSource, type AlertWatcherEvents, type AlertWatcherOptions, type AlertWatchStatus } from './watcher';
