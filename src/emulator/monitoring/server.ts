/**
 * The training fleet's Alertmanagers: one HTTPS server (the fleet's
 * certificate) answering the read side of Alertmanager's API v2 for every
 * site under a path prefix, as Alertmanager does behind
 * `--web.route-prefix=/<site>`:
 *
 *   GET /<site>/api/v2/alerts     firing alerts (active, silenced, inhibited, unprocessed, filter, receiver)
 *   GET /<site>/api/v2/silences   silences (filter)
 *   GET /<site>/api/v2/status     version and cluster state
 *   GET /<site>/-/ready, /-/healthy
 *
 * Answers have Alertmanager 0.25's shapes. It runs apart from the sites' API
 * servers, so a site-outage fault leaves its monitoring up to report
 * KubeAPIDown. Silences are read-only (the console never writes one); tests
 * and trainers add them through `addSilence`.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { makeMatcher, parseMatcher, type Matcher } from './matchers';
import type { FiringAlert, SiteRules } from './rules';

/** The version this server answers like. */
export const ALERTMANAGER_VERSION = '0.25.0';
/** The receiver every alert is routed to (a route with no integrations: nothing is sent anywhere). */
export const TRAINING_RECEIVER = 'training-null';
/** How far ahead endsAt lies, as Prometheus sets it for a firing alert (4 × its 1 minute resend delay). */
const ENDS_AFTER_MS = 4 * 60_000;

export interface MonitoringServerOptions {
  tls: { key: string; cert: string };
  host?: string;
  port?: number;
  now?: () => number;
}

/** A silence as stored: matchers plus its window. */
export interface TrainingSilence {
  id: string;
  matchers: { name: string; value: string; isRegex: boolean; isEqual: boolean }[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  updatedAt: number;
}

interface Route {
  rules: SiteRules;
  silences: TrainingSilence[];
}

class BadRequest extends Error {}

export class MonitoringServer {
  private server: https.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly routes = new Map<string, Route>();
  private readonly now: () => number;
  private readonly startedAt: number;
  private port = 0;

  constructor(
    sites: SiteRules[],
    private readonly opts: MonitoringServerOptions,
  ) {
    for (const rules of sites) this.routes.set(rules.site, { rules, silences: [] });
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
  }

  /** `https://127.0.0.1:<port>`; a site's Alertmanager is at `${url}/${site}`. */
  get url(): string {
    return `https://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
  }

  /** The base URL of a site's Alertmanager (what triptych.yaml's `alertmanager` would hold). */
  siteUrl(site: string): string {
    return `${this.url}/${encodeURIComponent(site)}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = https.createServer({ key: this.opts.tls.key, cert: this.opts.tls.cert }, (req, res) => this.handle(req, res));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const r of this.routes.values()) r.rules.close();
  }

  /**
   * Adds a silence at a site (as `amtool silence add` would); its id. For
   * trainers and tests: the HTTP API itself is read-only.
   */
  addSilence(site: string, s: { matchers: { name: string; value: string; isRegex?: boolean; isEqual?: boolean }[]; minutes?: number; createdBy?: string; comment?: string }): string {
    const route = this.routes.get(site);
    if (!route) throw new Error(`no site named ${site} (sites: ${[...this.routes.keys()].join(', ')})`);
    if (s.matchers.length === 0) throw new Error('a silence needs at least one matcher');
    const now = this.now();
    const id = randomUUID();
    route.silences.push({
      id,
      matchers: s.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex ?? false, isEqual: m.isEqual ?? true })),
      startsAt: now,
      endsAt: now + (s.minutes ?? 60) * 60_000,
      createdBy: s.createdBy ?? 'trainer',
      comment: s.comment ?? '',
      updatedAt: now,
    });
    return id;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const m = /^\/([^/]+)(\/.*)$/.exec(url.pathname);
      const route = m ? this.routes.get(decodeSegment(m[1] as string)) : undefined;
      if (!m || !route) return text(res, 404, `404 page not found (sites are served under /<site>/: ${[...this.routes.keys()].join(', ')})\n`);
      const rest = m[2] as string;
      if (rest === '/-/ready' || rest === '/-/healthy') return text(res, 200, 'OK');
      if (!rest.startsWith('/api/v2/')) return text(res, 404, '404 page not found\n');
      if (req.method !== 'GET') return json(res, 405, `${req.method ?? ''} ${rest} is not available: the training fleet's Alertmanager is read-only`);
      switch (rest) {
        case '/api/v2/alerts':
          return json(res, 200, this.alerts(route, url.searchParams));
        case '/api/v2/silences':
          return json(res, 200, this.silences(route, url.searchParams));
        case '/api/v2/status':
          return json(res, 200, this.status());
        default:
          return json(res, 404, `path ${rest} was not found`);
      }
    } catch (err) {
      if (err instanceof BadRequest) return json(res, 400, err.message);
      return json(res, 500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private alerts(route: Route, q: URLSearchParams): unknown[] {
    const flag = (name: string): boolean => {
      const v = q.get(name);
      if (v === null) return true;
      if (v === 'true' || v === 'false') return v === 'true';
      throw new BadRequest(`${name} in query should be of type boolean, got ${JSON.stringify(v)}`);
    };
    const [active, silenced] = ['active', 'silenced'].map(flag);
    // Checked as Alertmanager checks them; nothing here is inhibited or unprocessed, so they leave nothing out.
    flag('inhibited');
    flag('unprocessed');
    const matchers = this.matchers(q);
    const receiver = q.get('receiver');
    let receiverRe: RegExp | undefined;
    if (receiver !== null) {
      try {
        receiverRe = new RegExp(`^(?:${receiver})$`);
      } catch (err) {
        throw new BadRequest(`failed to parse receiver param: ${(err as Error).message}`);
      }
    }
    const now = this.now();
    const live = route.silences.filter((s) => silenceState(s, now) === 'active');
    const out: (FiringAlert & { silencedBy: string[] })[] = [];
    for (const a of route.rules.evaluate()) {
      if (!matchers.every((m) => m.test(a.labels))) continue;
      if (receiverRe && !receiverRe.test(TRAINING_RECEIVER)) continue;
      const silencedBy = live.filter((s) => s.matchers.every((m) => matcherOf(m).test(a.labels))).map((s) => s.id);
      if (silencedBy.length > 0 ? !silenced : !active) continue;
      out.push({ ...a, silencedBy });
    }
    // Alertmanager sorts by fingerprint.
    out.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
    const updatedAt = new Date(now).toISOString();
    const endsAt = new Date(now + ENDS_AFTER_MS).toISOString();
    return out.map((a) => ({
      annotations: a.annotations,
      endsAt,
      fingerprint: a.fingerprint,
      receivers: [{ name: TRAINING_RECEIVER }],
      startsAt: new Date(a.startsAt).toISOString(),
      status: { inhibitedBy: [], silencedBy: a.silencedBy, state: a.silencedBy.length > 0 ? 'suppressed' : 'active' },
      updatedAt,
      generatorURL: `https://prometheus.${route.rules.site}.training.invalid/graph?g0.expr=${encodeURIComponent(a.expr)}&g0.tab=1`,
      labels: a.labels,
    }));
  }

  private silences(route: Route, q: URLSearchParams): unknown[] {
    const matchers = this.matchers(q);
    const now = this.now();
    return route.silences
      .filter((s) => matchers.every((m) => m.test(Object.fromEntries(s.matchers.map((x) => [x.name, x.value])))))
      .map((s) => ({
        id: s.id,
        status: { state: silenceState(s, now) },
        updatedAt: new Date(s.updatedAt).toISOString(),
        comment: s.comment,
        createdBy: s.createdBy,
        endsAt: new Date(s.endsAt).toISOString(),
        matchers: s.matchers,
        startsAt: new Date(s.startsAt).toISOString(),
      }));
  }

  private status(): unknown {
    const uptime = new Date(this.startedAt).toISOString();
    return {
      cluster: { status: 'disabled', peers: [] },
      versionInfo: { branch: 'HEAD', buildDate: '20230112-11:46:37', buildUser: 'triptych@training', goVersion: 'go1.19.4', revision: 'training-fleet', version: ALERTMANAGER_VERSION },
      // The real one carries the whole alertmanager.yml here; this one routes everything to one silent receiver.
      config: { original: `route:\n  receiver: ${TRAINING_RECEIVER}\nreceivers:\n  - name: ${TRAINING_RECEIVER}\n` },
      uptime,
    };
  }

  private matchers(q: URLSearchParams): Matcher[] {
    return q.getAll('filter').map((f) => {
      try {
        return parseMatcher(f);
      } catch (err) {
        throw new BadRequest((err as Error).message);
      }
    });
  }
}

/** A path segment decoded; malformed percent-encoding (`/%E0/`) names no site rather than failing the request with a 500. */
function decodeSegment(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return '';
  }
}

function silenceState(s: TrainingSilence, now: number): 'active' | 'pending' | 'expired' {
  return now < s.startsAt ? 'pending' : now < s.endsAt ? 'active' : 'expired';
}

function matcherOf(m: TrainingSilence['matchers'][number]): Matcher {
  const op = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
  return makeMatcher(m.name, op, m.value);
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}
