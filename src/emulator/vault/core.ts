/**
 * The Vault emulator's state and operations, independent of HTTP: seal and
 * standby state, users, tokens, the KV store and the Kubernetes engine.
 * Every operation takes `now` from the injected clock; none sleeps or sets
 * timers, so tests move time by moving the clock. Expiries are applied by
 * `sweep()`, which the server runs before each request.
 */
import type { Role, TokenRegistry } from '../auth';
import type { Rng } from '../rng';
import { parseDurationSeconds } from './duration';
import { badRequest, permissionDenied } from './errors';
import { base62, uuid } from './ids';
import { KvStore } from './kv';
import { KubernetesEngine } from './kubernetes-engine';
import { buildPolicies, isAllowed } from './policy';
import type { Capability, PathRule } from './policy';
import { TokenStore, remainingTtl } from './tokens';
import type { VaultToken } from './tokens';

/** The Vault release the emulator claims to be. */
export const VAULT_VERSION = '1.19.0';

/** A userpass account. */
export interface VaultUser {
  name: string;
  password: string;
  role: Role;
}

/** Settings after defaults are applied. */
export interface CoreSettings {
  now: () => number;
  rng: Rng;
  registry: TokenRegistry;
  sites: string[];
  users: VaultUser[];
  rootToken?: string;
  defaultTokenTtl: number;
  maxTokenTtl: number;
  credsTtl: number;
  credsMaxTtl: number;
  kv: Record<string, Record<string, unknown>>;
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString();

/** Vault's `auth` block for a token. */
function authBlock(token: VaultToken, leaseDuration: number): Record<string, unknown> {
  return {
    client_token: token.id,
    accessor: token.accessor,
    policies: token.policies,
    token_policies: token.policies,
    identity_policies: null,
    metadata: token.meta,
    lease_duration: leaseDuration,
    renewable: token.renewable,
    entity_id: token.entityId,
    token_type: 'service',
    orphan: true,
    mfa_requirement: null,
    num_uses: 0,
  };
}

/** State and operations of one emulated Vault server. */
export class VaultCore {
  sealed = false;
  standby = false;
  /** The server's base URL, once listening (reported by sys/leader). */
  url = '';
  readonly rootToken: string;
  readonly clusterName: string;
  readonly clusterId: string;
  readonly kv = new KvStore();
  readonly kube: KubernetesEngine;
  private readonly tokens: TokenStore;
  private readonly policies: Map<string, PathRule[]>;
  private readonly users = new Map<string, VaultUser & { entityId: string }>();
  private readonly rng: Rng;

  constructor(private readonly settings: CoreSettings) {
    // Separate streams, so adding a request never shifts the tokens a test expects.
    this.rng = settings.rng.fork('vault-ids');
    this.clusterName = `vault-cluster-${base62(this.rng, 8).toLowerCase()}`;
    this.clusterId = uuid(this.rng);
    this.tokens = new TokenStore(settings.rng.fork('vault-tokens'));
    this.rootToken = this.tokens.createRoot(settings.now(), settings.rootToken).id;
    this.kube = new KubernetesEngine({
      sites: settings.sites,
      registry: settings.registry,
      rng: settings.rng.fork('vault-kubernetes'),
      credsTtl: settings.credsTtl,
      credsMaxTtl: settings.credsMaxTtl,
    });
    this.policies = buildPolicies(settings.sites);
    for (const u of settings.users) {
      // Vault's userpass stores usernames lower-cased and logs in case-insensitively.
      this.users.set(u.name.toLowerCase(), { ...u, name: u.name.toLowerCase(), entityId: uuid(this.rng) });
    }
    const seededAt = settings.now();
    for (const [path, data] of Object.entries(settings.kv)) this.kv.write(path, { data }, seededAt);
  }

  /** The injected clock, epoch ms. */
  now(): number {
    return this.settings.now();
  }

  /** A fresh request id for the response envelope. */
  requestId(): string {
    return uuid(this.rng);
  }

  /** Every user token, site token and lease id this Vault ever issued (secret-hygiene checks search for them). */
  issued(): string[] {
    return [...this.tokens.issued, ...this.kube.issued];
  }

  /** Applies expiries: expired Vault tokens take their leases with them; expired leases end. */
  sweep(): void {
    const now = this.now();
    for (const token of this.tokens.expired(now)) {
      this.kube.expireOwnedBy(token);
      this.tokens.remove(token.id);
    }
    this.kube.sweep(now);
  }

  /** The live token for a request, or 403 (missing, unknown and expired look the same). */
  authenticate(id: string | undefined): VaultToken {
    const token = id ? this.tokens.get(id, this.now()) : undefined;
    if (!token) throw permissionDenied();
    return token;
  }

  /** 403 unless the token's policies grant `capability` on `path`. */
  authorize(token: VaultToken, path: string, capability: Capability): void {
    if (!isAllowed(this.policies, token.policies, path, capability)) throw permissionDenied();
  }

  /** `POST auth/userpass/login/<user>` → auth block. */
  login(username: string, body: Record<string, unknown>): Record<string, unknown> {
    if (typeof body.password !== 'string' || body.password === '') throw badRequest('missing password');
    const user = this.users.get(username.toLowerCase());
    if (!user || user.password !== body.password) throw badRequest('invalid username or password');
    const token = this.tokens.createForUser(this.now(), {
      user: user.name,
      role: user.role,
      entityId: user.entityId,
      mount: 'userpass',
      ttl: this.settings.defaultTokenTtl,
      maxTtl: this.settings.maxTokenTtl,
    });
    return authBlock(token, token.creationTtl);
  }

  /** `GET auth/token/lookup-self` → data. */
  lookupSelf(token: VaultToken): Record<string, unknown> {
    const now = this.now();
    const data: Record<string, unknown> = {
      accessor: token.accessor,
      creation_time: Math.floor(token.issueTime / 1000),
      creation_ttl: token.creationTtl,
      display_name: token.displayName,
      entity_id: token.entityId,
      expire_time: token.expireTime === null ? null : rfc3339(token.expireTime),
      explicit_max_ttl: 0,
      id: token.id,
      issue_time: rfc3339(token.issueTime),
      meta: token.meta,
      num_uses: 0,
      orphan: true,
      path: token.path,
      policies: token.policies,
      renewable: token.renewable,
      ttl: remainingTtl(token, now),
      type: 'service',
    };
    if (token.lastRenewalTime !== null) {
      data.last_renewal = rfc3339(token.lastRenewalTime);
      data.last_renewal_time = Math.floor(token.lastRenewalTime / 1000);
    }
    return data;
  }

  /** `POST auth/token/renew-self` with `{increment?}` → auth block and warnings. */
  renewSelf(token: VaultToken, body: Record<string, unknown>): { auth: Record<string, unknown>; warnings: string[] } {
    let increment: number | undefined;
    if (body.increment !== undefined && body.increment !== null && body.increment !== '') {
      increment = parseDurationSeconds(body.increment);
      if (increment === undefined) throw badRequest(`invalid increment: ${JSON.stringify(body.increment)}`);
    }
    const result = this.tokens.renew(token, increment, this.now());
    if (!result) throw badRequest('lease is not renewable');
    this.kube.ownerRenewed(token);
    return { auth: authBlock(token, result.ttl), warnings: result.warnings };
  }

  /** `POST auth/token/revoke-self`: the token and, through it, every lease it created. */
  revokeSelf(token: VaultToken): void {
    this.kube.revokeOwnedBy(token);
    this.tokens.remove(token.id);
  }

  /** `PUT sys/leases/lookup` → data. */
  leaseLookup(leaseId: string): Record<string, unknown> {
    const lease = this.kube.get(leaseId, this.now());
    if (!lease) throw badRequest('invalid lease');
    return {
      id: lease.id,
      issue_time: rfc3339(lease.issueTime),
      expire_time: rfc3339(lease.expireTime),
      last_renewal_time: null,
      renewable: false,
      ttl: Math.max(0, Math.round((lease.expireTime - this.now()) / 1000)),
    };
  }

  /** `PUT sys/leases/renew`: every lease here is non-renewable, so this only ever refuses. */
  leaseRenew(leaseId: string): never {
    if (!this.kube.get(leaseId, this.now())) throw badRequest('invalid lease');
    throw badRequest('lease is not renewable');
  }

  /** `PUT sys/leases/revoke`: like Vault, an unknown or already-ended lease is not an error. */
  leaseRevoke(leaseId: string): void {
    this.kube.revoke(leaseId);
  }

  /** Lease id from the body (preferred, as Vault does) or the path suffix. */
  static leaseIdOf(body: Record<string, unknown>, fromPath: string | undefined): string {
    const id = typeof body.lease_id === 'string' && body.lease_id !== '' ? body.lease_id : fromPath;
    if (!id) throw badRequest('lease_id is required');
    return id;
  }
}
