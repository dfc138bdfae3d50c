import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYamlValue } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MUTATING_STEPS } from '../../../shared/runbooks';
import { parseRunbook, type ParsedStep } from './parse';
import { parseDuration, runbookJsonSchema, runbookJsonSchemaText, STEP_TYPES } from './schema';

const SHIPPED = fileURLToPath(new URL('../../../../resources/runbooks/', import.meta.url));
const SCHEMA_FILE = join(SHIPPED, 'runbook.schema.json');
const shipped = readdirSync(SHIPPED)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = boolean | { [key: string]: Json };

// The keywords the generated schema may use. An independent, deliberately small
// validator: the point is to check the JSON file editors read, not zod again,
// so any keyword it does not know fails the test instead of being skipped.
const KEYWORDS = new Set([
  '$schema', 'title', 'description', 'default', 'type', 'const', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum',
  'minItems', 'maxItems', 'items', 'properties', 'required', 'additionalProperties', 'propertyNames', 'anyOf', 'oneOf',
]);

/** Problems of `value` against a JSON Schema (the subset above), as `path: message`. */
function validate(schema: Schema, value: unknown, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  for (const k of Object.keys(schema)) if (!KEYWORDS.has(k)) throw new Error(`the test validator does not know the keyword '${k}' (at ${path})`);
  const s = schema as Record<string, unknown>;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => hasType(t, value))) return [`${path}: expected ${types.join(' or ')}`];
  }
  const errors: string[] = [];
  if (s.const !== undefined && value !== s.const) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(value as Json)) errors.push(`${path}: not one of ${s.enum.join(', ')}`);
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) errors.push(`${path}: does not match ${s.pattern}`);
    if (typeof s.minLength === 'number' && length < s.minLength) errors.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) errors.push(`${path}: longer than ${s.maxLength}`);
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errors.push(`${path}: below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) errors.push(`${path}: above ${s.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
    if (s.items !== undefined) value.forEach((v, i) => errors.push(...validate(s.items as Schema, v, `${path}[${i}]`)));
  }
  if (isObject(value)) {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const r of (s.required ?? []) as string[]) if (!(r in value)) errors.push(`${path}: missing ${r}`);
    for (const [k, v] of Object.entries(value)) {
      if (s.propertyNames !== undefined) errors.push(...validate(s.propertyNames as Schema, k, `${path}{${k}}`));
      if (k in props) errors.push(...validate(props[k] as Schema, v, `${path}.${k}`));
      else if (s.additionalProperties !== undefined) errors.push(...validate(s.additionalProperties as Schema, v, `${path}.${k}`));
    }
  }
  if (Array.isArray(s.anyOf)) {
    const results = s.anyOf.map((sub) => validate(sub as Schema, value, path));
    // Like editors do, explain the failure through the branch that came closest.
    if (!results.some((r) => r.length === 0)) errors.push(...results.reduce((a, b) => (b.length < a.length ? b : a)));
  }
  if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => validate(sub as Schema, value, path).length === 0).length !== 1) errors.push(`${path}: does not match exactly one of oneOf`);
  return errors;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function hasType(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      throw new Error(`unknown JSON Schema type ${type}`);
  }
}

const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;
const againstSchema = (text: string) => validate(schema, parseYamlValue(text, { schema: 'core' }));

const base = (steps: string[], spec: string[] = ['  target: node']): string =>
  ['apiVersion: triptych.io/v1', 'kind: Runbook', 'metadata: { name: test, title: Test }', 'spec:', ...spec, '  steps:', ...steps.map((s) => `    ${s}`), ''].join('\n');

describe('the published JSON Schema', () => {
  it('is the one generated from the parser’s zod schemas (regenerate: node --import tsx src/core/runbooks/format/write-schema.ts)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(runbookJsonSchemaText());
  });

  it('is draft 2020-12 and knows every step type', () => {
    const s = runbookJsonSchema() as { $schema: string; properties: { spec: { properties: { steps: { items: { anyOf: { required: string[] }[] } } } } } };
    expect(s.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s.properties.spec.properties.steps.items.anyOf.map((v) => v.required[0])).toEqual(STEP_TYPES);
  });
});

describe('the shipped library', () => {
  it('holds the runbooks of the issue', () => {
    expect(shipped).toEqual([
      'collect-node-diagnostics.yaml',
      'drain-node.yaml',
      'drain-rack.yaml',
      'evacuate-site.yaml',
      'restart-service.yaml',
      'return-rack.yaml',
      'shift-handover.yaml',
    ]);
  });

  for (const file of shipped) {
    it(`${file} parses and validates against the schema`, () => {
      const text = readFileSync(join(SHIPPED, file), 'utf8');
      const { runbook, issues } = parseRunbook(text, file);
      expect(issues).toEqual([]);
      expect(runbook?.name).toBe(file.replace(/\.yaml$/, ''));
      expect(againstSchema(text)).toEqual([]);
      // Every shipped runbook that changes a cluster asks first, and holds a Lease.
      const mutates = runbook?.steps.some((s) => MUTATING_STEPS.includes(s.spec.type)) ?? false;
      if (mutates) {
        const firstMutation = runbook?.steps.findIndex((s) => MUTATING_STEPS.includes(s.spec.type)) ?? -1;
        expect(runbook?.steps.slice(0, firstMutation).some((s) => s.spec.type === 'confirm')).toBe(true);
        expect(runbook?.lease).toBeDefined();
      }
    });
  }

  it('drains a rack with the capacity guard before each node, after cordoning the whole rack', () => {
    const { runbook } = parseRunbook(readFileSync(join(SHIPPED, 'drain-rack.yaml'), 'utf8'), 'drain-rack.yaml');
    const steps = (runbook?.steps ?? []) as ParsedStep[];
    const shape = steps.map((s) => `${s.spec.type}${s.forEachNode ? `/${s.forEachNode}` : ''}`);
    expect(shape).toEqual(['check', 'check', 'confirm', 'cordon/rack', 'confirm', 'check/rack', 'drain/rack', 'note']);
  });

  it('ends the shift handover with the handover report', () => {
    const { runbook } = parseRunbook(readFileSync(join(SHIPPED, 'shift-handover.yaml'), 'utf8'), 'shift-handover.yaml');
    expect(runbook?.target).toBe('none');
    expect(runbook?.steps.at(-1)?.spec).toEqual({ type: 'report', kind: 'handover' });
  });
});

describe('schema and parser agree', () => {
  // Mistakes in the shape of a file: JSON Schema sees them, so an editor underlines them too.
  // Each with what the schema validator reports, so that both refuse for the same reason.
  const structural: Record<string, [string, string]> = {
    'unknown step type': [base(['- drian: { node: "${node}" }']), '$.spec.steps[0]: missing '],
    'two step types in one step': [base(['- cordon: { node: a }', '  uncordon: { node: a }']), '$.spec.steps[0].'],
    'missing required argument': [base(['- cordon: { reason: x }']), '$.spec.steps[0].cordon: missing node'],
    'unknown argument': [base(['- cordon: { node: a, nod: b }']), '$.spec.steps[0].cordon.nod: not allowed'],
    'number where text is needed': [base(['- cordon: { node: 5 }']), '$.spec.steps[0].cordon.node: expected string'],
    'duration without unit': [base(['- drain: { node: a, timeout: 600 }']), '$.spec.steps[0].drain.timeout: expected string'],
    'bad duration': [base(['- drain: { node: a, timeout: 10 minutes }']), '$.spec.steps[0].drain.timeout: does not match'],
    'bad enum value': [base(['- check: { guard: geo }']), '$.spec.steps[0].check.guard: not one of'],
    'bad wait condition': [base(['- wait: { for: { condition: node-reday, node: a } }']), '$.spec.steps[0].wait.for'],
    'bad label key': [base(['- label: { object: { kind: Node, name: a }, set: { "a b": x } }']), '$.spec.steps[0].label.set{a b}: does not match'],
    'kind neither enum nor parameter': [base(['- rollout-restart: { workload: a, namespace: b, kind: Pod }']), '$.spec.steps[0].rollout-restart.kind'],
    'no steps': [base([]).replace('  steps:\n', '  steps: []\n'), '$.spec.steps: fewer than 1 items'],
    'bad runbook name': [base(['- uncordon: { node: a }']).replace('name: test', 'name: Test_1'), '$.metadata.name: does not match'],
    'wrong apiVersion': [base(['- uncordon: { node: a }']).replace('triptych.io/v1', 'triptych.io/v2'), '$.apiVersion: expected "triptych.io/v1"'],
    'unknown top-level key': [`${base(['- uncordon: { node: a }'])}extra: 1\n`, '$.extra: not allowed'],
    'bad forEachSite': [base(['- uncordon: { node: a }', '  forEachSite: every']), '$.spec.steps[0].forEachSite: not one of all, others'],
    'bad param type': [base(['- uncordon: { node: a }'], ['  target: node', '  params: [{ name: x, type: text }]']), '$.spec.params[0].type: not one of'],
  };

  for (const [what, [text, reason]] of Object.entries(structural)) {
    it(`both refuse: ${what}`, () => {
      const parsed = parseRunbook(text, 'bad.yaml');
      expect(parsed.issues).not.toEqual([]);
      expect(parsed.runbook).toBeUndefined();
      expect(againstSchema(text)).toContainEqual(expect.stringContaining(reason));
    });
  }

  // Mistakes only the parser can see: JSON Schema has no notion of parameters
  // in scope, uniqueness across list items, or durations as amounts.
  const semantic: Record<string, string> = {
    'undeclared parameter': base(['- cordon: { node: "${nodes}" }']),
    'duplicate step ids': base(['- uncordon: { node: a }', '  id: x', '- uncordon: { node: b }', '  id: x']),
    'default of the wrong type': base(['- uncordon: { node: a }'], ['  target: node', '  params: [{ name: n, type: number, default: "3" }]']),
    'zero duration': base(['- drain: { node: a, timeout: 0s }']),
    'rack loop in a node runbook': base(['- cordon: { node: "${node}" }', '  forEachNode: rack']),
  };

  for (const [what, text] of Object.entries(semantic)) {
    it(`only the parser refuses: ${what}`, () => {
      expect(parseRunbook(text, 'bad.yaml').runbook).toBeUndefined();
      expect(againstSchema(text)).toEqual([]);
    });
  }
});

describe('docs/runbooks.md', () => {
  it('documents every step type under its own heading', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../../docs/runbooks.md', import.meta.url)), 'utf8');
    const headings = doc.split('\n').filter((l) => l.startsWith('### '));
    for (const type of STEP_TYPES) expect({ type, documented: headings.some((h) => h.includes(`\`${type}\``)) }).toEqual({ type, documented: true });
  });
});

describe('parseDuration', () => {
  it('reads units in order', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1d2h3m4s')).toBe(((26 * 60 + 3) * 60 + 4) * 1000);
    for (const bad of ['', '10', '30m1h', '1.5h', ' 1h', '1H', '-1s']) expect(parseDuration(bad)).toBeUndefined();
  });
});
