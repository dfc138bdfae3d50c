/**
 * Vault for the console: the sign-in and the Vault-backed sites'
 * credentials behind the contract's `vault.*` calls and events, and the
 * bearer source each such site's HTTP clients ask for a token.
 *
 * Site credentials are fetched once the session has a token (restored from
 * the keychain at start, or after a sign-in); a new token reconnects the
 * site at once instead of waiting out its backoff.
 */
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { VaultOverview } from '../../shared/vault';
import type { Env, SiteVaultSource } from '../config';
import type { BearerSource } from '../kube/http';
import type { Keychain } from '../keychain';
import { VaultAccess, VaultError, findExistingToken, type VaultErrorKind, type VaultSettings, type VaultSessionStatus } from '../vault';
import type { SiteCredentialStatus } from '../vault';

export interface VaultServiceOptions {
  settings: VaultSettings;
  sources: ReadonlyMap<string, SiteVaultSource>;
  keychain: Keychain;
  bus: EventBus<TriptychEvents>;
  env: Env;
  home: string;
  /** Opens the identity provider's page in the system browser (Electron); absent: the UI shows the page to open. */
  openExternal?: (url: string) => Promise<void> | void;
  /** Training mode: the training Vault's shared password, shown in the sign-in dialog. */
  trainingPassword?: string;
  /** Called when a site's credentials changed (the mirror reconnects or re-reads its status). */
  onSiteChange: (site: string) => void;
  /** How often Vault's health is asked, ms; default 15 s. */
  healthEveryMs?: number;
}

export class VaultService {
  readonly access: VaultAccess;
  private oidc: { url?: string; abort: AbortController } | undefined;
  private cliToken: VaultOverview['cliToken'];
  private readonly unsubscribe: (() => void)[] = [];
  /** Sealed, standby or unreachable, from the last health check. */
  private health: { kind: VaultErrorKind; message: string } | undefined;
  private healthTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: VaultServiceOptions) {
    this.access = new VaultAccess({ settings: o.settings, sources: o.sources, keychain: o.keychain });
    this.unsubscribe.push(
      this.access.session.subscribe(() => this.publish()),
      this.access.credentials.onRefresh((c) => {
        o.bus.emit('site.credentials', c.status);
        o.onSiteChange(c.status.site);
        this.publish();
      }),
    );
  }

  /**
   * At start: the keychain's token (if Vault still takes it), then every
   * Vault-backed site's credentials. Runs in the background: a Vault that is
   * slow to answer must not hold up the console.
   */
  async start(): Promise<void> {
    const check = async (): Promise<void> => {
      const e = await this.access.client.health();
      const next = e && { kind: e.kind, message: e.message };
      if (next?.message === this.health?.message) return;
      this.health = next;
      this.publish();
    };
    this.healthTimer = setInterval(() => void check(), this.o.healthEveryMs ?? 15_000);
    // A console idle in a tray must not be kept alive by this alone.
    this.healthTimer.unref();
    void check();
    this.cliToken = (await findExistingToken(this.o.env, this.o.home))?.from;
    await this.access.restore();
    await this.access.credentials.connectAll();
  }

  /** The bearer source for a site whose credentials come from Vault; undefined for the others. */
  bearer(site: string): BearerSource | undefined {
    const creds = this.access.credentials;
    if (!creds.has(site)) return undefined;
    return {
      token: () => creds.token(site),
      missing: () => {
        const s = creds.status(site);
        if (s.state === 'expired') return { state: 'credentials-expired', message: s.problem?.message ?? `${site}: the credentials from ${s.source} have expired` };
        const why = s.problem?.message ?? (s.state === 'fetching' ? `fetching credentials from ${s.source}` : `waiting for credentials from ${s.source}`);
        return { state: 'awaiting-credentials', message: why };
      },
      onUnauthorized: (used) => void creds.reportUnauthorized(site, used),
    };
  }

  overview(): VaultOverview {
    const s = this.o.settings;
    return {
      addressFrom: s.addressFrom,
      auth: { method: s.auth.method, mount: s.auth.mount, ...(s.auth.role ? { role: s.auth.role } : {}), ...(s.auth.username ? { username: s.auth.username } : {}) },
      ...(this.o.trainingPassword ? { trainingPassword: this.o.trainingPassword } : {}),
      ...(this.cliToken ? { cliToken: this.cliToken } : {}),
      ...(this.oidc?.url ? { oidcUrl: this.oidc.url } : {}),
      session: this.sessionStatus(),
      sites: this.access.credentials.statuses(),
    };
  }

  signInPassword(o: { method: 'userpass' | 'ldap'; mount?: string; username: string; password: string }): Promise<VaultSessionStatus> {
    return this.signIn(() => this.access.session.signInWithPassword({ ...o, mount: o.mount ?? this.defaultMount(o.method) }));
  }

  signInToken(token: string): Promise<VaultSessionStatus> {
    return this.signIn(() => this.access.session.signInWithToken(token));
  }

  async importCliToken(): Promise<VaultSessionStatus> {
    const found = await findExistingToken(this.o.env, this.o.home);
    if (!found) throw new ContractError('not-found', 'Neither VAULT_TOKEN nor ~/.vault-token holds a Vault token: sign in with `vault login` first, or choose another method.');
    return this.signIn(() => this.access.session.signInWithToken(found.token));
  }

  async signInOidc(o: { mount?: string; role?: string }): Promise<VaultSessionStatus> {
    this.cancelOidc();
    const abort = new AbortController();
    const flow = (this.oidc = { abort } as { url?: string; abort: AbortController });
    try {
      return await this.signIn(() =>
        this.access.session.signInWithOidc({
          mount: o.mount ?? this.defaultMount('oidc'),
          role: o.role ?? this.o.settings.auth.role,
          signal: abort.signal,
          openExternal: async (url) => {
            // The page to open is shown too: the browser host cannot open a browser for its viewer, and a blocked pop-up must not strand the admin.
            flow.url = url;
            this.publish();
            await this.o.openExternal?.(url);
          },
        }),
      );
    } finally {
      if (this.oidc === flow) this.oidc = undefined;
      this.publish();
    }
  }

  cancelOidc(): void {
    this.oidc?.abort.abort();
  }

  async signOut(): Promise<VaultSessionStatus> {
    this.cancelOidc();
    return (await this.access.signOut()).session;
  }

  /** Fetches a site's credentials again now (the way back from `failed` or `expired`). */
  reconnect(site: string): Promise<SiteCredentialStatus> {
    if (!this.access.credentials.has(site)) throw new ContractError('bad-request', `site "${site}" does not get its credentials from Vault (no vault: in its triptych.yaml entry)`);
    return this.access.credentials.connect(site);
  }

  /** At quit: the site leases are revoked; the Vault token stays in the keychain for the next start. */
  async close(): Promise<void> {
    clearInterval(this.healthTimer);
    this.cancelOidc();
    for (const u of this.unsubscribe) u();
    await this.access.quit();
  }

  /** The session as the UI shows it: a renewal problem first, else what the health check found. */
  private sessionStatus(): VaultSessionStatus {
    const session = this.access.session.status();
    return !session.problem && this.health ? { ...session, problem: this.health } : session;
  }

  private defaultMount(method: 'userpass' | 'ldap' | 'oidc'): string {
    return this.o.settings.auth.method === method ? this.o.settings.auth.mount : method;
  }

  private publish(): void {
    this.o.bus.emit('vault.status', this.overview());
  }

  /** A sign-in's VaultError as a contract error with Vault's reason; then the waiting sites connect (VaultAccess does that). */
  private async signIn(run: () => Promise<VaultSessionStatus>): Promise<VaultSessionStatus> {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      if (err.transient) throw new ContractError('unavailable', err.message);
      if (err.kind === 'permission-denied' || err.kind === 'bad-request' || err.kind === 'sign-in') throw new ContractError('forbidden', err.message);
      throw new ContractError('bad-request', err.message);
    }
  }
}
