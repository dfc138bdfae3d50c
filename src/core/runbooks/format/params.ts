/**
 * Runbook parameters: the ones a target implies, binding the admin's values
 * (checked against each parameter's type before anything runs), and `${name}`
 * substitution. Values are data: a value that itself contains `${…}` is
 * inserted as written and never expanded again, and there are no expressions.
 */
import { didYouMean } from '../../config/errors';
import { isNodeName, SITE_ID } from '../../config/rules';
import type { ParamType, Runbook, RunbookParam, RunbookTarget, StepSpec } from '../../../shared/runbooks';

/** Parameter values of a run, as RunPlan and RunStatus carry them. */
export type ParamValues = Record<string, string | number | boolean>;

/** A problem with one parameter value given to bindParams. */
export interface ParamIssue {
  param: string;
  message: string;
}

/**
 * The parameters each target brings with it, in the order a form shows them.
 * A runbook started from a node knows its site and node, and so on; runbook
 * files use them without declaring them.
 */
export const IMPLIED_PARAMS: Readonly<Record<RunbookTarget, readonly RunbookParam[]>> = {
  node: [
    { name: 'site', type: 'site', description: 'The site of the node.' },
    { name: 'node', type: 'node', description: 'The node the runbook was started from.' },
  ],
  rack: [
    { name: 'site', type: 'site', description: 'The site of the rack.' },
    { name: 'rack', type: 'rack', description: 'The rack the runbook was started from.' },
  ],
  site: [{ name: 'site', type: 'site', description: 'The site the runbook was started from.' }],
  workload: [
    { name: 'site', type: 'site', description: 'The site of the workload.' },
    { name: 'namespace', type: 'namespace', description: 'The namespace of the workload.' },
    { name: 'kind', type: 'string', description: 'Deployment, StatefulSet, DaemonSet or ReplicaSet.' },
    { name: 'name', type: 'workload', description: 'The workload the runbook was started from.' },
  ],
  none: [],
};

/** The kinds a workload target's `kind` may be. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] as const;

/** Every parameter of a runbook: the target's, then the declared ones. */
export function paramsOf(runbook: Pick<Runbook, 'target' | 'params'>): RunbookParam[] {
  return [...IMPLIED_PARAMS[runbook.target], ...runbook.params];
}

// C0 and C1 controls, and the bidirectional overrides that make text display
// differently from what it is (a node name shown reversed in a confirm dialog).
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const DNS_LABEL_VALUE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const MAX_RACK = 128;
const MAX_STRING = 1000;

/**
 * Why `value` is not acceptable for a parameter of `type`, or undefined when
 * it is. Shared by bindParams and the parser (for declared defaults).
 */
export function checkParamValue(type: ParamType, value: unknown): string | undefined {
  if (type === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) return undefined;
    return `must be a number, got ${shown(value)}`;
  }
  if (type === 'boolean') return typeof value === 'boolean' ? undefined : `must be true or false, got ${shown(value)}`;
  if (typeof value !== 'string') return `must be text, got ${shown(value)}`;
  if (UNSAFE_CHARS.test(value)) return 'must not contain control characters or bidirectional overrides';
  switch (type) {
    case 'site':
      return SITE_ID.test(value) && value.length <= 63 ? undefined : `must be a site id (lower-case letters, digits and '-'), got ${shown(value)}`;
    case 'node':
      return isNodeName(value) ? undefined : `must be a node name (a DNS name: lower-case letters, digits, '-' and '.'), got ${shown(value)}`;
    case 'namespace':
      return DNS_LABEL_VALUE.test(value) ? undefined : `must be a namespace (lower-case letters, digits and '-', at most 63), got ${shown(value)}`;
    case 'workload':
      return isNodeName(value) ? undefined : `must be a workload name (a DNS name: lower-case letters, digits, '-' and '.'), got ${shown(value)}`;
    case 'rack':
      return value.trim() !== '' && value.length <= MAX_RACK ? undefined : `must be a rack name of 1 to ${MAX_RACK} characters, got ${shown(value)}`;
    case 'string':
      return value.length <= MAX_STRING ? undefined : `must be at most ${MAX_STRING} characters, got ${value.length}`;
  }
}

function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `'${value.slice(0, 37)}…'` : `'${value}'`;
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Checks the admin's values against a runbook's parameters (the target's and
 * the declared ones): types, required ones, defaults filled in, unknown names
 * refused. `params` holds every value that passed; start a run only when
 * `issues` is empty.
 */
export function bindParams(runbook: Pick<Runbook, 'target' | 'params'>, given: Record<string, unknown>): { params: ParamValues; issues: ParamIssue[] } {
  const all = paramsOf(runbook);
  const params: ParamValues = {};
  const issues: ParamIssue[] = [];
  for (const p of all) {
    const value = Object.hasOwn(given, p.name) ? given[p.name] : undefined;
    if (value === undefined) {
      if (p.default !== undefined) params[p.name] = p.default;
      else issues.push({ param: p.name, message: `parameter '${p.name}' is required${p.description ? ` (${p.description})` : ''}` });
      continue;
    }
    let problem = checkParamValue(p.type, value);
    // `kind` comes from the workload the runbook was started on; anything else cannot be restarted or scaled.
    if (!problem && runbook.target === 'workload' && p.name === 'kind' && !(WORKLOAD_KINDS as readonly unknown[]).includes(value)) {
      problem = `must be one of ${WORKLOAD_KINDS.join(', ')}, got ${shown(value)}`;
    }
    if (problem) issues.push({ param: p.name, message: `parameter '${p.name}' ${problem}` });
    else params[p.name] = value as string | number | boolean;
  }
  const names = all.map((p) => p.name);
  for (const name of Object.keys(given)) {
    if (!names.includes(name)) {
      issues.push({ param: name, message: `unknown parameter '${name}'${didYouMean(name, names)}; this runbook takes: ${names.join(', ') || 'no parameters'}` });
    }
  }
  return { params, issues };
}

/** A piece of text with `${…}`: literal text, a reference, an escaped `$${`, or a malformed `${`. */
export type Token =
  | { kind: 'text'; text: string; at: number }
  | { kind: 'ref'; name: string; at: number; length: number }
  | { kind: 'bad'; text: string; at: number };

// `$${` is a literal `${` (for patches that carry shell variables); `${name}` a
// reference; any other `${` is a mistake worth pointing at, not literal text.
const TOKEN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{[^}\n]{0,40}\}?/g;

/** Splits text into literal parts and `${name}` references. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index), at: last });
    if (m[0] === '$${') out.push({ kind: 'text', text: '${', at: m.index });
    else if (m[1] !== undefined) out.push({ kind: 'ref', name: m[1], at: m.index, length: m[0].length });
    else out.push({ kind: 'bad', text: m[0], at: m.index });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last), at: last });
  return out;
}

/** Thrown when a step cannot be resolved with the values given: a missing value, or a result a step cannot take. */
export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterpolationError';
  }
}

/** `text` with every `${name}` replaced by its value; the values are inserted as they are, never expanded again. */
export function interpolateText(text: string, params: ParamValues): string {
  return tokenize(text)
    .map((t) => {
      if (t.kind === 'text') return t.text;
      if (t.kind === 'bad') throw new InterpolationError(`'${t.text}' is not a parameter reference: write \${name}, or $\${ for a literal \${`);
      const value = Object.hasOwn(params, t.name) ? params[t.name] : undefined;
      if (value === undefined) throw new InterpolationError(`no value for \${${t.name}}`);
      return String(value);
    })
    .join('');
}

// Patch bodies are free-form data where `replicas: "${count}"` should become
// the number, not the text "3": a string that is one whole reference takes the
// parameter's own type. Keys are never interpolated.
function interpolateData(value: unknown, params: ParamValues): unknown {
  if (typeof value === 'string') {
    const tokens = tokenize(value);
    const only = tokens.length === 1 ? tokens[0] : undefined;
    if (only?.kind === 'ref' && only.length === value.length && Object.hasOwn(params, only.name)) return params[only.name];
    return interpolateText(value, params);
  }
  if (Array.isArray(value)) return value.map((v) => interpolateData(v, params));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateData(v, params)]));
  }
  return value;
}

function interpolateFields<T extends object>(obj: T, params: ParamValues): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[k] = interpolateText(v, params);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = interpolateFields(v, params);
    else out[k] = v;
  }
  return out as T;
}

/**
 * A step's spec with every `${name}` substituted, ready to plan or run.
 * Throws InterpolationError when a value is missing or the result is not
 * something the step can take (`kind: "${kind}"` resolving to a Pod).
 */
export function interpolate(spec: StepSpec, params: ParamValues): StepSpec {
  if (spec.type === 'patch') return { ...spec, object: interpolateFields(spec.object, params), patch: interpolateData(spec.patch, params) };
  if (spec.type === 'label' || spec.type === 'annotate') {
    const set = Object.fromEntries(Object.entries(spec.set).map(([k, v]) => [k, v === null ? null : interpolateText(v, params)]));
    return { ...spec, object: interpolateFields(spec.object, params), set };
  }
  const out = interpolateFields(spec, params);
  // The file may defer these to a parameter; what the parameter held is only known now.
  if (out.type === 'scale') {
    expectOneOf(out.kind, ['Deployment', 'StatefulSet', 'ReplicaSet'], 'scale: kind');
    if (!/^\d{1,5}$/.test(out.replicas) || Number(out.replicas) > 10_000) throw new InterpolationError(`scale: replicas must be a whole number from 0 to 10000, got '${out.replicas}'`);
  }
  if (out.type === 'rollout-restart') expectOneOf(out.kind, ['Deployment', 'StatefulSet', 'DaemonSet'], 'rollout-restart: kind');
  return out;
}

function expectOneOf(value: string, allowed: readonly string[], what: string): void {
  if (!allowed.includes(value)) throw new InterpolationError(`${what} must be one of ${allowed.join(', ')}, got '${value}'`);
}
