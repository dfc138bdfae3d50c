/**
 * "Since the last handover": what changed between two reports, per site and
 * for the notes. Plain data; the Markdown and HTML show it first.
 */
import type { HandoverDiff, HandoverReport, MaintenanceEntry, NodeRef, SiteDiff, SiteHandover, WorkloadRef } from './types';

/** The changes from `previous` to `current`. A site either report could not see is listed as not compared. */
export function diff(previous: HandoverReport, current: HandoverReport): HandoverDiff {
  const before = new Map(previous.sites.map((s) => [s.site, s]));
  const sites = current.sites.map((now) => siteDiff(before.get(now.site), now));
  const wasOpen = new Set(previous.notes.filter((n) => n.open).map((n) => n.id));
  const known = new Set(previous.notes.map((n) => n.id));
  return {
    previous: { id: previous.id, createdAt: previous.createdAt, by: previous.by },
    sites,
    notesAdded: current.notes.filter((n) => !known.has(n.id)),
    notesClosed: current.notes.filter((n) => !n.open && wasOpen.has(n.id)),
  };
}

function siteDiff(before: SiteHandover | undefined, now: SiteHandover): SiteDiff {
  const d: SiteDiff = {
    site: now.site,
    name: now.name,
    compared: false,
    notReady: [],
    recovered: [],
    cordoned: [],
    uncordoned: [],
    crashloopsStarted: [],
    crashloopsEnded: [],
    maintenanceStarted: [],
    maintenanceEnded: [],
  };
  // An unreachable site's lists are empty, not "all clear": comparing them would report every problem as solved.
  if (!before) d.why = 'not in the previous handover';
  else if (!before.reachable) d.why = 'unreachable at the previous handover';
  else if (!now.reachable) d.why = 'unreachable now';
  if (!before || d.why) return d;
  d.compared = true;

  const node = (n: { name: string; rack?: string }): NodeRef => (n.rack !== undefined ? { name: n.name, rack: n.rack } : { name: n.name });
  [d.notReady, d.recovered] = changes(before.notReadyNodes, now.notReadyNodes, (n) => n.name, node);
  [d.cordoned, d.uncordoned] = changes(before.cordonedNodes, now.cordonedNodes, (n) => n.name, node);
  [d.crashloopsStarted, d.crashloopsEnded] = changes(
    before.crashloops,
    now.crashloops,
    (w) => `${w.namespace}\u0000${w.kind}\u0000${w.name}`,
    (w): WorkloadRef => ({ namespace: w.namespace, kind: w.kind, name: w.name }),
  );
  // Only comparable when both reads worked: a failed read lists none, which is not "all ended".
  const maintenanceRead = (s: SiteHandover): boolean => !s.problems.some((p) => p.startsWith(MAINTENANCE_PROBLEM));
  if (maintenanceRead(before) && maintenanceRead(now)) {
    // A takeover (another holder, a new since) is one maintenance ending and another starting.
    [d.maintenanceStarted, d.maintenanceEnded] = changes(before.maintenance, now.maintenance, (m) => `${m.scope.trim().toLowerCase()}\u0000${m.holder}\u0000${m.since}`, (m): MaintenanceEntry => ({ ...m }));
  }
  return d;
}

/** How a site's problem list starts when its maintenance Leases could not be read (collect writes it). */
export const MAINTENANCE_PROBLEM = 'maintenance Leases could not be read';

/** [in `now` but not `before`, in `before` but not `now`], each in its list's order. */
function changes<T, R>(before: readonly T[], now: readonly T[], key: (x: T) => string, ref: (x: T) => R): [R[], R[]] {
  const b = new Set(before.map(key));
  const n = new Set(now.map(key));
  return [now.filter((x) => !b.has(key(x))).map(ref), before.filter((x) => !n.has(key(x))).map(ref)];
}
