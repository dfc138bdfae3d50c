/**
 * Fitting a report into a ConfigMap, which the API server caps at 1 MiB of
 * data (keys and values). The report and its Markdown are both stored, so
 * both count. Warning events are what grows without bound; they are cut
 * first, newest kept, and the report says so.
 */
import { HandoverTooLarge } from './errors';
import { toMarkdown } from './markdown';
import type { HandoverReport } from './types';

/** The API server's limit on a ConfigMap's data (corev1 validation: MaxSecretSize). */
export const CONFIGMAP_DATA_LIMIT = 1024 * 1024;

/** The data keys a stored report has. */
export const REPORT_JSON = 'report.json';
export const REPORT_MD = 'report.md';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The ConfigMap data for `report`, its events cut if needed. `limit` is for tests. */
export function fitForConfigMap(report: HandoverReport, limit = CONFIGMAP_DATA_LIMIT): { report: HandoverReport; data: Record<string, string>; trimmed: boolean } {
  const data = (r: HandoverReport): Record<string, string> => ({ [REPORT_JSON]: JSON.stringify(r), [REPORT_MD]: toMarkdown(r) });
  const size = (d: Record<string, string>): number => Object.entries(d).reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0);
  let d = data(report);
  if (size(d) <= limit) return { report, data: d, trimmed: false };
  let cap = Math.max(0, ...report.sites.map((s) => s.warningEvents.length));
  for (;;) {
    cap = Math.floor(cap / 2);
    const cut: HandoverReport = {
      ...report,
      sites: report.sites.map((s) => ({ ...s, warningEvents: s.warningEvents.slice(0, cap) })),
      notices: [
        ...report.notices,
        `Warning events cut to the newest ${cap} per site in the copy stored in the clusters (a ConfigMap holds at most ${Math.floor(limit / 1024)} KiB); the totals count them all.`,
      ],
    };
    d = data(cut);
    const n = size(d);
    if (n <= limit) return { report: cut, data: d, trimmed: true };
    if (cap === 0) throw new HandoverTooLarge(n, limit);
  }
}
