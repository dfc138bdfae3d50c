/**
 * Site configuration: the admin's kubeconfig and triptych.yaml, inventory
 * files, and the training fleet's sites when nothing is configured.
 */
export { ConfigError, formatIssue, type ConfigIssue } from './errors';
export { DEFAULT_LABELS, DEFAULT_PALETTE } from './defaults';
export { emptyKubeconfig, kubeconfigPaths, loadKubeconfig, mergeKubeconfigs, parseKubeconfig, pathListSeparator, type Env, type LoadedKubeconfig } from './kubeconfig';
export { CONFIG_FILE_NAME, configDir, triptychConfigPath, type ConfigLocation } from './paths';
export { loadTriptychConfig, parseTriptychConfig, type ParsedTriptychConfig, type SiteConfig, type SourceLocation, type Theme, type TriptychConfig, type TriptychContext } from './triptych';
export { loadInventory, parseInventory, parseInventoryCsv, parseInventoryYaml, type Inventory, type Placement } from './inventory';
export { resolveSites, type ResolvedSites, type ResolveOptions } from './sites';
export { TRAINING_SITE_NAMES, trainingSites, type TrainingFleetInfo } from './training';
export { addressProblem, type SiteVaultSource, type VaultAuthMethod, type VaultConfig } from './vault';
