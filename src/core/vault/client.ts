/**
 * HTTP(S) to Vault's API. The client holds no token: each call is given the
 * one to send, so only the session decides which token is live. Every
 * failure becomes a VaultError (errors.ts) whose message is safe to show.
 */
import http from 'node:http';
import https from 'node:https';
import { inspect } from 'node:util';
import { VaultError, httpError, networkError, redact } from './errors';
import type { VaultSettings } from './settings';

/** Vault's `auth` block (login, renew-self). */
export interface AuthBlock {
  client_token: string;
  accessor: string;
  policies: string[] | null;
  token_policies?: string[] | null;
  lease_duration: number;
  renewable: boolean;
  entity_id?: string;
  metadata?: Record<string, string> | null;
}

/** `auth/token/lookup-self` data (the fields used here). */
export interface TokenLookup {
  accessor: string;
  display_name: string;
  /** Seconds left; 0 for a token that never expires. */
  ttl: number;
  expire_time: string | null;
  renewable: boolean;
  policies: string[] | null;
  path?: string;
  entity_id?: string;
  meta?: Record<string, string> | null;
}

/** Vault's response envelope. */
export interface VaultResponse<D = Record<string, unknown>> {
  request_id?: string;
  lease_id: string;
  lease_duration: number;
  renewable: boolean;
  data: D | null;
  auth: AuthBlock | null;
  warnings: string[] | null;
}

export interface RequestOptions {
  /** The X-Vault-Token to send. */
  token?: string;
  body?: Record<string, unknown>;
  query?: Record<string, string | undefined>;
  /** Values cut out of any error message (passwords, codes) besides the token. */
  secrets?: readonly string[];
  signal?: AbortSignal;
}

/** Largest response read; Vault's answers here are a few KiB. */
const MAX_RESPONSE = 4 * 1024 * 1024;

export class VaultClient {
  readonly address: string;
  readonly namespace: string | undefined;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;

  constructor(settings: Pick<VaultSettings, 'address' | 'ca' | 'namespace'>, opts: { timeoutMs?: number } = {}) {
    this.address = settings.address.replace(/\/+$/, '');
    this.namespace = settings.namespace;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    const secure = this.address.startsWith('https:');
    // The CA replaces the system's list for this agent only, as VAULT_CACERT does for the CLI.
    this.agent = secure ? new https.Agent({ keepAlive: true, ...(settings.ca ? { ca: settings.ca } : {}) }) : new http.Agent({ keepAlive: true });
  }

  /**
   * One API call; `path` is relative to /v1/. Resolves with the parsed body
   * (undefined for 204), rejects with a VaultError.
   */
  async request<T = VaultResponse>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<T> {
    const url = new URL(`${this.address}/v1/${path.replace(/^\/+/, '')}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      // What the vault CLI sends; Vault requires it on some paths as a guard against browser-forged requests.
      'x-vault-request': 'true',
    };
    if (opts.token) headers['x-vault-token'] = opts.token;
    if (this.namespace) headers['x-vault-namespace'] = this.namespace;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const secrets = [opts.token, ...(opts.secrets ?? [])];
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const { status, text } = await this.send(url, method, headers, body, signal).catch((err: unknown) => {
      throw networkError(err, this.address, path);
    });
    if (status >= 200 && status < 300) {
      if (status === 204 || text.trim() === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new VaultError('invalid-response', `Vault at ${this.address} sent something that is not JSON for ${path} (${status}): is vault.address really Vault?`, { status, path, address: this.address });
      }
    }
    let messages: string[] = [];
    try {
      const parsed = JSON.parse(text) as { errors?: unknown };
      if (Array.isArray(parsed.errors)) messages = parsed.errors.map((m) => redact(String(m), secrets));
    } catch {
      // Not Vault's JSON (a proxy's page): the status alone has to do.
    }
    throw httpError(status, messages, this.address, path);
  }

  private send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal): Promise<{ status: number; text: string }> {
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, agent: this.agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_RESPONSE) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * `GET sys/health` (needs no token): undefined when Vault can serve, else
   * why not — sealed, standby, unreachable — as the VaultError a request
   * would meet. Asked periodically, so a sealed Vault shows before the next
   * renewal runs into it.
   */
  async health(): Promise<VaultError | undefined> {
    const path = 'sys/health';
    let answer: { status: number; text: string };
    try {
      answer = await this.send(new URL(`${this.address}/v1/${path}`), 'GET', { accept: 'application/json' }, undefined, AbortSignal.timeout(this.timeoutMs));
    } catch (err) {
      return networkError(err, this.address, path);
    }
    if (answer.status === 200) return undefined;
    let body: { sealed?: boolean; standby?: boolean } = {};
    try {
      body = JSON.parse(answer.text) as typeof body;
    } catch {
      // A proxy's page: the status code has to do.
    }
    // sys/health says "sealed" in its body, not in an errors list as other paths do.
    if (body.sealed) return httpError(503, ['Vault is sealed'], this.address, path);
    if (body.standby && answer.status !== 473) return httpError(429, [], this.address, path);
    return httpError(answer.status, [], this.address, path);
  }

  /** `GET auth/token/lookup-self`: who the token is and how long it lives. */
  async lookupSelf(token: string, signal?: AbortSignal): Promise<TokenLookup> {
    const res = await this.request<VaultResponse<TokenLookup>>('GET', 'auth/token/lookup-self', { token, signal });
    if (!res?.data) throw new VaultError('invalid-response', `Vault at ${this.address} sent no token data for auth/token/lookup-self`, { path: 'auth/token/lookup-self' });
    return res.data;
  }

  /** `POST auth/token/renew-self`. The increment is a request only: Vault's max TTL wins. */
  async renewSelf(token: string, incrementSeconds?: number): Promise<AuthBlock> {
    const res = await this.request<VaultResponse>('POST', 'auth/token/renew-self', { token, body: incrementSeconds ? { increment: `${incrementSeconds}s` } : {} });
    if (!res?.auth) throw new VaultError('invalid-response', `Vault at ${this.address} sent no auth block for auth/token/renew-self`, { path: 'auth/token/renew-self' });
    return res.auth;
  }

  /** `POST auth/token/revoke-self`: the token and every lease it created end now. */
  async revokeSelf(token: string): Promise<void> {
    await this.request('POST', 'auth/token/revoke-self', { token });
  }

  /** `PUT sys/leases/revoke`. Vault treats an unknown or ended lease as done. */
  async revokeLease(token: string, leaseId: string): Promise<void> {
    await this.request('PUT', 'sys/leases/revoke', { token, body: { lease_id: leaseId } });
  }

  /** A login that answers with an auth block (userpass, ldap, oidc callback). */
  async login(path: string, opts: { body?: Record<string, unknown>; query?: Record<string, string | undefined>; secrets: string[]; method?: 'GET' | 'POST' }): Promise<AuthBlock> {
    const res = await this.request<VaultResponse>(opts.method ?? 'POST', path, { body: opts.body, query: opts.query, secrets: opts.secrets });
    if (!res?.auth?.client_token) throw new VaultError('invalid-response', `Vault at ${this.address} sent no token for ${path}`, { path });
    return res.auth;
  }

  close(): void {
    this.agent.destroy();
  }

  // The agent's sockets remember the last request's headers, X-Vault-Token included: a debug dump must stop here.
  [inspect.custom](): string {
    return `VaultClient { address: '${this.address}'${this.namespace ? `, namespace: '${this.namespace}'` : ''} }`;
  }

  toJSON(): Record<string, unknown> {
    return { address: this.address, namespace: this.namespace };
  }
}
