/**
 * The handover's words, one way for every reader of it: the report view in
 * the renderer and the Markdown/HTML exports in core say the same thing the
 * same way. Times are UTC: the three sites and their admins are in
 * different time zones.
 */
import type { MaintenanceEntry, NodeRef, SiteDiff, WorkloadRef } from './handover';

/** `2026-11-28 08:44:00 UTC`; text that is not a time comes back unchanged (it is escaped where shown); '' when absent. */
export function formatTime(iso: string | undefined, o: { seconds?: boolean; zone?: boolean } = {}): string {
  if (iso === undefined || iso === '') return '';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const s = new Date(ms).toISOString();
  const t = `${s.slice(0, 10)} ${s.slice(11, o.seconds === false ? 16 : 19)}`;
  return o.zone === false ? t : `${t} UTC`;
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
  const add = <T>(label: string, xs: readonly T[], show: (xs: readonly T[]) => string): void => {
    if (xs.length > 0) out.push(`${label}: ${show(xs)}`);
  };
  const each =
    <T>(one: (x: T) => string) =>
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
