/** The OS keychain for the Vault token, or memory only when there is none. */
export { KEYCHAIN_SERVICE, MemoryKeychain, type Keychain } from './keychain';
export { OsKeychain, loadKeyringBinding, type KeyringBinding } from './os-keychain';
export { openKeychain, unavailableWarning, type OpenKeychainOptions } from './open';
