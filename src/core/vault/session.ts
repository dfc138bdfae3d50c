/**
 * The admin's Vault sign-in: one token, kept in the OS keychain (or memory
 * when there is none), renewed by a TokenWatcher, revoked at sign-out.
 *
 * Keychain entries are filed under service `triptych`, account
 * `<address>[#<namespace>] <identity>` (identity = Vault's display name), so
 * one person can hold tokens for several Vaults and a restart finds the
 * token for the configured one.
 */
import { inspect } from 'node:util';
import type { Env } from '../config';
import type { Keychain } from '../keychain';
import type { VaultClient } from './client';
import type { VaultSessionState, VaultSessionStatus } from '../../shared/vault';
import type { VaultError } from './errors';
import { signInWithPassword, signInWithToken, type VaultAuth } from './login';
import { signInWithOidc, type OidcOptions } from './oidc';
import type { Random, Timers } from './timers';
import { findExistingToken } from './token-import';
import { TokenWatcher, type WatcherEvent } from './token-watcher';

export type { VaultSessionState, VaultSessionStatus };

export interface VaultSessionOptions {
  client: VaultClient;
  keychain: Keychain;
  timers: Timers;
  random: Random;
  /** Seconds asked for at each renewal; default none (Vault grants the token's TTL again). */
  renewIncrement?: number;
  /** Forwarded to TokenWatcher (tests shorten them). */
  initialRetryMs?: number;
  maxRetryMs?: number;
}

export class VaultSession {
  #auth: VaultAuth | undefined;
  #status: VaultSessionStatus;
  #watcher: TokenWatcher | undefined;
  #expiryTimer: unknown;
  /** Keychain storage failed for the current token: it lives in memory only until sign-out. */
  #storageWarning: string | undefined;
  readonly #listeners = new Set<(s: VaultSessionStatus) => void>();

  constructor(private readonly o: VaultSessionOptions) {
    this.#status = this.base('signed-out');
  }

  /** The keychain account prefix for this Vault (address and namespace). */
  get accountPrefix(): string {
    const ns = this.o.client.namespace;
    return `${this.o.client.address}${ns ? `#${ns}` : ''} `;
  }

  status(): VaultSessionStatus {
    return { ...this.#status };
  }

  subscribe(listener: (s: VaultSessionStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The live token and its end, for SiteCredentials; undefined when signed out or expired. */
  auth(): { token: string; expiresAt?: number } | undefined {
    const a = this.#auth;
    if (!a || this.#status.state === 'expired' || this.#status.state === 'signed-out') return undefined;
    if (a.expiresAt !== undefined && this.o.timers.now() >= a.expiresAt) return undefined;
    return { token: a.token(), expiresAt: a.expiresAt };
  }

  /**
   * At start: the token the keychain holds for this Vault, if Vault still
   * accepts it. Tokens Vault refuses (403) are deleted from the keychain; a
   * Vault that cannot answer now (sealed, unreachable) leaves them in place
   * and the problem is reported.
   */
  async restore(): Promise<VaultSessionStatus> {
    let accounts: string[];
    try {
      accounts = (await this.o.keychain.accounts()).filter((a) => a.startsWith(this.accountPrefix));
    } catch (err) {
      return this.update({ problem: { kind: 'settings', message: `The keychain could not be read: ${(err as Error).message}` } });
    }
    for (const account of accounts) {
      const token = await this.o.keychain.get(account).catch(() => undefined);
      if (!token) continue;
      try {
        const auth = await signInWithToken(this.o.client, token, () => this.o.timers.now(), 'token');
        this.adopt(auth);
        if (account !== this.account(auth)) await this.o.keychain.delete(account).catch(() => undefined);
        return this.status();
      } catch (err) {
        const e = err as VaultError;
        if (e.kind === 'permission-denied') {
          await this.o.keychain.delete(account).catch(() => undefined);
          continue;
        }
        return this.update({ problem: { kind: e.kind ?? 'invalid-response', message: e.message } });
      }
    }
    return this.status();
  }

  async signInWithToken(token: string): Promise<VaultSessionStatus> {
    return this.replace(await signInWithToken(this.o.client, token, () => this.o.timers.now(), 'token'));
  }

  async signInWithPassword(opts: { method: 'userpass' | 'ldap'; mount?: string; username: string; password: string }): Promise<VaultSessionStatus> {
    return this.replace(await signInWithPassword(this.o.client, opts, () => this.o.timers.now()));
  }

  async signInWithOidc(opts: Omit<OidcOptions, 'now'>): Promise<VaultSessionStatus> {
    return this.replace(await signInWithOidc(this.o.client, { ...opts, now: () => this.o.timers.now() }));
  }

  /** Signs in with VAULT_TOKEN or ~/.vault-token; undefined when neither holds a token. */
  async importExistingToken(env: Env, home: string): Promise<VaultSessionStatus | undefined> {
    const found = await findExistingToken(env, home);
    if (!found) return undefined;
    return this.signInWithToken(found.token);
  }

  /**
   * Revokes the token at Vault (which also ends every lease it created) and
   * deletes it from the keychain. The token is forgotten even when Vault
   * cannot be reached; the problem is reported so the admin knows it lives on
   * at Vault until its TTL.
   */
  async signOut(): Promise<VaultSessionStatus> {
    const auth = this.#auth;
    this.stopWatcher();
    let problem: VaultSessionStatus['problem'];
    if (auth) {
      try {
        await this.o.client.revokeSelf(auth.token());
      } catch (err) {
        const e = err as VaultError;
        // 403: already revoked or expired — the goal is reached.
        if (e.kind !== 'permission-denied') problem = { kind: e.kind, message: `Signed out, but Vault could not revoke the token, so it stays valid at Vault until it expires: ${e.message}` };
      }
      await this.o.keychain.delete(this.account(auth)).catch(() => undefined);
    }
    this.#auth = undefined;
    this.#storageWarning = undefined;
    return this.set({ ...this.base('signed-out'), ...(problem ? { problem } : {}) });
  }

  /** What a debug dump of this object shows: the status, never the token. */
  [inspect.custom](): string {
    return `VaultSession ${JSON.stringify(this.#status)}`;
  }

  toJSON(): VaultSessionStatus {
    return this.status();
  }

  /** Stops renewing (quit). The token stays in the keychain for the next start. */
  close(): void {
    this.stopWatcher();
  }

  private account(auth: VaultAuth): string {
    return `${this.accountPrefix}${auth.identity}`;
  }

  private base(state: VaultSessionState): VaultSessionStatus {
    const ns = this.o.client.namespace;
    const warning = this.#storageWarning ?? this.o.keychain.warning;
    return {
      address: this.o.client.address,
      ...(ns ? { namespace: ns } : {}),
      state,
      storage: this.o.keychain.kind === 'os' && !this.#storageWarning ? 'keychain' : 'memory',
      ...(warning ? { storageWarning: warning } : {}),
    };
  }

  /** A new sign-in replaces the current one, which is revoked first: one live token per console. */
  private async replace(auth: VaultAuth): Promise<VaultSessionStatus> {
    if (this.#auth && this.#auth.accessor !== auth.accessor) await this.signOut();
    await this.store(auth);
    this.adopt(auth);
    return this.status();
  }

  private async store(auth: VaultAuth): Promise<void> {
    this.#storageWarning = undefined;
    try {
      await this.o.keychain.set(this.account(auth), auth.token());
    } catch (err) {
      // A locked or refusing keychain: the sign-in still works, for this run only.
      this.#storageWarning = `The keychain refused to store your Vault token (${(err as Error).message}); it is kept in memory only and you will have to sign in again after restarting Triptych.`;
    }
  }

  private adopt(auth: VaultAuth): void {
    this.stopWatcher();
    this.#auth = auth;
    this.set({
      ...this.base('signed-in'),
      identity: auth.identity,
      method: auth.method,
      policies: auth.policies,
      ...(auth.expiresAt !== undefined ? { expiresAt: auth.expiresAt } : {}),
    });
    if (auth.ttl <= 0) return;
    const watcher = new TokenWatcher({
      ttl: auth.ttl,
      renewable: auth.renewable,
      increment: this.o.renewIncrement,
      timers: this.o.timers,
      random: this.o.random,
      initialRetryMs: this.o.initialRetryMs,
      maxRetryMs: this.o.maxRetryMs,
      renew: async (increment) => {
        const block = await this.o.client.renewSelf(auth.token(), increment);
        return { ttl: block.lease_duration, renewable: block.renewable };
      },
      onEvent: (e) => this.onWatcher(watcher, e),
    });
    this.#watcher = watcher;
    watcher.start();
  }

  private onWatcher(watcher: TokenWatcher, e: WatcherEvent): void {
    if (this.#watcher !== watcher || !this.#auth) return;
    const now = this.o.timers.now();
    switch (e.type) {
      case 'renewed':
        this.#auth = this.#auth.renewed(e.ttl, now);
        this.update({ state: 'signed-in', expiresAt: e.expiresAt, problem: undefined });
        break;
      case 'renew-failed':
        this.update({ problem: { kind: e.error.kind, message: `Renewing your Vault token failed; trying again. ${e.error.message}` } });
        break;
      case 'expiring':
        this.update({
          state: 'expiring',
          expiresAt: e.expiresAt,
          problem: undefined,
        });
        this.scheduleExpiry(e.expiresAt);
        break;
      case 'gave-up':
        this.update({ state: 'expiring', expiresAt: e.expiresAt, problem: { kind: e.error.kind, message: `Your Vault token could not be renewed and will expire; sign in again. ${e.error.message}` } });
        this.scheduleExpiry(e.expiresAt);
        break;
      case 'revoked':
        this.expire({ kind: 'permission-denied', message: e.error.message });
        break;
    }
  }

  /** After `expiring`, the token's end turns the session into `expired` (the keychain entry is useless then). */
  private scheduleExpiry(at: number): void {
    if (this.#expiryTimer !== undefined) this.o.timers.clearTimeout(this.#expiryTimer);
    this.#expiryTimer = this.o.timers.setTimeout(() => {
      this.#expiryTimer = undefined;
      this.expire({ kind: 'permission-denied', message: 'Your Vault token has expired; sign in again.' });
    }, at - this.o.timers.now());
  }

  private expire(problem: NonNullable<VaultSessionStatus['problem']>): void {
    const auth = this.#auth;
    this.stopWatcher();
    if (auth) void this.o.keychain.delete(this.account(auth)).catch(() => undefined);
    this.set({ ...this.base('expired'), ...(auth ? { identity: auth.identity, method: auth.method } : {}), problem });
  }

  private stopWatcher(): void {
    this.#watcher?.stop();
    this.#watcher = undefined;
    if (this.#expiryTimer !== undefined) this.o.timers.clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
  }

  private update(patch: Partial<VaultSessionStatus>): VaultSessionStatus {
    return this.set({ ...this.#status, ...patch });
  }

  private set(next: VaultSessionStatus): VaultSessionStatus {
    for (const k of Object.keys(next) as (keyof VaultSessionStatus)[]) if (next[k] === undefined) delete next[k];
    this.#status = next;
    for (const l of this.#listeners) l({ ...next });
    return this.status();
  }
}
