/** The training fleet's Vault emulator. */
export { startVault } from './server';
export type { VaultEmulator, VaultOptions } from './server';
export type { LeaseInfo } from './kubernetes-engine';
export { VAULT_VERSION } from './core';
export { kubernetesMount, policiesFor, rolePolicy } from './policy';
