/**
 * Kubernetes MicroTime (Lease acquireTime and renewTime): RFC 3339 in UTC
 * with exactly six fractional digits, e.g. `2026-11-28T08:30:00.000000Z`.
 */

/** Epoch ms as MicroTime (JavaScript time has milliseconds; the other three digits are 0). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of a MicroTime or Time (any number of fractional digits, any offset); NaN when it is not one. */
export function parseMicroTime(s: unknown): number {
  if (typeof s !== 'string') return Number.NaN;
  const m = RFC3339.exec(s);
  if (!m) return Number.NaN;
  // Date.parse is only specified for three fractional digits.
  const ms = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
  return Date.parse(`${m[1]}.${ms}${m[3]}`);
}
