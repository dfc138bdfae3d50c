/**
 * Vault-backed credentials: the admin signs in to Vault once, the token is
 * kept in the OS keychain and renewed, and each site's API credentials are
 * short-lived ones from Vault, re-fetched before they expire and revoked at
 * sign-out and quit.
 */
export { VaultClient, type AuthBlock, type TokenLookup, type VaultResponse } from './client';
export { VaultError, type VaultErrorKind } from './errors';
export { VaultAuth, signInWithPassword, signInWithToken } from './login';
export { signInWithOidc, type OidcOptions } from './oidc';
export { resolveVaultSettings, type VaultSettings } from './settings';
export { describeSource, SiteCredentials, type CredentialChange, type CredentialProblemKind, type SiteCredentialState, type SiteCredentialStatus, type SiteCredentialsOptions } from './site-credentials';
export { VaultSession, type VaultSessionOptions, type VaultSessionState, type VaultSessionStatus } from './session';
export { realTimers, type Random, type Timers } from './timers';
export { findExistingToken, type ExistingToken } from './token-import';
export { TokenWatcher, type Renewal, type TokenWatcherOptions, type WatcherEvent } from './token-watcher';
export { TRAINING_PASSWORD, trainingVault, type TrainingVaultInfo } from './training';
export { VaultAccess, type VaultAccessOptions } from './vault-access';
