/**
 * Text for the handover report view, pure and unit-tested. Every time is
 * shown in UTC, as the exported Markdown and the clusters' copy have it:
 * the three sites and their admins are in different time zones.
 */
import type { MaintenanceEntry, NodeRef, RunbookRun, SiteDiff, WorkloadRef } from '../../../shared/handover';

/** `2025-06-01 18:00 UTC` (with `:ss` when asked); an en dash when absent; the raw text when it does not parse. */
export function utcTime(iso: string | undefined, seconds = false): string {
  if (!iso) return '–';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const s = new Date(t).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, seconds ? 19 : 16)} UTC`;
}

/** Nodes grouped by rack, as a rack is what usually fails or is worked on: `a, b (rack A-02), c`. */
export function nodesText(ns: readonly NodeRef[]): string {
  const byRack = new Map<string, string[]>();
  for (const n of ns) byRack.set(n.rack ?? '', [...(byRack.get(n.rack ?? '') ?? []), n.name]);
  return [...byRack].map(([rack, names]) => `${names.join(', ')}${rack ? ` (rack ${rack})` : ''}`).join(', ');
}

/** `shop/Deployment/cart`. */
export function workloadText(w: WorkloadRef): string {
  return `${w.namespace}/${w.kind}/${w.name}`;
}

/** `rack/B-07 by userpass-alice`. */
export function maintenanceText(m: MaintenanceEntry): string {
  return `${m.scope} by ${m.holder}`;
}

/** What changed at one site since the previous handover, one line per kind of change; empty when nothing did. */
export function siteChanges(s: SiteDiff): string[] {
  const out: string[] = [];
  const add = <T,>(label: string, xs: readonly T[], show: (xs: readonly T[]) => string): void => {
    if (xs.length > 0) out.push(`${label}: ${show(xs)}`);
  };
  const each =
    <T,>(one: (x: T) => string) =>
    (xs: readonly T[]): string =>
      xs.map(one).join(', ');
  add('became NotReady', s.notReady, nodesText);
  add('recovered', s.recovered, nodesText);
  add('cordoned', s.cordoned, nodesText);
  add('uncordoned', s.uncordoned, nodesText);
  add('crashloop started', s.crashloopsStarted, each(workloadText));
  add('crashloop ended', s.crashloopsEnded, each(workloadText));
  add('maintenance started', s.maintenanceStarted, each(maintenanceText));
  add('maintenance ended', s.maintenanceEnded, each(maintenanceText));
  return out;
}

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
