/**
 * The few figures a war-room screen shows per site, computed from what the
 * overview already derives (site health) and the site's alerts. Pure, so the
 * numbers are tested without a browser.
 */
import { severityRank, type Alert, type SiteAlerts } from '../../../shared/alerts';
import type { SiteHealth } from '../../../shared/derive';
import type { EventView } from '../../../shared/model';

export interface SiteFigures {
  nodesReady: number;
  nodesTotal: number;
  /** NotReady or not reporting. */
  nodesNotReady: number;
  cordoned: number;
  podsRunning: number;
  /** Pending, Failed or Unknown. */
  podsProblem: number;
  /** Workloads short of ready replicas or crash-looping (each counted once). */
  workloadsDegraded: number;
}

export function siteFigures(h: SiteHealth): SiteFigures {
  const p = h.pods.byPhase;
  const degraded = new Set(h.problems.filter((x) => x.kind === 'workload-degraded' || x.kind === 'crash-loop').map((x) => x.subject));
  for (const c of h.crashLooping) degraded.add(`${c.namespace}/${c.owner}`);
  return {
    nodesReady: h.nodes.ready,
    nodesTotal: h.nodes.total,
    nodesNotReady: h.nodes.notReady + h.nodes.unknown,
    cordoned: h.nodes.cordoned,
    podsRunning: p.Running ?? 0,
    podsProblem: (p.Pending ?? 0) + (p.Failed ?? 0) + (p.Unknown ?? 0),
    workloadsDegraded: degraded.size,
  };
}

/** Alerts the room should see: firing (not silenced or inhibited), severity other than `none`, most severe first. */
export function firingAlerts(a: SiteAlerts | undefined): Alert[] {
  if (a === undefined || !Array.isArray(a.alerts)) return [];
  return a.alerts.filter((x) => x.state !== 'suppressed' && (x.severity ?? '').toLowerCase() !== 'none').sort((x, y) => severityRank(x.severity) - severityRank(y.severity));
}

/** Counts of firing alerts by severity bucket. */
export function alertCounts(alerts: readonly Alert[]): { critical: number; warning: number; other: number } {
  const c = { critical: 0, warning: 0, other: 0 };
  for (const a of alerts) {
    const r = severityRank(a.severity);
    if (r <= 1) c.critical++;
    else if (r <= 3) c.warning++;
    else c.other++;
  }
  return c;
}

/**
 * The newest `limit` Warning events of a site, newest first: one pass with a
 * small sorted buffer, no copy of the (possibly large) events map.
 */
export function latestWarnings(events: Iterable<EventView>, limit: number): EventView[] {
  const out: EventView[] = [];
  const times: number[] = [];
  for (const e of events) {
    if (e.type !== 'Warning') continue;
    const t = Date.parse(e.lastSeen) || 0;
    if (out.length === limit && t <= (times[limit - 1] as number)) continue;
    let i = out.length;
    while (i > 0 && (times[i - 1] as number) < t) i--;
    out.splice(i, 0, e);
    times.splice(i, 0, t);
    if (out.length > limit) {
      out.pop();
      times.pop();
    }
  }
  return out;
}
