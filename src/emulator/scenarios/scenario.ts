/**
 * Training scenarios: YAML files in resources/scenarios/ with a briefing and
 * a timeline of faults. Loading validates every field and reports errors
 * with file, line and column, so a trainer can fix a scenario without
 * reading code.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { FAULTS, type FaultSpec } from './faults';
import { CHECKS, scopeNeedsSite, type CheckKind, type GoalCheck, type SiteScope } from './goals';

/** A step as written: fields it leaves out come from the scenario's defaults at run time. */
export interface ScenarioStep extends FaultSpec {
  /** Offset from the scenario's start, ms. */
  atMs: number;
}

/** A goal and how the fleet checks it. */
export interface ScenarioGoal {
  id: string;
  /** What the trainee sees; `${site}`, `${rack}`, `${node}`... are filled from the run's target. */
  text: string;
  check: GoalCheck;
  /** Counts only once every step playing this fault has been applied. */
  after?: string;
  /** Must be met before the first step playing this fault is applied, or it is missed. */
  before?: string;
  /** Another goal's id: this one counts only once that one is met ("returned" only after "drained"). */
  requires?: string;
}

export interface Scenario {
  name: string;
  title: string;
  summary: string;
  briefing: string;
  goals: ScenarioGoal[];
  /** Defaults every step inherits; `pick` is resolved once per run from the seed. */
  defaults: Partial<FaultSpec>;
  timeline: ScenarioStep[];
  file?: string;
}

export class ScenarioError extends Error {}

/** "90s", "5m", "1h30m", "250ms" or a number of seconds. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v * 1000;
  if (typeof v !== 'string') return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    matched = re.lastIndex;
  }
  return matched === v.length && v.length > 0 ? total : undefined;
}

/** Latest a step may play: a training session is hours, not days. */
const MAX_AT_MS = 24 * 3_600_000;
const STEP_KEYS = new Set(['at', 'fault', 'site', 'rack', 'node', 'namespace', 'deployment', 'pod', 'container', 'latencyMs', 'inSeconds']);
const TOP_KEYS = new Set(['name', 'title', 'summary', 'briefing', 'goals', 'defaults', 'timeline']);

export function parseScenario(text: string, file = '<scenario>'): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const where = (node: Node | null | undefined): string => {
    const off = node?.range?.[0];
    if (off === undefined) return file;
    const { line, col } = lc.linePos(off);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e?.linePos?.[0] ?? (e?.pos ? lc.linePos(e.pos[0]) : undefined);
    throw new ScenarioError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${e?.message.split('\n')[0] ?? 'parse error'}`);
  }
  const root = doc.contents;
  if (!isMap(root)) throw new ScenarioError(`${where(root)}: a scenario is a mapping with name, title, briefing and timeline`);
  const fail = (node: Node | null | undefined, msg: string): never => {
    throw new ScenarioError(`${where(node)}: ${msg}`);
  };
  for (const item of root.items) {
    const k = String((item.key as { value?: unknown })?.value ?? '');
    if (!TOP_KEYS.has(k)) fail(item.key as Node, `unknown field "${k}" (allowed: ${[...TOP_KEYS].join(', ')})`);
  }
  const field = (key: string): Node | undefined => root.get(key, true) as Node | undefined;
  const str = (key: string, required: boolean): string => {
    const n = field(key);
    const v = (n as { value?: unknown } | undefined)?.value;
    if (v === undefined || v === null) {
      if (required) fail(root, `missing required field "${key}"`);
      return '';
    }
    if (typeof v !== 'string') fail(n, `"${key}" must be a string`);
    return v as string;
  };
  const name = str('name', true);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) fail(field('name'), `name "${name}" must be lower-case letters, digits and dashes`);
  // The control endpoint's own routes under /v1/scenarios/.
  if (name === 'advance' || name === 'current') fail(field('name'), `name "${name}" is reserved by the control endpoint (POST /v1/scenarios/${name}); choose another`);
  const title = str('title', true);
  const summary = str('summary', false);
  const briefing = str('briefing', true);
  let data: Record<string, unknown>;
  try {
    // A low alias budget: a "billion laughs" document fails here instead of exhausting memory.
    data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    throw new ScenarioError(`${file}: ${(e as Error).message}`);
  }
  const defaults = (data.defaults ?? {}) as Partial<FaultSpec>;
  if (typeof defaults !== 'object' || Array.isArray(defaults)) fail(field('defaults'), '"defaults" must be a mapping');
  const tlNode = field('timeline');
  if (!tlNode || !isSeq(tlNode) || tlNode.items.length === 0) fail(tlNode ?? root, '"timeline" must be a non-empty list of steps');
  const timeline: ScenarioStep[] = [];
  for (const [i, raw] of (data.timeline as unknown[]).entries()) {
    const node = (tlNode as { items: Node[] }).items[i];
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(node, 'a timeline step is a mapping with "at" and "fault"');
    const step = raw as Record<string, unknown>;
    for (const k of Object.keys(step)) if (!STEP_KEYS.has(k)) fail(node, `unknown step field "${k}" (allowed: ${[...STEP_KEYS].join(', ')})`);
    const atMs = parseDuration(step.at);
    if (atMs === undefined) fail(node, `"at" must be a duration like 30s, 5m or 1h30m (got ${JSON.stringify(step.at)})`);
    // Node fires a timer of more than 2^31-1 ms (24.8 days) at once: a typo like 600h would play the step at the start.
    if ((atMs as number) > MAX_AT_MS) fail(node, `"at" must be at most 24h from the start (got ${JSON.stringify(step.at)})`);
    const fault = FAULTS.find((f) => f.name === step.fault);
    if (!fault) fail(node, `unknown fault ${JSON.stringify(step.fault)}; known faults: ${FAULTS.map((f) => f.name).join(', ')}`);
    const merged = { ...defaults, ...step } as Record<string, unknown>;
    for (const p of fault?.params ?? []) {
      if (merged[p] === undefined) fail(node, `fault "${String(step.fault)}" needs "${p}" (in the step or in defaults)`);
    }
    const { at: _at, ...own } = step;
    timeline.push({ ...(own as unknown as FaultSpec), atMs: atMs as number });
  }
  timeline.sort((a, b) => a.atMs - b.atMs);
  const goalsNode = field('goals');
  if (!goalsNode || !isSeq(goalsNode) || goalsNode.items.length === 0) fail(goalsNode ?? root, '"goals" must be a non-empty list of {id, text, check}: a scenario without goals cannot be debriefed');
  const goals = ((data.goals as unknown[]) ?? []).map((g, i) => parseGoal(g, (goalsNode as { items: Node[] }).items[i], defaults, timeline, fail));
  const seen = new Set<string>();
  for (const [i, g] of goals.entries()) {
    const node = (goalsNode as { items: Node[] }).items[i];
    if (seen.has(g.id)) fail(node, `goal id "${g.id}" is used twice`);
    if (g.requires !== undefined && !seen.has(g.requires)) fail(node, `goal "${g.id}": "requires" must name a goal listed before it (${[...seen].join(', ') || 'none'}), got ${JSON.stringify(g.requires)}`);
    seen.add(g.id);
  }
  return { name, title, summary, briefing, goals, defaults, timeline, file };
}

const GOAL_KEYS = new Set(['id', 'text', 'check', 'after', 'before', 'requires']);

function parseGoal(raw: unknown, node: Node | undefined, defaults: Partial<FaultSpec>, timeline: ScenarioStep[], fail: (n: Node | null | undefined, msg: string) => never): ScenarioGoal {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(node, 'a goal is a mapping with "id", "text" and "check"');
  const g = raw as Record<string, unknown>;
  for (const k of Object.keys(g)) if (!GOAL_KEYS.has(k)) fail(node, `unknown goal field "${k}" (allowed: ${[...GOAL_KEYS].join(', ')})`);
  if (typeof g.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(g.id)) fail(node, 'each goal needs an "id" of lower-case letters, digits and dashes');
  if (typeof g.text !== 'string' || g.text.trim() === '') fail(node, `goal "${String(g.id)}" needs a "text" saying what the trainee has to achieve`);
  const kinds = Object.keys(CHECKS).join(', ');
  const c = g.check;
  if (!c || typeof c !== 'object' || Array.isArray(c)) fail(node, `goal "${String(g.id)}" needs a "check" the fleet can evaluate, a mapping like {kind: rack-cordoned} (kinds: ${kinds})`);
  const check = c as Record<string, unknown>;
  const spec = CHECKS[check.kind as CheckKind];
  if (typeof check.kind !== 'string' || !Object.hasOwn(CHECKS, check.kind)) fail(node, `goal "${String(g.id)}": unknown check kind ${JSON.stringify(check.kind)}; kinds: ${kinds}`);
  for (const k of Object.keys(check)) if (k !== 'kind' && !spec.fields.includes(k)) fail(node, `goal "${String(g.id)}": check "${String(check.kind)}" has no field "${k}" (fields: ${spec.fields.join(', ') || 'none'})`);
  for (const k of spec.fields) {
    const v = check[k];
    if (v === undefined) continue;
    if (k === 'factor' ? !(typeof v === 'number' && v > 1 && v <= 10) : k === 'scope' ? !['all', 'others', 'site'].includes(v as string) : typeof v !== 'string' || v === '' || v === 'pick') {
      fail(node, `goal "${String(g.id)}": "${k}" ${k === 'factor' ? 'must be a number above 1 and at most 10 (1.5 = half as many again)' : k === 'scope' ? 'must be all, others or site' : 'must be a name (leave it out to use the scenario default, which may be pick)'}`);
    }
  }
  const merged = { ...defaults, ...check } as Record<string, unknown>;
  const needs = [...spec.needs, ...(scopeNeedsSite(check.scope as SiteScope | undefined, check.kind as CheckKind) && !spec.needs.includes('site') ? ['site'] : [])];
  for (const k of needs) if (merged[k] === undefined) fail(node, `goal "${String(g.id)}": check "${String(check.kind)}" needs "${k}" (in the check or in defaults)`);
  const faults = [...new Set(timeline.map((s) => s.fault))];
  for (const k of ['after', 'before'] as const) {
    if (g[k] !== undefined && (typeof g[k] !== 'string' || !faults.includes(g[k]))) {
      fail(node, `goal "${String(g.id)}": "${k}" must name a fault of this scenario's timeline (${faults.join(', ')}), got ${JSON.stringify(g[k])}`);
    }
  }
  if (g.after !== undefined && g.after === g.before) fail(node, `goal "${String(g.id)}": "after" and "before" name the same fault`);
  return {
    id: g.id as string,
    text: g.text as string,
    check: check as unknown as GoalCheck,
    ...(g.after !== undefined ? { after: g.after as string } : {}),
    ...(g.before !== undefined ? { before: g.before as string } : {}),
    ...(g.requires !== undefined ? { requires: g.requires as string } : {}),
  };
}

export async function loadScenarios(dir: string): Promise<Scenario[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const out: Scenario[] = [];
  for (const f of files) {
    const full = path.join(dir, f);
    out.push(parseScenario(await readFile(full, 'utf8'), full));
  }
  return out;
}

/** The shipped scenarios, relative to the repository root. */
export const SCENARIO_DIR = path.resolve(import.meta.dirname, '../../../resources/scenarios');
