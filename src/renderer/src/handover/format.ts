/**
 * Text for the handover report view, pure and unit-tested. Every time is
 * shown in UTC, as the exported Markdown and the clusters' copy have it:
 * the three sites and their admins are in different time zones.
 */
import type { RunbookRun } from '../../../shared/handover';
import { formatTime, maintenanceText, nodesText, siteChanges, workloadText } from '../../../shared/handover-text';

/** `2025-06-01 18:00 UTC` (with `:ss` when asked); an en dash when absent; the raw text when it does not parse. */
export function utcTime(iso: string | undefined, seconds = false): string {
  return iso ? formatTime(iso, { seconds }) : '–';
}

export { maintenanceText, nodesText, siteChanges, workloadText };

/** Where a run acted: every site when it crossed sites, else where it started. */
export function runSites(r: RunbookRun): string {
  return r.sites.length > 1 ? r.sites.join(', ') : (r.site ?? r.sites[0] ?? '');
}

/** `12`, or `12 (2 failed)`. */
export function runActions(r: RunbookRun): string {
  return r.failedActions > 0 ? `${r.actions} (${r.failedActions} failed)` : String(r.actions);
}

/** `5`, or `newest 20 of 134` when the report lists only some. */
export function warningCount(shown: number, total: number): string {
  return shown < total ? `newest ${shown} of ${total}` : String(total);
}

/** A file name for a handover's id (read back from a ConfigMap, so untrusted): characters every file system accepts, no leading dot. */
export function fileName(id: string, ext: string): string {
  return `${id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_')}.${ext}`;
}
