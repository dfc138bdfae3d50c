/**
 * The contract's `exec.*`: shells in containers over pods/exec, one stream
 * per session, owned by the console that opened it. Output goes out as
 * stream events, already made safe for a terminal; the end carries the exit
 * status; every session is written to the audit log (start and end).
 */
import { randomBytes } from 'node:crypto';
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import { openExec, TerminalOutput, type ExecAuditSink, type ExecSession } from '../exec';
import type { KubeHttp } from '../kube/http';

/** Shells one console may have open at once. */
export const MAX_SESSIONS = 8;

export interface ExecStart {
  site: string;
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  cols: number;
  rows: number;
}

export class ExecService {
  private readonly sessions = new Map<string, ExecSession>();
  private readonly siteOf = new Map<string, string>();

  constructor(
    private readonly bus: EventBus<TriptychEvents>,
    private readonly httpFor: (site: string) => KubeHttp | undefined,
    private readonly audit: ExecAuditSink,
    /** Who the audit log names (the workstation's user, until Vault sign-in gives an identity). */
    private readonly who: () => string,
  ) {}

  async start(o: ExecStart): Promise<{ stream: string; protocol: string }> {
    if (this.sessions.size >= MAX_SESSIONS) throw new ContractError('unavailable', `${MAX_SESSIONS} shells are open already; close one first`);
    const http = this.httpFor(o.site);
    if (!http) throw new ContractError('not-found', `no site "${o.site}"`);
    const stream = `exec-${randomBytes(12).toString('base64url')}`;
    const out = new TerminalOutput();
    const session = await openExec({
      site: o.site,
      http,
      // Only operator connections reach here: exec.* are mutating methods.
      role: 'operator',
      who: this.who(),
      namespace: o.namespace,
      pod: o.pod,
      container: o.container,
      command: o.command,
      tty: true,
      size: { cols: o.cols, rows: o.rows },
      onOutput: (data) => {
        const text = out.write(data);
        if (text) this.bus.emit('exec.output', { stream, data: text });
      },
      audit: this.audit,
    });
    this.sessions.set(stream, session);
    this.siteOf.set(stream, o.site);
    void session.exited.then((exit) => {
      this.siteOf.delete(stream);
      const rest = out.end();
      if (rest) this.bus.emit('exec.output', { stream, data: rest });
      this.sessions.delete(stream);
      this.bus.emit('exec.exit', { stream, exitCode: exit.exitCode, summary: exit.summary });
    });
    return { stream, protocol: session.protocol };
  }

  input(stream: string, data: string): null {
    this.get(stream).write(data);
    return null;
  }

  resize(stream: string, cols: number, rows: number): null {
    this.get(stream).resize(cols, rows);
    return null;
  }

  close(stream: string): null {
    this.sessions.get(stream)?.close();
    return null;
  }

  /** Hangs up every shell at a site (its credentials were withdrawn: signed out of Vault). */
  closeSite(site: string): void {
    for (const [stream, s] of this.siteOf) if (s === site) this.sessions.get(stream)?.close();
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.close();
  }

  private get(stream: string): ExecSession {
    const s = this.sessions.get(stream);
    if (!s) throw new ContractError('not-found', 'this shell has ended');
    return s;
  }
}
