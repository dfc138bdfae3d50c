/**
 * check: guards evaluated against the watch caches. In the plan a failing
 * guard is a blocker; when the step runs it is evaluated again, and a failing
 * guard fails the run before the steps after it change anything.
 *
 * - site-healthy: the console's view of the site is live.
 * - geo-redundancy: every other site is live, has no more NotReady nodes than
 *   `maxNotReadyShare` allows, and the other sites together have free pod
 *   slots for the pods the drains after this step will move, times
 *   `headroom`. Pod views carry no resource requests, so CPU is not compared.
 * - no-maintenance-elsewhere: never two sites in maintenance at once — the
 *   other sites' maintenance Leases, and nodes cordoned through Triptych
 *   (its cordon annotations) as a second signal.
 */
import type { NodeView } from '../../../../shared/model';
import { refAt } from '../objects';
import { StepFailure, type PlanContext, type SpecOf, type StepHandler } from '../types';
import { evictable } from './wait';

export interface GuardVerdict {
  ok: boolean;
  message: string;
  data?: Record<string, unknown>;
}

type Guard = SpecOf<'check'>['guard'];

const TITLES: Record<Guard, string> = {
  'site-healthy': 'Check that the site is healthy',
  'geo-redundancy': 'Check that the other sites can carry the load',
  'no-maintenance-elsewhere': 'Check that no other site is under maintenance',
};

/** Ready, not cordoned, and no taint that keeps ordinary pods off (control-plane nodes). */
function takesPods(n: NodeView): boolean {
  return n.ready === 'True' && !n.unschedulable && !n.taints.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
}

function others(ctx: PlanContext): string[] {
  return ctx.cache.sites().filter((s) => s !== ctx.site);
}

function siteHealthy(ctx: PlanContext): GuardVerdict {
  const state = ctx.cache.status(ctx.site);
  const name = ctx.siteName(ctx.site);
  return state === 'live' ? { ok: true, message: `${name} is live` } : { ok: false, message: `${name} is not live in the console (${state})`, data: { state } };
}

/** The nodes the drains after step `index` empty at this step's site. */
function drainedNodes(ctx: PlanContext): string[] {
  const nodes = new Set<string>();
  for (const s of ctx.steps.slice(ctx.index + 1)) if (s.spec.type === 'drain' && s.site === ctx.site) nodes.add(s.spec.node);
  return [...nodes];
}

function geoRedundancy(ctx: PlanContext, headroom: number): GuardVerdict {
  const sites = others(ctx);
  if (sites.length === 0) return { ok: false, message: `no other site to carry ${ctx.siteName(ctx.site)}'s load` };
  const nodes = drainedNodes(ctx);
  const drained = new Set(nodes);
  let moving = 0;
  for (const p of ctx.cache.pods(ctx.site)) if (drained.has(p.node) && evictable(p) && !p.terminating) moving++;
  const needed = Math.ceil(moving * headroom);
  const problems: string[] = [];
  const perSite: Record<string, { free: number; slots: number; notReady: number; nodes: number }> = {};
  let free = 0;
  for (const site of sites) {
    const name = ctx.siteName(site);
    const state = ctx.cache.status(site);
    if (state !== 'live') {
      problems.push(`${name} is not live (${state})`);
      continue;
    }
    const all = [...ctx.cache.nodes(site)];
    const notReady = all.filter((n) => n.ready !== 'True').length;
    const allowed = Math.floor(all.length * ctx.tuning.maxNotReadyShare);
    if (notReady > allowed) problems.push(`${name} has ${notReady} of ${all.length} nodes not Ready (at most ${allowed} allowed)`);
    const usable = new Map(all.filter(takesPods).map((n) => [n.name, n]));
    let slots = 0;
    for (const n of usable.values()) slots += n.podsAllocatable;
    let used = 0;
    for (const p of ctx.cache.pods(site)) if (usable.has(p.node) && p.phase !== 'Succeeded' && p.phase !== 'Failed') used++;
    const f = Math.max(0, slots - used);
    perSite[site] = { free: f, slots, notReady, nodes: all.length };
    free += f;
  }
  const freeText = Object.entries(perSite).map(([s, v]) => `${ctx.siteName(s)} ${v.free} of ${v.slots}`).join(', ');
  const need = `${moving} pod${moving === 1 ? '' : 's'} to move off ${nodes.length ? nodes.join(', ') : 'no node'}${headroom !== 1 ? ` × headroom ${headroom}` : ''} = ${needed} slot${needed === 1 ? '' : 's'} needed`;
  const have = `free pod slots on Ready, schedulable nodes elsewhere: ${freeText || 'none known'} (total ${free})`;
  if (free < needed) problems.push(`not enough spare capacity: ${need}; ${have}`);
  const data = { moving, needed, free, perSite, headroom };
  if (problems.length > 0) return { ok: false, message: problems.join('; '), data };
  return { ok: true, message: `${need}; ${have}. CPU is not compared (pod views carry no requests).`, data };
}

async function noMaintenanceElsewhere(ctx: PlanContext): Promise<GuardVerdict> {
  const problems: string[] = [];
  for (const site of others(ctx)) {
    const name = ctx.siteName(site);
    if (ctx.deps.maintenanceAt) {
      try {
        for (const m of await ctx.deps.maintenanceAt(site)) problems.push(`${name}: ${m.scope} under maintenance by ${m.holder} since ${m.since}`);
      } catch (e) {
        problems.push(`cannot tell whether ${name} is under maintenance: ${(e as Error).message}`);
      }
    }
    const cordoned = [...ctx.cache.nodes(site)].filter((n) => n.cordon?.by);
    if (cordoned.length > 0) {
      const first = cordoned[0] as NodeView;
      problems.push(`${name}: ${cordoned.length} node${cordoned.length === 1 ? '' : 's'} cordoned through Triptych (${first.name} by ${first.cordon?.by}${first.cordon?.reason ? `: ${first.cordon.reason}` : ''}${cordoned.length > 1 ? ', …' : ''})`);
    }
  }
  return problems.length > 0 ? { ok: false, message: problems.join('; ') } : { ok: true, message: 'no other site is under maintenance' };
}

/** Evaluates one guard now. */
export async function evaluateGuard(ctx: PlanContext, spec: SpecOf<'check'>): Promise<GuardVerdict> {
  switch (spec.guard) {
    case 'site-healthy':
      return siteHealthy(ctx);
    case 'geo-redundancy':
      return geoRedundancy(ctx, spec.headroom ?? 1);
    case 'no-maintenance-elsewhere':
      return noMaintenanceElsewhere(ctx);
  }
  return { ok: false, message: `unknown guard ${String((spec as { guard: unknown }).guard)}` };
}

export const check: StepHandler<'check'> = {
  title: (s) => TITLES[s.guard] ?? `Check ${String(s.guard)}`,
  async preview(ctx, s) {
    const v = await evaluateGuard(ctx, s);
    const touches = s.guard === 'geo-redundancy' ? drainedNodes(ctx).map((n) => refAt(ctx.site, 'Node', n)) : [];
    return v.ok ? { touches, notes: [v.message], blockers: [] } : { touches, notes: [], blockers: [v.message] };
  },
  async run(ctx, s) {
    const v = await evaluateGuard(ctx, s);
    if (!v.ok) throw new StepFailure(v.message, 'refused', v.data);
    return { message: v.message, data: v.data };
  },
};
