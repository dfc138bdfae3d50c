/**
 * Maintenance scopes and the Lease names that stand for them. A scope is
 * `<kind>/<id>` (`rack/B-07`, `node/fra-w-12`, `site/fra`) and compares
 * without regard to case, as rack and node names are written both ways.
 * The Lease name is the scope as a DNS name; when that loses information
 * (characters a name cannot hold, a second slash, too long) a short hash of
 * the scope is appended so that two scopes never share a Lease.
 */
import { createHash } from 'node:crypto';

export const LEASE_PREFIX = 'triptych-maintenance-';

// Room for the prefix, a hash suffix and then some, within the 253 of a DNS subdomain name.
const MAX_BODY = 180;

/** `kind/id` where both map to a DNS label one-to-one (lower case aside). */
const SIMPLE = /^[a-z]+\/[a-z0-9]+(-[a-z0-9]+)*$/;

/** The scope as compared: trimmed, lower case. */
export function scopeKey(scope: string): string {
  return scope.trim().toLowerCase();
}

/** `rack/B-07` → `triptych-maintenance-rack-b-07`; `node/w1.fra` → `triptych-maintenance-node-w1-fra-<hash>`. */
export function maintenanceLeaseName(scope: string): string {
  const key = scopeKey(scope);
  if (key === '') throw new TypeError('a maintenance scope is required, e.g. rack/B-07');
  const body = key.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (SIMPLE.test(key) && body.length <= MAX_BODY) return LEASE_PREFIX + body;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8);
  const cut = body.slice(0, MAX_BODY).replace(/-+$/, '');
  return `${LEASE_PREFIX}${cut ? `${cut}-` : ''}${hash}`;
}

/** The scope in words: `rack/B-07` → `rack B-07`. */
export function scopeLabel(scope: string): string {
  const s = scope.trim();
  const slash = s.indexOf('/');
  return slash > 0 ? `${s.slice(0, slash)} ${s.slice(slash + 1)}` : s;
}
