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

/** A step as written: fields it leaves out come from the scenario's defaults at run time. */
export interface ScenarioStep extends FaultSpec {
  /** Offset from the scenario's start, ms. */
  atMs: number;
}

export interface Scenario {
  name: string;
  title: string;
  summary: string;
  briefing: string;
  goals: { id: string; text: string }[];
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
  let data: Record<string, unknown>;
  try {
    // A low alias budget: a "billion laughs" document fails here instead of exhausting memory.
    data = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    throw new ScenarioError(`${file}: ${(e as Error).message}`);
  }
  const goalsNode = field('goals');
  const goals: Scenario['goals'] = [];
  if (goalsNode !== undefined) {
    if (!isSeq(goalsNode)) fail(goalsNode, '"goals" must be a list of {id, text}');
    for (const [i, g] of ((data.goals as unknown[]) ?? []).entries()) {
      const gn = (goalsNode as { items: Node[] }).items[i];
      if (!g || typeof g !== 'object' || typeof (g as { id?: unknown }).id !== 'string' || typeof (g as { text?: unknown }).text !== 'string') fail(gn, 'each goal needs an "id" and a "text" (strings)');
      goals.push({ id: (g as { id: string }).id, text: (g as { text: string }).text });
    }
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
  return { name, title: str('title', true), summary: str('summary', false), briefing: str('briefing', true), goals, defaults, timeline, file };
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
