/**
 * The Kubernetes secrets engine, one mount per site (`kubernetes-<site>`).
 *
 * `creds/<role>` mints a service-account token that the site API servers
 * accept: it goes into the shared `TokenRegistry`, valid only at that site,
 * with `expiresAt` = lease end. Leases are not renewable (as with the real
 * engine), so clients must fetch new credentials before the lease ends.
 *
 * A lease belongs to the Vault token that asked for it. As in Vault, revoking
 * that token revokes the lease, and so does the token expiring. To make the
 * second case exact without timers, the registry entry's `expiresAt` is
 * capped at the owning token's expiry and moved when the token is renewed,
 * so a site token can die before its `lease_duration` if its Vault token does.
 *
 * Role definitions are fixed: roles `admin`, `operator`, `viewer` map to the
 * fleet roles of the same name, any namespace is allowed, and the namespace
 * is not checked against the site's state.
 */
import type { Role, TokenEntry, TokenRegistry } from '../auth';
import type { Rng } from '../rng';
import { formatGoDuration, parseDurationSeconds } from './duration';
import { VaultError, badRequest } from './errors';
import { b64urlJson, base62, base64urlNoise, uuid } from './ids';
import { ROLE_ORDER, kubernetesMount } from './policy';
import type { VaultToken } from './tokens';

/**
 * Kubernetes refuses TokenRequests shorter than this (`expirationSeconds`
 * minimum), so a request naming a shorter `ttl` fails as it would against a
 * real cluster. The configured default `credsTtl` is trusted, so scenarios
 * may still use short leases.
 */
export const K8S_MIN_TOKEN_TTL = 600;

/** A lease on one minted site token. Times are epoch ms. */
export interface KubeLease {
  id: string;
  site: string;
  role: Role;
  namespace: string;
  serviceAccountName: string;
  /** The bearer token the site API server accepts. */
  siteToken: string;
  issueTime: number;
  expireTime: number;
  owner: VaultToken;
  /** The registry entry, shared by reference with the `TokenRegistry`. */
  entry: TokenEntry;
  /** The `expiresAt` this engine last wrote, to notice when a scenario has lowered it. */
  written: number;
}

/** Public view of a lease, for tests and scenarios. */
export interface LeaseInfo {
  leaseId: string;
  site: string;
  role: Role;
  namespace: string;
  serviceAccountName: string;
  siteToken: string;
  issueTime: number;
  expireTime: number;
  ownerAccessor: string;
}

/** What `creds/<role>` returns, before the server wraps it in Vault's envelope. */
export interface CredsResult {
  leaseId: string;
  leaseDuration: number;
  data: { service_account_name: string; service_account_namespace: string; service_account_token: string };
  warnings: string[];
}

/** Settings of the Kubernetes engine; TTLs in seconds. */
export interface KubernetesEngineOptions {
  sites: readonly string[];
  registry: TokenRegistry;
  rng: Rng;
  /** Lease TTL when the request names none (the role's `token_default_ttl`), seconds. */
  credsTtl: number;
  /** Longest lease granted (the role's `token_max_ttl`), seconds. */
  credsMaxTtl: number;
  /**
   * How long an expired site token stays in the registry (reporting `expired`)
   * before it is removed (then `unknown`), ms. Keeps the reason visible to
   * tests and trainees without letting the registry grow forever.
   */
  retentionMs?: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Minted site tokens and their leases, for every site mount. */
export class KubernetesEngine {
  private readonly leases = new Map<string, KubeLease>();
  /** Every site token and lease id ever minted, live or not: what a secret-hygiene check searches for. */
  readonly issued: string[] = [];
  /** Site tokens whose lease ended, kept until `retentionMs` after expiry. */
  private readonly retired = new Map<string, TokenEntry>();
  private readonly retentionMs: number;

  constructor(private readonly opts: KubernetesEngineOptions) {
    this.retentionMs = opts.retentionMs ?? 3_600_000;
  }

  /** The mount names this engine answers, one per site. */
  mounts(): string[] {
    return this.opts.sites.map(kubernetesMount);
  }

  /** The site served by a mount name, if any. */
  siteOfMount(mount: string): string | undefined {
    return this.opts.sites.find((s) => kubernetesMount(s) === mount);
  }

  /** `POST kubernetes-<site>/creds/<role>` with `{kubernetes_namespace, ttl?}`. */
  issue(site: string, roleName: string, body: Record<string, unknown>, owner: VaultToken, now: number): CredsResult {
    const role = ROLE_ORDER.find((r) => r === roleName);
    if (!role) throw badRequest(`role '${roleName}' does not exist`);
    const namespace = body.kubernetes_namespace;
    if (namespace === undefined || namespace === null || namespace === '') {
      throw badRequest("'kubernetes_namespace' is required");
    }
    if (typeof namespace !== 'string' || namespace.length > 63 || !DNS_LABEL.test(namespace)) {
      throw badRequest(`kubernetes_namespace '${String(namespace)}' is not a valid namespace name`);
    }

    const warnings: string[] = [];
    let ttl = this.opts.credsTtl;
    // Vault treats an empty or zero ttl as "not given" and falls back to the role default.
    const explicit = body.ttl !== undefined && body.ttl !== null && body.ttl !== '' && body.ttl !== 0;
    if (explicit) {
      const requested = parseDurationSeconds(body.ttl);
      if (requested === undefined) throw badRequest(`invalid ttl: ${JSON.stringify(body.ttl)}`);
      ttl = requested;
    }
    if (ttl > this.opts.credsMaxTtl) {
      warnings.push(
        `ttl of ${formatGoDuration(ttl)} is greater than the role's token_max_ttl of ${formatGoDuration(this.opts.credsMaxTtl)}; capping accordingly`,
      );
      ttl = this.opts.credsMaxTtl;
    }

    const sa = this.serviceAccountName(owner, role, now);
    if (explicit && ttl < K8S_MIN_TOKEN_TTL) {
      // The API server rejects the TokenRequest and Vault passes the failure on as a 500.
      throw new VaultError(500, [
        `failed to create a service account token for ${namespace}/${sa}: TokenRequest.authentication.k8s.io "${sa}" is invalid: spec.expirationSeconds: Invalid value: ${ttl}: may not specify a duration less than 10 minutes`,
      ]);
    }

    const expireTime = now + ttl * 1000;
    const siteToken = this.jwt(namespace, sa, now, expireTime);
    const written = Math.min(expireTime, owner.expireTime ?? Infinity);
    const entry: TokenEntry = {
      identity: {
        user: `system:serviceaccount:${namespace}:${sa}`,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
        role,
      },
      sites: [site],
      expiresAt: written,
    };
    this.opts.registry.add(siteToken, entry);
    const id = `${kubernetesMount(site)}/creds/${role}/${base62(this.opts.rng, 24)}`;
    this.leases.set(id, {
      id,
      site,
      role,
      namespace,
      serviceAccountName: sa,
      siteToken,
      issueTime: now,
      expireTime,
      owner,
      entry,
      written,
    });
    owner.leases.add(id);
    this.issued.push(siteToken, id);
    return {
      leaseId: id,
      leaseDuration: ttl,
      data: { service_account_name: sa, service_account_namespace: namespace, service_account_token: siteToken },
      warnings,
    };
  }

  /** A live lease by id (undefined once expired or revoked). */
  get(leaseId: string, now: number): KubeLease | undefined {
    const lease = this.leases.get(leaseId);
    return lease && now < lease.expireTime ? lease : undefined;
  }

  /** Revokes a lease now: the site token leaves the registry at once. */
  revoke(leaseId: string): boolean {
    const lease = this.leases.get(leaseId);
    if (!lease) return false;
    this.leases.delete(leaseId);
    lease.owner.leases.delete(leaseId);
    this.opts.registry.revoke(lease.siteToken);
    return true;
  }

  /** Revokes every lease `owner` created (token revocation). */
  revokeOwnedBy(owner: VaultToken): number {
    let n = 0;
    for (const id of [...owner.leases]) if (this.revoke(id)) n++;
    return n;
  }

  /**
   * The owning token expired: its leases end now. Their registry entries were
   * capped at the token's expiry, so they already report `expired`; they are
   * retired rather than deleted so that stays visible for a while.
   */
  expireOwnedBy(owner: VaultToken): void {
    for (const id of [...owner.leases]) {
      const lease = this.leases.get(id);
      if (lease) this.retire(lease);
    }
  }

  /** The owning token was renewed: move its site tokens' expiry with it, up to each lease's end. */
  ownerRenewed(owner: VaultToken): void {
    for (const id of owner.leases) {
      const lease = this.leases.get(id);
      if (!lease) continue;
      // A scenario (TokenRegistry.expireAt) may have cut the token short; keep its cut.
      if (lease.entry.expiresAt !== lease.written) continue;
      lease.written = Math.min(lease.expireTime, owner.expireTime ?? Infinity);
      lease.entry.expiresAt = lease.written;
    }
  }

  /** Ends expired leases and drops retired site tokens past retention. */
  sweep(now: number): void {
    for (const lease of [...this.leases.values()]) {
      if (now >= lease.expireTime) this.retire(lease);
    }
    for (const [token, entry] of [...this.retired]) {
      if ((entry.expiresAt ?? now) + this.retentionMs <= now) {
        this.retired.delete(token);
        this.opts.registry.revoke(token);
      }
    }
  }

  /** Every live lease, oldest first. */
  list(): LeaseInfo[] {
    return [...this.leases.values()].map((l) => ({
      leaseId: l.id,
      site: l.site,
      role: l.role,
      namespace: l.namespace,
      serviceAccountName: l.serviceAccountName,
      siteToken: l.siteToken,
      issueTime: l.issueTime,
      expireTime: l.expireTime,
      ownerAccessor: l.owner.accessor,
    }));
  }

  private retire(lease: KubeLease): void {
    this.leases.delete(lease.id);
    lease.owner.leases.delete(lease.id);
    this.retired.set(lease.siteToken, lease.entry);
  }

  /** Vault's default name template: v-<display>-<role>-<unix>-<random>, at most 62 chars, lower case. */
  private serviceAccountName(owner: VaultToken, role: Role, now: number): string {
    const display = owner.displayName.slice(0, 8);
    const name = `v-${display}-${role.slice(0, 8)}-${Math.floor(now / 1000)}-${base62(this.opts.rng, 24)}`;
    return name.slice(0, 62).toLowerCase();
  }

  /**
   * A token shaped like a bound service-account JWT (three base64url parts,
   * Kubernetes claims). The signature is noise: only the registry decides
   * validity, but clients that decode `exp` see the right value.
   */
  private jwt(namespace: string, sa: string, now: number, expireTime: number): string {
    const header = { alg: 'RS256', kid: base62(this.opts.rng, 43) };
    const iat = Math.floor(now / 1000);
    const payload = {
      aud: ['https://kubernetes.default.svc'],
      exp: Math.floor(expireTime / 1000),
      iat,
      iss: 'https://kubernetes.default.svc',
      'kubernetes.io': { namespace, serviceaccount: { name: sa, uid: uuid(this.opts.rng) } },
      nbf: iat,
      sub: `system:serviceaccount:${namespace}:${sa}`,
    };
    return `${b64urlJson(header)}.${b64urlJson(payload)}.${base64urlNoise(this.opts.rng, 342)}`;
  }
}
