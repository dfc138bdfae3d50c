/**
 * What can go wrong talking to an Alertmanager, sorted into the cases an
 * admin acts on differently, each with a message that says what to do.
 * Messages are built from the URL, the API path and the status code — never
 * from the token, the password or the body a server sent back (which could
 * be anything, a login page included).
 */

/** Why a request to Alertmanager failed. */
export type AlertmanagerErrorKind =
  /** No connection: refused, DNS, routing. */
  | 'unreachable'
  /** No answer within the client's timeout. */
  | 'timeout'
  /** The server's certificate is not trusted, or the TLS handshake failed. */
  | 'tls'
  /** 401: no or wrong credentials. */
  | 'unauthorized'
  /** 403: the credentials are known but not allowed. */
  | 'forbidden'
  /** The server answered, but not as Alertmanager's API does (404, HTML, a redirect to a login page). */
  | 'not-alertmanager'
  /** Alertmanager's JSON was not what API v2 describes. */
  | 'invalid-response'
  /** The answer exceeded the client's size limit. */
  | 'too-large'
  /** 5xx. */
  | 'server-error'
  /** Another 4xx (a bad filter). */
  | 'bad-request'
  /** A file named in triptych.yaml (caCert, bearerTokenFile, passwordFile) cannot be read. */
  | 'config';

/** Kinds that may clear by themselves, so a watcher keeps polling (with backoff) rather than waiting for the admin. */
const TRANSIENT: ReadonlySet<AlertmanagerErrorKind> = new Set(['unreachable', 'timeout', 'server-error']);

/** A failed Alertmanager request; `message` is safe to show and says what to do. */
export class AlertmanagerError extends Error {
  constructor(
    readonly kind: AlertmanagerErrorKind,
    message: string,
    readonly details: { url?: string; path?: string; status?: number; code?: string } = {},
  ) {
    super(message);
    this.name = 'AlertmanagerError';
  }

  /** True for conditions that may clear by themselves (network, 5xx). */
  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

const TLS_CODES = /^(ERR_TLS_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|ERR_SSL_|HOSTNAME_MISMATCH)/;
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);

/** A failure below HTTP (no answer at all) as an AlertmanagerError. */
export function networkError(err: unknown, url: string, path: string): AlertmanagerError {
  if (err instanceof AlertmanagerError) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? '';
  const details = { url, path, code };
  if (e.name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ABORT_ERR') {
    return new AlertmanagerError('timeout', `Alertmanager at ${url} did not answer in time (${path}): check that it is running and reachable from here; Triptych will try again.`, details);
  }
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(e.message ?? '')) {
    return new AlertmanagerError(
      'tls',
      `The TLS certificate of Alertmanager at ${url} is not trusted (${code || e.message}): set caCert under the site's alertmanager in triptych.yaml to the CA file that signed it.`,
      details,
    );
  }
  const why = NET_CODES.has(code) ? code : e.message;
  return new AlertmanagerError(
    'unreachable',
    `Cannot reach Alertmanager at ${url} (${why}): check the site's alertmanager url in triptych.yaml, and that Alertmanager is running and reachable from here.`,
    details,
  );
}

/** A non-2xx answer as an AlertmanagerError. `location` is the redirect target of a 3xx. */
export function httpError(status: number, url: string, path: string, opts: { location?: string; authSent?: boolean } = {}): AlertmanagerError {
  const details = { url, path, status };
  if (status === 401) {
    const fix = opts.authSent
      ? "the credentials were refused: check the token in bearerTokenFile or the user and passwordFile of basicAuth"
      : "it wants credentials: add bearerTokenFile or basicAuth to the site's alertmanager in triptych.yaml";
    return new AlertmanagerError('unauthorized', `Alertmanager at ${url} answered 401 Unauthorized for ${path}: ${fix}.`, details);
  }
  if (status === 403) {
    return new AlertmanagerError('forbidden', `Alertmanager at ${url} answered 403 Forbidden for ${path}: the credentials are valid but not allowed to read alerts; ask whoever runs the proxy in front of it for read access.`, details);
  }
  if (status >= 300 && status < 400) {
    // Typically an auth proxy sending the browser to a login page: Triptych cannot follow a login flow.
    const to = opts.location ? ` to ${opts.location.slice(0, 200)}` : '';
    return new AlertmanagerError('not-alertmanager', `${url} redirected ${path}${to} (${status}): point the site's alertmanager url at Alertmanager itself (or a proxy that accepts bearerTokenFile/basicAuth), not at a login page.`, details);
  }
  if (status === 404) {
    return new AlertmanagerError('not-alertmanager', `${url} has no ${path} (404): is this Alertmanager's base URL? Include any route prefix (e.g. https://host/alertmanager) but not /api/v2.`, details);
  }
  if (status >= 500) return new AlertmanagerError('server-error', `Alertmanager at ${url} failed on ${path} (${status}); Triptych will try again.`, details);
  return new AlertmanagerError('bad-request', `Alertmanager at ${url} refused ${path} (${status}).`, details);
}
