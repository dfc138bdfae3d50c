/**
 * A shell (or any command) in a container: pods/exec over WebSocket with the
 * credentials of the site's kubeconfig context — the same TLS and auth
 * options every other request of {@link KubeHttp} carries, fetched from it.
 *
 * - Offers v5.channel.k8s.io and falls back to v4 when that is all the server
 *   speaks (the server picks from our offer); v5 adds closing stdin.
 * - Resize goes on channel 4; Ctrl-C is ETX typed on stdin — with a tty, the
 *   container's terminal turns it into SIGINT for the foreground process
 *   (Kubernetes has no signal channel).
 * - The exit status comes from the Status on channel 3 when the server closes.
 * - Only for the operator role: a viewer connection is refused before any
 *   request. The API server's RBAC still decides for the credentials.
 * - Every attempt is audited: an entry at the start, one at the end.
 */
import { randomUUID } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import { ContractError, type Role } from '../../shared/contract/rpc';
import { KubeHttp, KubeHttpError } from '../kube/http';
import type { ExecAuditRecord, ExecAuditSink } from './audit';
import { CLOSE, ERROR, EXEC_PROTOCOLS, STDERR, STDIN, STDOUT, V5, exitFromStatus, frame, resizeFrame, type ExecExit } from './channel';

export interface ExecRequest {
  /** The site's id (for the audit entry and messages). */
  site: string;
  http: KubeHttp;
  /** The role of the connection asking (viewer connections never get a shell). */
  role: Role;
  /** The operator, for the audit entry. */
  who: string;
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  /** A terminal (default true): output is one stream, Ctrl-C and resize work. */
  tty?: boolean;
  /** Attach stdin (default true). */
  stdin?: boolean;
  /** The terminal's size, sent as soon as the session opens. */
  size?: { cols: number; rows: number };
  /** Subprotocols to offer, most preferred first (default v5, v4). */
  protocols?: readonly string[];
  /** Output as it arrives: stdout, or stderr when there is no tty. Raw bytes; see terminal-output for display. */
  onOutput: (data: Buffer, stream: 'stdout' | 'stderr') => void;
  audit: ExecAuditSink;
  /** Give up opening after this long. */
  connectTimeoutMs?: number;
  now?: () => number;
}

export interface ExecSession {
  /** The subprotocol the server chose. */
  readonly protocol: string;
  /** Types into the container's stdin. */
  write(data: string | Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** Ctrl-C (ETX on stdin; needs a tty to become SIGINT). */
  interrupt(): void;
  /**
   * End of input (Ctrl-D for programs reading a pipe). Only v5 can close stdin alone;
   * returns false when the protocol cannot.
   */
  closeStdin(): boolean;
  /** Hangs up: the server kills the process. */
  close(): void;
  /** Settles when the session ends, with how the command ended. */
  readonly exited: Promise<ExecExit>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Opens the session. Resolves once the server has accepted the WebSocket;
 * rejects (with the server's words) when it refuses, and throws
 * ContractError('forbidden') without connecting for a non-operator role.
 */
export async function openExec(req: ExecRequest): Promise<ExecSession> {
  const now = req.now ?? Date.now;
  const tty = req.tty ?? true;
  const stdin = req.stdin ?? true;
  const record: ExecAuditRecord = {
    id: randomUUID(),
    who: req.who,
    site: req.site,
    namespace: req.namespace,
    pod: req.pod,
    container: req.container,
    command: [...req.command],
    tty,
    startedAt: iso(now()),
  };
  const fail = (outcome: 'refused' | 'failed', error: string): void => {
    req.audit({ ...record, endedAt: iso(now()), outcome, error }, 'end');
  };

  if (req.role !== 'operator') {
    const msg = `a shell in a container needs the operator role; this connection is ${req.role}`;
    fail('refused', msg);
    throw new ContractError('forbidden', msg);
  }
  if (req.command.length === 0) {
    fail('refused', 'no command given');
    throw new ContractError('bad-request', 'no command given');
  }

  const url = req.http.url(`/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/exec`);
  for (const c of req.command) url.searchParams.append('command', c);
  url.searchParams.set('container', req.container);
  url.searchParams.set('stdin', String(stdin));
  url.searchParams.set('stdout', 'true');
  url.searchParams.set('stderr', String(!tty));
  url.searchParams.set('tty', String(tty));
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';

  let ws: WebSocket;
  try {
    const { usedToken, ...tls } = await req.http.connectOptions();
    ws = await new Promise<WebSocket>((resolve, reject) => {
      const sock = new WebSocket(url, [...(req.protocols ?? EXEC_PROTOCOLS)], {
        ...(tls as Record<string, unknown>),
        headers: tls.headers as Record<string, string>,
        handshakeTimeout: req.connectTimeoutMs ?? 15_000,
        perMessageDeflate: false,
      });
      sock.once('open', () => resolve(sock));
      // The server answered the upgrade with an HTTP error (a Status): read it, then hang up.
      sock.once('unexpected-response', (r, res) => {
        sock.removeAllListeners('error');
        sock.on('error', () => {});
        if (res.statusCode === 401) req.http.unauthorized(usedToken);
        void KubeHttp.failure(res)
          .then(reject, reject)
          .finally(() => r.destroy());
      });
      sock.once('error', reject);
    });
  } catch (e) {
    const msg = describe(e, req);
    fail('failed', msg);
    if (e instanceof KubeHttpError && (e.status === 401 || e.status === 403)) throw new ContractError('forbidden', msg);
    if (e instanceof KubeHttpError && e.status === 404) throw new ContractError('not-found', msg);
    if (e instanceof KubeHttpError && e.status === 400) throw new ContractError('bad-request', msg);
    throw new ContractError('unavailable', msg);
  }

  const protocol = ws.protocol;
  record.protocol = protocol;
  try {
    req.audit({ ...record }, 'start');
  } catch (e) {
    // An unrecorded shell is not allowed: hang up before anything runs.
    ws.terminate();
    throw new ContractError('unavailable', `the audit log cannot be written, so no shell is opened: ${(e as Error).message}`);
  }

  let status = '';
  let hungUp = false;
  ws.on('message', (data: RawData) => {
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (buf.length === 0) return;
    const payload = buf.subarray(1);
    switch (buf[0]) {
      case STDOUT:
        if (payload.length > 0) req.onOutput(payload, 'stdout');
        break;
      case STDERR:
        if (payload.length > 0) req.onOutput(payload, 'stderr');
        break;
      case ERROR:
        // A Status is small; a server that streams more is not believed past 64 KiB.
        if (status.length < 64 * 1024) status += payload.toString('utf8');
        break;
      // Anything else is not for a client; ignored as the API server ignores unknown channels.
    }
  });

  const exited = new Promise<ExecExit>((resolve) => {
    ws.once('close', (code) => {
      const exit = exitFromStatus(status, code);
      const closedByUs = hungUp && status === '';
      const end: ExecExit = closedByUs ? { exitCode: undefined, summary: 'closed by you before the command ended' } : exit;
      const outcome = end.exitCode !== undefined ? 'exited' : closedByUs ? 'closed' : 'failed';
      try {
        req.audit({ ...record, endedAt: iso(now()), outcome, ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : { error: end.summary }) }, 'end');
      } catch (e) {
        // Thrown from a socket event it would take the process down; the session is over either way.
        console.error(`audit: the end of shell session ${record.id} could not be recorded: ${(e as Error).message}`);
      }
      resolve(end);
    });
  });
  // After 'open', errors end in 'close' too; without a listener ws would throw them.
  ws.on('error', () => {});

  const send = (buf: Buffer): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(buf, { binary: true });
  };
  if (req.size && tty) send(resizeFrame(req.size.cols, req.size.rows));

  return {
    protocol,
    exited,
    write: (data) => {
      if (stdin) send(frame(STDIN, data));
    },
    resize: (cols, rows) => {
      if (tty) send(resizeFrame(cols, rows));
    },
    interrupt: () => {
      if (stdin) send(frame(STDIN, '\x03'));
    },
    closeStdin: () => {
      if (protocol !== V5) return false;
      send(Buffer.from([CLOSE, STDIN]));
      return true;
    },
    close: () => {
      hungUp = true;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
    },
  };
}

function describe(e: unknown, req: ExecRequest): string {
  const where = `${req.namespace}/${req.pod} (${req.container}) at ${req.site}`;
  if (e instanceof KubeHttpError) {
    if (e.status === 403) return `not allowed to open a shell in ${where}: ${e.message}`;
    if (e.status === 401) return `the credentials for ${req.site} were refused: ${e.message}`;
    if (e.status === 404) return `no pod ${req.namespace}/${req.pod} at ${req.site}`;
    return `cannot open a shell in ${where}: ${e.message}`;
  }
  const code = (e as { code?: string }).code;
  if (code === 'ECONNREFUSED') return `cannot open a shell in ${where}: connection refused, the API server is not reachable`;
  return `cannot open a shell in ${where}: ${(e as Error).message}`;
}
