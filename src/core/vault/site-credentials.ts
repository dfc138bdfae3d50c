/**
 * Each site's API credentials, fetched from Vault when the site connects and
 * kept in memory only:
 *
 * - Kubernetes secrets engine: `POST <mount>/creds/<role>` gives a
 *   service-account token with a lease that cannot be renewed, so a new one
 *   is fetched at a random 85–95 % of the lease (as consul-template does) and
 *   the replaced lease is revoked once requests still using it have had
 *   time to finish;
 * - KV v2: `GET <mount>/data/<path>`, a stored token (or a kubeconfig holding
 *   one). It has no lease, so it is read again every few minutes, as Vault
 *   Agent re-renders static secrets.
 *
 * When Vault cannot be reached, is sealed or answers from a standby, a site
 * keeps the credentials it has until they expire, and retries with backoff.
 * A 401 from a site's API server triggers one re-fetch; a 401 for the token
 * that re-fetch brought means Vault issues credentials the cluster does not
 * accept, and the site (that site only) is marked `expired`.
 *
 * Leases are revoked at sign-out and when the console quits (`revokeAll`).
 */
import { inspect } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import type { SiteVaultSource } from '../config';
import type { VaultClient, VaultResponse } from './client';
import type { CredentialProblemKind, SiteCredentialState, SiteCredentialStatus } from '../../shared/vault';
import { VaultError } from './errors';
import type { Random, Timers } from './timers';

export type { CredentialProblemKind, SiteCredentialState, SiteCredentialStatus };

export interface SiteCredentialsOptions {
  client: VaultClient;
  /** The signed-in Vault token and when it ends; undefined when signed out. */
  auth: () => { token: string; expiresAt?: number } | undefined;
  /** Site id → its credential source from triptych.yaml. */
  sources: ReadonlyMap<string, SiteVaultSource>;
  timers: Timers;
  random: Random;
  /** KV secrets are re-read this often, ms; default 5 min (Vault Agent's static_secret_render_interval). */
  kvRefreshMs?: number;
  /** A replaced lease is revoked this long after its successor arrived, ms; default 30 s. */
  replacedLeaseGraceMs?: number;
  /** Retry after a failed fetch: first wait, ms (default 10 s), doubling up to `maxRetryMs` (default 5 min). */
  initialRetryMs?: number;
  maxRetryMs?: number;
}

/** A change worth telling the UI (and the site's HTTP client, when `tokenChanged`). */
export interface CredentialChange {
  status: SiteCredentialStatus;
  /** A new token is in place: connections opened from now on use it. */
  tokenChanged: boolean;
}

interface Issued {
  token: string;
  leaseId?: string;
  fetchedAt: number;
  expiresAt?: number;
  /** Fetched because the API server refused the previous token: a 401 for this one is final. */
  after401: boolean;
}

interface Site {
  id: string;
  source: SiteVaultSource;
  status: SiteCredentialStatus;
  current?: Issued;
  inflight?: Promise<void>;
  timer?: unknown;
  retryMs?: number;
  /** Replaced leases waiting to be revoked. */
  retired: { leaseId: string; timer: unknown }[];
}

type FetchReason = 'connect' | 'scheduled' | 'retry' | 'after-401';

/** A short description of a source for the UI. */
export function describeSource(source: SiteVaultSource): string {
  if ('kubernetesRole' in source) {
    const r = source.kubernetesRole;
    return `Vault ${r.mount}/creds/${r.role} (namespace ${r.namespace})`;
  }
  return `Vault KV ${source.kv.mount}/${source.kv.path} (${source.kv.field})`;
}

export class SiteCredentials {
  // Private fields: util.inspect and JSON.stringify of this object cannot reach the tokens.
  readonly #sites = new Map<string, Site>();
  readonly #listeners = new Set<(c: CredentialChange) => void>();
  #closed = false;

  constructor(private readonly o: SiteCredentialsOptions) {
    for (const [id, source] of o.sources) {
      this.#sites.set(id, { id, source, status: { site: id, source: describeSource(source), state: 'idle' }, retired: [] });
    }
  }

  /** Sites whose credentials come from Vault. */
  sites(): string[] {
    return [...this.#sites.keys()];
  }

  has(site: string): boolean {
    return this.#sites.has(site);
  }

  status(site: string): SiteCredentialStatus {
    return { ...this.site(site).status };
  }

  statuses(): SiteCredentialStatus[] {
    return [...this.#sites.values()].map((s) => ({ ...s.status }));
  }

  /** The site's bearer token now, if it has a usable one. */
  token(site: string): string | undefined {
    const s = this.site(site);
    const c = s.current;
    if (!c || s.status.state === 'expired') return undefined;
    if (c.expiresAt !== undefined && this.o.timers.now() >= c.expiresAt) return undefined;
    return c.token;
  }

  /** A getter to hand to the site's HTTP client: asked on every request, so refreshed tokens are used at once. */
  tokenProvider(site: string): () => string | undefined {
    this.site(site);
    return () => this.token(site);
  }

  /** Calls `listener` on every change of any site's credentials; returns the unsubscribe function. */
  onRefresh(listener: (c: CredentialChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Fetches the site's credentials unless it has usable ones. Also the way
   * back from `failed` or `expired` (after signing in again, say).
   */
  async connect(site: string): Promise<SiteCredentialStatus> {
    const s = this.site(site);
    if (s.inflight) await s.inflight;
    if (s.status.state === 'ok' && this.token(site)) return this.status(site);
    this.clearTimer(s);
    s.retryMs = undefined;
    if (s.status.state === 'expired') s.current = undefined;
    await this.fetch(s, 'connect');
    return this.status(site);
  }

  async connectAll(): Promise<SiteCredentialStatus[]> {
    return Promise.all(this.sites().map((id) => this.connect(id)));
  }

  /**
   * The site's API server answered 401. `usedToken` is the token that request
   * carried: a 401 for a token already replaced says nothing new (several
   * watches fail at once), so only the first one counts. The first 401 for a
   * token fetches a new one; a 401 for that new one marks the site `expired`.
   */
  async reportUnauthorized(site: string, usedToken?: string): Promise<SiteCredentialStatus> {
    const s = this.site(site);
    if (s.inflight) await s.inflight;
    const c = s.current;
    if (s.status.state === 'expired' || !c) return this.status(site);
    if (usedToken !== undefined && usedToken !== c.token) return this.status(site);
    if (c.after401) {
      this.clearTimer(s);
      s.current = undefined;
      await this.retire(s, c.leaseId, 0);
      this.set(s, {
        state: 'expired',
        problem: {
          kind: 'rejected',
          message: `${s.status.site}: the API server refused the credentials from ${s.status.source} (401), also the new ones fetched after the first refusal. The credentials have expired or Vault issues tokens this cluster does not accept; check the Vault role, then reconnect.`,
        },
        fetchedAt: undefined,
        expiresAt: undefined,
        refreshAt: undefined,
      }, true);
      return this.status(site);
    }
    this.clearTimer(s);
    await this.fetch(s, 'after-401');
    return this.status(site);
  }

  /**
   * Revokes every lease still held (current and replaced) and forgets every
   * token: at sign-out and quit. Returns what could not be revoked (a sealed
   * Vault cannot revoke; those leases then end at their TTL).
   */
  async revokeAll(): Promise<{ revoked: number; failed: { site: string; message: string }[] }> {
    this.#closed = true;
    await Promise.all([...this.#sites.values()].map((s) => s.inflight?.catch(() => undefined)));
    const auth = this.o.auth();
    let revoked = 0;
    const failed: { site: string; message: string }[] = [];
    await Promise.all(
      [...this.#sites.values()].map(async (s) => {
        this.clearTimer(s);
        const leases = [...s.retired.map((r) => r.leaseId), ...(s.current?.leaseId ? [s.current.leaseId] : [])];
        for (const r of s.retired) this.o.timers.clearTimeout(r.timer);
        s.retired = [];
        const hadToken = s.current !== undefined;
        s.current = undefined;
        for (const leaseId of leases) {
          if (!auth) {
            failed.push({ site: s.id, message: 'signed out of Vault before the lease could be revoked; it ends at its TTL' });
            continue;
          }
          try {
            await this.o.client.revokeLease(auth.token, leaseId);
            revoked++;
          } catch (err) {
            failed.push({ site: s.id, message: (err as Error).message });
          }
        }
        // A site that was connected waits for the next sign-in (VaultAccess reconnects it then); one never connected stays idle.
        const waits = s.status.state !== 'idle';
        this.set(
          s,
          waits
            ? { state: 'failed', problem: { kind: 'signed-out', message: `Sign in to Vault to connect to ${s.id}: its credentials come from ${s.status.source}.` }, fetchedAt: undefined, expiresAt: undefined, refreshAt: undefined }
            : { state: 'idle', problem: undefined, fetchedAt: undefined, expiresAt: undefined, refreshAt: undefined },
          hadToken,
        );
      }),
    );
    this.#closed = false;
    return { revoked, failed };
  }

  [inspect.custom](): string {
    return `SiteCredentials ${JSON.stringify(this.statuses())}`;
  }

  toJSON(): SiteCredentialStatus[] {
    return this.statuses();
  }

  /** Stops every timer without revoking (tests; a process that exits anyway). */
  close(): void {
    this.#closed = true;
    for (const s of this.#sites.values()) {
      this.clearTimer(s);
      for (const r of s.retired) this.o.timers.clearTimeout(r.timer);
      s.retired = [];
    }
  }

  private site(id: string): Site {
    const s = this.#sites.get(id);
    if (!s) throw new Error(`site '${id}' has no Vault credential source (sites with one: ${this.sites().join(', ') || 'none'})`);
    return s;
  }

  private set(s: Site, patch: Partial<SiteCredentialStatus>, tokenChanged: boolean): void {
    const next: SiteCredentialStatus = { ...s.status, ...patch };
    for (const k of Object.keys(next) as (keyof SiteCredentialStatus)[]) if (next[k] === undefined) delete next[k];
    s.status = next;
    for (const l of this.#listeners) l({ status: { ...next }, tokenChanged });
  }

  private clearTimer(s: Site): void {
    if (s.timer !== undefined) this.o.timers.clearTimeout(s.timer);
    s.timer = undefined;
  }

  private schedule(s: Site, at: number, what: () => Promise<void> | void): void {
    this.clearTimer(s);
    if (this.#closed) return;
    s.timer = this.o.timers.setTimeout(() => {
      s.timer = undefined;
      return what();
    }, at - this.o.timers.now());
  }

  /** Revokes a replaced lease after `delayMs` (0: now, and the promise settles when it is done). */
  private async retire(s: Site, leaseId: string | undefined, delayMs: number): Promise<void> {
    if (!leaseId) return;
    const entry = { leaseId, timer: undefined as unknown };
    const revoke = async (): Promise<void> => {
      s.retired = s.retired.filter((r) => r !== entry);
      const auth = this.o.auth();
      // A failure here only means the lease runs to its TTL; nothing to tell the admin.
      if (auth) await this.o.client.revokeLease(auth.token, leaseId).catch(() => undefined);
    };
    if (delayMs <= 0) {
      await revoke();
      return;
    }
    entry.timer = this.o.timers.setTimeout(revoke, delayMs);
    s.retired.push(entry);
  }

  private fetch(s: Site, reason: FetchReason): Promise<void> {
    const run = this.doFetch(s, reason).finally(() => {
      if (s.inflight === run) s.inflight = undefined;
    });
    s.inflight = run;
    return run;
  }

  private async doFetch(s: Site, reason: FetchReason): Promise<void> {
    const now = this.o.timers.now();
    const auth = this.o.auth();
    const old = s.current;
    // After a 401 the old token is known to be useless; otherwise it serves until it expires.
    const usable = reason !== 'after-401' && old !== undefined && (old.expiresAt === undefined || now < old.expiresAt);
    if (!auth) {
      s.current = undefined;
      this.set(s, { state: 'failed', problem: { kind: 'signed-out', message: `Sign in to Vault to connect to ${s.id}: its credentials come from ${s.status.source}.` }, fetchedAt: undefined, expiresAt: undefined, refreshAt: undefined }, old !== undefined);
      return;
    }
    if (!usable) {
      if (reason === 'after-401') s.current = undefined;
      this.set(s, { state: 'fetching', problem: undefined }, reason === 'after-401');
    }
    let issued: Issued;
    try {
      issued = await this.request(s.source, auth, reason === 'after-401');
    } catch (err) {
      this.fetchFailed(s, err instanceof VaultError ? err : new VaultError('invalid-response', (err as Error).message), reason);
      return;
    }
    if (this.#closed) {
      // Signed out or quitting while this was in flight: give the lease straight back.
      if (issued.leaseId) await this.o.client.revokeLease(auth.token, issued.leaseId).catch(() => undefined);
      return;
    }
    s.current = issued;
    s.retryMs = undefined;
    const refreshAt = this.refreshTime(s.source, issued);
    this.set(s, { state: 'ok', problem: undefined, fetchedAt: issued.fetchedAt, expiresAt: issued.expiresAt, refreshAt }, true);
    this.schedule(s, refreshAt, () => this.fetch(s, 'scheduled'));
    // After a 401 the old token is useless: revoke its lease now. Otherwise requests in flight with it may finish first.
    await this.retire(s, old?.leaseId, reason === 'after-401' ? 0 : (this.o.replacedLeaseGraceMs ?? 30_000));
  }

  /** Lease-based sources: a random 85–95 % into the lease; KV: after the re-read interval. */
  private refreshTime(source: SiteVaultSource, issued: Issued): number {
    if (issued.expiresAt === undefined) return issued.fetchedAt + (this.o.kvRefreshMs ?? 300_000);
    const life = issued.expiresAt - issued.fetchedAt;
    const at = issued.fetchedAt + life * (0.85 + 0.1 * this.o.random());
    return 'kv' in source ? Math.min(at, issued.fetchedAt + (this.o.kvRefreshMs ?? 300_000)) : at;
  }

  private fetchFailed(s: Site, error: VaultError, reason: FetchReason): void {
    if (this.#closed) return;
    const now = this.o.timers.now();
    const c = s.current;
    const stillValid = c !== undefined && (c.expiresAt === undefined || now < c.expiresAt);
    const problem = { kind: error.kind as CredentialProblemKind, message: `${s.id}: ${error.message}` };
    // Refusals (403, 404, a malformed secret) do not clear by waiting; they wait for the admin (connect()).
    const retry = error.transient || stillValid;
    let retryAt: number | undefined;
    if (retry) {
      const base = s.retryMs ?? this.o.initialRetryMs ?? 10_000;
      s.retryMs = Math.min(base * 2, this.o.maxRetryMs ?? 300_000);
      retryAt = now + base * (0.5 + this.o.random());
      // Bounded by what remains: at the token's end, stop pretending it works.
      if (stillValid && c.expiresAt !== undefined && retryAt >= c.expiresAt) retryAt = c.expiresAt;
    }
    if (stillValid) {
      this.set(s, { state: 'ok', problem, refreshAt: retryAt }, false);
    } else {
      const had = s.current !== undefined;
      s.current = undefined;
      this.set(s, { state: 'failed', problem, fetchedAt: undefined, expiresAt: undefined, refreshAt: retryAt }, had);
    }
    if (retryAt !== undefined) this.schedule(s, retryAt, () => this.fetch(s, reason === 'after-401' ? 'after-401' : 'retry'));
  }

  private async request(source: SiteVaultSource, auth: { token: string; expiresAt?: number }, after401: boolean): Promise<Issued> {
    const fetchedAt = this.o.timers.now();
    const cap = (end: number | undefined): number | undefined =>
      // Vault revokes a token's leases when the token ends, so credentials never outlive the sign-in.
      end === undefined ? auth.expiresAt : auth.expiresAt === undefined ? end : Math.min(end, auth.expiresAt);
    if ('kubernetesRole' in source) {
      const r = source.kubernetesRole;
      const path = `${r.mount}/creds/${encodeURIComponent(r.role)}`;
      const res = await this.o.client.request<VaultResponse<{ service_account_token?: string }>>('POST', path, {
        token: auth.token,
        body: { kubernetes_namespace: r.namespace, ...(r.ttl ? { ttl: r.ttl } : {}) },
      });
      const token = res?.data?.service_account_token;
      if (!token) throw new VaultError('invalid-response', `Vault sent no service_account_token for ${path}.`, { path });
      const lease = res.lease_duration > 0 ? fetchedAt + res.lease_duration * 1000 : undefined;
      return { token, leaseId: res.lease_id || undefined, fetchedAt, expiresAt: cap(lease), after401 };
    }
    const { mount, path: secretPath, field } = source.kv;
    const path = `${mount}/data/${secretPath.split('/').map(encodeURIComponent).join('/')}`;
    const res = await this.o.client.request<VaultResponse<{ data?: Record<string, unknown> | null }>>('GET', path, { token: auth.token });
    const value = res?.data?.data?.[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new VaultError('invalid-secret', `The secret ${path} has no '${field}' field with text in it; store the ${field} there.`, { path });
    }
    const token = field === 'token' ? value.trim() : tokenFromKubeconfig(value, path);
    // A stored token is no lease of the Vault token: it lives on at the cluster whatever the sign-in does.
    const lease = res.lease_duration > 0 ? fetchedAt + res.lease_duration * 1000 : undefined;
    return { token, fetchedAt, expiresAt: lease, after401 };
  }
}

/** The bearer token of a kubeconfig's current-context user (or its only user). */
function tokenFromKubeconfig(text: string, path: string): string {
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
  } catch (err) {
    // The parser's message may quote the file, token included: only the exception's class is safe to pass on.
    throw invalidSecret(`The kubeconfig in ${path} cannot be read (${(err as Error).name}); store a valid kubeconfig there.`, path);
  }
  const users = kc.getUsers();
  const user = kc.getCurrentUser() ?? (users.length === 1 ? users[0] : undefined);
  if (!user) throw invalidSecret(`The kubeconfig in ${path} has no current-context user; set current-context.`, path);
  if (!user.token) throw invalidSecret(`The kubeconfig in ${path} has no token for user '${user.name}' (client certificates and exec plugins from Vault are not supported).`, path);
  return user.token;
}

function invalidSecret(message: string, path: string): VaultError {
  return new VaultError('invalid-secret', message, { path });
}
