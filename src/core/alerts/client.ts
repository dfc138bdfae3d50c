/**
 * A read-only client for Alertmanager's API v2: firing alerts, silences and
 * the server's status. Each client has its own agent (the site's CA only,
 * not the process-wide one), a timeout on every request, and a cap on the
 * size of an answer, so a misconfigured URL pointing at something huge or
 * slow cannot stall or bloat the console. Every failure is an
 * AlertmanagerError whose message says what to do.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { inspect } from 'node:util';
import type { AlertmanagerConfig } from './config';
import { AlertmanagerError, httpError, networkError } from './errors';
import { normalizeAlert, normalizeList, normalizeSilence, normalizeStatus, type Alert, type AlertmanagerStatus, type Parsed, type Silence } from './normalize';

/** Which alerts to list; each flag defaults to true, as in Alertmanager's API. */
export interface AlertQuery {
  active?: boolean;
  silenced?: boolean;
  inhibited?: boolean;
  unprocessed?: boolean;
  /** Label matchers in Alertmanager's syntax, ANDed: `severity="critical"`, `alertname=~"Node.*"`. */
  filter?: string[];
  /** Only alerts routed to this receiver (a regex, as Alertmanager takes it). */
  receiver?: string;
}

export interface AlertmanagerClientOptions {
  /** Per request, ms; default 10 s (a poll every 30 s must not pile up). */
  timeoutMs?: number;
  /** Largest answer read, bytes; default 16 MiB (about 10,000 alerts with their annotations). */
  maxResponseBytes?: number;
}

const API = '/api/v2';

/** Read-only access to one site's Alertmanager. */
export class AlertmanagerClient {
  /** The configured base URL, for messages. */
  readonly url: string;
  private readonly config: AlertmanagerConfig;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private agent: Promise<http.Agent> | undefined;

  constructor(config: AlertmanagerConfig, opts: AlertmanagerClientOptions = {}) {
    this.config = config;
    this.url = config.url.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxBytes = opts.maxResponseBytes ?? 16 * 1024 * 1024;
  }

  /**
   * `GET /api/v2/alerts`: the alerts Alertmanager holds that have not ended
   * (resolved ones drop out), normalized; `skipped` counts entries that did
   * not have the API's shape.
   */
  async alerts(query: AlertQuery = {}): Promise<Parsed<Alert>> {
    const params = new URLSearchParams();
    for (const key of ['active', 'silenced', 'inhibited', 'unprocessed'] as const) params.set(key, String(query[key] ?? true));
    for (const f of query.filter ?? []) params.append('filter', f);
    if (query.receiver !== undefined) params.set('receiver', query.receiver);
    const body = await this.get('alerts', params);
    return this.list(body, 'alerts', normalizeAlert);
  }

  /** `GET /api/v2/silences` (read-only: Triptych never creates or expires silences). */
  async silences(filter: string[] = []): Promise<Parsed<Silence>> {
    const params = new URLSearchParams();
    for (const f of filter) params.append('filter', f);
    const body = await this.get('silences', params);
    return this.list(body, 'silences', normalizeSilence);
  }

  /** `GET /api/v2/status`: version and cluster peers, for a health line (Alertmanager's own configuration is dropped). */
  async status(): Promise<AlertmanagerStatus> {
    const body = await this.get('status', new URLSearchParams());
    const status = normalizeStatus(body);
    if (!status) throw this.notApi('status', 'an object without versionInfo and cluster');
    return status;
  }

  /** Closes idle connections. */
  close(): void {
    void this.agent?.then((a) => a.destroy(), () => undefined);
    this.agent = undefined;
  }

  private list<T>(body: unknown, what: string, one: (e: unknown) => T | undefined): Parsed<T> {
    const parsed = normalizeList(body, one);
    if (!parsed) throw this.notApi(what, `${body === null ? 'null' : typeof body}, not a list`);
    return parsed;
  }

  private notApi(what: string, found: string): AlertmanagerError {
    return new AlertmanagerError(
      'not-alertmanager',
      `${this.url} answered ${API}/${what} with ${found}: is the site's alertmanager url really Alertmanager (version 0.16 or later, which has API v2)?`,
      { url: this.url, path: `${API}/${what}` },
    );
  }

  /** GET one API path; the parsed JSON body. */
  private async get(what: string, params: URLSearchParams): Promise<unknown> {
    const path = `${API}/${what}`;
    const target = new URL(`${this.url}${path}`);
    target.search = params.toString();
    const agent = await this.getAgent();
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = await this.authorization();
    if (auth) headers.authorization = auth;
    const res = await this.send(target, agent, headers).catch((err: unknown) => {
      throw networkError(err, this.url, path);
    });
    if (res.status < 200 || res.status >= 300) throw httpError(res.status, this.url, path, { location: res.location, authSent: auth !== undefined });
    // A login page or a web server's index answers 200 too: only JSON is Alertmanager's API.
    if (!/^application\/json\b/i.test(res.contentType)) throw this.notApi(what, `${res.contentType ? `'${res.contentType.slice(0, 60)}'` : 'no content type'} (not JSON)`);
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new AlertmanagerError('invalid-response', `Alertmanager at ${this.url} sent malformed JSON for ${path}: a proxy in between may have cut or altered the answer.`, { url: this.url, path, status: res.status });
    }
  }

  /** The agent, created on first use: the CA file is read then, and a missing one is reported like any request failure. */
  private getAgent(): Promise<http.Agent> {
    this.agent ??= (async () => {
      if (!this.url.startsWith('https:')) return new http.Agent({ keepAlive: true, maxSockets: 2 });
      const ca = this.config.caCert ? await this.readConfigFile(this.config.caCert, 'caCert') : undefined;
      // The CA replaces the system's list for this agent only, as --ca-file does for amtool.
      return new https.Agent({ keepAlive: true, maxSockets: 2, ...(ca ? { ca } : {}) });
    })();
    // A failed read must be retried next time (the admin may fix the file), not cached.
    this.agent.catch(() => (this.agent = undefined));
    return this.agent;
  }

  /** The Authorization header, read fresh from the files each time, so that rotated tokens are picked up. */
  private async authorization(): Promise<string | undefined> {
    const c = this.config;
    if (c.bearerTokenFile) {
      const token = (await this.readConfigFile(c.bearerTokenFile, 'bearerTokenFile')).trim();
      if (!token) throw new AlertmanagerError('config', `bearerTokenFile ${c.bearerTokenFile} for Alertmanager at ${this.url} is empty: put the token in it.`, { url: this.url });
      return `Bearer ${token}`;
    }
    if (c.basicAuth) {
      // Only the line break an editor adds is dropped: a password may legitimately end in spaces.
      const password = (await this.readConfigFile(c.basicAuth.passwordFile, 'basicAuth.passwordFile')).replace(/\r?\n$/, '');
      return `Basic ${Buffer.from(`${c.basicAuth.username}:${password}`).toString('base64')}`;
    }
    return undefined;
  }

  private async readConfigFile(file: string, key: string): Promise<string> {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new AlertmanagerError('config', `Cannot read ${key} ${file} for Alertmanager at ${this.url} (${code}): fix the path under the site's alertmanager in triptych.yaml, or the file's permissions.`, { url: this.url, code });
    }
  }

  private send(url: URL, agent: http.Agent, headers: Record<string, string>): Promise<{ status: number; contentType: string; location?: string; text: string }> {
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      // Settled once: an oversized answer rejects here and the socket is torn down without a second error.
      let settled = false;
      const fail = (err: unknown) => {
        if (!settled) reject(err);
        settled = true;
      };
      const req = lib.request(url, { method: 'GET', headers, agent, signal: AbortSignal.timeout(this.timeoutMs) }, (res) => {
        const status = res.statusCode ?? 0;
        const contentType = String(res.headers['content-type'] ?? '');
        const location = res.headers.location;
        // Bodies of failures and redirects are not read: their status says enough, and their text is not shown.
        if (status < 200 || status >= 300) {
          res.resume();
          settled = true;
          resolve({ status, contentType, ...(location ? { location } : {}), text: '' });
          return;
        }
        const tooLarge = () => {
          fail(
            new AlertmanagerError('too-large', `Alertmanager at ${this.url} sent more than ${formatBytes(this.maxBytes)} for ${url.pathname}: narrow it with a filter, or check that the url points at Alertmanager.`, {
              url: this.url,
              path: url.pathname,
            }),
          );
          req.destroy();
        };
        if (Number(res.headers['content-length']) > this.maxBytes) return tooLarge();
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > this.maxBytes) tooLarge();
          else chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status, contentType, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end();
    });
  }

  // The agent's sockets remember the last request's headers, Authorization included: a debug dump must stop here.
  [inspect.custom](): string {
    return `AlertmanagerClient { url: '${this.url}' }`;
  }

  toJSON(): Record<string, unknown> {
    return { url: this.url };
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MiB` : `${Math.round(n / 1024)} KiB`;
}
