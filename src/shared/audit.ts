/**
 * The audit trail as the contract carries it: every mutating action, from
 * the UI or a runbook — who, when, site, verb, object, result. core/audit
 * writes it append-only with a hash chain and mirrors each entry as a
 * Kubernetes Event on the object.
 */

export type AuditResult = 'ok' | 'failed' | 'refused';

/** One action, as the caller records it (core adds seq, time and the chain). */
export interface AuditRecord {
  /** Vault identity when signed in (e.g. `userpass-alice`), else the OS user@host. */
  who: string;
  /** e.g. `cordon`, `drain`, `evict`, `scale`, `exec`, `runbook.start`, `handover`. */
  verb: string;
  site?: string;
  object?: { kind: string; namespace?: string; name: string };
  result: AuditResult;
  /** What happened in words (the reason given, the server's refusal). Never a secret. */
  detail?: string;
  /** Set for actions a runbook took. */
  runbook?: { run: string; name: string; step?: string };
  /** Other facts worth keeping (an exec's command and exit code, a drain's pod count). */
  data?: Record<string, unknown>;
}

/** A stored entry: the record plus its place in the chain. */
export interface AuditEntry extends AuditRecord {
  seq: number;
  /** ISO 8601 with milliseconds. */
  at: string;
  /** Hash of the previous entry (64 zeros for the first). */
  prev: string;
  /** SHA-256 over `prev` and this entry's canonical JSON (without `hash`). */
  hash: string;
}

export interface AuditQuery {
  site?: string;
  who?: string;
  verb?: string;
  /** Substring of the object's name or the detail. */
  text?: string;
  /** Epoch ms bounds. */
  from?: number;
  to?: number;
  limit?: number;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The first entry whose hash or link does not match (tampering or a torn write), 1-based line. */
  brokenAt?: { line: number; reason: string };
}
