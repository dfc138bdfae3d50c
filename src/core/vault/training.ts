/**
 * The training fleet's Vault as the default in training mode: its address
 * and CA, userpass sign-in (operator / training), and each site's
 * credentials from that site's Kubernetes secrets engine mount, so a new
 * user sees the whole Vault flow without a real Vault.
 */
import type { SiteVaultSource } from '../config';
import type { VaultSettings } from './settings';

/** The training Vault's accounts (admin, operator, viewer) all have this password: it is a classroom, not a secret. */
export const TRAINING_PASSWORD = 'training';

/** What is needed of the fleet (the emulator's FleetInfo has this shape). */
export interface TrainingVaultInfo {
  vault: { address: string };
  sites: readonly { name: string }[];
}

/** The emulator mounts one Kubernetes secrets engine per site, `kubernetes-<site>`. */
export function trainingVault(info: TrainingVaultInfo, caCert: string): { settings: VaultSettings; sources: Map<string, SiteVaultSource> } {
  return {
    settings: {
      address: info.vault.address,
      ca: caCert,
      auth: { method: 'userpass', mount: 'userpass', username: 'operator' },
      addressFrom: 'training fleet',
    },
    sources: new Map(info.sites.map((s) => [s.name, { kubernetesRole: { mount: `kubernetes-${s.name}`, role: 'operator', namespace: 'default' } }])),
  };
}
