/**
 * Vault's error shape: every failure is `{"errors":[...]}` with an HTTP status
 * that carries the meaning (400 bad request, 403 bad token or no permission,
 * 404 nothing there, 405 wrong method, 503 sealed).
 */
export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
  ) {
    super(errors[0] ?? `HTTP ${status}`);
    this.name = 'VaultError';
  }
}

/** 403: Vault gives the same answer for a missing, unknown or expired token and for a policy refusal. */
export const permissionDenied = (): VaultError => new VaultError(403, ['permission denied']);

/** 400 with one message: Vault's "invalid request". */
export const badRequest = (message: string): VaultError => new VaultError(400, [message]);

/** 404 with an empty list: how Vault says "no secret here" without saying why. */
export const notFound = (): VaultError => new VaultError(404, []);

/** 503 for every path but the status endpoints while sealed. */
export const sealedError = (): VaultError => new VaultError(503, ['Vault is sealed']);
