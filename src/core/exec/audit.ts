/**
 * Every shell opened in a container is an audit entry: who, where, what, and
 * when it began and ended. The writer (an append-only log) comes from the
 * caller; this module only says what an entry holds.
 */

export type ExecOutcome =
  /** The command ran and ended (exitCode set, when the server reported it). */
  | 'exited'
  /** The session was opened and our side hung up before the command ended. */
  | 'closed'
  /** Refused before connecting: the connection's role is not operator. */
  | 'refused'
  /** The API server refused or the connection failed. */
  | 'failed';

export interface ExecAuditRecord {
  /** One id per session; the start and end entries share it. */
  id: string;
  /** The operator, as the caller knows them. */
  who: string;
  site: string;
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  tty: boolean;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; absent in the entry written when the session starts. */
  endedAt?: string;
  /** The process's exit code when it is known. */
  exitCode?: number;
  outcome?: ExecOutcome;
  /** Why it failed or was refused, in clear words. */
  error?: string;
  /** The subprotocol the session spoke. */
  protocol?: string;
}

/**
 * Receives audit entries: once when a session starts (no endedAt: so that a
 * session is on record even if the app dies during it) and once when it ends
 * (complete). Refusals and failures to connect get a single, complete entry.
 */
export type ExecAuditSink = (record: ExecAuditRecord, phase: 'start' | 'end') => void;
