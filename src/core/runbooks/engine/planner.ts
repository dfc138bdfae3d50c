/**
 * Planning: a runbook and its parameters → the plan the admin previews.
 * Parameters are bound and steps interpolated by the runbook format
 * (../format); steps are expanded first — loops per site (`forEachSite`)
 * and per node (`forEachNode`) — then each step previews what it will touch
 * with reads only. Whatever would stop the run — a failing guard, pods a
 * drain would refuse, an unknown kind, a missing parameter — is a blocker;
 * the plan is still made, so the admin sees all of them.
 *
 * Loops: consecutive steps with the same `forEachSite` (or `forEachNode`)
 * value form one loop, run for one site (node), then the next: check,
 * cordon, drain for the first node of the rack, then the same for the next.
 * Sites go in the configured order; nodes by rack, rack unit, then name.
 * Sites and nodes are fixed when the plan is made (and journalled with it).
 */
import { randomBytes } from 'node:crypto';
import { MUTATING_STEPS, type Runbook, type RunbookStep, type StepType } from '../../../shared/runbooks';
import { naturalCompare } from '../../../shared/derive/natural';
import { bindParams, interpolate, interpolateText, type ParamValues } from '../format';
import { HANDLERS, SITELESS } from './steps';
import { DEFAULT_TUNING, PlanError, type EngineDeps, type EnginePlan, type EnginePlannedStep, type PlanContext, type SpecOf } from './types';

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The nodes a `forEachNode` loop goes over at a site, as the caches know them: a rack's, or all. */
export function loopNodes(deps: EngineDeps, site: string, rack?: string): string[] {
  return [...deps.cache.nodes(site)]
    .filter((n) => rack === undefined || n.rack === rack)
    .sort((a, b) => naturalCompare(a.rack ?? '', b.rack ?? '') || (a.unit ?? Infinity) - (b.unit ?? Infinity) || naturalCompare(a.name, b.name))
    .map((n) => n.name);
}

interface Expanded {
  step: EnginePlannedStep;
  problem?: string;
}

/** The loop a step belongs to: consecutive steps with the same value form one. */
function loopOf(s: RunbookStep): string {
  return s.forEachNode ? `node:${s.forEachNode}` : s.forEachSite ? `site:${s.forEachSite}` : '';
}

function expand(runbook: Runbook, values: ParamValues, deps: EngineDeps, site: string | undefined, blockers: string[]): Expanded[] {
  const out: Expanded[] = [];
  const steps = runbook.steps;
  const siteName = (s: string): string => deps.siteName?.(s) ?? s;
  const one = (rs: RunbookStep, vars: ParamValues, id: string, stepSite: string, suffix: string): void => {
    const type = rs.spec.type;
    const base: EnginePlannedStep = { id, source: rs.id, type, title: rs.title ?? type, site: stepSite, mutates: MUTATING_STEPS.includes(type), touches: [], notes: [], spec: rs.spec };
    try {
      const handler = HANDLERS[type] as { title(s: unknown): string } | undefined;
      if (!handler) throw new PlanError(`unknown step type ${String(type)}`);
      const spec = interpolate(rs.spec, vars);
      const title = rs.title !== undefined ? interpolateText(rs.title, vars) : handler.title(spec);
      out.push({ step: { ...base, spec, title: `${title}${suffix}` } });
    } catch (e) {
      out.push({ step: base, problem: message(e) });
    }
  };
  for (let i = 0; i < steps.length; ) {
    const first = steps[i] as RunbookStep;
    const loop = loopOf(first);
    const block: RunbookStep[] = [];
    while (i < steps.length && loopOf(steps[i] as RunbookStep) === loop && (loop !== '' || block.length === 0)) block.push(steps[i++] as RunbookStep);
    if (first.forEachNode && first.forEachSite) {
      blockers.push(`step ${first.id}: a step loops over sites or over nodes, not both`);
    } else if (first.forEachNode) {
      const rack = first.forEachNode === 'rack' ? values.rack : undefined;
      if (site === undefined || (first.forEachNode === 'rack' && rack === undefined)) {
        blockers.push(`steps ${block.map((b) => b.id).join(', ')} run per node of the ${first.forEachNode}: the runbook needs ${first.forEachNode === 'rack' ? 'site and rack parameters (target rack)' : 'a site parameter'}`);
        continue;
      }
      const nodes = loopNodes(deps, site, rack === undefined ? undefined : String(rack));
      if (nodes.length === 0) blockers.push(`${rack === undefined ? '' : `rack ${String(rack)} at `}${siteName(site)} has no nodes (as far as the console knows)`);
      for (const node of nodes) for (const b of block) one(b, { ...values, site, node }, `${b.id}[${node}]`, site, '');
    } else if (first.forEachSite) {
      const all = deps.cache.sites();
      if (first.forEachSite === 'others' && site === undefined) blockers.push(`steps ${block.map((b) => b.id).join(', ')} run at the other sites: the runbook needs a site parameter`);
      const sites = first.forEachSite === 'all' ? all : all.filter((s) => s !== site);
      for (const s of sites) for (const b of block) one(b, { ...values, site: s }, `${b.id}@${s}`, s, ` (${siteName(s)})`);
    } else {
      one(first, values, first.id, site ?? '', '');
    }
  }
  return out;
}

/**
 * The plan for `runbook` with `params`: every step as it will run, what each
 * will touch, notes, and the blockers. Reads only.
 */
export async function planRunbook(runbook: Runbook, params: Record<string, unknown>, deps: EngineDeps): Promise<EnginePlan> {
  const tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  const now = deps.now ?? Date.now;
  const { params: values, issues } = bindParams(runbook, params);
  const problems = issues.map((i) => i.message);
  const blockers = [...problems];
  const site = typeof values.site === 'string' && values.site !== '' ? values.site : undefined;
  const known = deps.cache.sites();
  if (site !== undefined && !known.includes(site)) blockers.push(`unknown site ${site} (sites: ${known.join(', ')})`);
  const expanded = problems.length > 0 ? [] : expand(runbook, values, deps, site, blockers);
  const steps = expanded.map((e) => e.step);
  const siteName = (s: string): string => deps.siteName?.(s) ?? s;

  for (const [index, { step, problem }] of expanded.entries()) {
    const where = `${step.title}${step.site ? ` at ${siteName(step.site)}` : ''}`;
    if (problem !== undefined) {
      blockers.push(`${where}: ${problem}`);
      continue;
    }
    if (!step.site && !SITELESS.has(step.type)) {
      blockers.push(`${where}: no site (the runbook needs a site parameter, or forEachSite)`);
      continue;
    }
    const ctx: PlanContext = {
      site: step.site,
      // Siteless steps (confirm, note, report) never reach for a client.
      get http() {
        return deps.http(step.site);
      },
      cache: deps.cache,
      deps,
      tuning,
      steps,
      index,
      siteName,
      now,
    };
    try {
      const handler = HANDLERS[step.type as StepType] as { preview(c: PlanContext, s: SpecOf<StepType>): Promise<{ touches: typeof step.touches; notes: string[]; blockers: string[] }> };
      const p = await handler.preview(ctx, step.spec);
      step.touches = p.touches;
      step.notes = p.notes;
      for (const b of p.blockers) blockers.push(`${where}: ${b}`);
    } catch (e) {
      blockers.push(`${where}: ${message(e)}`);
    }
  }

  let lease: EnginePlan['lease'];
  if (runbook.lease) {
    if (site === undefined) {
      blockers.push('the runbook holds a Lease at its site: it needs a site parameter');
    } else if (!deps.acquireLease) {
      blockers.push('the runbook holds a Lease at its site, and this console has no coordination to take it with');
    } else {
      try {
        lease = { site, scope: interpolateText(runbook.lease.scope, values), durationMs: runbook.lease.duration };
      } catch (e) {
        blockers.push(`lease scope: ${message(e)}`);
      }
      // Said now, not after the first gates: a run (this admin's own, waiting at its last gate, included) still holds the scope.
      const scope = lease?.scope;
      const held = scope === undefined || !deps.maintenanceAt ? [] : (await deps.maintenanceAt(site).catch(() => [])).filter((m) => m.scope === scope);
      for (const m of held) {
        blockers.push(`${scope} at ${siteName(site)} is under maintenance by ${m.holder} since ${m.since}${m.runbook ? ` (runbook ${m.runbook})` : ''}: finish or abort that run first (Runs in the top bar), or wait for it to end`);
      }
    }
  }
  const plan: EnginePlan = { id: `plan-${randomBytes(8).toString('hex')}`, runbook: runbook.name, title: runbook.title, params: values, steps, blockers, plannedAt: now() };
  if (site !== undefined) plan.site = site;
  if (lease) plan.lease = lease;
  return plan;
}
