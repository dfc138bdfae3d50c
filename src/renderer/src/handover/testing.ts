/**
 * Test support for the handover views (imported only by *.test.ts): a
 * report with one reachable site and nothing to report, to override.
 */
import { HANDOVER_VERSION, type HandoverReport, type SiteHandover } from '../../../shared/handover';

/** A site with nothing to report; override any field. */
export function siteHandover(site: string, over: Partial<SiteHandover> = {}): SiteHandover {
  return { site, name: site.toUpperCase(), reachable: true, problems: [], notReadyNodes: [], cordonedNodes: [], maintenance: [], crashloops: [], warningEvents: [], warningEventsTotal: 0, ...over };
}

/** A first handover (no diff) at `createdAt`; override any field. */
export function handoverReport(createdAt = '2025-06-01T18:00:00.000Z', over: Partial<HandoverReport> = {}): HandoverReport {
  const id = `handover-${createdAt.slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
  return { version: HANDOVER_VERSION, id, createdAt, by: 'userpass-operator', shiftStart: '2025-06-01T06:00:00.000Z', sites: [siteHandover('fra')], runbooks: [], notes: [], notices: [], ...over };
}
