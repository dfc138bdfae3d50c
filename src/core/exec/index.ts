/** A shell in a container over pods/exec (WebSocket), operator-only and audited. */
export type { ExecAuditRecord, ExecAuditSink, ExecOutcome } from './audit';
export { EXEC_PROTOCOLS, V4, V5, type ExecExit } from './channel';
export { openExec, type ExecRequest, type ExecSession } from './exec-session';
export { TerminalOutput } from './terminal-output';
