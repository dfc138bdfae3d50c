/**
 * The channel.k8s.io stream protocol of pods/exec over WebSocket, as the API
 * server speaks it (NOTES §3): every binary message is one channel byte and
 * its payload — 0 stdin, 1 stdout, 2 stderr, 3 the error channel (a
 * metav1.Status with the exit code, from v4 on), 4 resize (JSON
 * `{"Width":…,"Height":…}`); v5 adds `[255, channel]` to half-close a channel
 * (stdin EOF). kubectl ≥ 1.30 offers v5 only; older API servers know v4.
 */

export const V5 = 'v5.channel.k8s.io';
export const V4 = 'v4.channel.k8s.io';
/** What we offer, most preferred first; the server picks. v1–v3 report failures as plain text and no exit codes, so we do not offer them. */
export const EXEC_PROTOCOLS: readonly string[] = [V5, V4];

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE = 255;

export function frame(channel: number, payload: Uint8Array | string = new Uint8Array(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  out.set(body, 1);
  return out;
}

/** The resize message (TerminalSize as the API server decodes it). */
export function resizeFrame(cols: number, rows: number): Buffer {
  const c = Math.max(1, Math.min(65535, Math.floor(cols)));
  const r = Math.max(1, Math.min(65535, Math.floor(rows)));
  return frame(RESIZE, JSON.stringify({ Width: c, Height: r }));
}

/** How a command ended, from the error channel's Status. */
export interface ExecExit {
  /** The process's exit code; undefined when it did not run or the end was not reported. */
  exitCode: number | undefined;
  /** What to show when the session ends, in clear words. */
  summary: string;
  /** The Status' reason: NonZeroExitCode, InternalError, … */
  reason?: string;
  /** The server's message, when it failed. */
  message?: string;
}

interface Status {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/**
 * Reads the error channel's content at the end of a session. `text` is
 * everything received on channel 3 (a Status in JSON from v4 on); empty
 * means the server never said how it ended.
 */
export function exitFromStatus(text: string, closeCode: number): ExecExit {
  if (text.trim() === '') {
    return { exitCode: undefined, summary: `the connection closed before the command's exit status arrived (WebSocket close ${closeCode})` };
  }
  let s: Status;
  try {
    s = JSON.parse(text) as Status;
  } catch {
    // Not a Status: older protocols put a failure's plain text here.
    return { exitCode: undefined, summary: `failed: ${text.slice(0, 500)}`, message: text.slice(0, 2000) };
  }
  if (s.status === 'Success') return { exitCode: 0, summary: 'exited with status 0' };
  const code = s.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
  if (s.reason === 'NonZeroExitCode' && code !== undefined && /^\d+$/.test(code)) {
    const n = Number(code);
    return { exitCode: n, summary: `exited with status ${n}`, reason: s.reason, message: s.message };
  }
  return { exitCode: undefined, summary: `failed: ${s.message ?? s.reason ?? 'unknown error'}`, reason: s.reason, message: s.message };
}
