/**
 * The one byte sequence an audit entry hashes to: JSON with the keys of every
 * object sorted, so the hash does not depend on the order a writer (or a
 * later reader re-serialising the line) happened to put them in.
 */

/** `value` as it survives a JSON round trip (Dates as strings, undefined and functions gone). */
export function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** JSON of `value` with object keys sorted at every depth and no whitespace. */
export function canonicalJson(value: unknown): string {
  return canon(plainJson(value));
}

function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // Code-unit order (the default sort) is the same in every JavaScript engine.
    const keys = Object.keys(o).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canon(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
