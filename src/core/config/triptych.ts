/**
 * triptych.yaml: the admin's list of sites. Everything is validated before
 * use, with errors that point at file:line:column and say what to write
 * instead; the file is data only (no tags, includes or commands).
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { SiteInfo } from '../../shared/model';
import { readSiteAlertmanager, type AlertmanagerConfig } from '../alerts/config';
import { assignColors, DEFAULT_LABELS } from './defaults';
import { ConfigError, didYouMean, listSome, sortIssues, type ConfigIssue } from './errors';
import { readText, unknownKey } from './fields';
import type { LoadedKubeconfig } from './kubeconfig';
import { resolveConfigPath } from './paths';
import { HEX_COLOR, isLabelKey, normalizeColor, SITE_ID } from './rules';
import { readSiteVault, readVaultConfig, type SiteVaultSource, type VaultConfig } from './vault';
import { deref, describe, entries, isNothing, issueAt, parseYaml, where, type Entry, type YamlFile } from './yaml';

/** The console's colour scheme; `system` follows the OS. */
export type Theme = 'light' | 'dark' | 'system';

/** One site as triptych.yaml configures it, defaults applied. */
export interface SiteConfig {
  id: string;
  name: string;
  context: string;
  /** Lower-case `#rrggbb`, from the file or the default palette. */
  color: string;
  labels: SiteInfo['labels'];
  /** Absolute path of the site's inventory file. */
  inventory?: string;
  /** Where the site's API credentials come from in Vault; absent = the kubeconfig context's own credentials. */
  vault?: SiteVaultSource;
  /** The site's Alertmanager, for its firing alerts; absent = no alerts shown for the site. */
  alertmanager?: AlertmanagerConfig;
}

/** A place in a file (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** triptych.yaml after validation. */
export interface TriptychConfig {
  file: string;
  theme: Theme;
  sites: SiteConfig[];
  /** Where Vault is and how to sign in; absent when the file has no `vault:` section. */
  vault?: VaultConfig;
}

/** A validated config plus what is worth telling the admin, and a way back to its source lines. */
export interface ParsedTriptychConfig {
  config: TriptychConfig;
  warnings: string[];
  /** Position of a value, e.g. `['sites', 0, 'inventory']`, for errors found later (a missing inventory file). */
  locate(keys: (string | number)[]): SourceLocation;
}

/** What validation checks the file against. */
export interface TriptychContext {
  /** Contexts named by sites must exist here; when absent, they are not checked. */
  kubeconfig?: LoadedKubeconfig;
  /** For `~/` in inventory paths. */
  home: string;
}

const THEMES: readonly Theme[] = ['light', 'dark', 'system'];
const TOP_KEYS = ['sites', 'theme', 'vault'];
const SITE_KEYS = ['id', 'name', 'context', 'color', 'labels', 'inventory', 'vault', 'alertmanager'];
const LABEL_KEYS = ['room', 'rack', 'unit'] as const;
const INVENTORY_EXTENSIONS = /\.(csv|ya?ml)$/i;
const EXAMPLE = 'see resources/triptych.example.yaml';

/** Reads and validates a triptych.yaml file; throws ConfigError listing every problem. */
export async function loadTriptychConfig(file: string, ctx: TriptychContext): Promise<ParsedTriptychConfig> {
  return parseTriptychConfig(await readFile(file, 'utf8'), file, ctx);
}

/** Validates triptych.yaml text (`file` names it in errors and anchors relative inventory paths). */
export function parseTriptychConfig(text: string, file: string, ctx: TriptychContext): ParsedTriptychConfig {
  const y = parseYaml(text, file);
  const root = deref(y, y.doc.contents);
  if (root === null || (isScalar(root) && root.value === null)) {
    throw new ConfigError([{ file, line: 1, column: 1, message: `the file is empty: list your sites under 'sites:' (${EXAMPLE})` }]);
  }
  if (!isMap(root)) throw new ConfigError([issueAt(y, root, `expected a mapping with 'sites:' (and optionally 'theme:') at the top, found ${describe(root)}`)]);

  const issues: ConfigIssue[] = [];
  let theme: Theme = 'system';
  let vault: VaultConfig | undefined;
  let sitesEntry: Entry | undefined;
  for (const e of entries(y, root, issues)) {
    if (e.key === 'sites') sitesEntry = e;
    else if (e.key === 'theme') theme = readTheme(y, e, issues) ?? theme;
    else if (e.key === 'vault') vault = readVaultConfig(y, e, ctx.home, issues);
    else issues.push(unknownKey(y, e, TOP_KEYS, 'at the top level'));
  }

  const siteNodes = sitesEntry?.value;
  if (!sitesEntry) issues.push(issueAt(y, root, `no 'sites:' list: add one entry per site (${EXAMPLE})`));
  else if (!isSeq(siteNodes) || siteNodes.items.length === 0) {
    issues.push(issueAt(y, siteNodes ?? sitesEntry.keyNode, `'sites' must be a list with at least one site, each starting with '- id:' (${EXAMPLE})`));
  }
  const drafts = isSeq(siteNodes) ? siteNodes.items.map((n, i) => readSite(y, deref(y, n), i, ctx, issues)) : [];
  const warnings = crossCheck(y, drafts, issues);
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));

  const colors = assignColors(drafts.map((d) => d.color));
  const sites = drafts.map(({ fields }, i): SiteConfig => ({ ...(fields as Omit<SiteConfig, 'color'>), color: colors[i] ?? '#0072b2' }));
  return {
    config: { file, theme, sites, ...(vault ? { vault } : {}) },
    warnings,
    locate: (keys) => ({ file, ...where(y, y.doc.getIn(keys, true) as Node | undefined) }),
  };
}

/** A site being read: its fields (complete only when it had no issues) and the nodes to point at. */
interface Draft {
  node: Node | null;
  fields: Partial<Omit<SiteConfig, 'color'>>;
  color?: string;
  nodes: Partial<Record<'id' | 'name' | 'context' | 'color', Node | null>>;
}

function readSite(y: YamlFile, node: Node | null, index: number, ctx: TriptychContext, issues: ConfigIssue[]): Draft {
  const draft: Draft = { node, fields: { labels: { ...DEFAULT_LABELS } }, nodes: {} };
  if (!isMap(node)) {
    issues.push(issueAt(y, node, `sites[${index}] must be a mapping with id, name and context, found ${describe(node)}`));
    return draft;
  }
  const found = entries(y, node, issues);
  const idEntry = found.find((e) => e.key === 'id');
  const idText = isScalar(idEntry?.value) && typeof idEntry.value.value === 'string' ? idEntry.value.value : undefined;
  const label = idText && SITE_ID.test(idText) ? `site '${idText}'` : `sites[${index}]`;
  for (const e of found) {
    switch (e.key) {
      case 'id':
        draft.fields.id = readId(y, e, label, issues);
        draft.nodes.id = e.value;
        break;
      case 'name':
        draft.fields.name = readText(y, e, label, issues);
        draft.nodes.name = e.value;
        break;
      case 'context':
        draft.fields.context = readText(y, e, label, issues);
        draft.nodes.context = e.value;
        if (draft.fields.context !== undefined && ctx.kubeconfig) checkContext(y, e, label, draft.fields.context, ctx.kubeconfig, issues);
        break;
      case 'color':
        draft.color = readColor(y, e, label, issues);
        draft.nodes.color = e.value;
        break;
      case 'labels':
        draft.fields.labels = readLabels(y, e, label, issues);
        break;
      case 'inventory':
        draft.fields.inventory = readInventoryPath(y, e, label, ctx.home, issues);
        break;
      case 'vault': {
        const source = readSiteVault(y, e, label, issues);
        if (source) draft.fields.vault = source;
        break;
      }
      case 'alertmanager': {
        const am = readSiteAlertmanager(y, e, label, ctx.home, issues);
        if (am) draft.fields.alertmanager = am;
        break;
      }
      default:
        issues.push(unknownKey(y, e, SITE_KEYS, `in ${label}`));
    }
  }
  for (const key of ['id', 'name', 'context'] as const) {
    if (!found.some((e) => e.key === key)) issues.push(issueAt(y, node, `${label} has no '${key}' (${WHAT[key]})`));
  }
  return draft;
}

const WHAT = {
  id: "a short stable id such as 'fra'",
  name: "the display name, such as 'Frankfurt'",
  context: 'the kubeconfig context the console connects with',
};

function readId(y: YamlFile, e: Entry, label: string, issues: ConfigIssue[]): string | undefined {
  const id = readText(y, e, label, issues);
  if (id === undefined || SITE_ID.test(id)) return id;
  const slug = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  issues.push(issueAt(y, e.value, `${label}: id '${id}' may only contain lower-case letters, digits and '-'${slug ? ` (e.g. '${slug}')` : ''}`));
  return undefined;
}

function readColor(y: YamlFile, e: Entry, label: string, issues: ConfigIssue[]): string | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v === 'string' && HEX_COLOR.test(v.trim())) return normalizeColor(v.trim());
  // `color: #d62728` unquoted is a YAML comment: the value is empty and the colour hides in the comment.
  const comment = isScalar(e.value) ? e.value.comment : undefined;
  if ((v === null || v === undefined) && typeof comment === 'string' && /^\s*[0-9a-fA-F]{3,6}\b/.test(comment)) {
    issues.push(issueAt(y, e.keyNode, `${label}: color is empty because '#' starts a YAML comment; quote it: color: "#${comment.trim().split(/\s/)[0] ?? ''}"`));
  } else {
    issues.push(issueAt(y, e.value ?? e.keyNode, `${label}: color must be a hex colour such as "#0072b2" or "#07b" (quoted), found ${describe(e.value)}`));
  }
  return undefined;
}

function readLabels(y: YamlFile, e: Entry, label: string, issues: ConfigIssue[]): SiteInfo['labels'] {
  const labels = { ...DEFAULT_LABELS };
  if (isNothing(e.value)) return labels;
  if (!isMap(e.value)) {
    issues.push(issueAt(y, e.value, `${label}: labels must be a mapping of room, rack and unit to node label keys, found ${describe(e.value)}`));
    return labels;
  }
  for (const le of entries(y, e.value, issues)) {
    const key = LABEL_KEYS.find((k) => k === le.key);
    if (!key) {
      issues.push(unknownKey(y, le, LABEL_KEYS, `in ${label}'s labels`));
      continue;
    }
    const value = readText(y, le, `${label}: labels`, issues);
    if (value === undefined) continue;
    if (!isLabelKey(value)) issues.push(issueAt(y, le.value, `${label}: labels.${key} '${value}' is not a Kubernetes label key (such as '${DEFAULT_LABELS[key]}')`));
    else labels[key] = value;
  }
  return labels;
}

function readInventoryPath(y: YamlFile, e: Entry, label: string, home: string, issues: ConfigIssue[]): string | undefined {
  const value = readText(y, e, label, issues);
  if (value === undefined) return undefined;
  if (!INVENTORY_EXTENSIONS.test(value)) {
    issues.push(issueAt(y, e.value, `${label}: inventory '${value}' must end in .csv, .yaml or .yml (the extension picks the format)`));
    return undefined;
  }
  return resolveConfigPath(value, y.file, home);
}

function readTheme(y: YamlFile, e: Entry, issues: ConfigIssue[]): Theme | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  const theme = THEMES.find((t) => t === v);
  if (!theme) issues.push(issueAt(y, e.value ?? e.keyNode, `theme must be one of ${THEMES.join(', ')}, found ${describe(e.value)}`));
  return theme;
}

function checkContext(y: YamlFile, e: Entry, label: string, context: string, loaded: LoadedKubeconfig, issues: ConfigIssue[]): void {
  const kc = loaded.kubeconfig;
  const ctx = kc.getContextObject(context);
  if (!ctx) {
    const names = kc.getContexts().map((c) => c.name);
    const looked = loaded.searched.length > 0 ? loaded.searched.join(', ') : 'nowhere';
    const known =
      names.length > 0
        ? `contexts there: ${listSome(names)}`
        : `it has no contexts (looked in ${looked}; set KUBECONFIG or create ~/.kube/config)`;
    issues.push(issueAt(y, e.value, `${label}: context '${context}' is not in the kubeconfig${didYouMean(context, names)}; ${known}`));
    return;
  }
  if (!kc.getCluster(ctx.cluster)) {
    issues.push(issueAt(y, e.value, `${label}: context '${context}' uses cluster '${ctx.cluster}', which no kubeconfig file defines`));
  }
}

/** Duplicate ids are errors (views and settings are keyed by id); shared contexts, names or colours only deserve a warning. */
function crossCheck(y: YamlFile, drafts: Draft[], issues: ConfigIssue[]): string[] {
  const warnings: string[] = [];
  const firstBy = { id: new Map<string, Draft>(), name: new Map<string, Draft>(), context: new Map<string, Draft>(), color: new Map<string, Draft>() };
  for (const d of drafts) {
    for (const key of ['id', 'name', 'context', 'color'] as const) {
      const value = key === 'color' ? d.color : d.fields[key];
      if (value === undefined) continue;
      const first = firstBy[key].get(value);
      if (!first) {
        firstBy[key].set(value, d);
        continue;
      }
      const firstAt = where(y, first.nodes[key] ?? first.node);
      const here = where(y, d.nodes[key] ?? d.node);
      if (key === 'id') issues.push(issueAt(y, d.nodes.id, `duplicate site id '${value}': already used at line ${firstAt.line}; ids must be unique`));
      else {
        const why = key === 'context' ? 'both panes would show the same cluster' : 'operators tell sites apart by it';
        warnings.push(`${y.file}:${here.line}:${here.column}: ${key} '${value}' is also used at line ${firstAt.line}; ${why}`);
      }
    }
  }
  return warnings;
}
