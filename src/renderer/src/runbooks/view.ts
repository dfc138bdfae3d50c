/**
 * What the runbook views show, as pure functions (unit-tested without a
 * DOM): which runbooks fit a node, rack, site or workload, the parameters a
 * target implies, the values sent to `runbooks.plan`, how a plan's touched
 * objects are summarised, and the maintenance line every console shows.
 */
import type { MaintenanceView } from '../../../shared/contract/triptych';
import type { ObjectRef, RunState, RunStatus, Runbook, RunbookParam, StepState } from '../../../shared/runbooks';
import type { Hit } from '../rack/layout';

/** What a runbook is started from, with the names that become its implied parameters. */
export type RunbookTargetRef =
  /** `rack` is the node's rack, when known: a node's menu then offers the rack's runbooks too. */
  | { kind: 'node'; site: string; node: string; rack?: string | undefined }
  | { kind: 'rack'; site: string; rack: string }
  | { kind: 'site'; site: string }
  | { kind: 'workload'; site: string; namespace: string; workloadKind: string; name: string };

/** A parameter value as the contract carries it. */
export type ParamValue = string | number | boolean;

/** The workload kinds the runbook format accepts for a `workload` target (docs/runbooks.md). */
export const WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/** The parameters a target brings with it (docs/runbooks.md, "Parameters"). */
export function impliedParams(t: RunbookTargetRef): Record<string, string> {
  switch (t.kind) {
    case 'node':
      return { site: t.site, node: t.node };
    case 'rack':
      return { site: t.site, rack: t.rack };
    case 'site':
      return { site: t.site };
    case 'workload':
      return { site: t.site, namespace: t.namespace, kind: t.workloadKind, name: t.name };
  }
}

/** The target in words, e.g. `rack B-07`, `Deployment shop/cart`. */
export function targetText(t: RunbookTargetRef): string {
  switch (t.kind) {
    case 'node':
      return `node ${t.node}`;
    case 'rack':
      return `rack ${t.rack}`;
    case 'site':
      return 'the whole site';
    case 'workload':
      return `${t.workloadKind} ${t.namespace}/${t.name}`;
  }
}

/** What a right-click on the rack map is about: the node under the pointer (with its rack), else the rack (its label or an empty unit). */
export function targetOfHit(site: string, hit: Hit): RunbookTargetRef {
  return hit.kind === 'node' ? { kind: 'node', site, node: hit.node.name, rack: hit.node.rack } : { kind: 'rack', site, rack: hit.rack.name };
}

/** One entry of a runbook menu: a runbook and the target it would start on. */
export interface MenuEntry {
  runbook: Runbook;
  target: RunbookTargetRef;
}

/** A titled group of a menu (a node's menu has the node's and its rack's). */
export interface MenuGroup {
  label: string;
  entries: MenuEntry[];
}

/**
 * The runbooks offered for a target, grouped: a node's own, then (when the
 * node's rack is known) its rack's; a workload's only when its kind is one a
 * runbook can take. Empty groups are left out.
 */
export function menuFor(target: RunbookTargetRef, runbooks: readonly Runbook[]): MenuGroup[] {
  const of = (kind: Runbook['target'], t: RunbookTargetRef): MenuEntry[] => runbooks.filter((r) => r.target === kind).map((runbook) => ({ runbook, target: t }));
  const groups: MenuGroup[] = [];
  switch (target.kind) {
    case 'node':
      groups.push({ label: `Node ${target.node}`, entries: of('node', target) });
      if (target.rack) groups.push({ label: `Rack ${target.rack}`, entries: of('rack', { kind: 'rack', site: target.site, rack: target.rack }) });
      break;
    case 'rack':
      groups.push({ label: `Rack ${target.rack}`, entries: of('rack', target) });
      break;
    case 'site':
      groups.push({ label: 'Site', entries: of('site', target) });
      break;
    case 'workload':
      if (WORKLOAD_KINDS.includes(target.workloadKind)) groups.push({ label: `${target.workloadKind} ${target.name}`, entries: of('workload', target) });
      break;
  }
  return groups.filter((g) => g.entries.length > 0);
}

/** What a declared parameter's input starts with: its default, as the input holds it. */
export function initialValue(p: RunbookParam): string | boolean {
  if (p.type === 'boolean') return p.default === true;
  return p.default === undefined ? '' : String(p.default);
}

/** Every declared parameter's starting value, by name. */
export function initialValues(rb: Runbook): Record<string, string | boolean> {
  return Object.fromEntries(rb.params.map((p) => [p.name, initialValue(p)]));
}

/**
 * The parameters sent to `runbooks.plan`: the target's, then the declared
 * ones as typed. An empty text leaves the parameter out, so its default
 * applies (or the host says it is required); a number that does not parse
 * is sent as typed, so the host's refusal names the parameter.
 */
export function planParams(rb: Runbook, target: RunbookTargetRef, values: Readonly<Record<string, string | boolean>>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = { ...impliedParams(target) };
  for (const p of rb.params) {
    const v = values[p.name];
    if (v === undefined) continue;
    if (typeof v === 'boolean') {
      out[p.name] = v;
      continue;
    }
    const text = p.type === 'string' ? v : v.trim();
    if (text === '') continue;
    if (p.type === 'number') {
      const n = Number(text);
      out[p.name] = Number.isFinite(n) ? n : text;
    } else out[p.name] = text;
  }
  return out;
}

/** A step's touched objects grouped by kind (and site, when a step reaches several), in first-seen order. */
export interface TouchGroup {
  kind: string;
  site: string;
  refs: ObjectRef[];
}

/** Groups touched objects by site and kind, so 40 pods read as one line that opens. */
export function groupTouches(touches: readonly ObjectRef[]): TouchGroup[] {
  const groups = new Map<string, TouchGroup>();
  for (const t of touches) {
    const key = `${t.site}\u0000${t.kind}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { kind: t.kind, site: t.site, refs: [] }));
    g.refs.push(t);
  }
  return [...groups.values()];
}

/** `ns/name`, or `name` for cluster-scoped objects. */
export function refName(r: ObjectRef): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

/** `3 Pods`, `1 Node`: an English plural good enough for Kubernetes kinds. */
export function countKind(n: number, kind: string): string {
  if (n === 1) return `1 ${kind}`;
  const plural = /(s|x|ch|sh)$/.test(kind) ? `${kind}es` : /[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : `${kind}s`;
  return `${n} ${plural}`;
}

/** A run that can change nothing more. */
export function isEnded(state: RunState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'aborted';
}

/** A run the dock should show after a reload: still going or waiting. */
export function isActive(state: RunState): boolean {
  return !isEnded(state) && state !== 'planned';
}

/** The run's own site (its `site` parameter), when it has one. */
export function runSite(run: Pick<RunStatus, 'params'>): string | undefined {
  const s = run.params.site;
  return typeof s === 'string' && s !== '' ? s : undefined;
}

/** The step a gate waits at: the current one, when the run waits for a confirmation. */
export function gateStep(run: RunStatus): RunStatus['steps'][number] | undefined {
  return run.state === 'waiting-confirm' && run.current !== undefined ? run.steps[run.current] : undefined;
}

/** A small mark per step state (the state is also said in words next to it, for screen readers). */
export const STEP_ICONS: Record<StepState, string> = {
  pending: '○',
  running: '◔',
  succeeded: '✓',
  failed: '✗',
  skipped: '–',
};

/** `rack/B-07` → `rack B-07`; `node/x` → `node x`; anything else (`site`) as it is. */
export function scopeText(scope: string): string {
  const i = scope.indexOf('/');
  return i > 0 ? `${scope.slice(0, i)} ${scope.slice(i + 1)}` : scope;
}

/**
 * A wall-clock time as a shift reads it: `08:30` today (local time), with
 * the date when it was another day; the raw text when it does not parse.
 */
export function clockTime(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? hm : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/** `rack B-07 under maintenance by userpass-operator since 08:30 (drain-rack)`. */
export function maintenanceText(m: MaintenanceView, now: number): string {
  return `${scopeText(m.scope)} under maintenance by ${m.holder} since ${clockTime(m.since, now)}${m.runbook ? ` (${m.runbook})` : ''}`;
}

/** The racks and nodes of one site under maintenance, for marks on its rack map. */
export function maintainedAt(list: readonly MaintenanceView[], site: string): { racks: Map<string, MaintenanceView>; nodes: Map<string, MaintenanceView>; whole: MaintenanceView | undefined } {
  const racks = new Map<string, MaintenanceView>();
  const nodes = new Map<string, MaintenanceView>();
  let whole: MaintenanceView | undefined;
  for (const m of list) {
    if (m.site !== site) continue;
    if (m.scope === 'site') whole ??= m;
    else if (m.scope.startsWith('rack/')) racks.set(m.scope.slice(5), m);
    else if (m.scope.startsWith('node/')) nodes.set(m.scope.slice(5), m);
  }
  return { racks, nodes, whole };
}
