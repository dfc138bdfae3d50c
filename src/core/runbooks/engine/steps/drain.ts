/**
 * drain, as `kubectl drain` does it: cordon first, evict every pod on the
 * node through the Eviction API (so PodDisruptionBudgets hold), skip
 * DaemonSet and mirror pods, refuse pods nothing would recreate and pods
 * with emptyDir data unless allowed, retry evictions a budget refuses
 * (every 5 s, sooner when the cache shows the budget allows one) until the
 * step's timeout, then wait until the evicted pods are gone.
 *
 * Re-running after a crash is safe: the drain starts from the pods still on
 * the node (pods already terminating are waited for, not evicted again), and
 * the cordon is skipped when the node is already cordoned.
 */
import { arr, isObj, rec, str, type Obj } from '../../../../shared/json';
import { KubeHttpError, type KubeHttp } from '../../../kube/http';
import { objectPath, refAt } from '../objects';
import { selectorMatches } from '../selector';
import { nextTrigger } from '../triggers';
import { StepFailure, type PlanContext, type SpecOf, type StepContext, type StepHandler, type StepOutcome } from '../types';
import { cordonNode } from './cordon';

/** A pod as the drain reads it from the API. */
export interface DrainPod {
  key: string;
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
}

export interface DrainSelection {
  /** Pods to evict. */
  evict: DrainPod[];
  /** Pods already terminating: waited for, not evicted again. */
  terminating: DrainPod[];
  /** Left on the node: DaemonSet pods (their controller ignores unschedulable) and mirror pods (the kubelet owns them). */
  skipped: { pod: string; why: string }[];
  /** Pods the drain will not evict, and why (kubectl refuses these without --force / --delete-emptydir-data). */
  refused: { pod: string; why: string }[];
}

function asPod(o: Obj): DrainPod {
  const m = rec(o.metadata);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(m.labels))) if (typeof v === 'string') labels[k] = v;
  const namespace = str(m.namespace);
  const name = str(m.name);
  return { key: `${namespace}/${name}`, namespace, name, uid: str(m.uid), labels };
}

/** Sorts the pods of a node the way kubectl's drain filters do (daemonSet, mirror, localStorage, unreplicated). */
export function selectForDrain(pods: readonly unknown[], o: { deleteEmptyDirData?: boolean }): DrainSelection {
  const sel: DrainSelection = { evict: [], terminating: [], skipped: [], refused: [] };
  for (const raw of pods) {
    const obj = rec(raw);
    const m = rec(obj.metadata);
    const pod = asPod(obj);
    if (str(m.deletionTimestamp)) {
      sel.terminating.push(pod);
      continue;
    }
    const phase = str(rec(obj.status).phase);
    // Finished pods hold nothing worth keeping: kubectl deletes them whatever owns them.
    if (phase === 'Succeeded' || phase === 'Failed') {
      sel.evict.push(pod);
      continue;
    }
    const controller = arr(m.ownerReferences).map(rec).find((r) => r.controller === true);
    if (controller && str(controller.kind) === 'DaemonSet') {
      sel.skipped.push({ pod: pod.key, why: `DaemonSet ${str(controller.name)}` });
      continue;
    }
    if (str(rec(m.annotations)['kubernetes.io/config.mirror'])) {
      sel.skipped.push({ pod: pod.key, why: 'mirror pod (static, owned by the kubelet)' });
      continue;
    }
    const why: string[] = [];
    const emptyDirs = arr(rec(obj.spec).volumes).map(rec).filter((v) => isObj(v.emptyDir)).map((v) => str(v.name));
    if (emptyDirs.length > 0 && !o.deleteEmptyDirData) why.push(`emptyDir data would be lost (${emptyDirs.join(', ')}; set deleteEmptyDirData)`);
    if (!controller) why.push('no controller would recreate it (kubectl drain needs --force and the pod is lost)');
    if (why.length > 0) sel.refused.push({ pod: pod.key, why: why.join('; ') });
    else sel.evict.push(pod);
  }
  return sel;
}

interface Pdb {
  key: string;
  namespace: string;
  selector: unknown;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
}

async function listPods(http: KubeHttp, node: string, signal?: AbortSignal): Promise<Obj[]> {
  const list = rec(await http.getJson('/api/v1/pods', { fieldSelector: `spec.nodeName=${node}` }, signal));
  return arr(list.items).map(rec);
}

async function listPdbs(http: KubeHttp): Promise<Pdb[]> {
  const list = rec(await http.getJson('/apis/policy/v1/poddisruptionbudgets'));
  return arr(list.items).map((i) => {
    const o = rec(i);
    const m = rec(o.metadata);
    const st = rec(o.status);
    const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
    return { key: `${str(m.namespace)}/${str(m.name)}`, namespace: str(m.namespace), selector: rec(o.spec).selector, disruptionsAllowed: n(st.disruptionsAllowed), currentHealthy: n(st.currentHealthy), desiredHealthy: n(st.desiredHealthy) };
  });
}

function pdbsOf(pod: DrainPod, pdbs: readonly Pdb[]): Pdb[] {
  return pdbs.filter((b) => b.namespace === pod.namespace && selectorMatches(b.selector, pod.labels));
}

function refusal(node: string, refused: DrainSelection['refused']): string {
  const list = refused.slice(0, 20).map((r) => `${r.pod}: ${r.why}`).join('; ');
  return `cannot drain ${node}: ${refused.length} pod${refused.length === 1 ? '' : 's'} would be lost — ${list}${refused.length > 20 ? `; and ${refused.length - 20} more` : ''}`;
}

async function readSelection(ctx: PlanContext, s: SpecOf<'drain'>, signal?: AbortSignal): Promise<{ unschedulable: boolean; sel: DrainSelection }> {
  const node = rec(await ctx.http.getJson(objectPath({ kind: 'Node', name: s.node }), {}, signal));
  const sel = selectForDrain(await listPods(ctx.http, s.node, signal), s);
  return { unschedulable: rec(node.spec).unschedulable === true, sel };
}

export const drain: StepHandler<'drain'> = {
  title: (s) => `Drain ${s.node}`,

  async preview(ctx, s) {
    const { unschedulable, sel } = await readSelection(ctx, s);
    const notes: string[] = [];
    const blockers: string[] = [];
    if (!unschedulable) notes.push(`${s.node} is cordoned first`);
    notes.push(`${sel.evict.length} pod${sel.evict.length === 1 ? '' : 's'} evicted${s.gracePeriodSeconds !== undefined ? ` with a ${s.gracePeriodSeconds} s grace period` : ''}; gives up after ${Math.round(s.timeout / 1000)} s`);
    if (sel.terminating.length > 0) notes.push(`${sel.terminating.length} pods already terminating (waited for)`);
    if (sel.skipped.length > 0) notes.push(`skipped: ${sel.skipped.map((x) => `${x.pod} (${x.why})`).join(', ')}`);
    if (sel.refused.length > 0) blockers.push(refusal(s.node, sel.refused));
    // Budgets that will make the drain wait: none allowed now, or fewer than the pods they cover here.
    const pdbs = await listPdbs(ctx.http);
    const covered = new Map<string, { pdb: Pdb; pods: number }>();
    for (const p of sel.evict) {
      for (const b of pdbsOf(p, pdbs)) {
        const c = covered.get(b.key) ?? { pdb: b, pods: 0 };
        c.pods++;
        covered.set(b.key, c);
      }
    }
    for (const { pdb, pods } of covered.values()) {
      if (pdb.disruptionsAllowed === 0) notes.push(`PodDisruptionBudget ${pdb.key} allows no disruption now (${pdb.currentHealthy} healthy, needs ${pdb.desiredHealthy}): the drain waits for it`);
      else if (pods > pdb.disruptionsAllowed) notes.push(`PodDisruptionBudget ${pdb.key} covers ${pods} pods here and allows ${pdb.disruptionsAllowed} at a time: they go one after another as replacements become ready`);
    }
    return {
      touches: [refAt(ctx.site, 'Node', s.node), ...sel.evict.map((p) => refAt(ctx.site, 'Pod', p.name, p.namespace))],
      notes,
      blockers,
    };
  },

  async run(ctx, s) {
    return runDrain(ctx, s);
  },
};

async function runDrain(ctx: StepContext, s: SpecOf<'drain'>): Promise<StepOutcome> {
  const deadline = ctx.now() + s.timeout;
  const { unschedulable, sel } = await readSelection(ctx, s, ctx.signal);
  // Refused before anything changed (kubectl cordons first and then fails; nothing is gained by that).
  if (sel.refused.length > 0) throw new StepFailure(refusal(s.node, sel.refused), 'refused', { refused: sel.refused });
  let cordoned = false;
  if (!unschedulable) {
    cordoned = (await cordonNode(ctx.http, s.node, { by: ctx.who, reason: `drain (runbook ${ctx.runbook})`, at: new Date(ctx.now()).toISOString() })).changed;
  }
  const pdbs = await listPdbs(ctx.http);
  const pending = new Map(sel.evict.map((p) => [p.key, p]));
  const waiting = new Map(sel.terminating.map((p) => [p.key, p.uid]));
  const blocked = new Map<string, { pdbs: string[]; next: number }>();
  const total = pending.size + waiting.size;
  let done = 0;
  let evicted = 0;
  let toldBlocked = false;
  const body = (p: DrainPod): unknown => ({
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: p.name, namespace: p.namespace },
    ...(s.gracePeriodSeconds !== undefined ? { deleteOptions: { gracePeriodSeconds: s.gracePeriodSeconds } } : {}),
  });
  /** A refused eviction may go again: its retry time came, or the cache shows every budget of the pod allows one. */
  const due = (key: string, now: number): boolean => {
    const b = blocked.get(key);
    if (!b) return true;
    if (now >= b.next) return true;
    const views = [...ctx.cache.pdbs(ctx.site)];
    return b.pdbs.length > 0 && b.pdbs.every((k) => (views.find((v) => `${v.namespace}/${v.name}` === k)?.disruptionsAllowed ?? 0) > 0);
  };
  const evict = async (p: DrainPod): Promise<void> => {
    try {
      await ctx.http.send('POST', `${objectPath({ kind: 'Pod', namespace: p.namespace, name: p.name })}/eviction`, { body: body(p), signal: ctx.signal });
      pending.delete(p.key);
      blocked.delete(p.key);
      waiting.set(p.key, p.uid);
      evicted++;
    } catch (e) {
      if (e instanceof KubeHttpError && e.status === 404) {
        pending.delete(p.key);
        done++;
      } else if (e instanceof KubeHttpError && e.status === 429) {
        const names = pdbsOf(p, pdbs).map((b) => b.key);
        blocked.set(p.key, { pdbs: names, next: ctx.now() + ctx.tuning.evictionRetryMs });
        if (!toldBlocked) {
          // Journalled: the moment the drain first waits on a budget is worth knowing after a crash (and tests wait for it).
          toldBlocked = true;
          ctx.remember('blocked', { pod: p.key, pdbs: names });
        }
      } else if (!ctx.signal.aborted) {
        const refused = e instanceof KubeHttpError && (e.status === 401 || e.status === 403);
        throw new StepFailure(`eviction of ${p.key} failed: ${(e as Error).message}`, refused ? 'refused' : 'failed', { evicted, left: pending.size + waiting.size });
      }
    }
  };
  const blockedText = (): string => {
    const by = new Map<string, string[]>();
    for (const [pod, b] of blocked) for (const k of b.pdbs.length ? b.pdbs : ['(no budget found; the API server is throttling)']) by.set(k, [...(by.get(k) ?? []), pod]);
    return [...by].map(([k, pods]) => `${pods.join(', ')} waiting for PodDisruptionBudget ${k}`).join('; ');
  };

  const aborted = (): StepFailure => new StepFailure(`aborted: ${evicted} pods evicted, ${pending.size} to evict, ${waiting.size} terminating on ${s.node}`, 'failed', { evicted, aborted: true });
  try {
    await evictAll();
  } catch (e) {
    // A request the abort cut short: the drain stopped where it was.
    if (ctx.signal.aborted && !(e instanceof StepFailure)) throw aborted();
    throw e;
  }
  ctx.progress({ done: total, total });
  return {
    message: `drained ${s.node}: ${evicted} pod${evicted === 1 ? '' : 's'} evicted${sel.skipped.length ? `, ${sel.skipped.length} left (DaemonSet or mirror pods)` : ''}`,
    data: { evicted, total, skipped: sel.skipped.length, cordoned },
  };

  async function evictAll(): Promise<void> {
    for (;;) {
      // Gone: no longer on the node under the same uid (a StatefulSet pod comes back with its name, elsewhere).
      const now = new Map((await listPods(ctx.http, s.node, ctx.signal)).map((o) => [asPod(o).key, asPod(o).uid]));
      for (const [key, uid] of waiting) {
        if (now.get(key) !== uid) {
          waiting.delete(key);
          done++;
        }
      }
      for (const [key, p] of pending) {
        if (now.get(key) !== p.uid) {
          pending.delete(key);
          blocked.delete(key);
          done++;
        }
      }
      if (pending.size === 0 && waiting.size === 0) break;
      const left = `${pending.size} to evict, ${waiting.size} terminating`;
      if (ctx.signal.aborted) throw aborted();
      if (ctx.now() >= deadline) {
        const why = blocked.size > 0 ? `; ${blockedText()}` : '';
        throw new StepFailure(`timed out after ${Math.round(s.timeout / 1000)} s draining ${s.node}: ${left}${why}${waiting.size ? `; still terminating: ${[...waiting.keys()].slice(0, 10).join(', ')}` : ''}`, 'failed', { evicted, left: pending.size + waiting.size });
      }
      const t = ctx.now();
      const batch = [...pending.values()].filter((p) => due(p.key, t)).slice(0, ctx.tuning.evictionConcurrency);
      await Promise.all(batch.map(evict));
      ctx.progress({ done, total, message: blocked.size > 0 ? blockedText() : `evicting: ${left}` });
      if (batch.length === ctx.tuning.evictionConcurrency) continue;
      const nextRetry = Math.min(...[...blocked.values()].map((b) => b.next));
      const wake = Math.min(deadline, waiting.size > 0 || pending.size > blocked.size ? ctx.now() + ctx.tuning.deletePollMs : Infinity, nextRetry) - ctx.now();
      await nextTrigger({ cache: ctx.cache, site: ctx.site, signal: ctx.signal, ms: Math.max(0, wake), settleMs: ctx.tuning.settleMs });
    }
  }
}
