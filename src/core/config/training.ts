/**
 * Sites for the built-in training fleet, which the console starts when no
 * sites are configured. The caller starts the fleet (core/ does not depend on
 * the emulator) and hands over its info and kubeconfig.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { SiteInfo } from '../../shared/model';
import type { AlertmanagerConfig } from '../alerts/config';
import { DEFAULT_LABELS, DEFAULT_PALETTE } from './defaults';
import { parseKubeconfig } from './kubeconfig';

/** What trainingSites needs of the fleet's info (the emulator's FleetInfo has this shape). */
export interface TrainingFleetInfo {
  /** `alertmanager`: the base URL of the site's emulated Alertmanager, when the fleet serves one. */
  sites: readonly { name: string; server: string; contexts: { readonly operator: string }; alertmanager?: string }[];
  /** The fleet's CA certificate file (it signs the Alertmanager's certificate too). */
  caFile?: string;
}

/** Display names of the training fleet's sites. */
export const TRAINING_SITE_NAMES: Readonly<Record<string, string>> = Object.freeze({ fra: 'Frankfurt', ams: 'Amsterdam', dub: 'Dublin' });

/**
 * SiteInfo for each training site (connecting as the operator role, the
 * everyday one), the fleet's kubeconfig as a KubeConfig, and each site's
 * Alertmanager (trusting the fleet's CA), so the training console shows
 * alerts with no setup.
 */
export function trainingSites(info: TrainingFleetInfo, kubeconfigYaml: string): { sites: SiteInfo[]; kubeconfig: KubeConfig; alertmanagers: Map<string, AlertmanagerConfig> } {
  const kubeconfig = parseKubeconfig(kubeconfigYaml, 'training fleet kubeconfig');
  const sites = info.sites.map((s, i): SiteInfo => {
    const context = s.contexts.operator;
    if (!kubeconfig.getContextObject(context)) throw new Error(`the training fleet's kubeconfig has no context '${context}' for site ${s.name}`);
    return {
      id: s.name,
      name: TRAINING_SITE_NAMES[s.name] ?? s.name.charAt(0).toUpperCase() + s.name.slice(1),
      color: DEFAULT_PALETTE[i % DEFAULT_PALETTE.length] ?? '#0072b2',
      context,
      server: s.server,
      labels: { ...DEFAULT_LABELS },
      training: true,
    };
  });
  const alertmanagers = new Map<string, AlertmanagerConfig>();
  for (const s of info.sites) if (s.alertmanager) alertmanagers.set(s.name, { url: s.alertmanager, ...(info.caFile ? { caCert: info.caFile } : {}) });
  return { sites, kubeconfig, alertmanagers };
}
