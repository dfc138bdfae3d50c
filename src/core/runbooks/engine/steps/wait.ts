/**
 * wait: a condition over the watch caches, re-evaluated whenever the site's
 * caches change, failing at the timeout with what was still missing.
 *
 * A condition the caches say holds is confirmed with the API before the
 * step passes: the caches may lag behind the write of the step before.
 *
 * `pods-ready` is read from the API only: pod views keep no labels (memory:
 * ≤ 1 KB a pod at 150,000 pods), so the pods a selector names are listed —
 * on every cache change of the site (coalesced) and at least every
 * `waitPollMs`.
 */
import { arr, rec, str } from '../../../../shared/json';
import type { WaitCondition } from '../../../../shared/runbooks';
import type { NodeView, PodView, WorkloadView } from '../../../../shared/model';
import { KubeHttpError, type KubeHttp } from '../../../kube/http';
import { projectNode, projectPod, projectWorkload } from '../../../kube/projections';
import type { ClusterCache } from '../cluster-cache';
import { objectPath, refAt } from '../objects';
import { Aborted, WaitTimeout, waitUntil } from '../triggers';
import { PlanError, StepFailure, type PlanContext, type StepHandler } from '../types';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** Pods a drain moves: not DaemonSet pods, not mirror pods (owned by their Node), not finished. */
export function evictable(p: PodView): boolean {
  return p.ownerKind !== 'DaemonSet' && p.ownerKind !== 'Node' && p.phase !== 'Succeeded' && p.phase !== 'Failed';
}

function list(names: string[]): string {
  return `${names.slice(0, 10).join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''}`;
}

/** Undefined when `cond` holds of these views; else what is missing, in words. */
function judge(cond: Exclude<WaitCondition, { condition: 'pods-ready' }>, site: string, nodes: Iterable<NodeView>, pods: Iterable<PodView>, workloads: Iterable<WorkloadView>): string | undefined {
  switch (cond.condition) {
    case 'node-empty': {
      if (![...nodes].some((n) => n.name === cond.node)) return `node ${cond.node} is not known at ${site}`;
      const left = [...pods].filter((p) => p.node === cond.node && evictable(p)).map((p) => `${p.namespace}/${p.name}`);
      return left.length === 0 ? undefined : `${cond.node} still holds ${left.length} evictable pod${left.length === 1 ? '' : 's'}: ${list(left)}`;
    }
    case 'node-ready': {
      const n = [...nodes].find((x) => x.name === cond.node);
      if (!n) return `node ${cond.node} is not known at ${site}`;
      return n.ready === 'True' ? undefined : `${cond.node} is ${n.ready === 'False' ? 'NotReady' : 'Unknown (kubelet not reporting)'}`;
    }
    case 'workload-ready': {
      const w = [...workloads].find((x) => x.kind === cond.kind && x.namespace === cond.namespace && x.name === cond.name);
      if (!w) return `${cond.kind} ${cond.namespace}/${cond.name} is not known at ${site}`;
      const gaps: string[] = [];
      if (w.observedGeneration < w.generation) gaps.push(`its controller has not seen generation ${w.generation} yet (observed ${w.observedGeneration})`);
      if (w.updated !== w.desired) gaps.push(`${w.updated}/${w.desired} updated`);
      if (w.ready !== w.desired) gaps.push(`${w.ready}/${w.desired} ready`);
      return gaps.length === 0 ? undefined : `${cond.kind} ${cond.namespace}/${cond.name}: ${gaps.join(', ')}`;
    }
  }
}

/**
 * The same judgement on the objects as the API has them now, through the
 * console's own projections: the caches may not have caught up with a write
 * the step before made (a scale, a drain), and a stale "ready" must not pass.
 */
async function confirmByApi(cond: Exclude<WaitCondition, { condition: 'pods-ready' }>, site: string, http: KubeHttp, signal?: AbortSignal): Promise<string | undefined> {
  try {
    switch (cond.condition) {
      case 'node-empty': {
        const node = projectNode(await http.getJson(`/api/v1/nodes/${encodeURIComponent(cond.node)}`, {}, signal));
        const pods = arr(rec(await http.getJson('/api/v1/pods', { fieldSelector: `spec.nodeName=${cond.node}` }, signal)).items).map(projectPod);
        return judge(cond, site, [node], pods, []);
      }
      case 'node-ready':
        return judge(cond, site, [projectNode(await http.getJson(`/api/v1/nodes/${encodeURIComponent(cond.node)}`, {}, signal))], [], []);
      case 'workload-ready': {
        const kind = cond.kind as WorkloadView['kind'];
        const o = await http.getJson(objectPath({ kind, namespace: cond.namespace, name: cond.name }), {}, signal);
        return judge(cond, site, [], [], [projectWorkload(o, kind)]);
      }
    }
  } catch (e) {
    if (e instanceof KubeHttpError && e.status === 404) return `${cond.condition === 'workload-ready' ? `${cond.kind} ${cond.namespace}/${cond.name}` : `node ${cond.node}`} does not exist at ${site}`;
    throw e;
  }
}

/**
 * Undefined when `cond` holds at `site` now; else what is missing, in words.
 * The caches say when to look; a "holds" is confirmed with the API.
 */
export async function evaluate(cache: ClusterCache, http: KubeHttp, site: string, cond: WaitCondition, signal?: AbortSignal): Promise<string | undefined> {
  if (cond.condition === 'pods-ready') return podsReady(http, cond, signal);
  const state = cache.status(site);
  if (state !== 'live') return `the console's view of ${site} is not live (${state})`;
  const missing = judge(cond, site, cache.nodes(site), cache.pods(site), cache.workloads(site));
  return missing ?? confirmByApi(cond, site, http, signal);
}

async function podsReady(http: KubeHttp, cond: Extract<WaitCondition, { condition: 'pods-ready' }>, signal?: AbortSignal): Promise<string | undefined> {
  const res = rec(await http.getJson(`/api/v1/namespaces/${encodeURIComponent(cond.namespace)}/pods`, { labelSelector: cond.selector }, signal));
  const pods = arr(res.items).map(rec).filter((p) => !str(rec(p.metadata).deletionTimestamp));
  if (pods.length === 0) return `no pod in ${cond.namespace} matches ${cond.selector}`;
  const notReady = pods.filter((p) => !arr(rec(p.status).conditions).some((c) => rec(c).type === 'Ready' && rec(c).status === 'True')).map((p) => str(rec(p.metadata).name));
  return notReady.length === 0 ? undefined : `${notReady.length}/${pods.length} pods matching ${cond.selector} not ready: ${list(notReady)}`;
}

function describe(c: WaitCondition): string {
  switch (c.condition) {
    case 'node-empty':
      return `${c.node} holds no evictable pods`;
    case 'node-ready':
      return `${c.node} is Ready`;
    case 'workload-ready':
      return `${c.kind} ${c.namespace}/${c.name} is rolled out and ready`;
    case 'pods-ready':
      return `every pod matching ${c.selector} in ${c.namespace} is Ready`;
  }
}

function touches(ctx: PlanContext, c: WaitCondition): ReturnType<typeof refAt>[] {
  switch (c.condition) {
    case 'node-empty':
    case 'node-ready':
      return [refAt(ctx.site, 'Node', c.node)];
    case 'workload-ready':
      return [refAt(ctx.site, c.kind, c.name, c.namespace)];
    case 'pods-ready':
      return [refAt(ctx.site, 'Namespace', c.namespace)];
  }
}

export const wait: StepHandler<'wait'> = {
  title: (s) => `Wait until ${describe(s.for)}`,
  async preview(ctx, s) {
    if (s.for.condition === 'workload-ready' && !WORKLOAD_KINDS.includes(s.for.kind)) {
      throw new PlanError(`workload-ready can wait for ${WORKLOAD_KINDS.join(', ')}, not ${s.for.kind}`);
    }
    const missing = await evaluate(ctx.cache, ctx.http, ctx.site, s.for);
    return {
      touches: touches(ctx, s.for),
      notes: [`up to ${Math.round(s.timeout / 1000)} s; now: ${missing ?? 'holds already'}`],
      blockers: [],
    };
  },
  async run(ctx, s) {
    try {
      await waitUntil({
        cache: ctx.cache,
        site: ctx.site,
        signal: ctx.signal,
        timeoutMs: s.timeout,
        pollMs: ctx.tuning.waitPollMs,
        settleMs: ctx.tuning.settleMs,
        check: () => evaluate(ctx.cache, ctx.http, ctx.site, s.for, ctx.signal),
        onMissing: (m) => ctx.progress({ message: m }),
      });
    } catch (e) {
      if (e instanceof WaitTimeout) throw new StepFailure(`timed out after ${Math.round(s.timeout / 1000)} s waiting until ${describe(s.for)}: ${e.missing}`);
      if (e instanceof Aborted) throw new StepFailure('aborted while waiting');
      throw e;
    }
    return { message: describe(s.for) };
  },
};
