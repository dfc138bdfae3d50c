/**
 * Bearer tokens the training fleet accepts, shared by every site's API server
 * and the Vault emulator (which mints short-lived site tokens into it).
 */
export type Role = 'admin' | 'operator' | 'viewer';

export interface Identity {
  user: string;
  groups: string[];
  role: Role;
}

export interface TokenEntry {
  identity: Identity;
  /** Sites at which the token is valid; '*' for every site. */
  sites: readonly string[] | '*';
  /** Epoch ms after which the API servers answer 401; absent = never. */
  expiresAt?: number;
}

export type TokenCheck =
  | { ok: true; identity: Identity }
  | { ok: false; reason: 'unknown' | 'expired' | 'wrong-site' };

export class TokenRegistry {
  private readonly tokens = new Map<string, TokenEntry>();

  add(token: string, entry: TokenEntry): void {
    this.tokens.set(token, entry);
  }

  /** Removes a token; true if it existed. */
  revoke(token: string): boolean {
    return this.tokens.delete(token);
  }

  check(token: string, site: string, now: number): TokenCheck {
    const entry = this.tokens.get(token);
    if (!entry) return { ok: false, reason: 'unknown' };
    if (entry.expiresAt !== undefined && now >= entry.expiresAt) return { ok: false, reason: 'expired' };
    if (entry.sites !== '*' && !entry.sites.includes(site)) return { ok: false, reason: 'wrong-site' };
    return { ok: true, identity: entry.identity };
  }

  /** Scenario "credentials expiring": every token valid at `site` expires at `at`. */
  expireAt(site: string, at: number): void {
    for (const entry of this.tokens.values()) {
      // Fleet-wide tokens are left alone: the fault is about one site.
      if (entry.sites !== '*' && entry.sites.includes(site)) {
        entry.expiresAt = Math.min(entry.expiresAt ?? Infinity, at);
      }
    }
  }
}
