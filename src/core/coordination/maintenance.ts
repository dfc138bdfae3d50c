/**
 * A maintenance in progress as the clusters hold it: a coordination.k8s.io/v1
 * Lease in `triptych-system` whose holder is the admin's console and whose
 * annotations say what is being done and why. Every console reads the same
 * Leases, so every console can say "rack B-07 under maintenance by alice
 * since 08:30".
 */
import { parseMicroTime } from './micro-time';

/** The namespace Triptych keeps its coordination objects in, at every site. */
export const TRIPTYCH_NAMESPACE = 'triptych-system';

/** Annotations on a maintenance Lease. */
export const ANNOTATION = {
  scope: 'triptych.io/scope',
  runbook: 'triptych.io/runbook',
  run: 'triptych.io/run',
  reason: 'triptych.io/reason',
  /** ISO 8601, when this holder took the maintenance over. */
  since: 'triptych.io/since',
  /** Who holds it, as people read it (holderIdentity adds the console instance). */
  holder: 'triptych.io/holder',
} as const;

/** Labels that mark a Lease as a Triptych maintenance (listMaintenance selects on the second). */
export const MAINTENANCE_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/managed-by': 'triptych',
  'triptych.io/lease': 'maintenance',
};

/** The parts of a Lease this module reads and writes. */
export interface LeaseObject {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** One maintenance at a site, as the guard and the UI see it. */
export interface Maintenance {
  /** The Lease's name. */
  lease: string;
  /** As the holder wrote it, e.g. `rack/B-07`. */
  scope: string;
  /** Who: a Vault identity or user@host. */
  holder: string;
  /** Who plus the console instance, as the Lease's spec says. */
  holderIdentity: string;
  /** ISO 8601: when this holder took it. */
  since: string;
  /** ISO 8601: the last renewal. */
  renewedAt?: string;
  /** ISO 8601: when it lapses unless renewed. */
  expiresAt?: string;
  /** Lapsed (the holder stopped renewing: its console quit or crashed) or released: anyone may take it over. */
  expired: boolean;
  durationSeconds: number;
  runbook?: string;
  run?: string;
  reason?: string;
}

const iso = (ms: number): string | undefined => (Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);

/** When `lease` lapses (epoch ms); NaN when it says nothing usable (then it counts as lapsed). */
export function leaseExpiry(lease: LeaseObject): number {
  const spec = lease.spec ?? {};
  const renewed = parseMicroTime(spec.renewTime ?? spec.acquireTime);
  const duration = spec.leaseDurationSeconds;
  if (typeof duration !== 'number' || !(duration > 0)) return Number.NaN;
  return renewed + duration * 1000;
}

/** Whether anyone may take `lease` over at `now`: nobody holds it, or the holder stopped renewing. */
export function leaseFree(lease: LeaseObject, now: number): boolean {
  if (!lease.spec?.holderIdentity) return true;
  const expiry = leaseExpiry(lease);
  return !(expiry > now);
}

/** The maintenance a Lease stands for. */
export function maintenanceOf(lease: LeaseObject, now: number): Maintenance {
  const a = lease.metadata.annotations ?? {};
  const spec = lease.spec ?? {};
  const holderIdentity = spec.holderIdentity ?? '';
  const since = a[ANNOTATION.since] ?? iso(parseMicroTime(spec.acquireTime)) ?? lease.metadata.creationTimestamp ?? '';
  return {
    lease: lease.metadata.name,
    scope: a[ANNOTATION.scope] ?? lease.metadata.name,
    holder: a[ANNOTATION.holder] || holderIdentity,
    holderIdentity,
    since,
    renewedAt: iso(parseMicroTime(spec.renewTime)),
    expiresAt: iso(leaseExpiry(lease)),
    expired: leaseFree(lease, now),
    durationSeconds: spec.leaseDurationSeconds ?? 0,
    runbook: a[ANNOTATION.runbook] || undefined,
    run: a[ANNOTATION.run] || undefined,
    reason: a[ANNOTATION.reason] || undefined,
  };
}

/** `2026-11-28 08:30 UTC` (a time every site's admin reads the same way). */
export function formatSince(isoTime: string): string {
  const ms = Date.parse(isoTime);
  if (!Number.isFinite(ms)) return isoTime || 'an unknown time';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
