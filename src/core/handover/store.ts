/**
 * Handover reports stored in the clusters themselves: a ConfigMap per report
 * in `triptych-system` at every reachable site, so the next admin, on any
 * workstation, reads the last one with nothing but their kubeconfig.
 */
import { KubeHttpError, type KubeHttp } from '../kube/http';
import { HandoverForbidden } from './errors';
import { fitForConfigMap, REPORT_JSON } from './fit';
import { parseReport } from './report-schema';
import { HANDOVER_NAME } from './time';
import type { HandoverReport } from './types';

/** Where reports are kept (the namespace core/coordination keeps its Leases in too). */
export const HANDOVER_NAMESPACE = 'triptych-system';

/** Labels on every handover ConfigMap; `latest` and pruning select on them. */
export const HANDOVER_LABELS: Readonly<Record<string, string>> = Object.freeze({ 'app.kubernetes.io/managed-by': 'triptych', 'triptych.io/kind': 'handover' });

/** Reports kept per site by default; older ones are deleted when a new one is saved. */
export const DEFAULT_KEEP = 30;

const SELECTOR = Object.entries(HANDOVER_LABELS)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');
const cmPath = (name?: string): string => `/api/v1/namespaces/${HANDOVER_NAMESPACE}/configmaps${name ? `/${encodeURIComponent(name)}` : ''}`;
/** Two reports in the same second get `-2`, `-3`, …; more than this in one second is a loop somewhere. */
const MAX_SUFFIX = 9;

interface ConfigMap {
  metadata: { name: string; creationTimestamp?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, unknown>;
}

export interface StoreOptions {
  /** The site's name, for messages. */
  site?: string;
  /** Reports to keep at the site (at least 1); default 30. */
  keep?: number;
  /** Per request; default 15 s (an unreachable site must not hold the others' results back for a minute). */
  timeoutMs?: number;
}

export interface SaveResult {
  /** The ConfigMap written: the report's id, or the id with `-<n>` when another report had the same second. */
  name: string;
  /** The report as stored: its warning events cut to fit when `trimmed`. */
  report: HandoverReport;
  trimmed: boolean;
  /** Older reports deleted to keep `keep`. */
  pruned: string[];
  /** Deletions that failed; the report itself was stored. */
  pruneErrors: string[];
}

/**
 * Writes `report` at one site as ConfigMap `<id>`, creating the namespace
 * when it is missing, then deletes all but the newest `keep` reports there.
 * Saving the same report again (a retry) replaces it. Throws
 * HandoverForbidden when the site refuses, HandoverTooLarge when it cannot
 * fit, else the server's error.
 */
export async function save(http: KubeHttp, report: HandoverReport, o: StoreOptions = {}): Promise<SaveResult> {
  const site = o.site ?? http.server;
  const timeoutMs = o.timeoutMs ?? 15_000;
  const fitted = fitForConfigMap(report);
  const body = (name: string, resourceVersion?: string): ConfigMap & { apiVersion: string; kind: string } => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { ...HANDOVER_LABELS }, ...(resourceVersion ? { resourceVersion } : {}) },
    data: fitted.data,
  });

  let name = '';
  let madeNamespace = false;
  for (let n = 1; n <= MAX_SUFFIX && name === ''; ) {
    const candidate = n === 1 ? report.id : `${report.id}-${n}`;
    try {
      await http.send('POST', cmPath(), { body: body(candidate), timeoutMs });
      name = candidate;
    } catch (err) {
      const status = err instanceof KubeHttpError ? err.status : 0;
      if (status === 403) throw new HandoverForbidden(site, `not allowed to write handover reports (ConfigMaps) in namespace ${HANDOVER_NAMESPACE} at ${site}: ${(err as Error).message}. Ask a cluster admin for create, update and delete on configmaps there.`);
      if (status === 404 && !madeNamespace) {
        // The only thing a create into a collection can miss is its namespace.
        await createNamespace(http, site, timeoutMs);
        madeNamespace = true;
        continue;
      }
      if (status !== 409) throw err;
      const existing = await http.getJson<ConfigMap>(cmPath(candidate), {}, undefined, timeoutMs);
      if (sameReport(existing, report)) {
        await http.send('PUT', cmPath(candidate), { body: body(candidate, existing.metadata.resourceVersion), timeoutMs });
        name = candidate;
      } else {
        n++;
      }
    }
  }
  if (name === '') throw new Error(`${MAX_SUFFIX} handover reports named ${report.id} already exist at ${site}`);
  const { pruned, errors } = await prune(http, Math.max(1, o.keep ?? DEFAULT_KEEP), name, timeoutMs);
  return { name, report: fitted.report, trimmed: fitted.trimmed, pruned, pruneErrors: errors };
}

/** A ConfigMap holding this very report (an earlier attempt of the same save). */
function sameReport(cm: ConfigMap, report: HandoverReport): boolean {
  const json = cm.data?.[REPORT_JSON];
  if (typeof json !== 'string') return false;
  const parsed = parseReport(json);
  return parsed.ok && parsed.report.id === report.id && parsed.report.createdAt === report.createdAt && parsed.report.by === report.by;
}

async function createNamespace(http: KubeHttp, site: string, timeoutMs: number): Promise<void> {
  try {
    await http.send('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: HANDOVER_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'triptych' } } },
      timeoutMs,
    });
  } catch (err) {
    // Another console made it in the meantime: as good as ours.
    if (err instanceof KubeHttpError && err.status === 409) return;
    if (err instanceof KubeHttpError && err.status === 403) {
      throw new HandoverForbidden(
        site,
        `namespace ${HANDOVER_NAMESPACE} does not exist at ${site} and this identity may not create it: ${err.message}. Ask a cluster admin to run: kubectl create namespace ${HANDOVER_NAMESPACE}`,
      );
    }
    throw err;
  }
}

/** The handover ConfigMaps at a site, newest first; none when the namespace does not exist. */
async function listReports(http: KubeHttp, timeoutMs: number): Promise<ConfigMap[]> {
  let list: { items?: ConfigMap[] };
  try {
    list = await http.getJson(cmPath(), { labelSelector: SELECTOR }, undefined, timeoutMs);
  } catch (err) {
    // API servers answer an empty list for a missing namespace; a proxy may say 404.
    if (err instanceof KubeHttpError && err.status === 404) return [];
    throw err;
  }
  return (list.items ?? []).filter((cm) => typeof cm?.metadata?.name === 'string').sort((a, b) => age(b).localeCompare(age(a)));
}

/**
 * A sort key for "newest": the time in our names (`20261128-084400-02`),
 * else (a ConfigMap someone named otherwise) its creation time in that form.
 */
function age(cm: ConfigMap): string {
  const name = cm.metadata.name;
  if (HANDOVER_NAME.test(name)) {
    const [, date, time, n] = name.split('-');
    return `${date}-${time}-${(n ?? '1').padStart(2, '0')}`;
  }
  const t = Date.parse(cm.metadata.creationTimestamp ?? '');
  if (!Number.isFinite(t)) return '';
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-00`;
}

async function prune(http: KubeHttp, keep: number, justWritten: string, timeoutMs: number): Promise<{ pruned: string[]; errors: string[] }> {
  const pruned: string[] = [];
  const errors: string[] = [];
  let all: ConfigMap[];
  try {
    all = await listReports(http, timeoutMs);
  } catch (err) {
    return { pruned, errors: [`could not list the stored reports to prune them: ${(err as Error).message}`] };
  }
  // Only reports named as we name them: a ConfigMap someone labelled by hand is theirs to delete.
  const ours = all.filter((cm) => HANDOVER_NAME.test(cm.metadata.name));
  for (const cm of ours.slice(keep)) {
    const name = cm.metadata.name;
    if (name === justWritten) continue;
    try {
      await http.send('DELETE', cmPath(name), { timeoutMs });
      pruned.push(name);
    } catch (err) {
      if (err instanceof KubeHttpError && err.status === 404) continue;
      errors.push(`${name}: ${(err as Error).message}`);
    }
  }
  return { pruned, errors };
}

export interface LatestResult {
  /** The newest well-formed report at the site; absent when there is none. */
  report?: HandoverReport;
  /** Its ConfigMap. */
  name?: string;
  /** Newer ConfigMaps passed over because they hold no valid report, and why. */
  skipped: { name: string; why: string }[];
}

/** The newest report stored at a site, passing over malformed ones (each named, with why, in `skipped`). */
export async function latest(http: KubeHttp, o: Pick<StoreOptions, 'timeoutMs'> = {}): Promise<LatestResult> {
  const skipped: LatestResult['skipped'] = [];
  for (const cm of await listReports(http, o.timeoutMs ?? 15_000)) {
    const json = cm.data?.[REPORT_JSON];
    if (typeof json !== 'string') {
      skipped.push({ name: cm.metadata.name, why: `it has no ${REPORT_JSON}` });
      continue;
    }
    const parsed = parseReport(json);
    if (parsed.ok) return { report: parsed.report, name: cm.metadata.name, skipped };
    skipped.push({ name: cm.metadata.name, why: parsed.why });
  }
  return { skipped };
}

export type SiteSaveResult = ({ ok: true } & Omit<SaveResult, 'report' | 'trimmed'>) | { ok: false; error: string; forbidden: boolean; skipped: boolean };

/**
 * Writes the report at every site of `httpBySite` the report saw reachable,
 * in parallel; one site failing does not fail the others. Resolves with the
 * report as stored (events cut to fit, if needed: the same at every site)
 * and each site's result.
 */
export async function saveAll(
  httpBySite: ReadonlyMap<string, KubeHttp>,
  report: HandoverReport,
  o: Omit<StoreOptions, 'site'> = {},
): Promise<{ report: HandoverReport; trimmed: boolean; results: Map<string, SiteSaveResult> }> {
  // Cut once here, so every site stores the same report and a report too large fails before any write.
  const { report: stored, trimmed } = fitForConfigMap(report);
  const seen = new Map(report.sites.map((s) => [s.site, s]));
  const entries = await Promise.all(
    [...httpBySite].map(async ([site, http]): Promise<[string, SiteSaveResult]> => {
      const known = seen.get(site);
      const label = known?.name ?? site;
      if (known && !known.reachable) return [site, { ok: false, error: `${label} was not reachable when the report was written`, forbidden: false, skipped: true }];
      try {
        const { report: _r, trimmed: _t, ...rest } = await save(http, stored, { ...o, site: label });
        return [site, { ok: true, ...rest }];
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        // A refusal names the site already; a network error ("connect ECONNREFUSED …") does not.
        return [site, { ok: false, error: err instanceof HandoverForbidden ? message : `${label}: ${message}`, forbidden: err instanceof HandoverForbidden, skipped: false }];
      }
    }),
  );
  return { report: stored, trimmed, results: new Map(entries) };
}
