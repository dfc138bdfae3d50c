/**
 * Readers for untrusted API JSON: each returns the value when it has the
 * expected type and a harmless empty value otherwise, so projections of odd
 * or hostile objects never throw.
 */
export type Obj = Record<string, unknown>;

const EMPTY: Obj = Object.freeze({}) as Obj;
const NONE: readonly unknown[] = Object.freeze([]);

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function rec(v: unknown): Obj {
  return isObj(v) ? v : EMPTY;
}
export function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : NONE;
}
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
/** A finite number, or 0 (API integers; a string or NaN from a broken proxy counts as absent). */
export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
