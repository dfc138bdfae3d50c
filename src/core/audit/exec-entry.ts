/**
 * Shell sessions in containers as audit entries: the exec module reports a
 * session at its start and its end (ExecAuditSink); this turns each report
 * into an AuditRecord on the pod. The command line is what the operator
 * typed, so a token in it is redacted rather than refusing the record: the
 * session happened and must be on record.
 */
import type { AuditRecord, AuditResult } from '../../shared/audit';
import type { ExecAuditRecord, ExecAuditSink } from '../exec';
import type { AuditLog } from './audit-log';
import { redactSecrets } from './secret-guard';

/** The audit record for one report of an exec session (`phase` as the exec module passes it). */
export function execAuditRecord(r: ExecAuditRecord, phase: 'start' | 'end'): AuditRecord {
  const command = r.command.map(redactSecrets);
  const result: AuditResult = r.outcome === 'refused' ? 'refused' : r.outcome === 'failed' ? 'failed' : 'ok';
  const shell = `${command.join(' ')} in container ${r.container}`;
  const why = redactSecrets(r.error ?? 'no reason given');
  const detail =
    phase === 'start' ? `opened a shell: ${shell}`
    : r.outcome === 'exited' ? `shell ended: ${shell} exited with code ${r.exitCode}`
    : r.outcome === 'closed' ? `shell closed by the operator: ${shell}`
    : r.outcome === 'refused' ? `shell refused: ${shell}: ${why}`
    // A protocol was agreed only if the session opened: then it broke off, else it never began.
    : r.protocol ? `shell broke off: ${shell}: ${why}`
    : `shell not opened: ${shell}: ${why}`;
  return {
    who: r.who,
    verb: 'exec',
    site: r.site,
    object: { kind: 'Pod', namespace: r.namespace, name: r.pod },
    result,
    detail,
    data: {
      session: r.id,
      phase,
      container: r.container,
      command,
      tty: r.tty,
      protocol: r.protocol,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      outcome: r.outcome,
      exitCode: r.exitCode,
    },
  };
}

/** An ExecAuditSink that appends to `log`: the drop-in for the exec service. */
export function execAuditSink(log: AuditLog): ExecAuditSink {
  return (record, phase) => {
    log.append(execAuditRecord(record, phase));
  };
}
