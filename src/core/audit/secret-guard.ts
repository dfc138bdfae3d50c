/**
 * Credentials must never reach the audit trail: it is append-only and
 * hash-chained, so a token written there cannot be removed without breaking
 * the chain. The records Triptych writes carry none; this guard catches the
 * mistake of putting one in a detail or a command line anyway. It looks for
 * shapes that are unmistakably tokens, not for anything that might be one:
 * JSON Web Tokens (Kubernetes service account and OIDC tokens), Vault tokens
 * and `Bearer …` credentials.
 */
import { findSecret } from '../../shared/secrets';

export { findSecret, redactSecrets } from '../../shared/secrets';

/** A record refused because it holds something that looks like a credential. */
export class AuditSecretError extends Error {
  constructor(
    /** Where in the record it was found, e.g. `data.command[2]`. */
    readonly field: string,
    what: string,
  ) {
    // The value itself stays out of the message: messages end up in logs.
    super(`audit record refused: ${field} holds what looks like ${what}; credentials must never be written to the audit trail`);
  }
}

/** Throws AuditSecretError when `value` holds a credential-like string. */
export function assertNoSecrets(value: unknown): void {
  const hit = findSecret(value);
  if (hit) throw new AuditSecretError(hit.field, hit.what);
}
