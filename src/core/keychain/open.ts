/**
 * Picks the keychain at start: the OS keychain when it answers, else memory
 * only with a warning that says why and what to do about it.
 */
import { MemoryKeychain, KEYCHAIN_SERVICE, type Keychain } from './keychain';
import { loadKeyringBinding, OsKeychain, type KeyringBinding } from './os-keychain';

export interface OpenKeychainOptions {
  platform: NodeJS.Platform;
  /** The native binding; tests inject one that fails. Default: @napi-rs/keyring. */
  load?: () => Promise<KeyringBinding>;
  service?: string;
}

/** An account nothing is ever stored under: reading it proves the store answers without touching real entries. */
const PROBE_ACCOUNT = 'triptych-keychain-probe';

/** The OS keychain if it works here, otherwise a MemoryKeychain whose `warning` explains. */
export async function openKeychain(opts: OpenKeychainOptions): Promise<Keychain> {
  const service = opts.service ?? KEYCHAIN_SERVICE;
  try {
    const binding = await (opts.load ?? loadKeyringBinding)();
    const keychain = new OsKeychain(binding, opts.platform, service);
    await keychain.get(PROBE_ACCOUNT);
    return keychain;
  } catch (err) {
    return new MemoryKeychain(unavailableWarning(opts.platform, err));
  }
}

/** The admin-facing explanation for a keychain that does not answer. */
export function unavailableWarning(platform: NodeJS.Platform, err: unknown): string {
  const detail = err instanceof Error ? err.message : String(err);
  const fix =
    platform === 'linux'
      ? 'Start a Secret Service in your desktop session (gnome-keyring or KWallet; on a server, e.g. `dbus-run-session` with `gnome-keyring-daemon --unlock`)'
      : platform === 'darwin'
        ? 'Check that your login keychain is unlocked'
        : 'Check that Windows Credential Manager is available';
  return (
    `No keychain is available (${detail}). Your Vault token is kept in memory only and is never written to disk, ` +
    `so you will have to sign in to Vault again after restarting Triptych. ${fix} to stay signed in.`
  );
}
