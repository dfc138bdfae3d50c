/**
 * Vault's own tokens (the ones sent as `X-Vault-Token`), not the site tokens
 * the Kubernetes engine mints. Each token has a TTL that renewals extend up to
 * a max TTL counted from issue, and remembers the leases it created so that
 * revoking or expiring it revokes them too, as Vault's token tree does.
 */
import type { Role } from '../auth';
import type { Rng } from '../rng';
import { formatGoDuration } from './duration';
import { base62, serviceToken } from './ids';
import { policiesFor } from './policy';

/** A Vault token as the emulator stores it. Times are epoch ms, TTLs seconds. */
export interface VaultToken {
  id: string;
  accessor: string;
  role: Role | 'root';
  policies: string[];
  displayName: string;
  meta: Record<string, string> | null;
  /** The login path that created it, e.g. `auth/userpass/login/alice`. */
  path: string;
  entityId: string;
  issueTime: number;
  /** TTL granted at creation; renewals without an increment ask for this again. 0 = never expires. */
  creationTtl: number;
  /** null for tokens that never expire (root). */
  expireTime: number | null;
  /** issueTime + max TTL: no renewal reaches past this. null = unbounded. */
  maxExpireTime: number | null;
  lastRenewalTime: number | null;
  renewable: boolean;
  /** Lease ids this token created; revoked with it. */
  leases: Set<string>;
}

/** What a renewal granted. */
export interface RenewResult {
  ttl: number;
  warnings: string[];
}

/** In-memory token store with an injected clock and random source. */
export class TokenStore {
  private readonly byId = new Map<string, VaultToken>();
  /** Every user token ever created, live or not: what a secret-hygiene check searches for. */
  readonly issued: string[] = [];

  constructor(private readonly rng: Rng) {}

  /** The root token: never expires, not renewable, policy `root`. */
  createRoot(now: number, id?: string): VaultToken {
    const token: VaultToken = {
      id: id ?? serviceToken(this.rng),
      accessor: base62(this.rng, 24),
      role: 'root',
      policies: policiesFor('root'),
      displayName: 'root',
      meta: null,
      path: 'auth/token/root',
      entityId: '',
      issueTime: now,
      creationTtl: 0,
      expireTime: null,
      maxExpireTime: null,
      lastRenewalTime: null,
      renewable: false,
      leases: new Set(),
    };
    this.byId.set(token.id, token);
    return token;
  }

  /** A renewable service token for a logged-in user. `ttl` is clamped to `maxTtl`. */
  createForUser(
    now: number,
    opts: { user: string; role: Role; entityId: string; mount: string; ttl: number; maxTtl: number },
  ): VaultToken {
    const ttl = Math.min(opts.ttl, opts.maxTtl);
    const token: VaultToken = {
      id: serviceToken(this.rng),
      accessor: base62(this.rng, 24),
      role: opts.role,
      policies: policiesFor(opts.role),
      displayName: `${opts.mount}-${opts.user}`,
      meta: { username: opts.user },
      path: `auth/${opts.mount}/login/${opts.user}`,
      entityId: opts.entityId,
      issueTime: now,
      creationTtl: ttl,
      expireTime: now + ttl * 1000,
      maxExpireTime: now + opts.maxTtl * 1000,
      lastRenewalTime: null,
      renewable: true,
      leases: new Set(),
    };
    this.byId.set(token.id, token);
    this.issued.push(token.id);
    return token;
  }

  /** The live token for `id`, or undefined if unknown, revoked or expired. */
  get(id: string, now: number): VaultToken | undefined {
    const token = this.byId.get(id);
    if (!token) return undefined;
    if (token.expireTime !== null && now >= token.expireTime) return undefined;
    return token;
  }

  /**
   * Extends a token. The increment is only a request: without one the token's
   * creation TTL is asked for again, and the result never passes the max TTL
   * (Vault then adds a warning, as here). Returns undefined if not renewable.
   */
  renew(token: VaultToken, increment: number | undefined, now: number): RenewResult | undefined {
    if (!token.renewable || token.expireTime === null) return undefined;
    const wanted = increment !== undefined && increment > 0 ? increment : token.creationTtl;
    const warnings: string[] = [];
    let ttl = wanted;
    if (token.maxExpireTime !== null && now + wanted * 1000 > token.maxExpireTime) {
      ttl = Math.max(0, Math.floor((token.maxExpireTime - now) / 1000));
      warnings.push(
        `TTL of "${formatGoDuration(wanted)}" exceeded the effective max_ttl of "${formatGoDuration(ttl)}"; TTL value is capped accordingly`,
      );
    }
    token.expireTime = now + ttl * 1000;
    token.lastRenewalTime = now;
    return { ttl, warnings };
  }

  /** Forgets a token; returns it so the caller can revoke its leases. */
  remove(id: string): VaultToken | undefined {
    const token = this.byId.get(id);
    this.byId.delete(id);
    return token;
  }

  /** Tokens whose expire time has passed (still stored until `remove`). */
  expired(now: number): VaultToken[] {
    return [...this.byId.values()].filter((t) => t.expireTime !== null && now >= t.expireTime);
  }

  /** Number of stored tokens, live or awaiting sweep. */
  get size(): number {
    return this.byId.size;
  }
}

/** Remaining whole seconds of a token, rounded as Vault rounds (0 for non-expiring). */
export function remainingTtl(token: VaultToken, now: number): number {
  if (token.expireTime === null) return 0;
  return Math.max(0, Math.round((token.expireTime - now) / 1000));
}
