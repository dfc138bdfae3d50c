/**
 * HTTPS to one Kubernetes API server, with the credentials of one kubeconfig
 * context (client certificates, bearer tokens, exec plugins, OIDC) applied by
 * @kubernetes/client-node on every request, so refreshed tokens are picked up.
 * Watches are read as newline-delimited JSON straight off the socket.
 */
import https from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    /** The Status object's reason (Expired, Forbidden, …) when the server sent one. */
    readonly reason: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * Bearer tokens from somewhere other than the kubeconfig (Vault): asked on
 * every request, so a refreshed token is used by the next one. They replace
 * the kubeconfig user's credentials for this server.
 */
export interface BearerSource {
  /** The token for the next request; undefined when there is none to use (yet, or any more). */
  token(): string | undefined;
  /** Why there is no token, in words an admin can act on, and whether it is final until they act. */
  missing(): { state: 'awaiting-credentials' | 'credentials-expired'; message: string };
  /** The API server answered 401 to a request that carried `usedToken`. */
  onUnauthorized?(usedToken: string | undefined): void;
}

/** A request not sent because there is no bearer token for it (see BearerSource). */
export class NoCredentialsError extends KubeHttpError {
  constructor(message: string) {
    super(401, 'NoCredentials', message);
  }
}

const MAX_LINE = 16 * 1024 * 1024;

export class KubeHttp {
  private readonly agent: https.Agent;

  constructor(
    private readonly kc: KubeConfig,
    readonly server: string,
    /**
     * Sockets to the server at most. Every open watch or followed log holds one for as long as
     * it runs, so a client that follows many logs needs more than the default 32.
     */
    opts: { maxSockets?: number; bearer?: BearerSource } = {},
  ) {
    this.agent = new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 32 });
    this.bearer = opts.bearer;
  }

  readonly bearer: BearerSource | undefined;
  private readonly inFlight = new Set<ClientRequest>();
  private isClosed = false;

  /** The URL of `path` on this server with `query` (undefined values left out). */
  url(path: string, query: Query = {}): URL {
    // Concatenated, not resolved: API servers behind a path prefix (Rancher, proxies) keep it.
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /**
   * TLS and credentials for a connection this class does not make itself (a WebSocket for
   * pods/exec): the same options every request here gets, fetched fresh each time.
   */
  async connectOptions(): Promise<https.RequestOptions & { usedToken?: string }> {
    const opts: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const usedToken = this.applyBearer(opts);
    return { ...opts, usedToken };
  }

  /** Puts the bearer source's token in place of the kubeconfig's credentials; returns it (undefined: no source). */
  private applyBearer(opts: https.RequestOptions): string | undefined {
    if (!this.bearer) return undefined;
    const token = this.bearer.token();
    if (token === undefined) throw new NoCredentialsError(this.bearer.missing().message);
    // Vault's credentials are this site's identity: a client certificate from the kubeconfig would take precedence at the API server.
    delete opts.cert;
    delete opts.key;
    delete opts.pfx;
    // Any casing of the kubeconfig's Authorization header goes: two would reach the server.
    const headers = Object.fromEntries(Object.entries(opts.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'authorization'));
    opts.headers = { ...headers, Authorization: `Bearer ${token}` };
    return token;
  }

  /** Tells the bearer source its token was refused (several requests may report the same one; it counts once). */
  unauthorized(usedToken: string | undefined): void {
    this.bearer?.onUnauthorized?.(usedToken);
  }

  private async request(path: string, query: Query, signal?: AbortSignal, accept = 'application/json', write?: { method: string; body?: string; contentType?: string }): Promise<IncomingMessage> {
    const url = this.url(path, query);
    const headers: Record<string, string> = { accept };
    if (write?.body !== undefined) {
      headers['content-type'] = write.contentType ?? 'application/json';
      // Node frames a DELETE's body only when told its length (DeleteOptions would arrive unframed).
      headers['content-length'] = String(Buffer.byteLength(write.body));
    }
    const opts: https.RequestOptions = { method: write?.method ?? 'GET', headers };
    await this.kc.applyToHTTPSOptions(opts);
    const usedToken = this.applyBearer(opts);
    opts.agent = this.agent;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = https.request(url, { ...opts, signal }, resolve);
      this.inFlight.add(req);
      req.on('close', () => this.inFlight.delete(req));
      req.on('error', reject);
      req.end(write?.body);
    });
    if (res.statusCode === 401) this.unauthorized(usedToken);
    return res;
  }

  /** Reads a non-2xx response into a KubeHttpError carrying the Status' reason. */
  /** A refused request's Status (or raw text) as an error in the server's words. */
  static async failure(res: IncomingMessage): Promise<KubeHttpError> {
    let text = '';
    for await (const c of res) {
      // A Status is small; anything longer is cut, not buffered whole.
      if (text.length < 64 * 1024) text += String(c);
    }
    let reason = '';
    let message = text.slice(0, 500) || `HTTP ${res.statusCode}`;
    try {
      const s = JSON.parse(text) as { reason?: string; message?: string };
      reason = s.reason ?? '';
      message = s.message ?? message;
    } catch {
      // Not a Status (a proxy's HTML page, say): keep the raw text.
    }
    const retry = Number(res.headers['retry-after']);
    return new KubeHttpError(res.statusCode ?? 0, reason, message, Number.isFinite(retry) && retry > 0 ? retry : undefined);
  }

  /** One JSON GET; it gives up after `timeoutMs` (a hung list must not stall a site forever). */
  async getJson<T>(path: string, query: Query = {}, signal?: AbortSignal, timeoutMs = 60_000): Promise<T> {
    const limit = AbortSignal.timeout(timeoutMs);
    const res = await this.request(path, query, signal ? AbortSignal.any([signal, limit]) : limit);
    if ((res.statusCode ?? 0) >= 300) throw await KubeHttp.failure(res);
    let text = '';
    res.setEncoding('utf8');
    for await (const c of res) text += c as string;
    return JSON.parse(text) as T;
  }

  /**
   * A write (POST, PUT, PATCH, DELETE) with a JSON body, e.g. a cordon as
   * `send('PATCH', '/api/v1/nodes/n1', { body: { spec: { unschedulable: true } }, contentType: 'application/merge-patch+json' })`.
   * Resolves with the server's JSON answer; a refusal is a KubeHttpError in the server's words.
   */
  async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, o: { body?: unknown; contentType?: string; query?: Query; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
    const limit = AbortSignal.timeout(o.timeoutMs ?? 60_000);
    const body = o.body === undefined ? undefined : JSON.stringify(o.body);
    const res = await this.request(path, o.query ?? {}, o.signal ? AbortSignal.any([o.signal, limit]) : limit, 'application/json', { method, body, contentType: o.contentType });
    if ((res.statusCode ?? 0) >= 300) throw await KubeHttp.failure(res);
    let text = '';
    res.setEncoding('utf8');
    for await (const c of res) text += c as string;
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Opens a watch. `onResponse` runs once the server has accepted it (a 2xx);
   * `onLine` gets each JSON line; `onData` every chunk (for stall detection).
   * Resolves when the server closes the stream.
   */
  async watch(path: string, query: Query, handlers: { onLine: (line: string) => void; onData?: () => void; onResponse?: () => void }, signal?: AbortSignal): Promise<void> {
    const res = await this.request(path, { ...query, watch: true }, signal);
    if ((res.statusCode ?? 0) >= 300) throw await KubeHttp.failure(res);
    handlers.onResponse?.();
    res.setEncoding('utf8');
    let buf = '';
    for await (const chunk of res) {
      handlers.onData?.();
      buf += chunk as string;
      // No sane watch event is this large; a stream without newlines is broken, not slow.
      if (buf.length > MAX_LINE) throw new Error(`watch event larger than ${MAX_LINE / 1024 / 1024} MiB without a line break`);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim()) handlers.onLine(line);
      }
    }
  }

  /**
   * A GET whose body is read as bytes by the caller (a log stream): resolves with the response
   * once the server has answered 2xx, else throws a KubeHttpError. Aborting `signal` ends it.
   */
  async stream(path: string, query: Query, signal?: AbortSignal): Promise<IncomingMessage> {
    const res = await this.request(path, query, signal, '*/*');
    if ((res.statusCode ?? 0) >= 300) throw await KubeHttp.failure(res);
    return res;
  }

  /**
   * Ends every request in flight, streams included (log follows, watches): their credentials
   * were withdrawn. The API server checked them once, at the start, and would serve on.
   */
  interrupt(why: string): void {
    for (const req of this.inFlight) req.destroy(new Error(why));
  }

  /** True once closed: owners that keep a list of clients drop it. */
  get closed(): boolean {
    return this.isClosed;
  }

  close(): void {
    this.isClosed = true;
    this.agent.destroy();
  }
}
