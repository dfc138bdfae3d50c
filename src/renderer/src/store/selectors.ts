/**
 * Pure reads of the state, for components and tests. Anything returning a
 * fresh object must be memoised by the caller (zustand 5 re-renders on every
 * new reference), so components select the raw slices and call these in
 * `useMemo`.
 */
import type { ConnectionState, SiteStatus } from '../../../shared/contract/triptych';
import { podWorkload, type Problem, type SiteHealth } from '../../../shared/derive';
import type { PodView, SiteInfo, WorkloadView } from '../../../shared/model';
import { formatAge } from '../format';
import type { AppState, DetailTarget, Mirror, UiState } from './initialState';

const SITE_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** True for a site id as the contract defines them; the only strings used as record keys. */
export function isSiteId(v: unknown): v is string {
  return typeof v === 'string' && SITE_ID.test(v);
}

/** The theme actually shown. */
export function resolvedTheme(ui: Pick<UiState, 'themePref' | 'systemDark'>): 'light' | 'dark' {
  if (ui.themePref === 'system') return ui.systemDark ? 'dark' : 'light';
  return ui.themePref;
}

/** True when every site shown is the built-in training fleet (never when one of them is real). */
export function isTrainingFleet(sites: readonly SiteInfo[]): boolean {
  return sites.length > 0 && sites.every((s) => s.training);
}

/** True once every site has delivered (and had applied) its first snapshot. */
export function allLoaded(state: Pick<AppState, 'boot' | 'sites' | 'mirrors'>): boolean {
  return state.boot.phase === 'ready' && state.sites.every((s) => state.mirrors[s.id] !== undefined);
}

export interface ConnectionView {
  /** The contract's state word, shown as is (tests and screen readers match on it). */
  state: ConnectionState;
  /** The line under it: age of the data, or the error to act on. */
  detail: string;
}

/**
 * How a site's connection reads in its column header. `receivedAt` is when
 * the status arrived: its `retryInMs` counts from then, and the host does
 * not resend a status just because time passed.
 */
export function connectionView(status: SiteStatus | undefined, now: number, receivedAt = now): ConnectionView {
  if (status === undefined) return { state: 'connecting', detail: '' };
  const age = status.lastSyncAt !== undefined ? `last sync ${formatAge(now - status.lastSyncAt)} ago` : 'never synced';
  let retry = '';
  if (status.retryInMs !== undefined) {
    const left = status.retryInMs - (now - receivedAt);
    retry = left >= 1_000 ? ` · retry in ${formatAge(left)}` : ' · retrying';
  }
  switch (status.state) {
    case 'live':
      return { state: 'live', detail: '' };
    case 'connecting':
      return { state: 'connecting', detail: status.error ?? '' };
    case 'stale':
      return { state: 'stale', detail: `${age}${status.error ? ` · ${status.error}` : ''}${retry}` };
    case 'unreachable':
      return { state: 'unreachable', detail: `${status.error ?? 'cannot reach the API server'}${retry}` };
    case 'credentials-expired':
      return { state: 'credentials-expired', detail: `${status.error ?? 'the API server answered 401 Unauthorized'} · renew the credentials${retry}` };
    case 'awaiting-credentials':
      // The host's error says what the site waits for (a sign-in, or a Vault that cannot issue now); the data shown
      // is as old as the last sync. No retry countdown: the site connects as soon as its credentials arrive, not at the next retry.
      return { state: 'awaiting-credentials', detail: `${status.error ?? 'waiting for credentials from Vault'}${status.lastSyncAt !== undefined ? ` · ${age}` : ''}` };
    default:
      // A state from a newer host: show it rather than hide it.
      return { state: status.state, detail: status.error ?? '' };
  }
}

/** The site of an id, if configured. */
export function siteById(sites: readonly SiteInfo[], id: string): SiteInfo | undefined {
  return sites.find((s) => s.id === id);
}

/** Phases in the order an admin scans them; others follow alphabetically. */
const PHASE_ORDER = ['Running', 'Pending', 'Failed', 'Succeeded', 'Unknown'];

/** Pod phase counts in a stable order, zero counts of the usual phases included. */
export function podPhases(health: SiteHealth): [string, number][] {
  const by = health.pods.byPhase;
  const rest = Object.keys(by)
    .filter((p) => !PHASE_ORDER.includes(p))
    .sort();
  return [...PHASE_ORDER, ...rest].map((p) => [p, Object.hasOwn(by, p) ? (by[p] ?? 0) : 0]);
}

/** The problems list of a column: most severe first, at most `limit`. */
export function topProblems(health: SiteHealth | undefined, limit = 15): Problem[] {
  return health ? health.problems.slice(0, limit) : [];
}

/**
 * What clicking a problem opens: the node for node problems; for workload
 * problems (subject `namespace/Kind/name`) the workload, or the pod itself
 * for a bare pod.
 */
export function problemTarget(site: string, p: Problem): DetailTarget | undefined {
  if (p.kind.startsWith('node-')) return { kind: 'node', site, name: p.subject };
  const first = p.subject.indexOf('/');
  const second = p.subject.indexOf('/', first + 1);
  if (first <= 0 || second <= first + 1) return undefined;
  const namespace = p.subject.slice(0, first);
  const workloadKind = p.subject.slice(first + 1, second);
  const name = p.subject.slice(second + 1);
  if (name === '') return undefined;
  if (workloadKind === 'Pod') return { kind: 'pod', site, namespace, name };
  return { kind: 'workload', site, namespace, name, workloadKind };
}

/** Workloads of a namespace with a name (any kind unless given). */
export function findWorkloads(mirror: Mirror, namespace: string, name: string, kind?: string): WorkloadView[] {
  if (kind !== undefined) {
    const w = mirror.workloads.get(`${kind}/${namespace}/${name}`);
    return w ? [w] : [];
  }
  return (['Deployment', 'StatefulSet', 'DaemonSet'] as const).flatMap((k) => {
    const w = mirror.workloads.get(`${k}/${namespace}/${name}`);
    return w ? [w] : [];
  });
}

/** How bad a pod looks, for ordering lists worst first. */
export function podTrouble(p: PodView): number {
  if (p.status.includes('CrashLoopBackOff') || p.phase === 'Failed') return 0;
  if (p.phase === 'Pending' || p.phase === 'Unknown') return 1;
  if (p.readyContainers < p.containers && p.phase === 'Running') return 2;
  if (p.terminating) return 3;
  return 4;
}

/** The pods of a workload (as {@link podWorkload} groups them), worst first, then by name. */
export function workloadPods(mirror: Mirror, namespace: string, name: string, kind?: string): PodView[] {
  const out: PodView[] = [];
  for (const p of mirror.pods.values()) {
    if (p.namespace !== namespace) continue;
    const ref = podWorkload(p);
    if (ref.name === name && (kind === undefined || ref.kind === kind)) out.push(p);
  }
  return out.sort((a, b) => podTrouble(a) - podTrouble(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A key that changes whenever any site's mirror does (the palette rebuilds its index on it). */
export function mirrorsKey(sites: readonly SiteInfo[], mirrors: Readonly<Record<string, Mirror>>): string {
  return sites.map((s) => `${s.id}:${mirrors[s.id]?.version ?? -1}`).join(',');
}
