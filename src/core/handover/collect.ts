/**
 * Collects a handover report: every site's state from the console's caches,
 * the runbooks of the shift from the audit trail, the notes, and the diff
 * against the previous handover.
 */
import { text } from '../kube/projections';
import { handoverAlerts } from './alerts';
import { diff, MAINTENANCE_PROBLEM } from './diff';
import { handoverNotes, type NoteInput } from './notes';
import { runbookRuns } from './runbook-runs';
import { cordonedNodes, crashloopingWorkloads, maintenanceEntries, notReadyNodes, warningEvents } from './site-facts';
import type { HandoverSite, HandoverSources, MaintenanceInfo } from './sources';
import { handoverId } from './time';
import { HANDOVER_VERSION, type HandoverReport, type SiteHandover } from './types';

export interface CollectOptions {
  /** Who hands over. */
  by: string;
  /** Epoch ms: the report's time. */
  now: number;
  /** The last handover (e.g. `latest()` at any site): the shift starts at its time, its open notes carry over. */
  previous?: HandoverReport;
  /** Epoch ms the shift started, when there is no previous handover; default 12 hours before `now`. */
  start?: number;
  /** New notes for the next shift. */
  notes?: readonly NoteInput[];
  /** Ids of the previous handover's open notes that are done. */
  close?: readonly string[];
  /** Warning events listed per site (newest first); default 50. The total is always counted. */
  maxEvents?: number;
  /** How long a site's maintenance Leases may take to read before the site's report says so; default 10 s. */
  maintenanceTimeoutMs?: number;
}

const DEFAULT_SHIFT_MS = 12 * 60 * 60 * 1000;

/** The handover report for `now`. Sites are read in parallel only for their Leases; the caches are read at once. */
export async function collect(sources: HandoverSources, o: CollectOptions): Promise<HandoverReport> {
  const createdAt = new Date(o.now).toISOString();
  const id = handoverId(o.now);
  const by = text(o.by, 253);
  if (by === '') throw new TypeError('a handover needs who hands over (by)');
  const startMs = o.previous ? Date.parse(o.previous.createdAt) : (o.start ?? o.now - DEFAULT_SHIFT_MS);
  if (!Number.isFinite(startMs)) throw new RangeError(`the previous handover has no usable time (${o.previous?.createdAt ?? ''})`);
  // Event times have whole seconds: an event of the handover's own second belongs to this shift rather than to none.
  const eventsFrom = Math.floor(startMs / 1000) * 1000;
  const previousSites = new Map((o.previous?.sites ?? []).map((s) => [s.site, s]));

  const sites = await Promise.all(
    sources.sites().map(async (site) => {
      const report = siteReport(sources, site, eventsFrom, o.maxEvents ?? 50, previousSites.get(site.id));
      if (report.reachable) await addMaintenance(report, () => sources.maintenance(site.id), o.maintenanceTimeoutMs ?? 10_000);
      return report;
    }),
  );

  const report: HandoverReport = {
    version: HANDOVER_VERSION,
    id,
    createdAt,
    by,
    shiftStart: new Date(startMs).toISOString(),
    sites,
    runbooks: runbookRuns(sources.audit(startMs), startMs, o.now),
    notes: handoverNotes({ id, by, createdAt, previous: o.previous, notes: o.notes, close: o.close }),
    notices: [],
  };
  if (startMs > o.now) {
    // Reports are written on different workstations; one with its clock ahead makes the next shift look empty.
    report.notices.push(`The previous handover is dated ${o.previous?.createdAt ?? ''}, after this one: check the clocks of the workstations. Events and runbooks of the shift may be missing.`);
  }
  if (o.previous) report.diff = diff(o.previous, report);
  return report;
}

function siteReport(sources: HandoverSources, site: HandoverSite, eventsFrom: number, maxEvents: number, previous: SiteHandover | undefined): SiteHandover {
  const report: SiteHandover = {
    site: text(site.id, 63),
    name: text(site.name, 253),
    reachable: sources.reachable(site.id),
    problems: [],
    notReadyNodes: [],
    cordonedNodes: [],
    maintenance: [],
    crashloops: [],
    warningEvents: [],
    warningEventsTotal: 0,
  };
  // From the Alertmanager, not the API server: reported for an unreachable site too, when it may matter most.
  const alerts = handoverAlerts(sources.alerts?.(site.id));
  if (alerts) report.alerts = alerts;
  if (!report.reachable) {
    report.problems.push('not reachable when the report was written: nothing is reported for this site');
    return report;
  }
  const nodes = [...sources.nodes(site.id)];
  const events = [...sources.events(site.id)];
  report.notReadyNodes = notReadyNodes(nodes, events, previous?.notReadyNodes);
  report.cordonedNodes = cordonedNodes(nodes);
  report.crashloops = crashloopingWorkloads(sources.pods(site.id), sources.workloads(site.id));
  const warnings = warningEvents(events, eventsFrom, maxEvents);
  report.warningEvents = warnings.events;
  report.warningEventsTotal = warnings.total;
  return report;
}

async function addMaintenance(report: SiteHandover, read: () => Promise<readonly MaintenanceInfo[]>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`)), timeoutMs);
    });
    report.maintenance = maintenanceEntries(await Promise.race([read(), timeout]));
  } catch (err) {
    report.problems.push(`${MAINTENANCE_PROBLEM}: ${text(err instanceof Error ? err.message : String(err), 300)}`);
  } finally {
    clearTimeout(timer);
  }
}
