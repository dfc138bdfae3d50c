/**
 * Deterministic container log generator.
 *
 * A container instance's output is a pure function of its {@link LogSource}
 * (seed, pod uid, container name, style, start time, and, for instances that
 * ended, their end time). Nothing is stored: `kubectl logs` on a pod that has
 * been running for days must not make the emulator generate days of history,
 * so line k's timestamp and text are computed directly from k.
 *
 * Timing model: lines sit on a grid of "slots" of `interval` ms (the
 * container's rate, 0.2–3 lines/s chosen from the seed). Slot k's time is
 * `startedAt + k·interval + jitter(k)` with jitter < interval/2, except for
 * continuation lines (start-up bursts, the physical lines of a Java stack
 * trace) which follow their predecessor by a few ms. Slots are laid out in
 * groups of {@link GROUP} so that a multi-line trace never spans two groups;
 * computing any line therefore costs at most one group layout (O(GROUP)).
 * Times are strictly increasing in k, at whole-millisecond resolution, with a
 * separate deterministic sub-millisecond part (`nanos`) for the RFC3339Nano
 * timestamps the kubelet prints.
 *
 * Every line carries the per-instance sequence number k (`seq=k`, or
 * `"seq":k` in JSON) so tests can detect lost or duplicated lines; see
 * {@link parseSeq}.
 */
import { Rng } from '../rng';

/** The shapes of output the generator can imitate. */
export type LogStyle = 'json' | 'access' | 'java' | 'plain' | 'ansi';

/** Every style, for pickers and tests. */
export const LOG_STYLES: readonly LogStyle[] = ['json', 'access', 'java', 'plain', 'ansi'];

/** One container instance's log stream, as the generator needs to know it. */
export interface LogSource {
  /** Fleet seed. */
  seed: string;
  podUid: string;
  container: string;
  style: LogStyle;
  /** When this instance started (epoch ms). */
  startedAt: number;
  /** When this instance terminated (epoch ms); lines at or after it do not exist. */
  endedAt?: number;
  /**
   * The instance crashes on start-up: a few start-up lines and a fatal error,
   * then nothing. Its natural run time is {@link crashRuntimeMs}.
   */
  crashLoop?: boolean;
  /** Overrides the seeded rate (lines per second, clamped to 0.01–200); for noisy pods and tests. */
  linesPerSecond?: number;
}

/** One log line: its time (epoch ms), sub-ms part, sequence number and text (no newline). */
export interface LogLine {
  time: number;
  /** Nanoseconds within the millisecond, 0–999999, for RFC3339Nano timestamps. */
  nanos: number;
  /** Index of the line in its instance, 0-based; also printed in the text. */
  seq: number;
  text: string;
}

/** Slots per layout group; a stack trace never crosses a group boundary. */
export const GROUP = 64;

/**
 * The kubelet rotates container logs at `containerLogMaxSize` (10 MiB by
 * default) and `kubectl logs` only reads the current file.
 */
export const ROTATE_BYTES = 10 * 1024 * 1024;

// Rough mean line sizes (bytes incl. newline) per style, used to place
// rotation boundaries without summing the sizes of every line before them.
const MEAN_LINE_BYTES: Record<LogStyle, number> = { json: 250, access: 190, java: 150, plain: 140, ansi: 190 };

// ---------------------------------------------------------------------------
// Hashing. Per-line randomness must be random-access (line k without lines
// 0..k-1), which a sequential generator like Rng cannot give cheaply, so
// lines use a stateless integer hash keyed by a per-instance word that does
// come from Rng.

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x21f0aaad);
  h ^= h >>> 15;
  h = Math.imul(h, 0x735a2d97);
  h ^= h >>> 15;
  return h >>> 0;
}

function hash(key: number, k: number, salt: number): number {
  // k may exceed 2^32 only after ~45 years at 3 lines/s; split it anyway.
  const lo = k >>> 0;
  const hi = Math.floor(k / 4294967296) >>> 0;
  return mix(key ^ mix(lo ^ Math.imul(salt + 1, 0x9e3779b9)) ^ mix(hi + salt));
}

function unit(key: number, k: number, salt: number): number {
  return hash(key, k, salt) / 4294967296;
}

/** Small sequential generator for the fields of one line (seeded by the line's hash). */
class LineRand {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let out = '';
    while (out.length < n) out += ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return out.slice(0, n);
  }
}

function word32(rng: Rng): number {
  return Math.floor(rng.float() * 4294967296) >>> 0;
}

// ---------------------------------------------------------------------------
// Vocabulary.

const RESOURCES = ['orders', 'payments', 'users', 'carts', 'invoices', 'shipments', 'products', 'sessions', 'accounts', 'reports', 'tickets', 'quotes'];
const UPSTREAMS = ['payments:8080', 'inventory:8080', 'users:8080', 'auth:8443', 'pricing:8080', 'search:9200'];
const AGENTS = ['Go-http-client/1.1', 'okhttp/4.12.0', 'python-requests/2.32.3', 'curl/8.5.0', 'axios/1.7.9',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15'];
const UPSTREAM_ERRORS = ['context deadline exceeded', 'read: connection reset by peer', 'unexpected EOF',
  'dial tcp 10.96.44.12:8080: connect: connection refused', 'upstream returned 503 Service Unavailable', 'http2: client connection lost'];
const DB_ERRORS = ['pq: canceling statement due to statement timeout', 'pq: deadlock detected',
  'pq: duplicate key value violates unique constraint "orders_pkey"', 'driver: bad connection'];
const TOPICS = ['events', 'audit', 'notifications', 'changes'];

type Level = 'debug' | 'info' | 'warn' | 'error' | 'fatal';
type Field = readonly [string, string | number | boolean];

interface Http {
  method: string;
  path: string;
  status: number;
  bytes: number;
  ms: number;
  agent: string;
  client: string;
  requestId: string;
}

/** A structured event before a style formats it. */
interface LogEvent {
  level: Level;
  /** Logical component: http, db, cache, kafka, main… */
  component: string;
  msg: string;
  fields: Field[];
  http?: Http;
  /** Pre-rendered text (access-log style lines, stack frames): used verbatim plus the seq tag. */
  raw?: string;
}

// ---------------------------------------------------------------------------
// Per-instance parameters.

interface Params {
  src: LogSource;
  /** Stable across restarts of the container. */
  ckey: number;
  /** Differs per instance (includes startedAt). */
  key: number;
  interval: number;
  flavor: number;
  service: string;
  noun: string;
  pkg: string;
  startup: number;
  debugP: number;
  warnP: number;
  errorP: number;
  traceP: number;
  /** Exclusive end of the instance's output (Infinity while running). */
  end: number;
  /** A crashing instance's complete output. */
  crash?: LogLine[];
  rotateLines: number;
  cache: Map<number, Layout>;
}

const FLAVORS: Record<LogStyle, number> = { json: 3, access: 2, java: 2, plain: 3, ansi: 3 };

function singular(word: string): string {
  return word.endsWith('ies') ? `${word.slice(0, -3)}y` : word.endsWith('s') ? word.slice(0, -1) : word;
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const compiled = new Map<string, Params>();

function compile(src: LogSource): Params {
  const id = `${src.seed}\u0000${src.podUid}\u0000${src.container}\u0000${src.style}\u0000${src.startedAt}\u0000${src.endedAt ?? ''}\u0000${src.crashLoop ? 1 : 0}\u0000${src.linesPerSecond ?? ''}`;
  const hit = compiled.get(id);
  if (hit) {
    // Refresh LRU position.
    compiled.delete(id);
    compiled.set(id, hit);
    return hit;
  }
  const crng = new Rng(`${src.seed}|${src.podUid}|${src.container}|logs`);
  const ckey = word32(crng);
  // Log-uniform 0.2–3 lines/s: most services are quiet, a few are chatty.
  const seededRate = 0.2 * Math.pow(15, crng.float());
  const rate = Math.min(200, Math.max(0.01, src.linesPerSecond ?? seededRate));
  const name = src.container.toLowerCase();
  let flavor = crng.int(0, FLAVORS[src.style] - 1);
  // Container names that say what they run pick the matching dialect.
  if (src.style === 'access') {
    if (/envoy|istio|proxy|sidecar|gateway/.test(name)) flavor = 1;
    else if (/nginx|ingress|web|frontend/.test(name)) flavor = 0;
  }
  const known = RESOURCES.find((r) => name.includes(singular(r)));
  const noun = known ?? crng.pick(RESOURCES);
  const service = name.replace(/[^a-z0-9-]/g, '') || 'app';
  const instance = new Rng(`${src.seed}|${src.podUid}|${src.container}|${src.startedAt}|instance`);
  const p: Params = {
    src,
    ckey,
    key: word32(instance),
    interval: 1000 / rate,
    flavor,
    service,
    noun,
    pkg: service.replace(/-/g, '').replace(/^[0-9]+/, '') || 'app',
    startup: crng.int(3, 7),
    debugP: crng.chance(0.3) ? 0.05 : 0,
    warnP: 0.02 + crng.float() * 0.05,
    errorP: 0.005 + crng.float() * 0.025,
    traceP: src.style === 'java' ? 0.5 + crng.float() * 0.4 : 0,
    end: src.endedAt ?? Infinity,
    rotateLines: Math.max(GROUP, Math.floor(ROTATE_BYTES / MEAN_LINE_BYTES[src.style])),
    cache: new Map(),
  };
  if (src.crashLoop) p.crash = crashLines(p, crng);
  compiled.set(id, p);
  if (compiled.size > 512) {
    const oldest = compiled.keys().next().value;
    if (oldest !== undefined) compiled.delete(oldest);
  }
  return p;
}

// ---------------------------------------------------------------------------
// Layout of one group of slots: times and what kind of line each slot holds.

const KIND_EVENT = 0;
const KIND_STARTUP = 1;
const KIND_HEAD = 2; // an error line followed by a stack trace
const KIND_CONT = 3; // a physical line of the trace

interface Layout {
  times: Float64Array;
  kinds: Uint8Array;
  /** For trace lines: the index of the head line. */
  heads: Float64Array;
}

function levelOf(p: Params, k: number): Level {
  const u = unit(p.key, k, 3);
  if (u < p.errorP) return 'error';
  if (u < p.errorP + p.warnP) return 'warn';
  if (u < p.errorP + p.warnP + p.debugP) return 'debug';
  return 'info';
}

function regularTime(p: Params, k: number): number {
  return p.src.startedAt + Math.floor(k * p.interval + unit(p.key, k, 1) * 0.5 * p.interval);
}

function layout(p: Params, g: number): Layout {
  const hit = p.cache.get(g);
  if (hit) return hit;
  const times = new Float64Array(GROUP);
  const kinds = new Uint8Array(GROUP);
  const heads = new Float64Array(GROUP).fill(-1);
  // A burst step must keep the next regular slot strictly later; see the
  // module comment: steps of at most interval/2 guarantee it.
  const maxStep = Math.max(0, Math.min(40, Math.floor(p.interval / 2) - 1));
  let prev = 0;
  let cont = 0;
  let head = -1;
  for (let i = 0; i < GROUP; i++) {
    const k = g * GROUP + i;
    let t: number;
    if (cont > 0) {
      kinds[i] = KIND_CONT;
      heads[i] = head;
      t = prev + 1;
      cont--;
    } else if (k < p.startup) {
      kinds[i] = KIND_STARTUP;
      t = k === 0 ? regularTime(p, 0) : prev + 1 + Math.floor(unit(p.key, k, 2) * maxStep);
    } else {
      kinds[i] = KIND_EVENT;
      t = regularTime(p, k);
      if (p.traceP > 0 && levelOf(p, k) === 'error' && unit(p.key, k, 4) < p.traceP) {
        const m = 6 + Math.floor(unit(p.key, k, 5) * 14);
        if (i + m < GROUP) {
          kinds[i] = KIND_HEAD;
          cont = m;
          head = k;
        }
      }
    }
    times[i] = t;
    prev = t;
  }
  const out = { times, kinds, heads };
  p.cache.set(g, out);
  if (p.cache.size > 8) {
    const oldest = p.cache.keys().next().value;
    if (oldest !== undefined) p.cache.delete(oldest);
  }
  return out;
}

function slotTime(p: Params, k: number): number {
  const l = layout(p, Math.floor(k / GROUP));
  return l.times[k % GROUP] as number;
}

/** Number of lines the instance will ever have (Infinity while it runs). */
function count(p: Params): number {
  if (p.crash) {
    let n = p.crash.length;
    while (n > 0 && (p.crash[n - 1] as LogLine).time >= p.end) n--;
    return n;
  }
  if (p.end === Infinity) return Infinity;
  return firstSlotAtOrAfter(p, p.end);
}

/** First slot index whose time is >= ms, ignoring the end of the instance. */
function firstSlotAtOrAfter(p: Params, ms: number): number {
  if (ms <= slotTime(p, 0)) return 0;
  const approx = (ms - p.src.startedAt) / p.interval;
  let lo = Math.max(0, Math.floor(approx) - GROUP - 2);
  let hi = Math.max(lo + 1, Math.ceil(approx) + GROUP + 2);
  // Invariant: time(lo) < ms <= time(hi). Widen defensively if the estimate missed.
  while (lo > 0 && slotTime(p, lo) >= ms) lo = Math.max(0, lo - 4 * GROUP);
  while (slotTime(p, hi) < ms) hi += 4 * GROUP;
  if (slotTime(p, lo) >= ms) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (slotTime(p, mid) >= ms) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** First line index with time >= ms, clamped to the instance's line count. */
function indexAtOrAfter(p: Params, ms: number): number {
  const n = count(p);
  if (p.crash) {
    let i = 0;
    while (i < n && (p.crash[i] as LogLine).time < ms) i++;
    return i;
  }
  return Math.min(n, firstSlotAtOrAfter(p, ms));
}

function nanosOf(p: Params, k: number): number {
  return Math.floor(unit(p.key, k, 6) * 1_000_000);
}

function lineAtIndex(p: Params, k: number): LogLine {
  if (p.crash) return p.crash[k] as LogLine;
  const l = layout(p, Math.floor(k / GROUP));
  const i = k % GROUP;
  const time = l.times[i] as number;
  const kind = l.kinds[i] as number;
  let ev: LogEvent;
  if (kind === KIND_STARTUP) ev = startupEvent(p, k);
  else if (kind === KIND_CONT) ev = traceEvent(p, l.heads[i] as number, k);
  else ev = eventAt(p, k, kind === KIND_HEAD);
  return { time, nanos: nanosOf(p, k), seq: k, text: format(p, ev, time, nanosOf(p, k), k) };
}

// ---------------------------------------------------------------------------
// Events.

function httpFor(p: Params, r: LineRand, level: Level): Http {
  const probe = p.src.style === 'access' ? r.chance(0.15) : r.chance(0.05);
  if (probe) {
    return {
      method: 'GET', path: r.pick(['/healthz', '/readyz', '/livez']), status: 200, bytes: 2, ms: r.int(0, 2) + r.next(),
      agent: 'kube-probe/1.32', client: `10.244.${r.int(0, 63)}.1`, requestId: uuid(r),
    };
  }
  const id = r.int(1000, 99999);
  const path = r.pick([`/api/v1/${p.noun}`, `/api/v1/${p.noun}/${id}`, `/api/v1/${p.noun}/${id}`, `/api/v2/${p.noun}?page=${r.int(1, 40)}&limit=50`, '/metrics']);
  // Only single resources are written to; collections are read or created.
  const method = r.chance(0.7) || path === '/metrics' || path.includes('?')
    ? 'GET'
    : path.endsWith(String(id)) ? r.pick(['PUT', 'PATCH', 'DELETE']) : 'POST';
  let status: number;
  if (level === 'error') status = r.pick([500, 502, 503, 504]);
  else if (level === 'warn') status = r.pick([200, 200, 429, 404, 409, 400, 401]);
  else status = method === 'POST' ? 201 : method === 'DELETE' ? 204 : r.chance(0.05) ? 304 : 200;
  const ms = level === 'warn' && status === 200 ? 1000 + r.next() * 7000 : Math.exp(r.next() * 5.5) + r.next();
  const bytes = status === 204 || status === 304 ? 0 : status >= 400 ? r.int(40, 220) : r.int(120, 24000);
  return {
    method, path, status, bytes, ms, agent: r.pick(AGENTS),
    client: `10.244.${r.int(0, 63)}.${r.int(2, 254)}`, requestId: uuid(r),
  };
}

function uuid(r: LineRand): string {
  const h = r.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[r.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function eventAt(p: Params, k: number, withTrace: boolean): LogEvent {
  const level = levelOf(p, k);
  const r = new LineRand(hash(p.key, k, 7));
  if (p.src.style === 'access' && r.chance(level === 'info' ? 0.995 : 0.6)) {
    return { level, component: 'http', msg: 'request', fields: [], http: httpFor(p, r, level) };
  }
  const Noun = capital(singular(p.noun));
  switch (level) {
    case 'debug': {
      const pick = r.int(0, 2);
      if (pick === 0) return { level, component: 'cache', msg: 'cache lookup', fields: [['key', `${singular(p.noun)}:${r.int(1000, 99999)}`], ['hit', r.chance(0.8)]] };
      if (pick === 1) return { level, component: 'leader', msg: 'lease renewed', fields: [['lease', `${p.service}-leader`], ['holder', `${p.service}-${r.hex(5)}`]] };
      return { level, component: 'db', msg: 'acquired connection', fields: [['pool', 'primary'], ['idle', r.int(0, 8)], ['active', r.int(1, 20)]] };
    }
    case 'warn': {
      const pick = r.int(0, 3);
      if (pick <= 1) {
        const http = httpFor(p, r, level);
        return { level, component: 'http', msg: http.status === 200 ? 'slow request' : 'request rejected', fields: [], http };
      }
      if (pick === 2) return { level, component: 'client', msg: 'retrying upstream call', fields: [['upstream', r.pick(UPSTREAMS)], ['attempt', r.int(1, 3)], ['error', r.pick(UPSTREAM_ERRORS)]] };
      const max = r.pick([20, 50, 100]);
      return { level, component: 'db', msg: 'connection pool nearly exhausted', fields: [['active', max - r.int(0, 2)], ['max', max], ['waiting', r.int(1, 9)]] };
    }
    case 'error':
    case 'fatal': {
      if (withTrace) {
        return { level, component: 'service', msg: `Failed to process ${singular(p.noun)} ${r.int(1000, 99999)}`, fields: [['trace_id', r.hex(32)]] };
      }
      if (r.chance(0.5)) {
        const http = httpFor(p, r, 'error');
        return { level, component: 'http', msg: 'request failed', fields: [['error', r.pick(UPSTREAM_ERRORS)]], http };
      }
      return { level, component: 'db', msg: 'query failed', fields: [['table', p.noun], ['error', r.pick(DB_ERRORS)]] };
    }
    default: {
      const u = r.next();
      if (u < 0.7) return { level, component: 'http', msg: 'request completed', fields: [], http: httpFor(p, r, level) };
      if (u < 0.8) return { level, component: 'cache', msg: r.chance(0.7) ? 'cache hit' : 'cache miss', fields: [['key', `${singular(p.noun)}:${r.int(1000, 99999)}`]] };
      if (u < 0.9) return { level, component: 'kafka', msg: 'event published', fields: [['topic', `${p.noun}.${r.pick(TOPICS)}`], ['partition', r.int(0, 11)], ['offset', r.int(10000, 9999999)]] };
      if (u < 0.96) return { level, component: 'db', msg: 'query executed', fields: [['table', p.noun], ['rows', r.int(0, 200)], ['duration_ms', round(r.next() * 40, 2)]] };
      return { level, component: 'jobs', msg: 'job finished', fields: [['job', r.pick([`reconcile-${p.noun}`, 'expire-sessions', `export-${p.noun}`, 'refresh-cache'])], ['duration_ms', r.int(20, 9000)], [`${Noun.toLowerCase()}s`, r.int(0, 500)]] };
    }
  }
}

function startupEvent(p: Params, k: number): LogEvent {
  const r = new LineRand(hash(p.ckey, k, 8));
  const version = `${1 + (p.ckey % 3)}.${(p.ckey >>> 4) % 20}.${(p.ckey >>> 9) % 10}`;
  const style = p.src.style;
  if (style === 'access') {
    const lines = p.flavor === 0 ? nginxStartup() : envoyStartup();
    return { level: 'info', component: 'main', msg: '', fields: [], raw: lines[Math.min(k, lines.length - 1)] as string };
  }
  if (style === 'java') {
    const App = `${capital(p.pkg)}Application`;
    const msgs: [string, string][] = [
      ['main', `Starting ${App} v${version} using Java 21.0.5 with PID 1 (/app/app.jar started by root in /app)`],
      ['main', 'No active profile set, falling back to 1 default profile: "default"'],
      ['tomcat', 'Tomcat initialized with port 8080 (http)'],
      ['hikari', 'HikariPool-1 - Starting...'],
      ['hikari', `HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@${r.hex(7)}`],
      ['tomcat', "Tomcat started on port 8080 (http) with context path '/'"],
      ['main', `Started ${App} in ${(4 + r.next() * 6).toFixed(3)} seconds (process running for ${(5 + r.next() * 6).toFixed(3)})`],
    ];
    const [component, msg] = msgs[Math.min(k, msgs.length - 1)] as [string, string];
    return { level: 'info', component, msg, fields: [] };
  }
  const events: LogEvent[] = [
    { level: 'info', component: 'main', msg: `starting ${p.service}`, fields: [['version', version], ['commit', r.hex(7)]] },
    { level: 'info', component: 'config', msg: 'loaded configuration', fields: [['path', `/etc/${p.service}/config.yaml`]] },
    { level: 'info', component: 'db', msg: 'connected to database', fields: [['host', 'postgres:5432'], ['pool_size', 20]] },
    { level: 'info', component: 'cache', msg: 'connected to redis', fields: [['addr', 'redis:6379']] },
    { level: 'info', component: 'metrics', msg: 'metrics server listening', fields: [['addr', ':9090']] },
    { level: 'info', component: 'http', msg: 'http server listening', fields: [['addr', ':8080']] },
    { level: 'info', component: 'main', msg: 'ready', fields: [['startup_ms', r.int(300, 4000)]] },
  ];
  return events[Math.min(k, events.length - 1)] as LogEvent;
}

function nginxStartup(): string[] {
  return [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    'nginx: [notice] start worker processes',
  ];
}

function envoyStartup(): string[] {
  return [
    '[main] [source/server/server.cc:430] initializing epoch 0 (base id=0, hot restart version=11.104)',
    '[main] [source/server/server.cc:432] statically linked extensions:',
    '[main] [source/server/server.cc:925] runtime: {}',
    '[admin] [source/server/admin/admin.cc:65] admin address: 0.0.0.0:15000',
    '[config] [source/common/upstream/cluster_manager_impl.cc:231] cm init: all clusters initialized',
    '[main] [source/server/server.cc:1009] all clusters initialized. initializing init manager',
    '[main] [source/server/server.cc:1011] starting main dispatch loop',
  ];
}

interface Trace {
  header: string;
  frames: string[];
}

function javaTrace(p: Params, seed: number): Trace {
  const r = new LineRand(seed);
  const Noun = capital(singular(p.noun));
  const base = `com.example.${p.pkg}`;
  const domain = [
    `\tat ${base}.repository.${Noun}Repository.findById(${Noun}Repository.java:${r.int(30, 90)})`,
    `\tat ${base}.service.${Noun}Service.process(${Noun}Service.java:${r.int(60, 220)})`,
    `\tat ${base}.web.${Noun}Controller.handle(${Noun}Controller.java:${r.int(30, 120)})`,
  ];
  const generic = [
    '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
    '\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)',
    '\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)',
    '\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)',
    '\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)',
    '\tat jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)',
    '\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:138)',
    '\tat org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:165)',
    '\tat org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)',
    '\tat org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1741)',
    '\tat org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1190)',
    '\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)',
    '\tat java.base/java.lang.Thread.run(Thread.java:1583)',
  ];
  switch (r.int(0, 3)) {
    case 0:
      return {
        header: 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=20, active=20, idle=0, waiting=4)',
        frames: ['\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)', '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)', ...domain, ...generic],
      };
    case 1:
      return {
        header: `java.lang.NullPointerException: Cannot invoke "${base}.model.${Noun}.getId()" because "${singular(p.noun)}" is null`,
        frames: [...domain.slice(1), ...generic],
      };
    case 2:
      return {
        header: 'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://payments:8080/api/v1/charges": Read timed out',
        frames: ['\tat org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:915)', '\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:895)', ...domain.slice(1), ...generic],
      };
    default:
      return {
        header: `org.springframework.dao.DataIntegrityViolationException: could not execute statement [ERROR: duplicate key value violates unique constraint "${p.noun}_pkey"]`,
        frames: ['\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:290)', ...domain, ...generic],
      };
  }
}

function traceEvent(p: Params, head: number, k: number): LogEvent {
  const t = javaTrace(p, hash(p.key, head, 9));
  const j = k - head; // 1 = exception header, 2.. = frames
  const raw = j === 1 ? t.header : (t.frames[j - 2] ?? '\tat java.base/java.lang.Thread.run(Thread.java:1583)');
  return { level: 'error', component: 'service', msg: '', fields: [], raw };
}

// ---------------------------------------------------------------------------
// Crash loops: a short, fully materialised run.

function crashLines(p: Params, crng: Rng): LogLine[] {
  const events: LogEvent[] = [];
  const delays: number[] = [];
  const style = p.src.style;
  const reason = crng.int(0, 4);
  // Start-up lines that do not contradict the failure that follows: a
  // service that cannot read its config never logs "loaded configuration".
  const prelude = style === 'access' || style === 'java' ? [0, 1, 2, 3].slice(0, crng.int(2, 4)) : [[0, 1], [0], [0, 1], [0, 1, 2, 3], [0, 1]][reason] ?? [0];
  for (const k of prelude) {
    events.push(startupEvent(p, k));
    delays.push(k === 0 ? crng.int(30, 400) : crng.int(2, 60));
  }
  if (style === 'access') {
    const msg = p.flavor === 0
      ? 'host not found in upstream "backend:8080" in /etc/nginx/conf.d/default.conf:14'
      : "error initializing configuration '/etc/envoy/envoy.yaml': Protobuf message (type envoy.config.bootstrap.v3.Bootstrap reason INVALID_ARGUMENT:static_resources.clusters[0].name: value length must be at least 1 characters) has unknown fields";
    events.push({ level: 'fatal', component: 'main', msg, fields: [], raw: p.flavor === 0 ? `nginx: [emerg] ${msg}` : `[critical][main] [source/server/server.cc:131] ${msg}` });
    delays.push(crng.int(2, 30));
  } else if (style === 'java') {
    events.push({ level: 'error', component: 'main', msg: 'Application run failed', fields: [] });
    delays.push(crng.int(200, 2500));
    const header = [
      'org.springframework.beans.factory.BeanCreationException: Error creating bean with name \'entityManagerFactory\': Failed to initialize dependency \'dataSource\'',
      'org.springframework.context.ApplicationContextException: Failed to start bean \'webServerStartStop\'',
      'java.lang.IllegalStateException: Failed to load property source from location \'file:/app/config/application.yaml\'',
    ][reason % 3] as string;
    const frames = [
      header,
      '\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.initializeBean(AbstractAutowireCapableBeanFactory.java:1806)',
      '\tat org.springframework.beans.factory.support.AbstractBeanFactory.doGetBean(AbstractBeanFactory.java:337)',
      '\tat org.springframework.context.support.AbstractApplicationContext.refresh(AbstractApplicationContext.java:619)',
      '\tat org.springframework.boot.SpringApplication.refreshContext(SpringApplication.java:456)',
      '\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:335)',
      `\tat com.example.${p.pkg}.${capital(p.pkg)}Application.main(${capital(p.pkg)}Application.java:12)`,
      'Caused by: org.postgresql.util.PSQLException: Connection to postgres:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.',
      '\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:352)',
      '\t... 42 common frames omitted',
    ];
    for (const raw of frames) {
      events.push({ level: 'error', component: 'main', msg: '', fields: [], raw });
      delays.push(1);
    }
  } else {
    const reasons: [string, Field[]][] = [
      ['failed to connect to database', [['error', 'dial tcp 10.96.112.40:5432: connect: connection refused']]],
      ['failed to load configuration', [['error', `open /etc/${p.service}/config.yaml: no such file or directory`]]],
      ['invalid configuration', [['error', 'required environment variable DATABASE_URL is not set']]],
      ['failed to start http server', [['error', 'listen tcp :80: bind: permission denied']]],
      ['failed to read TLS certificate', [['error', 'open /etc/tls/tls.crt: no such file or directory']]],
    ];
    const [msg, fields] = reasons[reason] as [string, Field[]];
    if (reason === 0) {
      const tries = crng.int(1, 3);
      for (let a = 1; a <= tries; a++) {
        events.push({ level: 'warn', component: 'db', msg: 'database not reachable, retrying', fields: [['attempt', a], ['max_attempts', tries + 1], ['error', 'dial tcp 10.96.112.40:5432: connect: connection refused']] });
        delays.push(a === 1 ? crng.int(5, 40) : crng.int(900, 2100));
      }
    }
    events.push({ level: 'fatal', component: 'main', msg, fields });
    delays.push(crng.int(900, 2100));
  }
  const out: LogLine[] = [];
  let t = p.src.startedAt;
  for (let i = 0; i < events.length; i++) {
    t += Math.max(1, delays[i] as number);
    const nanos = nanosOf(p, i);
    out.push({ time: t, nanos, seq: i, text: format(p, events[i] as LogEvent, t, nanos, i) });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Formatting.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function isoMs(t: number): string {
  return new Date(t).toISOString();
}

function isoMicros(t: number, nanos: number): string {
  return `${new Date(t).toISOString().slice(0, 23)}${pad(Math.floor(nanos / 1000), 3)}Z`;
}

function parts(t: number): { Y: number; M: number; D: number; h: string; m: string; s: string; ms: string } {
  const d = new Date(t);
  return {
    Y: d.getUTCFullYear(), M: d.getUTCMonth(), D: d.getUTCDate(),
    h: pad(d.getUTCHours(), 2), m: pad(d.getUTCMinutes(), 2), s: pad(d.getUTCSeconds(), 2), ms: pad(d.getUTCMilliseconds(), 3),
  };
}

/**
 * The timestamp the kubelet prefixes with `timestamps=true`: RFC3339 with a
 * fixed nine-digit fraction (Go's RFC3339NanoFixed layout), in UTC.
 */
export function kubeletTimestamp(line: Pick<LogLine, 'time' | 'nanos'>): string {
  const base = new Date(line.time).toISOString().slice(0, 23); // …SS.mmm
  return `${base}${pad(line.nanos, 6)}Z`;
}

function fieldValue(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  return /^[A-Za-z0-9_.:/@+-]+$/.test(v) ? v : JSON.stringify(v);
}

function httpFields(h: Http): Field[] {
  return [['method', h.method], ['path', h.path], ['status', h.status], ['duration_ms', round(h.ms, 2)], ['bytes', h.bytes], ['client_ip', h.client], ['user_agent', h.agent]];
}

function allFields(ev: LogEvent): Field[] {
  return ev.http ? [...httpFields(ev.http), ...ev.fields] : ev.fields;
}

function callerFor(p: Params, ev: LogEvent, k: number): string {
  const files: Record<string, string> = { http: 'server/http.go', db: 'store/postgres.go', cache: 'cache/redis.go', kafka: 'events/publisher.go', jobs: 'jobs/runner.go', client: 'client/retry.go', config: 'config/load.go', metrics: 'metrics/server.go', leader: 'leader/lease.go', main: 'cmd/main.go', service: 'service/service.go' };
  return `${files[ev.component] ?? 'internal/app.go'}:${20 + (hash(p.ckey, ev.component.length * 31 + (k % 7), 10) % 400)}`;
}

function traceId(p: Params, k: number): string {
  return new LineRand(hash(p.key, k, 11)).hex(32);
}

const SGR: Record<Level, string> = { debug: '34', info: '32', warn: '33', error: '31', fatal: '31' };

function format(p: Params, ev: LogEvent, t: number, nanos: number, k: number): string {
  const seq = k;
  const style = p.src.style;
  if (ev.raw !== undefined) return formatRaw(p, ev, t, seq);
  switch (style) {
    case 'json':
      return formatJson(p, ev, t, seq, k);
    case 'access':
      return ev.http ? formatAccess(p, ev.http, t, seq) : formatAccessError(p, ev, t, seq, k);
    case 'java':
      return formatJava(p, ev, t, seq, k);
    case 'plain':
      return formatPlain(p, ev, t, nanos, seq, k);
    case 'ansi':
      return formatAnsi(p, ev, t, nanos, seq, k);
  }
}

function formatRaw(p: Params, ev: LogEvent, t: number, seq: number): string {
  const raw = ev.raw ?? '';
  if (p.src.style === 'access') {
    const x = parts(t);
    if (p.flavor === 0) {
      // nginx's own notices go to the error log format; entrypoint lines are bare.
      if (raw.startsWith('nginx: [notice]')) return `${x.Y}/${pad(x.M + 1, 2)}/${pad(x.D, 2)} ${x.h}:${x.m}:${x.s} [notice] 1#1: ${raw.slice(16)} seq=${seq}`;
      return `${raw} seq=${seq}`;
    }
    if (raw.startsWith('[')) {
      const lvl = raw.startsWith('[critical]') ? '' : '[info]';
      return `[${x.Y}-${pad(x.M + 1, 2)}-${pad(x.D, 2)} ${x.h}:${x.m}:${x.s}.${x.ms}][1]${lvl}${raw} seq=${seq}`;
    }
    return `${raw} seq=${seq}`;
  }
  return `${raw} seq=${seq}`;
}

function formatJson(p: Params, ev: LogEvent, t: number, seq: number, k: number): string {
  const fields = allFields(ev);
  const o: Record<string, unknown> = {};
  switch (p.flavor) {
    case 0: // zap production encoder
      o.level = ev.level === 'warn' ? 'warn' : ev.level;
      o.ts = isoMs(t);
      o.caller = callerFor(p, ev, k);
      o.msg = ev.msg;
      break;
    case 1: // pino
      o.level = { debug: 20, info: 30, warn: 40, error: 50, fatal: 60 }[ev.level];
      o.time = t;
      o.pid = 1;
      o.name = p.service;
      o.msg = ev.msg;
      break;
    default: // ECS-style (Python/Java JSON encoders)
      o['@timestamp'] = isoMs(t);
      o['log.level'] = ev.level;
      o.message = ev.msg;
      o['service.name'] = p.service;
      o['log.logger'] = `${p.service}.${ev.component}`;
  }
  for (const [key, v] of fields) o[key] = v;
  o.trace_id = traceId(p, k);
  o.seq = seq;
  return JSON.stringify(o);
}

function formatAccess(p: Params, h: Http, t: number, seq: number): string {
  if (p.flavor === 0) {
    const x = parts(t);
    const stamp = `${pad(x.D, 2)}/${MONTHS[x.M]}/${x.Y}:${x.h}:${x.m}:${x.s} +0000`;
    return `${h.client} - - [${stamp}] "${h.method} ${h.path} HTTP/1.1" ${h.status} ${h.bytes} "-" "${h.agent}" rt=${(h.ms / 1000).toFixed(3)} seq=${seq}`;
  }
  const upstreamMs = Math.max(0, Math.round(h.ms) - 1);
  return `[${isoMs(t)}] "${h.method} ${h.path} HTTP/1.1" ${h.status} - 0 ${h.bytes} ${Math.round(h.ms)} ${upstreamMs} "${h.client}" "${h.agent}" "${h.requestId}" "${p.service}:8080" "127.0.0.1:8080" seq=${seq}`;
}

function formatAccessError(p: Params, ev: LogEvent, t: number, seq: number, k: number): string {
  const x = parts(t);
  const detail = ev.fields.map(([key, v]) => `${key}=${fieldValue(v)}`).join(' ');
  if (p.flavor === 0) {
    const lvl = ev.level === 'warn' ? 'warn' : ev.level === 'debug' ? 'info' : 'error';
    const worker = 20 + (p.ckey % 8);
    return `${x.Y}/${pad(x.M + 1, 2)}/${pad(x.D, 2)} ${x.h}:${x.m}:${x.s} [${lvl}] ${worker}#${worker}: *${1000 + k} ${ev.msg}${detail ? `, ${detail}` : ''} seq=${seq}`;
  }
  const lvl = ev.level === 'warn' ? 'warning' : ev.level;
  return `[${x.Y}-${pad(x.M + 1, 2)}-${pad(x.D, 2)} ${x.h}:${x.m}:${x.s}.${x.ms}][${20 + (p.ckey % 8)}][${lvl}][upstream] [source/common/upstream/upstream_impl.cc:${300 + (k % 90)}] ${ev.msg}${detail ? ` ${detail}` : ''} seq=${seq}`;
}

/** Logback's `%logger{n}`: shorten package segments to initials, left first, until it fits. */
function abbreviateLogger(logger: string, max: number): string {
  const segs = logger.split('.');
  let len = logger.length;
  for (let i = 0; i < segs.length - 1 && len > max; i++) {
    const seg = segs[i] as string;
    len -= seg.length - 1;
    segs[i] = seg.charAt(0);
  }
  return segs.join('.');
}

function javaMessage(ev: LogEvent): string {
  if (ev.http) {
    const h = ev.http;
    return `${ev.level === 'error' ? 'Failed' : 'Completed'} ${h.method} ${h.path} with ${h.status} in ${Math.round(h.ms)} ms`;
  }
  const detail = ev.fields.filter(([key]) => key !== 'trace_id').map(([key, v]) => `${key}=${fieldValue(v)}`).join(', ');
  return detail ? `${capital(ev.msg)} [${detail}]` : capital(ev.msg);
}

function formatJava(p: Params, ev: LogEvent, t: number, seq: number, k: number): string {
  const x = parts(t);
  const Noun = capital(singular(p.noun));
  const base = `com.example.${p.pkg}`;
  const loggers: Record<string, string> = {
    http: `${base}.web.${Noun}Controller`, db: 'com.zaxxer.hikari.pool.HikariPool', hikari: 'com.zaxxer.hikari.HikariDataSource',
    cache: `${base}.cache.${Noun}Cache`, kafka: 'org.apache.kafka.clients.producer.KafkaProducer', tomcat: 'org.springframework.boot.web.embedded.tomcat.TomcatWebServer',
    main: `${base}.${capital(p.pkg)}Application`, service: `${base}.service.${Noun}Service`,
  };
  const logger = loggers[ev.component] ?? `${base}.${ev.component}.${capital(ev.component)}Worker`;
  const lvl = ev.level === 'fatal' ? 'ERROR' : ev.level.toUpperCase();
  const thread = ev.component === 'main' || ev.component === 'tomcat' || ev.component === 'hikari' ? 'main' : `http-nio-8080-exec-${1 + (hash(p.key, k, 12) % 10)}`;
  if (p.flavor === 0) {
    // Spring Boot 3 default console pattern.
    const stamp = `${x.Y}-${pad(x.M + 1, 2)}-${pad(x.D, 2)}T${x.h}:${x.m}:${x.s}.${x.ms}Z`;
    const shortThread = thread.length > 15 ? thread.slice(thread.length - 15) : thread.padStart(15);
    const shortLogger = abbreviateLogger(logger, 39).padEnd(40);
    return `${stamp} ${lvl.padStart(5)} 1 --- [${p.service}] [${shortThread}] ${shortLogger} : ${javaMessage(ev)} seq=${seq}`;
  }
  const stamp = `${x.Y}-${pad(x.M + 1, 2)}-${pad(x.D, 2)} ${x.h}:${x.m}:${x.s},${x.ms}`;
  return `${stamp} ${lvl.padEnd(5)} [${thread}] ${logger} - ${javaMessage(ev)} seq=${seq}`;
}

function logfmt(fields: readonly Field[]): string {
  return fields.map(([key, v]) => `${key}=${fieldValue(v)}`).join(' ');
}

function formatPlain(p: Params, ev: LogEvent, t: number, nanos: number, seq: number, k: number): string {
  const fields = [...allFields(ev), ['seq', seq] as const];
  const x = parts(t);
  switch (p.flavor) {
    case 0: {
      // klog: Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg
      const letter = { debug: 'I', info: 'I', warn: 'W', error: 'E', fatal: 'F' }[ev.level];
      const micros = `${x.ms}${pad(Math.floor(nanos / 1000), 3)}`;
      const file = callerFor(p, ev, k).split('/').pop() ?? 'main.go:1';
      return `${letter}${pad(x.M + 1, 2)}${pad(x.D, 2)} ${x.h}:${x.m}:${x.s}.${micros}       1 ${file}] "${capital(ev.msg)}" ${fields.map(([key, v]) => `${key}=${typeof v === 'string' ? JSON.stringify(v) : String(v)}`).join(' ')}`;
    }
    case 1: {
      // Python logging: "%(asctime)s %(levelname)s [%(name)s] %(message)s"
      const lvl = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR', fatal: 'CRITICAL' }[ev.level];
      return `${x.Y}-${pad(x.M + 1, 2)}-${pad(x.D, 2)} ${x.h}:${x.m}:${x.s},${x.ms} ${lvl} [${p.service}.${ev.component}] ${capital(ev.msg)} ${logfmt(fields)}`;
    }
    default: {
      // logfmt, as logrus/go-kit write it without a terminal.
      const lvl = ev.level === 'warn' ? 'warning' : ev.level;
      return `time="${isoMs(t).slice(0, 19)}Z" level=${lvl} msg=${JSON.stringify(ev.msg)} ${logfmt(fields)}`;
    }
  }
}

function formatAnsi(p: Params, ev: LogEvent, t: number, nanos: number, seq: number, k: number): string {
  const fields = [...allFields(ev), ['seq', seq] as const];
  const c = SGR[ev.level];
  switch (p.flavor) {
    case 0: {
      // Rust tracing-subscriber's default formatter with ANSI colours.
      const lvl = { debug: 'DEBUG', info: ' INFO', warn: ' WARN', error: 'ERROR', fatal: 'ERROR' }[ev.level];
      const kv = fields.map(([key, v]) => `\x1b[3m${key}\x1b[0m\x1b[2m=\x1b[0m${typeof v === 'string' ? v : String(v)}`).join(' ');
      return `\x1b[2m${isoMicros(t, nanos)}\x1b[0m \x1b[${c}m${lvl}\x1b[0m \x1b[2m${p.pkg}::${ev.component}\x1b[0m\x1b[2m:\x1b[0m ${ev.msg} ${kv}`;
    }
    case 1: {
      // logrus TextFormatter on a terminal: coloured level, seconds since start, padded message.
      const lc = { debug: '37', info: '36', warn: '33', error: '31', fatal: '31' }[ev.level];
      const lvl = { debug: 'DEBU', info: 'INFO', warn: 'WARN', error: 'ERRO', fatal: 'FATA' }[ev.level];
      const since = Math.max(0, Math.floor((t - p.src.startedAt) / 1000));
      const kv = fields.map(([key, v]) => `\x1b[${lc}m${key}\x1b[0m=${fieldValue(v)}`).join(' ');
      return `\x1b[${lc}m${lvl}\x1b[0m[${pad(since, 4)}] ${ev.msg.padEnd(44)} ${kv}`;
    }
    default: {
      // zap's development console encoder with coloured levels.
      const zc = { debug: '35', info: '34', warn: '33', error: '31', fatal: '31' }[ev.level];
      const lvl = ev.level.toUpperCase();
      const obj = `{${fields.map(([key, v]) => `${JSON.stringify(key)}: ${JSON.stringify(v)}`).join(', ')}}`;
      return `${isoMs(t)}\t\x1b[${zc}m${lvl}\x1b[0m\t${callerFor(p, ev, k)}\t${ev.msg}\t${obj}`;
    }
  }
}

// ---------------------------------------------------------------------------
// Public API.

/** Lines with fromMs <= time < toMs, in order. Cost is O(lines returned + GROUP). */
export function linesBetween(src: LogSource, fromMs: number, toMs: number): LogLine[] {
  const p = compile(src);
  const n = count(p);
  const out: LogLine[] = [];
  for (let k = indexAtOrAfter(p, fromMs); k < n; k++) {
    const line = lineAtIndex(p, k);
    if (line.time >= toMs) break;
    out.push(line);
  }
  return out;
}

/**
 * The last n lines written at or before nowMs (the tail a `kubectl logs
 * --tail=n` would see, before log rotation is taken into account; see
 * {@link retainedFromIndex}). O(n).
 */
export function lastLines(src: LogSource, n: number, nowMs: number): LogLine[] {
  const p = compile(src);
  const end = indexAtOrAfter(p, Math.floor(nowMs) + 1);
  const out: LogLine[] = [];
  for (let k = Math.max(0, end - Math.max(0, Math.floor(n))); k < end; k++) out.push(lineAtIndex(p, k));
  return out;
}

/** Time of the first line strictly after afterMs, or undefined when the instance writes no more. */
export function nextLineTime(src: LogSource, afterMs: number): number | undefined {
  const p = compile(src);
  const k = indexAtOrAfter(p, Math.floor(afterMs) + 1);
  return k < count(p) ? lineAtIndex(p, k).time : undefined;
}

/** Line k of the instance, or undefined past its end. */
export function lineAt(src: LogSource, k: number): LogLine | undefined {
  const p = compile(src);
  if (k < 0 || k >= count(p) || !Number.isInteger(k)) return undefined;
  return lineAtIndex(p, k);
}

/** Index of the first line with time >= ms (the line count when there is none). */
export function lineIndexAt(src: LogSource, ms: number): number {
  return indexAtOrAfter(compile(src), ms);
}

/** How many lines the instance writes in total (Infinity while it runs with no end). */
export function lineCount(src: LogSource): number {
  return count(compile(src));
}

/**
 * First line index still in the container's current log file at nowMs: the
 * kubelet rotates at {@link ROTATE_BYTES} and only serves the current file,
 * so `kubectl logs` on a chatty, long-running container starts mid-stream.
 */
export function retainedFromIndex(src: LogSource, nowMs: number): number {
  const p = compile(src);
  const written = indexAtOrAfter(p, Math.floor(nowMs) + 1);
  return Math.floor(written / p.rotateLines) * p.rotateLines;
}

/**
 * How long a crash-looping instance runs, from start to exit (ms): the time
 * of its fatal line plus the moment the process takes to die. The same for
 * every restart of the container, as a real crash loop is.
 */
export function crashRuntimeMs(src: LogSource): number {
  const p = compile({ ...src, crashLoop: true, endedAt: undefined });
  const last = p.crash?.[p.crash.length - 1];
  return (last ? last.time - src.startedAt : 0) + 5 + (p.ckey % 40);
}

/**
 * When the instance stops writing for good: its endedAt, or for a crash loop
 * without one, its natural exit; undefined while it keeps running.
 */
export function instanceEnd(src: LogSource): number | undefined {
  if (src.endedAt !== undefined) return src.endedAt;
  if (src.crashLoop) return src.startedAt + crashRuntimeMs(src);
  return undefined;
}

/** The sequence number printed in a generated line (any style), or undefined. */
export function parseSeq(text: string): number | undefined {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  const m = /(?:^|[\s{,])"?seq"?\s*[=:]\s*(\d+)/.exec(plain);
  return m ? Number(m[1]) : undefined;
}

/**
 * A plausible log style for an image: proxies write access logs, JVM images
 * log4j/logback lines, infrastructure images plain text; application images
 * get JSON, coloured or plain output at random (from the caller's Rng).
 */
export function pickStyle(image: string, rng: Rng): LogStyle {
  const img = image.toLowerCase();
  const name = img.replace(/[@:].*$/, '');
  if (/nginx|envoy|istio|proxyv2|traefik|haproxy|ingress|caddy|httpd|apache2?(?![a-z])/.test(name)) return 'access';
  if (/java|jdk|jre|temurin|corretto|openjdk|spring|tomcat|kafka|zookeeper|elasticsearch|keycloak|jenkins|cassandra|flink|spark|gradle|maven/.test(name)) return 'java';
  if (/etcd|loki|grafana|prometheus|alertmanager|cert-manager|argocd|vault|consul/.test(name)) return 'json';
  if (/redis|postgres|mysql|mariadb|mongo|memcached|rabbitmq|busybox|alpine|coredns|kube-|pause|ubuntu|debian|python|django|flask/.test(name)) return 'plain';
  const u = rng.float();
  return u < 0.5 ? 'json' : u < 0.75 ? 'ansi' : 'plain';
}
