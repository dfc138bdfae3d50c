/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log`: the body of the pods/log
 * subresource, answering as a 1.32 kube-apiserver (which decodes and
 * validates PodLogOptions) proxying to the kubelet (which reads the CRI log
 * file) would.
 *
 * Behaviour copied from those two:
 * - query parameters decode like apimachinery's url.Values conversion: a
 *   boolean is false only when absent, "0" or "false"; integers go through
 *   strconv.ParseInt; sinceTime through time.Parse(RFC3339). A decode failure
 *   is a 400 BadRequest, a validation failure a 422 Invalid on PodLogOptions;
 * - `tailLines` picks the starting line first, `sinceSeconds`/`sinceTime`
 *   then drop older lines (the kubelet seeks to the tail, then filters);
 * - sinceTime reaches the kubelet with whole-second precision (the apiserver
 *   re-encodes it as RFC3339);
 * - `limitBytes` counts the bytes written, timestamps included, and cuts
 *   the last line mid-way;
 * - only the current log file is read: lines rotated out (10 MiB files) are
 *   not served;
 * - with `follow` the stream ends when the container is no longer running
 *   (a terminated or previous instance ends right after its last line).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  instanceEnd,
  kubeletTimestamp,
  lineAt,
  lineCount,
  lineIndexAt,
  nextLineTime,
  retainedFromIndex,
  type LogLine,
  type LogSource,
} from '../sim/logs';

/** Decoded and validated PodLogOptions (the fields the log stream uses). */
export interface PodLogQuery {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  /** Epoch ms; 0 for the zero time (an empty `sinceTime=`), which filters nothing. */
  sinceTime?: number;
}

/** A Status the caller should answer with. */
export interface LogQueryError {
  code: number;
  reason: string;
  message: string;
}

export type LogQueryResult = { ok: true; options: PodLogQuery } | ({ ok: false } & LogQueryError);

/** Options of {@link serveLogs}. */
export interface ServeLogsOptions {
  query: URLSearchParams;
  sources: { current: LogSource; previous?: LogSource };
  podName: string;
  containerName: string;
  /** The site clock (epoch ms). */
  now: () => number;
  /**
   * When the current instance ended (the container restarted or stopped since the
   * request came in); undefined while it runs. A follow of it then ends, as the
   * kubelet's does when the container exits.
   */
  currentEnded?: () => number | undefined;
  /** Aborts when the pod is deleted: a follow ends as the container stops. */
  podGone: AbortSignal;
  /** Writes a Kubernetes Status response; called at most once, before anything else is written. */
  sendError: (code: number, reason: string, message: string) => void;
}

/**
 * Longest a follow sleeps before looking at the clock again. The site clock
 * may run faster than real time or jump (scenarios fast-forward); the
 * kubelet likewise re-checks its file every second (logForceCheckPeriod).
 */
const MAX_WAIT_MS = 1000;
/** Lines rendered per write; keeps memory flat when a whole log file is requested. */
const BATCH = 512;

const RFC3339 = '2006-01-02T15:04:05Z07:00';

function quote(s: string): string {
  return JSON.stringify(s);
}

/** apimachinery's Convert_Slice_string_To_bool: absent → false; "0"/"false" (any case) → false; anything else → true. */
function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.getAll(name)[0];
  if (v === undefined) return false;
  return !(v === '0' || v.toLowerCase() === 'false');
}

/** strconv.ParseInt(s, 10, 64), with Go's error text. */
function parseInt64(s: string): number | string {
  if (!/^[+-]?\d+$/.test(s)) return `strconv.ParseInt: parsing ${quote(s)}: invalid syntax`;
  const big = BigInt(s);
  if (big > 9223372036854775807n || big < -9223372036854775808n) return `strconv.ParseInt: parsing ${quote(s)}: value out of range`;
  return Number(big);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Go's time.Parse(time.RFC3339, s): fractional seconds are accepted although
 * the layout has none; errors name the layout element that failed.
 */
export function parseRfc3339(value: string): number | { error: string } {
  let rest = value;
  const fail = (elem: string): { error: string } => ({ error: `parsing time ${quote(value)} as ${quote(RFC3339)}: cannot parse ${quote(rest)} as ${quote(elem)}` });
  const num = (digits: number, elem: string): number | { error: string } => {
    const m = new RegExp(`^\\d{${digits}}`).exec(rest);
    if (!m) return fail(elem);
    rest = rest.slice(digits);
    return Number(m[0]);
  };
  const lit = (c: string): { error: string } | undefined => {
    if (!rest.startsWith(c)) return fail(c);
    rest = rest.slice(c.length);
    return undefined;
  };
  const year = num(4, '2006');
  if (typeof year !== 'number') return year;
  let e = lit('-');
  if (e) return e;
  const month = num(2, '01');
  if (typeof month !== 'number') return month;
  if ((e = lit('-'))) return e;
  const day = num(2, '02');
  if (typeof day !== 'number') return day;
  if ((e = lit('T'))) return e;
  const hour = num(2, '15');
  if (typeof hour !== 'number') return hour;
  if ((e = lit(':'))) return e;
  const minute = num(2, '04');
  if (typeof minute !== 'number') return minute;
  if ((e = lit(':'))) return e;
  const second = num(2, '05');
  if (typeof second !== 'number') return second;
  let fracMs = 0;
  const frac = /^[.,](\d+)/.exec(rest);
  if (frac) {
    fracMs = Math.floor(Number(`0.${frac[1]}`) * 1000);
    rest = rest.slice(frac[0].length);
  }
  let offsetMin = 0;
  if (rest.startsWith('Z')) {
    rest = rest.slice(1);
  } else {
    const tz = /^([+-])(\d{2}):(\d{2})/.exec(rest);
    if (!tz) return fail('Z07:00');
    offsetMin = (tz[1] === '-' ? -1 : 1) * (Number(tz[2]) * 60 + Number(tz[3]));
    if (Number(tz[2]) > 24) return { error: `parsing time ${quote(value)}: time zone offset hour out of range` };
    if (Number(tz[3]) > 59) return { error: `parsing time ${quote(value)}: time zone offset minute out of range` };
    rest = rest.slice(6);
  }
  if (rest.length > 0) return { error: `parsing time ${quote(value)}: extra text: ${quote(rest)}` };
  const range = (what: string): { error: string } => ({ error: `parsing time ${quote(value)}: ${what} out of range` });
  if (month < 1 || month > 12) return range('month');
  if (day < 1 || day > daysIn(year, month)) return range('day');
  if (hour > 23) return range('hour');
  if (minute > 59) return range('minute');
  if (second > 59) return range('second');
  return Date.UTC(year, month - 1, day, hour, minute, second, fracMs) - offsetMin * 60_000;
}

/**
 * Decodes and validates the log query as the apiserver does (400 for a value
 * that does not decode, 422 Invalid for PodLogOptions that fail validation).
 * Exported so a caller can validate before its own container checks, which
 * is the apiserver's order.
 */
export function parseLogOptions(query: URLSearchParams, podName: string): LogQueryResult {
  const bad = (message: string): LogQueryResult => ({ ok: false, code: 400, reason: 'BadRequest', message });
  const opts: PodLogQuery = {
    follow: boolParam(query, 'follow'),
    previous: boolParam(query, 'previous'),
    timestamps: boolParam(query, 'timestamps'),
  };
  // Decode in PodLogOptions field order so the first failure reported matches.
  const sinceSeconds = query.getAll('sinceSeconds')[0];
  if (sinceSeconds !== undefined) {
    const v = parseInt64(sinceSeconds);
    if (typeof v === 'string') return bad(v);
    opts.sinceSeconds = v;
  }
  const sinceRaw = query.getAll('sinceTime')[0];
  if (sinceRaw !== undefined) {
    if (sinceRaw === '' || sinceRaw === 'null') {
      opts.sinceTime = 0;
    } else {
      const t = parseRfc3339(sinceRaw);
      if (typeof t !== 'number') return bad(t.error);
      opts.sinceTime = t;
    }
  }
  for (const name of ['tailLines', 'limitBytes'] as const) {
    const raw = query.getAll(name)[0];
    if (raw === undefined) continue;
    const v = parseInt64(raw);
    if (typeof v === 'string') return bad(v);
    opts[name] = v;
  }
  const errs: string[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) errs.push(`tailLines: Invalid value: ${opts.tailLines}: must be greater than or equal to 0`);
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) errs.push(`limitBytes: Invalid value: ${opts.limitBytes}: must be greater than 0`);
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) {
    errs.push('[]: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    errs.push(`sinceSeconds: Invalid value: ${opts.sinceSeconds}: must be greater than 0`);
  }
  if (errs.length > 0) {
    const agg = errs.length === 1 ? (errs[0] as string) : `[${errs.join(', ')}]`;
    return { ok: false, code: 422, reason: 'Invalid', message: `PodLogOptions ${quote(podName)} is invalid: ${agg}` };
  }
  return { ok: true, options: opts };
}

/**
 * Serves one pods/log request. Resolves when the response has ended (or the
 * client went away). Timers and listeners are released on every path.
 */
export async function serveLogs(req: IncomingMessage, res: ServerResponse, opts: ServeLogsOptions): Promise<void> {
  const parsed = parseLogOptions(opts.query, opts.podName);
  if (!parsed.ok) {
    opts.sendError(parsed.code, parsed.reason, parsed.message);
    return;
  }
  const o = parsed.options;
  let src = opts.sources.current;
  if (o.previous) {
    if (!opts.sources.previous) {
      opts.sendError(400, 'BadRequest', `previous terminated container ${quote(opts.containerName)} in pod ${quote(opts.podName)} not found`);
      return;
    }
    src = opts.sources.previous;
  }

  const now = opts.now();
  let since = -Infinity;
  if (o.sinceSeconds !== undefined) since = now - o.sinceSeconds * 1000;
  // The apiserver hands sinceTime on to the kubelet as RFC3339 (whole seconds).
  if (o.sinceTime !== undefined && o.sinceTime !== 0) since = Math.max(since, Math.floor(o.sinceTime / 1000) * 1000);
  const sinceIdx = since === -Infinity ? 0 : lineIndexAt(src, since);

  // Everything written so far (time <= now) that is still in the current file.
  let end = instanceEnd(src);
  const written = lineIndexAt(src, Math.floor(now) + 1);
  const retained = retainedFromIndex(src, end !== undefined ? Math.min(now, end) : now);
  let first = retained;
  if (o.tailLines !== undefined) first = Math.max(first, written - o.tailLines);

  res.statusCode = 200;
  res.setHeader('Content-Type', 'text/plain');
  if (!res.hasHeader('Cache-Control')) res.setHeader('Cache-Control', 'no-cache, private');
  // The apiserver flushes the headers before copying the stream.
  res.flushHeaders();

  let closed = false;
  let remaining = o.limitBytes ?? Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const wakers = new Set<() => void>();
  const wakeAll = (): void => {
    for (const w of [...wakers]) w();
  };
  const onClose = (): void => {
    closed = true;
    wakeAll();
  };
  const onGone = (): void => wakeAll();
  // Only the response's 'close' means the client went away: the request's
  // fires as soon as its (empty) body has been read.
  res.on('close', onClose);
  opts.podGone.addEventListener('abort', onGone);

  /** Waits for ms, or until the client leaves or the pod goes. */
  const sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        wakers.delete(done);
        resolve();
      };
      wakers.add(done);
      timer = setTimeout(done, Math.max(0, ms));
    });

  /** Writes with backpressure and the byte limit; false once nothing more may be written. */
  const write = async (chunk: string): Promise<boolean> => {
    if (closed || chunk.length === 0) return !closed;
    let data: string | Buffer = chunk;
    let last = false;
    if (remaining !== Infinity) {
      const buf = Buffer.from(chunk, 'utf8');
      if (buf.length >= remaining) {
        data = buf.subarray(0, remaining);
        last = true;
      } else {
        data = buf;
      }
      remaining -= data.length;
    }
    const flushed = res.write(data);
    if (!flushed && !closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          res.off('drain', done);
          wakers.delete(done);
          resolve();
        };
        res.on('drain', done);
        wakers.add(done);
      });
    }
    return !last && !closed;
  };

  const render = (line: LogLine): string => (o.timestamps ? `${kubeletTimestamp(line)} ${line.text}\n` : `${line.text}\n`);

  /** Sends lines [from, to); false when the stream must stop. */
  const sendRange = async (from: number, to: number): Promise<boolean> => {
    let k = Math.max(from, sinceIdx);
    while (k < to) {
      const stop = Math.min(to, k + BATCH);
      let chunk = '';
      for (; k < stop; k++) {
        const line = lineAt(src, k);
        if (line) chunk += render(line);
      }
      if (!(await write(chunk))) return false;
    }
    return true;
  };

  try {
    // A non-follow tail of 0 lines reads nothing at all (the kubelet's limitedMode).
    let more = o.tailLines === 0 && !o.follow ? true : await sendRange(first, written);
    if (more && o.follow) {
      let cursor = Math.max(first, written);
      while (!closed && !opts.podGone.aborted) {
        const t = opts.now();
        const ended = end === undefined && !o.previous ? opts.currentEnded?.() : undefined;
        // The instance has been replaced: it writes nothing after that moment.
        if (ended !== undefined) src = { ...src, endedAt: (end = Math.max(src.startedAt, ended)) };
        const due = lineIndexAt(src, Math.floor(t) + 1);
        if (due > cursor) {
          more = await sendRange(cursor, due);
          cursor = due;
          if (!more) break;
          continue;
        }
        if (cursor >= lineCount(src)) {
          // No more output from this instance: the follow ends once it has stopped.
          if (end === undefined || t >= end) break;
          await sleep(Math.min(end - t, MAX_WAIT_MS));
          continue;
        }
        const next = nextLineTime(src, t);
        await sleep(next === undefined ? MAX_WAIT_MS : Math.min(next - t, MAX_WAIT_MS));
      }
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    res.off('close', onClose);
    opts.podGone.removeEventListener('abort', onGone);
    if (!res.writableEnded) res.end();
  }
}
