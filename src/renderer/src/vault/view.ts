/**
 * How Vault reads on screen: the top bar's badge, each site's credential
 * line and the sign-in dialog's choices. Pure functions of the host's
 * status records and the clock, unit-tested; the components only lay them out.
 *
 * Times are the host's epoch ms compared with this screen's clock. A
 * war-room screen on another machine may be a few seconds off, which a
 * minute-scale countdown tolerates.
 */
import type { SiteCredentialState, SiteCredentialStatus, VaultAuthMethod, VaultOverview, VaultSessionState } from '../../../shared/vault';
import { formatAge } from '../format';

/** `43 min left`; `expired` once past; undefined when there is no end (a root token, or nothing issued). */
export function timeLeft(expiresAt: number | undefined, now: number): string | undefined {
  if (expiresAt === undefined) return undefined;
  const left = expiresAt - now;
  return left > 0 ? `${formatAge(left)} left` : 'expired';
}

/** The sign-in methods the dialog offers, in its order, with their labels. */
export const SIGN_IN_METHODS: readonly { method: VaultAuthMethod; label: string }[] = [
  { method: 'userpass', label: 'Username' },
  { method: 'ldap', label: 'LDAP' },
  { method: 'token', label: 'Token' },
  { method: 'oidc', label: 'OIDC' },
];

/** The method the dialog starts on: the configured one (every method Vault has is offered). */
export function initialMethod(o: Pick<VaultOverview, 'auth'>): VaultAuthMethod {
  return SIGN_IN_METHODS.some((m) => m.method === o.auth.method) ? o.auth.method : 'userpass';
}

/** True while the session has a token that works (renewing, or nearing its end). */
export function isSignedIn(state: VaultSessionState): boolean {
  return state === 'signed-in' || state === 'expiring';
}

export interface VaultBadgeView {
  state: VaultSessionState;
  signedIn: boolean;
  /** `operator`, or what the state means when signed out. */
  label: string;
  /** Time left on the Vault token (undefined: no end, or signed out). */
  timeLeft?: string;
  /** `keychain`, or `memory only` (the token is lost at restart). */
  storage: 'keychain' | 'memory only';
  /** Why the token is in memory only. */
  storageWarning?: string;
  /** A renewal or reachability problem (sealed, standby, denied, unreachable), in Vault's words. */
  problem?: string;
}

/** What the top bar's Vault badge says. */
export function vaultBadgeView(o: VaultOverview, now: number): VaultBadgeView {
  const s = o.session;
  const signedIn = isSignedIn(s.state);
  const label = signedIn ? (s.identity ?? 'signed in') : s.state === 'expired' ? 'sign-in expired' : 'signed out';
  const left = signedIn ? timeLeft(s.expiresAt, now) : undefined;
  return {
    state: s.state,
    signedIn,
    label,
    ...(left !== undefined ? { timeLeft: left } : {}),
    storage: s.storage === 'keychain' ? 'keychain' : 'memory only',
    ...(s.storageWarning ? { storageWarning: s.storageWarning } : {}),
    ...(s.problem ? { problem: s.problem.message } : {}),
  };
}

export interface CredentialView {
  state: SiteCredentialState;
  /** `Vault kubernetes-fra/creds/operator (namespace default) · 43 min left`. */
  summary: string;
  /** Why the site has no (or only aging) credentials, in the host's words. */
  problem?: string;
  /** Waiting for a Vault sign-in rather than failing: the admin's next step, not the site's fault. */
  signedOut: boolean;
  /** Whether fetching again may help: after a failure or expiry, but not while signed out (signing in does it). */
  canReconnect: boolean;
}

const STATE_WORDS: Record<SiteCredentialState, string> = {
  idle: 'not fetched',
  fetching: 'fetching…',
  ok: 'issued',
  failed: 'failed',
  expired: 'expired',
};

/** What a site's credential line says. */
export function credentialView(c: SiteCredentialStatus, now: number): CredentialView {
  const signedOut = c.state !== 'ok' && c.problem?.kind === 'signed-out';
  const left = c.state === 'ok' ? timeLeft(c.expiresAt, now) : undefined;
  // A state word from a newer host is shown as it is.
  const when = signedOut ? 'waiting for a Vault sign-in' : (left ?? (Object.hasOwn(STATE_WORDS, c.state) ? STATE_WORDS[c.state] : String(c.state)));
  return {
    state: c.state,
    summary: `${c.source} · ${when}`,
    ...(c.problem ? { problem: c.problem.message } : {}),
    signedOut,
    canReconnect: (c.state === 'failed' || c.state === 'expired') && !signedOut,
  };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The identity provider's page as a link target, or undefined when it should
 * only be shown as text: https anywhere, plain http only to this machine
 * (Vault's loopback callback flow). Anything else (javascript:, file:, http
 * to a remote host) is not made clickable.
 */
export function openableUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname))) return u.href;
  return undefined;
}
