/**
 * Shapes that are unmistakably credentials — JSON Web Tokens (Kubernetes
 * service account and OIDC tokens), Vault tokens and `Bearer …` values —
 * found in text that came from somewhere else: the audit trail refuses
 * them, recordings, the incident timeline and the views blank them. It looks
 * for what is surely a token, not for anything that might be one.
 */

const PATTERNS: { what: string; re: RegExp }[] = [
  // A JOSE header is base64url JSON, so it always begins with `eyJ` ('{"').
  { what: 'a JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
  // Service (hvs.), batch (hvb.) and recovery (hvr.) tokens of Vault 1.10+.
  { what: 'a Vault token', re: /\bhv[sbr]\.[A-Za-z0-9_-]{20,}/g },
  { what: 'a bearer credential', re: /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/gi },
];

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

/**
 * `text` with every credential-like part replaced by `[redacted]`: for input
 * an operator typed (a command line), whose record must still be written.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const p of PATTERNS) out = out.replace(p.re, '[redacted]');
  return out;
}
