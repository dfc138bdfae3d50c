/**
 * Times as a handover writes them: report ids from the UTC clock, and the
 * one format every site's admin reads the same way.
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `handover-20261128-084400` for 2026-11-28T08:44:00.123Z: sorts by time, a valid ConfigMap name. */
export function handoverId(epochMs: number): string {
  const d = new Date(epochMs);
  return `handover-${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** Names `handoverId` makes, with the `-<n>` a same-second collision adds (see store.ts). */
export const HANDOVER_NAME = /^handover-\d{8}-\d{6}(-\d{1,2})?$/;

/** `2026-11-28 08:44:00 UTC`; text that is not a time comes back unchanged (it is escaped where shown). */
export function formatTime(iso: string | undefined, o: { seconds?: boolean; zone?: boolean } = {}): string {
  if (iso === undefined || iso === '') return '';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const s = new Date(ms).toISOString();
  const t = `${s.slice(0, 10)} ${s.slice(11, o.seconds === false ? 16 : 19)}`;
  return o.zone === false ? t : `${t} UTC`;
}
