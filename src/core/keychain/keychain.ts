/**
 * Where Triptych keeps its one long-lived secret, the Vault token: the OS
 * keychain (macOS Keychain, Windows Credential Manager, the Secret Service on
 * Linux) or, when there is none, memory only. There is deliberately no
 * third kind: a token in a file on disk is what this feature exists to end.
 */

/** The service name every Triptych entry is filed under in the OS keychain. */
export const KEYCHAIN_SERVICE = 'triptych';

/** A store of secrets by account name. */
export interface Keychain {
  /** `os`: survives restarts; `memory`: gone when the process ends. */
  readonly kind: 'os' | 'memory';
  /** Why secrets are kept in memory only, worded for the admin; absent for the OS keychain. */
  readonly warning?: string;
  /** The secret for `account`, or undefined if there is none. */
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** Removes the secret; true if there was one. */
  delete(account: string): Promise<boolean>;
  /** Account names that hold a secret (never the secrets). */
  accounts(): Promise<string[]>;
}

/** Secrets in a Map of this process: used when no OS keychain is available. */
export class MemoryKeychain implements Keychain {
  readonly kind = 'memory';
  private readonly secrets = new Map<string, string>();

  constructor(readonly warning?: string) {}

  async get(account: string): Promise<string | undefined> {
    return this.secrets.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }

  async accounts(): Promise<string[]> {
    return [...this.secrets.keys()];
  }
}
