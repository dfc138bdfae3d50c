/**
 * Credentials must never reach the audit trail: it is append-only and
 * hash-chained, so a token written there cannot be removed without breaking
 * the chain. The records Triptych writes carry none; this guard catches the
 * mistake of putting one in a detail or a command line anyway. It looks for
 * shapes that are unmistakably tokens, not for anything that might be one:
 * JSON Web Tokens (Kubernetes service account and OIDC tokens), Vault tokens
 * and `Bearer …` credentials.
 */

const PATTERNS: { what: string; re: RegExp }[] = [
  // A JOSE header is base64url JSON, so it always begins with `eyJ` ('{"').
  { what: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
  // Service (hvs.), batch (hvb.) and recovery (hvr.) tokens of Vault 1.10+.
  { what: 'a Vault token', re: /\bhv[sbr]\.[A-Za-z0-9_-]{20,}/g },
  { what: 'a bearer credential', re: /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/gi },
];

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

/** The first credential-like string in `value`: where it is and what it looks like. */
export function findSecret(value: unknown, at = ''): { field: string; what: string } | undefined {
  if (typeof value === 'string') {
    for (const p of PATTERNS) {
      p.re.lastIndex = 0;
      if (p.re.test(value)) return { field: at || '(value)', what: p.what };
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findSecret(value[i], `${at}[${i}]`);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // A key can leak as well as a value.
      const hit = findSecret(k, at ? `${at}.${k}` : k) ?? findSecret(v, at ? `${at}.${k}` : k);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Throws AuditSecretError when `value` holds a credential-like string. */
export function assertNoSecrets(value: unknown): void {
  const hit = findSecret(value);
  if (hit) throw new AuditSecretError(hit.field, hit.what);
}

/**
 * `text` with every credential-like part replaced by `[redacted]`: for input
 * an operator typed (a command line), whose record must still be written.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const p of PATTERNS) out = out.replace(p.re, '[redacted]');
  return out;
}
