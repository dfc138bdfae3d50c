/**
 * Vault for the console as a whole: one client, the admin's sign-in, and the
 * sites' credentials, wired so that signing out or quitting revokes the
 * site leases before the token that owns them, and signing in again
 * reconnects the sites that were waiting for it.
 */
import { inspect } from 'node:util';
import type { SiteVaultSource } from '../config';
import type { Keychain } from '../keychain';
import { VaultClient } from './client';
import { VaultSession, type VaultSessionStatus } from './session';
import { SiteCredentials } from './site-credentials';
import type { VaultSettings } from './settings';
import { realTimers, type Random, type Timers } from './timers';

export interface VaultAccessOptions {
  settings: VaultSettings;
  /** Site id → credential source, for the sites that get theirs from Vault. */
  sources: ReadonlyMap<string, SiteVaultSource>;
  keychain: Keychain;
  timers?: Timers;
  random?: Random;
  /** Passed on to SiteCredentials and VaultSession (tests shorten them). */
  tuning?: { kvRefreshMs?: number; replacedLeaseGraceMs?: number; initialRetryMs?: number; maxRetryMs?: number; requestTimeoutMs?: number };
}

export class VaultAccess {
  readonly client: VaultClient;
  readonly session: VaultSession;
  readonly credentials: SiteCredentials;
  private readonly unsubscribe: () => void;
  /** Reactions to sign-in changes run one after another: a reconnect must not overtake the revocation before it. */
  private reactions: Promise<unknown> = Promise.resolve();

  constructor(o: VaultAccessOptions) {
    const timers = o.timers ?? realTimers;
    const random = o.random ?? Math.random;
    const t = o.tuning ?? {};
    this.client = new VaultClient(o.settings, { timeoutMs: t.requestTimeoutMs });
    this.session = new VaultSession({ client: this.client, keychain: o.keychain, timers, random, initialRetryMs: t.initialRetryMs, maxRetryMs: t.maxRetryMs });
    this.credentials = new SiteCredentials({
      client: this.client,
      auth: () => this.session.auth(),
      sources: o.sources,
      timers,
      random,
      kvRefreshMs: t.kvRefreshMs,
      replacedLeaseGraceMs: t.replacedLeaseGraceMs,
      initialRetryMs: t.initialRetryMs,
      maxRetryMs: t.maxRetryMs,
    });
    let previous = this.session.status().state;
    const live = (state: string): boolean => state === 'signed-in' || state === 'expiring';
    this.unsubscribe = this.session.subscribe((s) => {
      const was = previous;
      previous = s.state;
      // Signed out, expired or revoked (also on the way to another sign-in): the token's leases are gone at Vault, or going.
      if (live(was) && !live(s.state)) this.queue(() => this.credentials.revokeAll());
      // Sites that failed for want of a sign-in connect as soon as there is one.
      if (!live(was) && s.state === 'signed-in') this.queue(() => this.reconnectWaiting());
    });
  }

  /** Looks for a token in the keychain (see VaultSession.restore). */
  restore(): Promise<VaultSessionStatus> {
    return this.session.restore();
  }

  /** Revokes the sites' leases, then the token (which would take them along, but only if Vault is reachable for it). */
  async signOut(): Promise<{ session: VaultSessionStatus; leases: Awaited<ReturnType<SiteCredentials['revokeAll']>> }> {
    const leases = await this.credentials.revokeAll();
    return { session: await this.session.signOut(), leases };
  }

  /** At quit: the leases are revoked, the token is kept (in the keychain) for the next start. */
  async quit(): Promise<void> {
    await this.reactions;
    await this.credentials.revokeAll();
    this.credentials.close();
    this.session.close();
    this.unsubscribe();
    this.client.close();
  }

  [inspect.custom](): string {
    return `VaultAccess ${JSON.stringify(this.toJSON())}`;
  }

  toJSON(): Record<string, unknown> {
    return { session: this.session.status(), sites: this.credentials.statuses() };
  }

  private queue(fn: () => Promise<unknown>): void {
    // A failed reaction is already visible in the site statuses; the chain must go on.
    this.reactions = this.reactions.then(fn).catch(() => undefined);
  }

  private async reconnectWaiting(): Promise<void> {
    const waiting = this.credentials.statuses().filter((s) => s.state === 'failed' && s.problem?.kind === 'signed-out');
    await Promise.all(waiting.map((s) => this.credentials.connect(s.site)));
  }
}
