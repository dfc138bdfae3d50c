/** Small text formatters shared by the views (pure, unit-tested). */

/** `42 s`, `3 min`, `5 h`, `2 d`: an age as an admin reads it at a glance. Negative ages (clock skew) read as 0 s. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 90) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 90) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** `12 ms`, or an en dash when not measured yet. */
export function formatRtt(ms: number | undefined): string {
  return ms === undefined ? '–' : `${Math.round(ms)} ms`;
}

/** Thousands separators that do not depend on the machine's locale (war-room screens differ). */
export function formatCount(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

/** `3 min ago` from an ISO timestamp; the raw text when it does not parse. */
export function formatSince(iso: string | undefined, now: number): string {
  if (!iso) return '–';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${formatAge(now - t)} ago`;
}
