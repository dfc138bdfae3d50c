/**
 * Durations as Vault accepts and prints them.
 *
 * Vault takes TTLs either as a number of seconds or as a Go duration string
 * ("1h", "90m", "1h30m", "3600s", and Vault's own "d" suffix), and prints
 * them in warnings with Go's `Duration.String()` ("1h0m0s").
 */

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

/**
 * Parses a Vault duration into whole seconds (fractions are truncated, as Go's
 * `time.Duration.Seconds()` then `int` conversion does).
 * Accepts a non-negative number, a digit string ("3600") or a Go duration
 * string ("1h30m"). Returns `undefined` for anything else, so callers can
 * answer 400 with their own wording.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s === '') return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  // Go duration: one or more <number><unit> groups, no sign (negative TTLs mean nothing here).
  const group = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    group.lastIndex = pos;
    const m = group.exec(s);
    if (!m) return undefined;
    const [, num, unit] = m;
    total += Number(num) * (UNIT_SECONDS[unit as string] ?? NaN);
    pos = group.lastIndex;
  }
  return Number.isFinite(total) ? Math.floor(total + 1e-9) : undefined;
}

/** Formats whole seconds like Go's `time.Duration.String()`: 0s, 45s, 1m30s, 1h0m0s. */
export function formatGoDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  if (total === 0) return '0s';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
