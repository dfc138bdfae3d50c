/**
 * The audit trail: every mutating action in an append-only, hash-chained
 * JSONL file, mirrored as Kubernetes Events on the objects acted on.
 */
export { AuditLog, DEFAULT_QUERY_LIMIT, type AuditLogOptions, type TornTail } from './audit-log';
export { auditCsv, csvField, CSV_COLUMNS } from './audit-csv';
export { canonicalJson } from './canonical-json';
export { entryHash, GENESIS } from './chain';
export { EventMirror, type EventMirrorOptions, type MirrorStats } from './event-mirror';
export { execAuditRecord, execAuditSink } from './exec-entry';
export { auditEvent, eventMessage, type KubeEvent } from './kube-event';
export { AuditSecretError, assertNoSecrets, findSecret, redactSecrets } from './secret-guard';
export { verifyChain } from './verify-chain';
