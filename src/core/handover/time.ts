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

/** The one UTC time format of the handover lives with its other words, shared with the renderer. */
export { formatTime } from '../../shared/handover-text';
