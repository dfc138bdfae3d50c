/**
 * What can go wrong talking to Vault, sorted into the cases an admin acts on
 * differently, each with a message that says what to do. Messages never
 * contain a token: they are built from the address, the API path and Vault's
 * own error strings, and any secret the request carried is cut out of those.
 */

import type { VaultErrorKind } from '../../shared/vault';

export type { VaultErrorKind };

/** Kinds worth retrying later without the admin doing anything. */
const TRANSIENT: ReadonlySet<VaultErrorKind> = new Set(['sealed', 'standby', 'unavailable', 'server-error', 'unreachable', 'timeout']);

export class VaultError extends Error {
  constructor(
    readonly kind: VaultErrorKind,
    message: string,
    readonly details: { status?: number; path?: string; address?: string; code?: string } = {},
  ) {
    super(message);
    this.name = 'VaultError';
  }

  /** True for conditions that may clear by themselves (sealed, standby, network). */
  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }
}

/** Replaces every occurrence of each secret in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('<redacted>');
  return out;
}

const TLS_CODES = /^(ERR_TLS_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|CERT_|ERR_SSL_|HOSTNAME_MISMATCH)/;
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);

/** A failure below HTTP (no answer at all) as a VaultError. */
export function networkError(err: unknown, address: string, path: string): VaultError {
  const e = err as NodeJS.ErrnoException;
  const code = e.code ?? '';
  if (e.name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ABORT_ERR') {
    return new VaultError('timeout', `Vault at ${address} did not answer in time (${path}): check that it is running and reachable from here; Triptych will try again.`, { path, address, code });
  }
  if (TLS_CODES.test(code)) {
    return new VaultError(
      'tls',
      `The TLS certificate of Vault at ${address} is not trusted (${code}): set vault.caCert in triptych.yaml or VAULT_CACERT to the CA file that signed it.`,
      { path, address, code },
    );
  }
  const why = NET_CODES.has(code) ? code : e.message;
  return new VaultError(
    'unreachable',
    `Cannot reach Vault at ${address} (${why}): check vault.address in triptych.yaml or VAULT_ADDR, and that Vault is running and reachable from here.`,
    { path, address, code },
  );
}

/** Paths whose 403 can only mean the token itself is no good (every token may use them). */
const SELF_PATHS = /^auth\/token\/(lookup|renew|revoke)-self$/;

/** A non-2xx Vault answer as a VaultError. `messages` are Vault's `errors` array, already redacted. */
export function httpError(status: number, messages: string[], address: string, path: string): VaultError {
  const said = messages.filter((m) => m.trim() !== '').join('; ');
  const details = { status, path, address };
  if (status === 503) {
    if (/sealed/i.test(said)) {
      return new VaultError(
        'sealed',
        `Vault at ${address} is sealed (503): a Vault operator must unseal it. Sites keep working with the credentials already issued until those expire.`,
        details,
      );
    }
    return new VaultError('unavailable', `Vault at ${address} is unavailable (503${said ? `: ${said}` : ''}); Triptych will try again.`, details);
  }
  if (status === 429 || status === 473) {
    return new VaultError(
      'standby',
      `Vault at ${address} answered from a ${status === 473 ? 'performance ' : ''}standby node (${status}): point vault.address at the active node or the cluster's load balancer; Triptych will try again.`,
      details,
    );
  }
  if (status === 403) {
    const msg = SELF_PATHS.test(path)
      ? `Vault no longer accepts your token (403 permission denied): it has expired or been revoked. Sign in to Vault again.`
      : `Vault refused ${path} (403 permission denied): your Vault token has expired or been revoked, or its policies do not allow this path. Sign in again, or ask your Vault administrator for a policy that grants it.`;
    return new VaultError('permission-denied', msg, details);
  }
  if (status === 404) {
    return new VaultError(
      'not-found',
      `Vault has nothing at ${path} (404)${said ? `: ${said}` : ''}. Check the mount and path in triptych.yaml; Vault also answers 404 when your policies do not let you see a path.`,
      details,
    );
  }
  if (status >= 500) return new VaultError('server-error', `Vault at ${address} failed on ${path} (${status}${said ? `: ${said}` : ''}); Triptych will try again.`, details);
  return new VaultError('bad-request', `Vault refused ${path} (${status}${said ? `: ${said}` : ''}).`, details);
}
