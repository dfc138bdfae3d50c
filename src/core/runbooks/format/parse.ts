/**
 * Reads a runbook file into a `Runbook`. Every problem is collected in one
 * pass and located at file:line:column with what to write instead; a file
 * with any error yields no runbook, so nothing from it can run.
 *
 * The shape of the file is checked by the zod schemas of schema.ts (the same
 * ones the published JSON Schema is generated from); this module maps their
 * findings back to the YAML and adds the checks a schema cannot express.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Scalar } from 'yaml';
import { z } from 'zod';
import type { Runbook, RunbookIssue, RunbookParam, RunbookStep, RunbookTarget, StepSpec, StepType } from '../../../shared/runbooks';
import { ConfigError, didYouMean, sortIssues } from '../../config/errors';
import { deref, describe, parseYaml, position, type YamlFile } from '../../config/yaml';
import { checkParamValue, IMPLIED_PARAMS, tokenize } from './params';
import { API_VERSION, DURATION_HINT, hintOf, KIND, runbookFileSchema, STEP_ARGS, STEP_EXAMPLES, STEP_FRAME, STEP_TYPES, stepFrameSchema, WHOLE_REF, type NodeLoop } from './schema';

/** Runbook files larger than this are refused unread: a runbook is a page of steps, not a data set. */
export const MAX_RUNBOOK_BYTES = 1024 * 1024;

/** A step as parsed: the shared RunbookStep plus the proposed `forEachNode` loop. */
export type ParsedStep = RunbookStep & { forEachNode?: NodeLoop };

/** What parseRunbook returns: the runbook only when there is no issue. */
export interface ParseResult {
  runbook?: Runbook;
  issues: RunbookIssue[];
}

/** parseRunbook's result plus where the name is written, for the loader's duplicate warnings. */
export interface DetailedParseResult extends ParseResult {
  nameAt?: { line: number; column: number };
}

/**
 * Problems reported per file. Past this the file is not a runbook with
 * mistakes but something else, and locating every problem in a hostile
 * 1 MiB file (100 000 unknown keys) would cost more than it tells.
 */
export const MAX_ISSUES = 100;

/** Keys per mapping: a step has a handful, a patch body or label set a few dozen. */
export const MAX_MAPPING_KEYS = 256;
/** Items per list: 200 steps at most, 50 parameters. */
export const MAX_LIST_ITEMS = 1000;

const FRAME_KEYS = Object.keys(STEP_FRAME);
// The document around the steps; steps are checked one by one (see readStep).
const HEADER_SCHEMA = runbookFileSchema(z.unknown());
const MAX_STEPS = 200;
const TOP_HINT = `a runbook starts with 'apiVersion: ${API_VERSION}', 'kind: ${KIND}', 'metadata:' and 'spec:' (see docs/runbooks.md)`;
// Steps that act on or look at a site; in a runbook without a target they need forEachSite to know which.
const SITELESS_STEPS: readonly StepType[] = ['note', 'confirm', 'report'];

/** Parses and validates runbook YAML; `file` names it in issues and becomes the runbook's `source`. */
export function parseRunbook(text: string, file: string): ParseResult {
  const { runbook, issues } = parseRunbookDetailed(text, file);
  return runbook ? { runbook, issues } : { issues };
}

/** parseRunbook, also telling where `metadata.name` is. */
export function parseRunbookDetailed(text: string, file: string): DetailedParseResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_RUNBOOK_BYTES) {
    return { issues: [{ file, line: 1, column: 1, message: `the file is larger than ${MAX_RUNBOOK_BYTES / 1024 / 1024} MiB; a runbook is a page of steps, so this is not one` }] };
  }
  const crowded = crowdedCollection(text);
  if (crowded) {
    const what = crowded.map ? `this mapping has ${crowded.items} keys; a runbook's mappings have at most ${MAX_MAPPING_KEYS}` : `this list has ${crowded.items} items; a runbook's lists have at most ${MAX_LIST_ITEMS}`;
    return { issues: [{ file, ...crowded.at, message: `${what}, so this is not one` }] };
  }
  let y: YamlFile;
  try {
    y = parseYaml(text, file);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { issues: err.issues.map((i) => ({ file, line: i.line ?? 1, column: i.column ?? 1, message: i.message })) };
  }
  const p = new Parser(y);
  const runbook = p.run();
  const issues = sortIssues(p.issues) as RunbookIssue[];
  const last = issues.at(-1);
  if (last && issues.length >= MAX_ISSUES) {
    issues.push({ ...last, message: `stopped after ${MAX_ISSUES} problems: this does not look like a runbook (see docs/runbooks.md)` });
  }
  const name = p.nodeAt(['metadata', 'name']);
  return {
    ...(runbook && issues.length === 0 ? { runbook } : {}),
    issues,
    ...(name ? { nameAt: position(y.lines, name.range?.[0] ?? 0) } : {}),
  };
}

type Path = (string | number)[];

/** Where a zod schema was applied: the path of its value in the file, and how messages name it. */
interface Scope {
  schema: z.ZodType;
  base: Path;
  /** `step 3 (drain)`, or '' for the document itself. */
  prefix: string;
}

class Parser {
  readonly issues: RunbookIssue[] = [];
  private readonly value: unknown;
  // Values the schema already refused: a bad `${…}` in them would only repeat the news.
  private readonly refused = new Set<Node>();

  constructor(private readonly y: YamlFile) {
    this.value = y.value;
  }

  run(): Runbook | undefined {
    const { y } = this;
    this.refuseTags();
    const root = deref(y, y.doc.contents);
    if (root === null || (isScalar(root) && root.value === null)) {
      this.add(null, `the file is empty: ${TOP_HINT}`);
      return undefined;
    }
    if (!isMap(root)) {
      this.add(root, `expected a mapping at the top, found ${describe(root)}: ${TOP_HINT}`);
      return undefined;
    }

    const header = HEADER_SCHEMA.safeParse(this.value);
    if (!header.success) this.report(header.error.issues, { schema: HEADER_SCHEMA, base: [], prefix: '' });
    const target = this.targetOf();
    const params = header.success ? header.data.spec.params ?? [] : [];
    this.checkParams(target);

    const rawSteps = get(this.value, ['spec', 'steps']);
    // Past MAX_STEPS the schema has already said "too many"; reading them all would only add noise.
    const steps = Array.isArray(rawSteps) ? rawSteps.slice(0, MAX_STEPS).map((raw, i) => this.readStep(raw, i, target)) : [];
    if (Array.isArray(rawSteps)) this.checkIds(rawSteps.slice(0, MAX_STEPS));
    const lease = this.nodeAt(['spec', 'lease', 'scope']);
    if (lease && target) this.checkRefs(lease, this.names(target), 'spec.lease.scope');

    if (!header.success || steps.some((s) => s === undefined) || this.issues.length > 0) return undefined;
    const { metadata, spec } = header.data;
    return {
      name: metadata.name,
      title: metadata.title,
      ...(metadata.description !== undefined ? { description: metadata.description } : {}),
      target: spec.target,
      params: params.map((p): RunbookParam => ({ name: p.name, type: p.type, ...(p.description !== undefined ? { description: p.description } : {}), ...(p.default !== undefined ? { default: p.default } : {}) })),
      ...(spec.lease ? { lease: spec.lease } : {}),
      steps: steps as ParsedStep[],
      source: y.file,
    };
  }

  /** The target when it is valid, for checks that depend on it. */
  private targetOf(): RunbookTarget | undefined {
    const t = get(this.value, ['spec', 'target']);
    // hasOwn, not `in`: `target: constructor` must not find Object.prototype.constructor.
    return typeof t === 'string' && Object.hasOwn(IMPLIED_PARAMS, t) ? (t as RunbookTarget) : undefined;
  }

  /** Parameter names usable everywhere in the runbook: the target's and the declared ones. */
  private names(target: RunbookTarget): string[] {
    const declared = get(this.value, ['spec', 'params']);
    const own = Array.isArray(declared) ? declared.map((p) => get(p, ['name'])).filter((n): n is string => typeof n === 'string') : [];
    return [...new Set([...IMPLIED_PARAMS[target].map((p) => p.name), ...own])];
  }

  // Explicit tags (`!!binary`, `!something`) make YAML construct values the
  // reader cannot see; a runbook has no use for them, so even core ones are refused.
  private refuseTags(): void {
    visit(this.y.doc, {
      Node: (_key, node) => {
        if (node.tag !== undefined) this.addAt(this.tagStart(node), `tags such as '${node.tag.replace(/^tag:yaml\.org,2002:/, '!!')}' are not allowed in runbooks: write the plain value (quote text that looks like a number)`);
      },
    });
  }

  private checkParams(target: RunbookTarget | undefined): void {
    const declared = get(this.value, ['spec', 'params']);
    if (!Array.isArray(declared)) return;
    const implied = target ? IMPLIED_PARAMS[target].map((p) => p.name) : [];
    const seen = new Map<string, number>();
    declared.forEach((p: unknown, j) => {
      const name = get(p, ['name']);
      if (typeof name !== 'string') return;
      const at = this.nodeAt(['spec', 'params', j, 'name']);
      if (implied.includes(name)) {
        this.add(at, `parameter '${name}' comes with target ${target} (which gives ${implied.join(', ')}); remove it from params`);
      } else if (name === 'site' || name === 'node') {
        this.add(at, `parameter name '${name}' is reserved: forEachSite and forEachNode set \${${name}}; choose another name or use target ${name}`);
      }
      const first = seen.get(name);
      if (first !== undefined) this.add(at, `parameter '${name}' is declared twice (also params[${first}]); each name once`);
      else seen.set(name, j);
      const type = get(p, ['type']);
      const def = get(p, ['default']);
      if (def !== undefined && typeof type === 'string') {
        const problem = checkParamValue(type as RunbookParam['type'], def);
        const unquote = type === 'number' && typeof def === 'string' && def.trim() !== '' && Number.isFinite(Number(def)) ? `; write it without quotes: default: ${def.trim()}` : '';
        if (problem) this.add(this.nodeAt(['spec', 'params', j, 'default']), `default of parameter '${name}' ${problem}${unquote}`);
      }
    });
  }

  private readStep(raw: unknown, i: number, target: RunbookTarget | undefined): ParsedStep | undefined {
    if (this.full()) return undefined;
    const path: Path = ['spec', 'steps', i];
    const node = this.nodeAt(path);
    const n = i + 1;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      this.add(node, `step ${n} must be a mapping with one step type, such as '- cordon: { node: "\${node}" }', found ${describe(node)}`);
      return undefined;
    }
    const keys = Object.keys(raw);
    const typed = keys.filter((k) => !FRAME_KEYS.includes(k));
    const known = typed.filter((k): k is StepType => (STEP_TYPES as string[]).includes(k));
    for (const k of typed.filter((t) => !known.includes(t as StepType)).slice(0, 5)) {
      this.add(this.keyAt(path, k), `unknown step type '${k}' in step ${n}${didYouMean(k, [...STEP_TYPES, ...FRAME_KEYS])}; step types: ${STEP_TYPES.join(', ')} (a step may also have ${FRAME_KEYS.join(', ')})`);
    }
    if (known.length > 1) {
      this.add(this.keyAt(path, known[1] as string), `step ${n} has two step types, '${known[0]}' and '${known[1]}': a step does one thing, so split it into two steps`);
    }
    const type = known[0];
    if (type === undefined) {
      if (typed.length === 0) this.add(node, `step ${n} has no step type: add one of ${STEP_TYPES.join(', ')}`);
      return undefined;
    }
    const prefix = `step ${n} (${type})`;
    const record = raw as Record<string, unknown>;
    const frameValue = Object.fromEntries(FRAME_KEYS.filter((k) => Object.hasOwn(record, k)).map((k) => [k, record[k]]));
    const frame = stepFrameSchema.safeParse(frameValue);
    if (!frame.success) this.report(frame.error.issues, { schema: stepFrameSchema, base: path, prefix });
    const argsSchema: z.ZodType = STEP_ARGS[type];
    const args = argsSchema.safeParse(record[type]);
    if (!args.success) this.report(args.error.issues, { schema: argsSchema, base: [...path, type], prefix });
    if (!frame.success || target === undefined) return undefined;

    const { forEachSite, forEachNode } = frame.data;
    this.checkLoops(path, prefix, type, target, forEachSite, forEachNode);
    const names = this.names(target);
    // The loops bind ${site} and ${node} for the step.
    if (forEachSite && !names.includes('site')) names.push('site');
    if (forEachNode && !names.includes('node')) names.push('node');
    const argsNode = this.nodeAt([...path, type]);
    if (argsNode) this.checkRefs(argsNode, names, prefix, { forEachNode, target });
    const titleNode = this.nodeAt([...path, 'title']);
    if (titleNode) this.checkRefs(titleNode, names, prefix, { forEachNode, target });
    if (!args.success) return undefined;
    return {
      id: frame.data.id ?? defaultId(i, type),
      ...(frame.data.title !== undefined ? { title: frame.data.title } : {}),
      ...(forEachSite ? { forEachSite } : {}),
      ...(forEachNode ? { forEachNode } : {}),
      spec: { type, ...(args.data as object) } as StepSpec,
    };
  }

  private checkLoops(path: Path, prefix: string, type: StepType, target: RunbookTarget, forEachSite: string | undefined, forEachNode: NodeLoop | undefined): void {
    const loopAt = this.nodeAt([...path, 'forEachNode']);
    if (forEachSite && forEachNode) {
      this.add(loopAt, `${prefix} has both forEachSite and forEachNode: a step loops over sites or over nodes, not both`);
    } else if (forEachNode === 'rack' && target !== 'rack') {
      this.add(loopAt, `${prefix}: forEachNode: rack needs target rack (this runbook's target is ${target}); use forEachNode: site for every node of the site`);
    } else if (forEachNode === 'site' && target === 'none') {
      this.add(loopAt, `${prefix}: forEachNode: site needs a target with a site (node, rack, site or workload); this runbook's target is none`);
    }
    if (target === 'none' && !forEachSite && !SITELESS_STEPS.includes(type)) {
      this.add(this.nodeAt(path), `${prefix} acts at a site, but a runbook with target none has no site: add 'forEachSite: all', or give the runbook a target`);
    }
  }

  /** Every `${…}` in the strings under `node` must name a parameter in scope. */
  private checkRefs(node: Node, names: string[], prefix: string, loop?: { forEachNode: NodeLoop | undefined; target: RunbookTarget }): void {
    const label = prefix ? `${prefix}: ` : '';
    const scalars: Scalar[] = [];
    collectScalars(this.y, node, scalars, new Set());
    for (const s of scalars) {
      if (typeof s.value !== 'string' || this.refused.has(s)) continue;
      for (const t of tokenize(s.value)) {
        if (t.kind === 'bad') {
          this.addIn(s, t.text, `${label}'${t.text}' is not a parameter reference: write \${name} with a parameter name (letters, digits, _), or $\${ for a literal \${`);
        } else if (t.kind === 'ref' && !names.includes(t.name)) {
          let why = '';
          if (t.name === 'node' && loop?.target === 'rack') why = '; in a rack runbook ${node} exists only in steps with forEachNode: rack';
          else if (t.name === 'node' && loop && !loop.forEachNode && loop.target === 'site') why = '; in a site runbook ${node} exists only in steps with forEachNode: site';
          else if (t.name === 'site') why = "; a runbook with target none has no site unless the step has forEachSite";
          this.addIn(
            s,
            `\${${t.name}}`,
            `${label}unknown parameter '\${${t.name}}'${didYouMean(t.name, names)}${why}; declare it under spec.params, or use one of: ${names.map((x) => `\${${x}}`).join(', ') || 'none (this runbook has no parameters)'}`,
          );
        }
      }
    }
  }

  // Worked out from the raw steps, so that a duplicate is reported even
  // beside other mistakes in the same steps.
  private checkIds(rawSteps: unknown[]): void {
    const seen = new Map<string, number>();
    rawSteps.forEach((raw, i) => {
      if (raw === null || typeof raw !== 'object') return;
      const types = Object.keys(raw).filter((k): k is StepType => (STEP_TYPES as string[]).includes(k));
      const explicit = (raw as Record<string, unknown>).id;
      const type = types[0];
      const id = explicit === undefined ? (type && types.length === 1 ? defaultId(i, type) : undefined) : typeof explicit === 'string' ? explicit : undefined;
      if (id === undefined) return;
      const first = seen.get(id);
      if (first !== undefined) {
        const at = this.nodeAt(['spec', 'steps', i, 'id']) ?? this.nodeAt(['spec', 'steps', i]);
        this.add(at, `step ${i + 1}: id '${id}' is already used by step ${first + 1}; step ids must be unique (the run's journal names steps by id)`);
      } else seen.set(id, i);
    });
  }

  /** Turns zod's findings into located, actionable issues. */
  private report(found: readonly z.core.$ZodIssue[], scope: Scope): void {
    for (const issue of found) this.reportOne(issue, scope);
  }

  private reportOne(issue: z.core.$ZodIssue, scope: Scope): void {
    if (this.full()) return;
    const rel = issue.path as Path;
    const path = [...scope.base, ...rel];
    const value = get(this.value, path);
    const node = this.nodeAt(path);
    if (node) this.refused.add(node);
    const { chain, parent: container } = schemaAt(scope.schema, rel, get(this.value, scope.base));

    if (issue.code === 'unrecognized_keys') {
      const allowed = objectKeys(chain, value);
      for (const key of issue.keys) {
        if (this.full()) return;
        this.add(this.keyAt(path, key), `unknown key '${key}' ${rel.length === 0 && scope.prefix === '' ? 'at the top level' : `in ${field(scope.prefix, rel)}`}${didYouMean(key, allowed)}; allowed: ${allowed.join(', ')}`);
      }
      return;
    }
    if (value === undefined && rel.length > 0) {
      const key = String(rel[rel.length - 1]);
      const description = chain.map(descriptionOf).find((d) => d !== undefined);
      const parent = this.nodeAt(path.slice(0, -1));
      this.add(parent, `${field(scope.prefix, rel.slice(0, -1))} has no '${key}'${description ? ` (${description})` : ''}`);
      return;
    }
    if (issue.code === 'invalid_union' && issue.discriminator !== undefined) {
      // zod points at the discriminator itself when its value matches no option, at the union otherwise.
      const onKey = rel.at(-1) === issue.discriminator;
      const keyRel = onKey ? rel : [...rel, issue.discriminator];
      const d = get(this.value, [...scope.base, ...keyRel]);
      const at = this.nodeAt([...scope.base, ...keyRel]) ?? node;
      const options = ('options' in issue ? (issue.options ?? []) : []).map(String);
      const guess = typeof d === 'string' ? didYouMean(d, options) : '';
      this.add(at, `${field(scope.prefix, keyRel)} must be one of ${options.join(', ')}${guess}, found ${describe(at)}`);
      return;
    }
    if (issue.code === 'invalid_key') {
      const key = String(rel[rel.length - 1]);
      const keyType = (container?._zod.def as { keyType?: z.ZodType } | undefined)?.keyType;
      const keyHint = (keyType && hintOf(keyType)) ?? 'a valid key';
      this.add(this.keyAt(path.slice(0, -1), key), `${field(scope.prefix, rel.slice(0, -1))}: key '${key}' must be ${keyHint}`);
      return;
    }
    if (rel.length === 0 && issue.code === 'invalid_type' && scope.prefix !== '') {
      const type = scope.base.at(-1);
      const example = typeof type === 'string' && Object.hasOwn(STEP_EXAMPLES, type) ? STEP_EXAMPLES[type as StepType] : undefined;
      const what = example ? `the arguments of ${scope.prefix}` : scope.prefix;
      this.add(node, `${what} must be a mapping, found ${describe(node)}${example ? `; for example: ${type}: ${example}` : ''}`);
      return;
    }

    let must: string;
    if (issue.code === 'invalid_value') {
      const values = issue.values.map(String);
      must = values.length === 1 ? String(values[0]) : `one of ${values.join(', ')}${typeof value === 'string' ? didYouMean(value, values) : ''}`;
    } else if (issue.code === 'custom') {
      must = issue.message;
    } else {
      must = chain.map(hintOf).find((h) => h !== undefined) ?? expectedWords(issue);
    }
    this.add(node, `${field(scope.prefix, rel)} must be ${must}, found ${found(node)}${this.fix(issue, node, value, chain.some((l) => hintOf(l) === DURATION_HINT))}`);
  }

  /** The quoting that fixes a number-vs-text mix-up, or a word on parameters where they cannot go. */
  private fix(issue: z.core.$ZodIssue, node: Node | null, value: unknown, isDuration: boolean): string {
    const src = node?.range ? this.y.text.slice(node.range[0], node.range[1]) : undefined;
    const key = String(issue.path.at(-1) ?? '');
    if (isDuration && typeof value === 'number') return `; durations need a unit, such as ${key}: ${value}s or ${key}: ${value}m`;
    if (issue.code === 'invalid_type' && issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
      return `; YAML read it as a ${typeof value}, so quote it: ${key}: "${src ?? String(value)}"`;
    }
    if (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int') && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
      return `; write the number without quotes: ${key}: ${value.trim()}`;
    }
    if (typeof value === 'string' && WHOLE_REF.test(value)) return '; parameters can only be used in text fields';
    return '';
  }

  /** The node at a path, following aliases; null when some part is missing. */
  nodeAt(path: Path): Node | null {
    let node = deref(this.y, this.y.doc.contents);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => scalarKey(this.y, p.key) === String(seg));
        node = pair ? deref(this.y, pair.value) : null;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = deref(this.y, node.items[seg]);
      } else return null;
    }
    return node;
  }

  /** The key node of `key` in the mapping at `path` (or the mapping, when not found). */
  private keyAt(path: Path, key: string): Node | null {
    const map = this.nodeAt(path);
    if (!isMap(map)) return map;
    const pair = map.items.find((p) => scalarKey(this.y, p.key) === key);
    return (pair ? deref(this.y, pair.key) : null) ?? map;
  }

  // The node's range starts at its value; the tag is written just before it.
  private tagStart(node: Node): number {
    const start = node.range?.[0] ?? 0;
    let bang = this.y.text.lastIndexOf('!', start);
    if (bang < 0 || start - bang > 200) return start;
    // Back to the tag's first character: '!!str' is found at its second '!'.
    while (bang > 0 && !/[\s{[,]/.test(this.y.text[bang - 1] ?? ' ')) bang--;
    return bang;
  }

  private addAt(offset: number, message: string): void {
    this.push({ file: this.y.file, ...position(this.y.lines, offset), message });
  }

  /** True once MAX_ISSUES are reported. */
  private full(): boolean {
    return this.issues.length >= MAX_ISSUES;
  }

  private push(issue: RunbookIssue): void {
    if (!this.full()) this.issues.push(issue);
  }

  private add(node: Node | null | undefined, message: string): void {
    this.push({ file: this.y.file, ...(node?.range ? position(this.y.lines, node.range[0]) : { line: 1, column: 1 }), message });
  }

  /** An issue at `needle` inside a scalar's source (the exact `${x}`), else at the scalar. */
  private addIn(s: Scalar, needle: string, message: string): void {
    const [start, end] = s.range ?? [0, 0];
    const at = this.y.text.slice(start, end).indexOf(needle);
    this.push({ file: this.y.file, ...position(this.y.lines, at >= 0 ? start + at : start), message });
  }
}

/**
 * The first mapping or list larger than a runbook ever needs. yaml's
 * duplicate-key check compares each key with every other, so a 1 MiB mapping
 * of 100 000 keys takes minutes in parseYaml; this pass skips that check (and
 * is cheap), so that such a file is refused before it gets there. Huge lists
 * are refused too: they cost every later pass time and say nothing useful.
 */
function crowdedCollection(text: string): { at: { line: number; column: number }; items: number; map: boolean } | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, schema: 'core', prettyErrors: false });
  let found: { at: { line: number; column: number }; items: number; map: boolean } | undefined;
  const check = (node: Node & { items: unknown[] }, max: number, map: boolean) => {
    if (node.items.length <= max) return undefined;
    found = { at: position(lines, node.range?.[0] ?? 0), items: node.items.length, map };
    return visit.BREAK;
  };
  visit(doc, { Map: (_key, map) => check(map, MAX_MAPPING_KEYS, true), Seq: (_key, seq) => check(seq, MAX_LIST_ITEMS, false) });
  return found;
}

/** `<n>-<type>`, 1-based like the step numbers in messages. */
export function defaultId(index: number, type: StepType): string {
  return `${index + 1}-${type}`;
}

function scalarKey(y: YamlFile, key: unknown): string | undefined {
  const k = deref(y, key);
  return isScalar(k) && k.value !== null && typeof k.value !== 'object' ? String(k.value) : undefined;
}

function collectScalars(y: YamlFile, node: Node | null, out: Scalar[], seen: Set<Node>): void {
  // An alias may point back into its own anchor; each node once is enough.
  if (node === null || seen.has(node)) return;
  seen.add(node);
  if (isScalar(node)) out.push(node);
  else if (isMap(node)) for (const p of node.items) collectScalars(y, deref(y, p.value), out, seen);
  else if (isSeq(node)) for (const item of node.items) collectScalars(y, deref(y, item), out, seen);
}

function get(value: unknown, path: Path): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    if (!Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** yaml's describe, telling an empty list or mapping apart ("must be a list of 1 to 200 steps, found an empty list"). */
function found(node: Node | null): string {
  if ((isSeq(node) || isMap(node)) && node.items.length === 0) return isSeq(node) ? 'an empty list' : 'an empty mapping';
  return describe(node);
}

function field(prefix: string, rel: Path): string {
  if (rel.length === 0) return prefix || 'the runbook';
  const dotted = rel.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  return prefix ? `${prefix} '${dotted}'` : `'${dotted}'`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

function expectedWords(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return EXPECTED[issue.expected] ?? issue.expected;
  return issue.message.replace(/^Invalid input: /, '');
}

type AnyDef = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType; options?: z.ZodType[]; discriminator?: string };

/** Every wrapper of a schema down to its core (optional → default → pipe input …), outermost first. */
function layers(schema: z.ZodType): z.ZodType[] {
  const out: z.ZodType[] = [];
  let s: z.ZodType | undefined = schema;
  while (s) {
    out.push(s);
    const def: AnyDef = s._zod.def as AnyDef;
    s = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  }
  return out;
}

/**
 * The schema layers that validate the value at `rel` (within `value`, the data
 * the schema was applied to), and the container they sit in (a record, for key hints).
 */
function schemaAt(root: z.ZodType, rel: Path, value: unknown): { chain: z.ZodType[]; parent?: z.ZodType } {
  let chain = layers(root);
  let parent: z.ZodType | undefined;
  let v = value;
  for (const seg of rel) {
    const core = chain.at(-1);
    if (!core) return { chain: [] };
    const def = core._zod.def as AnyDef;
    let next: z.ZodType | undefined;
    if (def.shape) next = def.shape[String(seg)];
    else if (def.type === 'array') next = def.element;
    else if (def.type === 'record') next = def.valueType;
    // A discriminated union: follow the option the value's discriminator picks.
    else next = (pickOption(def, v)?._zod.def as AnyDef | undefined)?.shape?.[String(seg)];
    if (!next) return { chain: [] };
    parent = core;
    chain = layers(next);
    v = get(v, [seg]);
  }
  return parent ? { chain, parent } : { chain };
}

/** The keys the object schema at the end of `chain` allows (for a discriminated union, the option `value` picks). */
function objectKeys(chain: z.ZodType[], value: unknown): string[] {
  const def = chain.at(-1)?._zod.def as AnyDef | undefined;
  const shape = def?.shape ?? (def ? (pickOption(def, value)?._zod.def as AnyDef | undefined)?.shape : undefined);
  return Object.keys(shape ?? {});
}

/** The option of a discriminated union that `value`'s discriminator selects. */
function pickOption(def: AnyDef, value: unknown): z.ZodType | undefined {
  const disc = def.discriminator;
  if (def.type !== 'union' || disc === undefined || !def.options) return undefined;
  const d = get(value, [disc]);
  return def.options.find((o) => (o._zod.def as AnyDef).shape?.[disc]?.safeParse(d).success ?? false);
}

function descriptionOf(schema: z.ZodType): string | undefined {
  return z.globalRegistry.get(schema)?.description;
}
