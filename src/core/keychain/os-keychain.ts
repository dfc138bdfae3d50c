/**
 * The OS keychain through @napi-rs/keyring (keyring-rs).
 *
 * Not through its `keytar` wrapper: on Linux, keyring's default store falls
 * back silently from the Secret Service to the kernel keyutils keyring when
 * no Secret Service is running. That store forgets everything at reboot and
 * the admin would never be told, so entries here pin the Secret Service on
 * Linux and a missing one is reported instead (openKeychain then keeps the
 * token in memory and says so). Elsewhere the platform's one store is used.
 */
import { KEYCHAIN_SERVICE, type Keychain } from './keychain';

/** The parts of @napi-rs/keyring used here. */
export interface KeyringBinding {
  AsyncEntry: new (
    service: string,
    account: string,
    options?: { linux?: { store?: 'secret-service' | 'keyutils' } },
  ) => {
    getPassword(): Promise<string | null>;
    setPassword(password: string): Promise<void>;
    deletePassword(): Promise<boolean>;
  };
  findCredentialsAsync(service: string): Promise<{ account: string; password: string }[]>;
}

/** Loads the native binding; throws when the platform has no prebuilt binary. */
export async function loadKeyringBinding(): Promise<KeyringBinding> {
  const mod = (await import('@napi-rs/keyring')) as unknown as KeyringBinding & { default?: KeyringBinding };
  return mod.AsyncEntry ? mod : (mod.default as KeyringBinding);
}

export class OsKeychain implements Keychain {
  readonly kind = 'os';
  readonly warning = undefined;

  constructor(
    private readonly binding: KeyringBinding,
    private readonly platform: NodeJS.Platform,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}

  private entry(account: string) {
    const options = this.platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
    return new this.binding.AsyncEntry(this.service, account, options);
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.entry(account).getPassword()) ?? undefined;
  }

  async set(account: string, secret: string): Promise<void> {
    await this.entry(account).setPassword(secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.entry(account).deletePassword();
  }

  async accounts(): Promise<string[]> {
    // The binding hands back passwords too; only the names leave this function.
    const found = await this.binding.findCredentialsAsync(this.service);
    return found.map((c) => c.account);
  }
}
