/**
 * What the UI may know about Vault: the admin's sign-in and each site's
 * credentials. These are status records only — never a token, a lease id or
 * a password. core/vault produces them; the contract carries them.
 */

/** Sign-in methods Triptych offers; `mount` is where the method is enabled in Vault. */
export type VaultAuthMethod = 'token' | 'userpass' | 'ldap' | 'oidc';

export type VaultErrorKind =
  /** 503: Vault is sealed; an operator must unseal it. */
  | 'sealed'
  /** 429/473: the node answering is a standby. */
  | 'standby'
  /** 503 without "sealed": Vault (or a proxy in front) cannot serve now. */
  | 'unavailable'
  /** 403: the token is invalid (expired, revoked) or its policies refuse the path. */
  | 'permission-denied'
  /** 404: nothing there — or, as Vault says nothing more, no permission to know. */
  | 'not-found'
  /** 400 and other refusals with Vault's reason. */
  | 'bad-request'
  /** 5xx other than 503. */
  | 'server-error'
  /** No connection: refused, no route, DNS, reset. */
  | 'unreachable'
  /** No answer in time. */
  | 'timeout'
  /** TLS handshake failed: usually a CA Triptych does not trust. */
  | 'tls'
  /** An answer that is not Vault's JSON. */
  | 'invalid-response'
  /** A KV secret without the expected field, or a kubeconfig without a token. */
  | 'invalid-secret'
  /** Settings that cannot work (bad address, unreadable CA file). */
  | 'settings'
  /** A sign-in that did not complete (OIDC cancelled, state mismatch, timed out). */
  | 'sign-in';

export type VaultSessionState = 'signed-out' | 'signed-in' | 'expiring' | 'expired';

/** The admin's Vault sign-in as the UI shows it. Never the token. */
export interface VaultSessionStatus {
  address: string;
  namespace?: string;
  state: VaultSessionState;
  identity?: string;
  method?: VaultAuthMethod;
  policies?: string[];
  /** When the token ends (undefined: never, or signed out). */
  expiresAt?: number;
  /** Where the token is kept: `keychain` survives a restart, `memory` does not. */
  storage: 'keychain' | 'memory';
  /** Why the token is in memory only (no keychain, or the keychain refused it). */
  storageWarning?: string;
  /** A renewal or revocation problem (sealed, unreachable…); the token may still be valid. */
  problem?: { kind: VaultErrorKind; message: string };
}

export type SiteCredentialState = 'idle' | 'fetching' | 'ok' | 'failed' | 'expired';

/** Why a site has no (or only aging) credentials: a Vault error, or one of these. */
export type CredentialProblemKind = VaultErrorKind | 'signed-out' | 'rejected';

/** A site's Vault-issued credentials as the UI shows them: never the token or the lease id. */
export interface SiteCredentialStatus {
  site: string;
  /** Where they come from, e.g. `Vault kubernetes/creds/operator (namespace default)`. */
  source: string;
  state: SiteCredentialState;
  /** Set when not `ok`, and while `ok` when a refresh is failing (the current token still works until `expiresAt`). */
  problem?: { kind: CredentialProblemKind; message: string };
  fetchedAt?: number;
  /** When the current token stops working (lease end, or the Vault token's end if sooner). */
  expiresAt?: number;
  /** When the next fetch is due. */
  refreshAt?: number;
}

/** Vault as the console uses it: absent from `VaultOverview` when no Vault is configured. */
export interface VaultOverview {
  /** Where the settings came from (`triptych.yaml`, `VAULT_ADDR`, `training fleet`). */
  addressFrom: string;
  /** How the sign-in dialog starts: the configured method, its mount and a prefilled user name. */
  auth: { method: VaultAuthMethod; mount: string; role?: string; username?: string };
  /** Set in training mode: the training Vault's accounts all use this password. */
  trainingPassword?: string;
  /** VAULT_TOKEN or ~/.vault-token holds a token the admin may import (the token itself stays in core). */
  cliToken?: 'VAULT_TOKEN' | '~/.vault-token';
  /** An OIDC sign-in waits for the identity provider: the page the admin must open (if no browser opened). */
  oidcUrl?: string;
  session: VaultSessionStatus;
  sites: SiteCredentialStatus[];
}
