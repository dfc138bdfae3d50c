/**
 * The hash chain of the audit trail: each entry's hash covers the previous
 * entry's hash and its own content, so editing, removing or reordering a line
 * shows at that line. The first entry links to 64 zeros.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from '../../shared/audit';
import { canonicalJson } from './canonical-json';

/** The `prev` of the first entry. */
export const GENESIS = '0'.repeat(64);

const HEX64 = /^[0-9a-f]{64}$/;

/** SHA-256 hex over `prev` and the canonical JSON of the entry without its `hash`. */
export function entryHash(entry: Omit<AuditEntry, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...rest } = entry;
  return createHash('sha256').update(entry.prev).update(canonicalJson(rest)).digest('hex');
}

/**
 * The line written for `entry`: fields in reading order (seq and time first,
 * chain last) for whoever reads the file with `tail`; the hash does not depend on it.
 */
export function entryLine(entry: AuditEntry): string {
  const { seq, at, who, verb, site, object, result, detail, runbook, data, prev, hash } = entry;
  return JSON.stringify({ seq, at, who, verb, site, object, result, detail, runbook, data, prev, hash });
}

/** The entry a line holds, or undefined when it is not one (torn, damaged, or some other JSON). */
export function parseEntry(line: string): AuditEntry | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const e = v as Partial<AuditEntry>;
  if (!Number.isSafeInteger(e.seq) || (e.seq as number) < 1) return undefined;
  if (typeof e.prev !== 'string' || !HEX64.test(e.prev) || typeof e.hash !== 'string' || !HEX64.test(e.hash)) return undefined;
  if (typeof e.at !== 'string' || typeof e.who !== 'string' || typeof e.verb !== 'string' || typeof e.result !== 'string') return undefined;
  return e as AuditEntry;
}
