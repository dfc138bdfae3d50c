/**
 * Signing in to Vault: with a token the admin already has, or with user name
 * and password (userpass, LDAP). OIDC is in oidc.ts. Each ends in a
 * lookup-self, which validates the token and says who it belongs to.
 */
import { inspect } from 'node:util';
import type { VaultAuthMethod } from '../config';
import type { AuthBlock, TokenLookup, VaultClient } from './client';
import { VaultError } from './errors';

/**
 * A signed-in Vault token and what Vault says about it. The token sits in a
 * private field: console.log, util.inspect and JSON.stringify of this object
 * show everything but the token.
 */
export class VaultAuth {
  readonly #token: string;
  readonly accessor: string;
  /** Vault's display name, e.g. `userpass-alice`, `oidc-alice@example.com`. */
  readonly identity: string;
  readonly method: VaultAuthMethod;
  readonly policies: string[];
  readonly renewable: boolean;
  /** TTL in seconds when this was looked up; 0 = never expires (root tokens). */
  readonly ttl: number;
  /** Epoch ms when the token ends; undefined = never. */
  readonly expiresAt: number | undefined;

  constructor(token: string, lookup: TokenLookup, method: VaultAuthMethod, now: number) {
    this.#token = token;
    this.accessor = lookup.accessor;
    this.identity = lookup.display_name || `accessor-${lookup.accessor.slice(0, 8)}`;
    this.method = method;
    this.policies = lookup.policies ?? [];
    this.renewable = lookup.renewable;
    this.ttl = lookup.ttl;
    this.expiresAt = lookup.ttl > 0 ? now + lookup.ttl * 1000 : undefined;
  }

  /** The token itself, for the X-Vault-Token header and the keychain only. */
  token(): string {
    return this.#token;
  }

  /** The same token after a renewal granted `ttl` more seconds from `now`. */
  renewed(ttl: number, now: number): VaultAuth {
    return new VaultAuth(this.#token, { accessor: this.accessor, display_name: this.identity, ttl, expire_time: null, renewable: this.renewable, policies: this.policies }, this.method, now);
  }

  toJSON(): Record<string, unknown> {
    return { accessor: this.accessor, identity: this.identity, method: this.method, policies: this.policies, renewable: this.renewable, ttl: this.ttl, expiresAt: this.expiresAt };
  }

  [inspect.custom](): string {
    return `VaultAuth ${JSON.stringify(this.toJSON())}`;
  }
}

/** Validates a token by looking it up; a 403 means Vault does not know it (or no longer). */
export async function signInWithToken(client: VaultClient, token: string, now: () => number, method: VaultAuthMethod = 'token'): Promise<VaultAuth> {
  const trimmed = token.trim();
  if (!trimmed) throw new VaultError('sign-in', 'The Vault token is empty.');
  const lookup = await client.lookupSelf(trimmed);
  return new VaultAuth(trimmed, lookup, method, now());
}

/** The token from a login's auth block, validated and described by lookup-self. */
export async function fromAuthBlock(client: VaultClient, auth: AuthBlock, method: VaultAuthMethod, now: () => number): Promise<VaultAuth> {
  return signInWithToken(client, auth.client_token, now, method);
}

/**
 * `POST auth/<mount>/login/<username>` with the password — the same call for
 * userpass and LDAP. The password goes to Vault only and is cut out of any error.
 */
export async function signInWithPassword(
  client: VaultClient,
  opts: { method: 'userpass' | 'ldap'; mount?: string; username: string; password: string },
  now: () => number,
): Promise<VaultAuth> {
  const username = opts.username.trim();
  if (!username || !opts.password) throw new VaultError('sign-in', 'Enter your user name and password.');
  const mount = (opts.mount ?? opts.method).replace(/^\/+|\/+$/g, '');
  const auth = await client.login(`auth/${mount}/login/${encodeURIComponent(username)}`, { body: { password: opts.password }, secrets: [opts.password] });
  return fromAuthBlock(client, auth, opts.method, now);
}
