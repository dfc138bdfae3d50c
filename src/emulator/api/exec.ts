/**
 * pods/exec over WebSocket: the channel.k8s.io stream protocols, as a 1.32
 * kube-apiserver speaks them to kubectl (client-go's websocket executor,
 * which offers only v5) and to @kubernetes/client-node (v5 down to v1).
 *
 * Framing: every binary message is one channel byte then payload —
 * 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize (a stream of JSON
 * `{"Width":..,"Height":..}` values). v5 adds a CLOSE message `[255, ch]`
 * by which the client half-closes a channel (stdin EOF for `echo x | kubectl
 * exec -i`). Text messages are read like binary ones, as the apiserver's
 * wsstream reader does.
 *
 * Session shape, matching apiserver/pkg/util/proxy/websocket.go and
 * streamtranslator.go (v5) and the kubelet/containerd streaming server (v1–v4):
 * - right after the upgrade the server sends one empty frame on the lowest
 *   writable channel (stdout, else stderr, else error) to say it is ready;
 * - when the process ends it writes the metav1.Status on channel 3 (v4+:
 *   always; v1–v3: only a failure, as plain text), then closes the
 *   WebSocket normally (1000). client-go waits for that close to finish
 *   copying stdout/stderr, then reads the error channel to EOF: a normal
 *   close is EOF, anything else an error.
 * - a program that cannot start is an InternalError status carrying the
 *   runtime's message; through the v5 stream translator it is wrapped
 *   twice ("Internal error occurred: Internal error occurred: ...").
 */
import type { WebSocket } from 'ws';
import { Rng } from '../rng';
import { startProcess, type ContainerProcess } from '../sim/shell';
import type { KObject } from '../types';

/** Subprotocols we accept, most preferred first. */
export const EXEC_SUBPROTOCOLS: readonly string[] = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

/**
 * The first subprotocol in our preference order that the client offered.
 * (A 1.32 apiserver picks v5 whenever it is offered — the stream translator
 * handles those — so preferring the newest matches it for real clients.)
 */
export function negotiateProtocol(offered: string[]): string | undefined {
  const set = new Set(offered.map((p) => p.trim()));
  return EXEC_SUBPROTOCOLS.find((p) => set.has(p));
}

/** Options of {@link runExecSession}; the caller has authorised the request and chosen the container. */
export interface ExecSessionOptions {
  protocol: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  pod: KObject;
  container: string;
  /** Aborts when the pod is deleted: the process is killed (exit 137) and the session ends. */
  podGone?: AbortSignal;
  /** The site clock (epoch ms) for `date` and uptimes; defaults to Date.now. */
  now?: () => number;
}

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
/** v5: `[CLOSE, channel]` half-closes a channel. */
const CLOSE = 255;

/** Per-container counter for exec ids, so ids differ per exec yet repeat run to run. */
const execSerials = new Map<string, number>();

/** A containerd exec id (64 hex digits), seeded by the pod, container and exec number. */
function execId(pod: KObject, container: string): string {
  const key = `${pod.metadata.uid ?? pod.metadata.name}/${container}`;
  const serial = execSerials.get(key) ?? 0;
  execSerials.set(key, serial + 1);
  if (execSerials.size > 10_000) execSerials.delete(execSerials.keys().next().value as string);
  const rng = new Rng(`${key}/exec/${serial}`);
  let id = '';
  while (id.length < 64) id += Math.floor(rng.float() * 4294967296).toString(16).padStart(8, '0');
  return id;
}

/** metav1.Status as encoding/json writes it (field order, omitempty). */
interface WireStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason?: string; message?: string }[] };
  code?: number;
}

/** apierrors.NewInternalError(err). */
function internalError(message: string): WireStatus {
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

function isV5(protocol: string): boolean {
  return protocol === 'v5.channel.k8s.io';
}

function usesStatus(protocol: string): boolean {
  return protocol === 'v5.channel.k8s.io' || protocol === 'v4.channel.k8s.io';
}

/**
 * The status for an exit code. containerd words a non-zero exit
 * `error executing command [argv], exit code N`; the v5 translator has
 * decoded that through client-go first, so its inner text is client-go's.
 */
function exitStatus(protocol: string, command: string[], code: number): WireStatus {
  if (code === 0) return { metadata: {}, status: 'Success' };
  const inner = isV5(protocol) ? `command terminated with exit code ${code}` : `error executing command [${command.join(' ')}], exit code ${code}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${inner}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** The status for a program the runtime could not start (runc's detail in `error`). */
function startFailure(protocol: string, id: string, error: string): WireStatus {
  const kubelet = internalError(`error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: ${error}: unknown`);
  // The v5 translator sees a plain error from its SPDY client and wraps it again.
  return isV5(protocol) ? internalError(kubelet.message as string) : kubelet;
}

/**
 * Incremental decoder for the resize channel: a stream of JSON objects, as
 * Go's json.Decoder reads it. Keys match case-insensitively (client-node
 * sends `{"width":..,"height":..}`); a value that does not decode into
 * TerminalSize stops resize handling for the session, as it does on the
 * server.
 */
class ResizeDecoder {
  private buf = '';
  private broken = false;

  feed(text: string): { cols: number; rows: number }[] {
    if (this.broken) return [];
    this.buf += text;
    const out: { cols: number; rows: number }[] = [];
    for (;;) {
      this.buf = this.buf.replace(/^\s+/, '');
      if (this.buf === '') return out;
      if (this.buf[0] !== '{') return this.fail(out);
      const end = objectEnd(this.buf);
      if (end < 0) return out;
      const raw = this.buf.slice(0, end);
      this.buf = this.buf.slice(end);
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        return this.fail(out);
      }
      const size = { cols: 0, rows: 0 };
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const key = k.toLowerCase();
        if (key !== 'width' && key !== 'height') continue;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) return this.fail(out);
        if (key === 'width') size.cols = v;
        else size.rows = v;
      }
      out.push(size);
    }
  }

  private fail(out: { cols: number; rows: number }[]): { cols: number; rows: number }[] {
    this.broken = true;
    this.buf = '';
    return out;
  }
}

/** Index just past the JSON object starting at 0, or -1 if it is not complete yet. */
function objectEnd(s: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * Runs one exec session on an upgraded WebSocket, from the ready frame to
 * the final status and close. Never throws; malformed client frames are
 * ignored the way the apiserver ignores them.
 */
export function runExecSession(ws: WebSocket, opts: ExecSessionOptions): void {
  const { protocol, tty } = opts;
  let finished = false;

  const send = (channel: number, payload: string | Buffer = ''): void => {
    if (ws.readyState !== ws.OPEN) return;
    const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    ws.send(Buffer.concat([Buffer.from([channel]), body]), { binary: true });
  };

  const finish = (status: WireStatus): void => {
    if (finished) return;
    finished = true;
    cleanup();
    if (ws.readyState !== ws.OPEN) return;
    if (usesStatus(protocol)) send(ERROR, JSON.stringify(status));
    else if (status.status === 'Failure') send(ERROR, status.message ?? '');
    ws.close(1000);
  };

  // The apiserver says the streams are ready with an empty frame on the lowest writable channel.
  send(opts.stdout ? STDOUT : opts.stderr ? STDERR : ERROR);

  // The process starts on a later microtask, so its first output comes after the listeners below.
  const started = startProcess({ pod: opts.pod, container: opts.container, ...(opts.now ? { now: opts.now } : {}) }, opts.command, {
    tty,
    stdin: opts.stdin,
    output: (fd, text) => {
      // With a tty the process has one output stream; stderr goes to stdout.
      const channel = tty || fd === 1 ? STDOUT : STDERR;
      if (channel === STDOUT ? !opts.stdout : !opts.stderr) return;
      send(channel, text);
    },
  });

  const proc: ContainerProcess | undefined = started.ok ? started.process : undefined;
  const resize = new ResizeDecoder();
  let stdinOpen = opts.stdin;

  const onMessage = (data: Buffer | ArrayBuffer | Buffer[]): void => {
    try {
      const buf = toBuffer(data);
      if (buf.length === 0 || !proc) return;
      const channel = buf[0];
      const payload = buf.subarray(1);
      if (channel === STDIN) {
        if (stdinOpen && payload.length > 0) proc.write(payload);
      } else if (channel === RESIZE) {
        if (!tty) return;
        for (const s of resize.feed(payload.toString('utf8'))) proc.resize(s.cols, s.rows);
      } else if (channel === CLOSE && isV5(protocol)) {
        // Exactly one channel byte follows CLOSE; anything else is ignored.
        if (payload.length === 1 && payload[0] === STDIN && stdinOpen) {
          stdinOpen = false;
          proc.closeStdin();
        }
      }
      // Frames for any other channel are discarded.
    } catch {
      // A frame must never take the server down.
    }
  };
  const onClose = (): void => {
    // The client went away: kill the process; there is no one to tell.
    finished = true;
    cleanup();
    proc?.kill();
  };
  const onError = (): void => onClose();
  const onGone = (): void => proc?.kill();

  const cleanup = (): void => {
    ws.off('message', onMessage);
    ws.off('close', onClose);
    ws.off('error', onError);
    opts.podGone?.removeEventListener('abort', onGone);
  };

  ws.on('message', onMessage);
  ws.on('close', onClose);
  ws.on('error', onError);
  // ws throws 'error' events nobody listens to; one may come even after the session's end.
  ws.on('error', () => {});

  if (!started.ok) {
    finish(startFailure(protocol, execId(opts.pod, opts.container), started.error));
    return;
  }
  opts.podGone?.addEventListener('abort', onGone, { once: true });
  if (opts.podGone?.aborted) started.process.kill();
  void started.process.exited.then(
    (code) => finish(exitStatus(protocol, opts.command, code)),
    () => finish(exitStatus(protocol, opts.command, 1)),
  );
}
