/**
 * Where Vault is and how to trust it: triptych.yaml's `vault:` section first,
 * then the variables the vault CLI reads (VAULT_ADDR, VAULT_CACERT,
 * VAULT_NAMESPACE), so an admin who already uses the CLI needs no new setup.
 */
import { readFile } from 'node:fs/promises';
import { addressProblem, type Env, type VaultConfig } from '../config';
import { VaultError } from './errors';

/** Vault connection and sign-in settings, resolved. */
export interface VaultSettings {
  /** Base URL without a trailing slash. */
  address: string;
  /** PEM text of the CA(s) to trust for Vault; absent = the system's CAs. */
  ca?: string;
  /** Where `ca` came from, for messages. */
  caFile?: string;
  namespace?: string;
  auth: NonNullable<VaultConfig['auth']>;
  /** Where the address came from, for the UI ("from VAULT_ADDR"). */
  addressFrom: 'triptych.yaml' | 'VAULT_ADDR' | 'training fleet';
}

/**
 * The settings, or undefined when neither triptych.yaml nor VAULT_ADDR names
 * a Vault (the console then connects with kubeconfig credentials only).
 * Throws a VaultError (kind `settings`) for an address or CA file that cannot work.
 */
export async function resolveVaultSettings(config: VaultConfig | undefined, env: Env): Promise<VaultSettings | undefined> {
  const fromEnv = env.VAULT_ADDR?.trim();
  const address = config?.address ?? (fromEnv ? fromEnv.replace(/\/+$/, '') : undefined);
  if (!address) return undefined;
  const addressFrom = config?.address ? 'triptych.yaml' : 'VAULT_ADDR';
  const problem = addressProblem(address);
  if (problem) throw new VaultError('settings', `Vault address from ${addressFrom} ${problem}`, { address });
  const caFile = config?.caCert ?? (env.VAULT_CACERT?.trim() || undefined);
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = await readFile(caFile, 'utf8');
    } catch (err) {
      const from = config?.caCert ? 'vault.caCert in triptych.yaml' : 'VAULT_CACERT';
      throw new VaultError('settings', `Cannot read the Vault CA file ${caFile} named by ${from}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { address });
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new VaultError('settings', `The Vault CA file ${caFile} holds no PEM certificate`, { address });
  }
  const namespace = config?.namespace ?? (env.VAULT_NAMESPACE?.trim() || undefined);
  return {
    address,
    ...(ca !== undefined ? { ca, caFile } : {}),
    ...(namespace ? { namespace } : {}),
    auth: config?.auth ?? { method: 'oidc', mount: 'oidc' },
    addressFrom,
  };
}
