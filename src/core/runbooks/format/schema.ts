/**
 * The runbook file format, defined once in zod. The parser validates with
 * these schemas and the published JSON Schema (resources/runbooks/
 * runbook.schema.json, for editors) is generated from them, so the two cannot
 * disagree about the shape of a file. What JSON Schema cannot say (parameter
 * references, duplicate ids, a default of the wrong type) the parser checks
 * on top; see parse.ts.
 */
import { z } from 'zod';
import type { StepSpec, StepType } from '../../../shared/runbooks';

/** The apiVersion and kind every runbook file declares. */
export const API_VERSION = 'triptych.io/v1';
export const KIND = 'Runbook';

/** Parameter names, as declared and as referenced with `${name}`. */
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A string that is exactly one parameter reference, such as `${kind}`. */
export const WHOLE_REF = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/** Runbook names and step ids: DNS labels, because they end up in Lease names, journal files and URLs. */
export const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `30s`, `10m`, `2h`, `1h30m`, `1d`: units in this order, each at most once.
 * The lookahead refuses the empty string, which every part being optional would let through.
 */
export const DURATION = /^(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** The longest duration a runbook may state: anything longer is a typo (`10000m`), not a plan. */
export const MAX_DURATION_MS = 7 * 24 * 3600 * 1000;

// Kubernetes' label key rule as one regular expression (JSON Schema has no functions):
// an optional DNS-subdomain prefix and '/', then a name of at most 63 characters.
const LABEL_KEY = /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Milliseconds of a duration written as in DURATION; undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [d, h, min, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number];
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
}

// What a value must look like, phrased to follow "'timeout' must be …". Kept beside
// the schemas rather than in zod's messages because zod reports a failed union
// through whichever branch came closest, which would explain only half the rule.
const hints = new WeakMap<object, string>();

// Keyed by the schema's definition, which `.meta()` clones share, so a hint
// survives the description added after it.
function hint<T extends z.ZodType>(schema: T, text: string): T {
  hints.set(schema._zod.def, text);
  return schema;
}

/** The "must be …" wording registered for a schema, if any. */
export function hintOf(schema: z.ZodType): string | undefined {
  return hints.get(schema._zod.def);
}

/** Non-empty text; may hold `${param}` references, which the parser checks separately. */
function text(description: string, max = 200): z.ZodString {
  return hint(z.string().min(1).max(max), `non-empty text of at most ${max} characters`).meta({ description });
}

/** How messages describe a duration (also how the parser recognises a duration field). */
export const DURATION_HINT = 'a duration such as 30s, 10m, 2h or 1h30m (units d, h, m, s, in that order)';

function duration(description: string) {
  const pattern = hint(z.string().regex(DURATION), DURATION_HINT);
  return pattern
    .transform((value, ctx) => {
      const ms = parseDuration(value) ?? 0;
      if (ms === 0) ctx.addIssue({ code: 'custom', message: 'longer than zero: nothing can happen in 0s' });
      else if (ms > MAX_DURATION_MS) ctx.addIssue({ code: 'custom', message: 'at most 7d (168h)' });
      return ms;
    })
    .meta({ description });
}

function enumOrRef<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  return hint(z.union([z.enum(values), z.string().regex(WHOLE_REF)]), `one of ${values.join(', ')}, or a parameter such as "\${kind}"`).meta({ description });
}

const objectRef = z
  .strictObject({
    kind: text('The object kind, such as Node, Pod or Deployment.', 63),
    namespace: text('The namespace; leave out for cluster-wide kinds such as Node.', 63).optional(),
    name: text('The object name, usually a parameter such as "${node}".', 253),
  })
  .meta({ description: 'An object at the site the step runs in.' });

const nodeArg = text('The node, usually "${node}".', 253);
const namespaceArg = text('The namespace, usually "${namespace}".', 63);
const workloadArg = text('The workload name, usually "${name}".', 253);

const waitFor = hint(
  z.discriminatedUnion('condition', [
    z
      .strictObject({ condition: z.literal('node-empty'), node: nodeArg })
      .meta({ description: 'The node runs no evictable pods (DaemonSet and mirror pods do not count).' }),
    z.strictObject({ condition: z.literal('node-ready'), node: nodeArg }).meta({ description: 'The node reports Ready.' }),
    z
      .strictObject({
        condition: z.literal('workload-ready'),
        namespace: namespaceArg,
        kind: text('Deployment, StatefulSet, DaemonSet or ReplicaSet, usually "${kind}".', 63),
        name: workloadArg,
      })
      .meta({ description: 'The workload has rolled out: every replica updated and Ready.' }),
    z
      .strictObject({
        condition: z.literal('pods-ready'),
        namespace: namespaceArg,
        selector: text('A label selector, such as "app=checkout".', 1000),
      })
      .meta({ description: 'Every pod the selector matches is Ready.' }),
  ]),
  'a mapping whose condition is node-empty, node-ready, workload-ready or pods-ready',
).meta({ description: 'The condition to wait for, evaluated over the watch caches.' });

const labelValues = z.record(
  hint(z.string().regex(LABEL_KEY), 'a Kubernetes key: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or "."'),
  hint(z.union([z.string().max(4096), z.null()]), 'text (quoted if it looks like a number or true/false), or null to remove the key'),
);

/**
 * Every step type's arguments, keyed by the type as written in a file
 * (`- drain: {node: …}`). Durations come out as milliseconds, omitted
 * arguments with a default as that default.
 */
export const STEP_ARGS = {
  cordon: z
    .strictObject({ node: nodeArg, reason: text('Why, recorded on the node for the next admin.', 500).optional() })
    .meta({ description: 'Marks the node unschedulable: running pods stay, no new pods arrive.' }),
  uncordon: z.strictObject({ node: nodeArg }).meta({ description: 'Makes the node schedulable again.' }),
  drain: z
    .strictObject({
      node: nodeArg,
      gracePeriodSeconds: hint(z.int().min(0).max(86_400), 'a whole number of seconds between 0 and 86400').optional().meta({ description: "Per-pod grace period; default: each pod's own." }),
      timeout: duration('The whole drain gives up after this long; evictions a PodDisruptionBudget refuses are retried until then.').prefault('10m'),
      deleteEmptyDirData: z.boolean().optional().meta({ description: 'Evict pods with emptyDir volumes too (their data is lost); default false, as kubectl.' }),
    })
    .meta({ description: 'Evicts the pods of a cordoned node, honouring PodDisruptionBudgets; DaemonSet pods are skipped.' }),
  scale: z
    .strictObject({
      workload: workloadArg,
      namespace: namespaceArg,
      kind: enumOrRef(['Deployment', 'StatefulSet', 'ReplicaSet'], 'The workload kind.'),
      replicas: hint(z.union([z.int().min(0).max(10_000), z.string().regex(WHOLE_REF)]), 'a whole number from 0 to 10000, or a parameter such as "${replicas}"')
        .transform(String)
        .meta({ description: 'The new replica count.' }),
    })
    .meta({ description: 'Sets the replica count of a workload.' }),
  'rollout-restart': z
    .strictObject({ workload: workloadArg, namespace: namespaceArg, kind: enumOrRef(['Deployment', 'StatefulSet', 'DaemonSet'], 'The workload kind.') })
    .meta({ description: 'Restarts every pod of the workload through a rolling update, as kubectl rollout restart.' }),
  patch: z
    .strictObject({
      object: objectRef,
      patch: hint(z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]), 'a mapping (merge, strategic) or a list of operations (json)').meta({
        description: 'The patch body; a string that is exactly "${param}" becomes the parameter with its type.',
      }),
      patchType: z.enum(['merge', 'strategic', 'json']).default('merge').meta({ description: 'merge (RFC 7386), strategic (Kubernetes strategic merge) or json (RFC 6902).' }),
    })
    .meta({ description: 'Patches an object.' }),
  label: z
    .strictObject({ object: objectRef, set: labelValues.meta({ description: 'Labels to set; null removes one.' }) })
    .meta({ description: 'Sets or removes labels on an object.' }),
  annotate: z
    .strictObject({ object: objectRef, set: labelValues.meta({ description: 'Annotations to set; null removes one.' }) })
    .meta({ description: 'Sets or removes annotations on an object.' }),
  wait: z
    .strictObject({ for: waitFor, timeout: duration('The step fails when the condition still does not hold after this long.').prefault('10m') })
    .meta({ description: 'Waits until a condition holds.' }),
  check: z
    .strictObject({
      guard: z.enum(['geo-redundancy', 'site-healthy', 'no-maintenance-elsewhere']).meta({
        description:
          'geo-redundancy: the other sites are healthy and can take the pods about to move; site-healthy: the site itself is healthy; no-maintenance-elsewhere: no other site is under maintenance.',
      }),
      headroom: hint(z.number().min(0).max(10), 'a number from 0 to 10').optional().meta({ description: 'Extra capacity the other sites must have, as a share of what moves (default 1.0).' }),
    })
    .meta({ description: 'A precondition: the run stops here when it does not hold.' }),
  confirm: z
    .strictObject({ message: text('The question, showing what will happen, e.g. "Drain ${node} at ${site}?".', 2000) })
    .meta({ description: 'A manual gate: the run waits for the admin to confirm (the dialog shows the site name and colour).' }),
  note: z
    .strictObject({ text: text('What the admin does by hand, e.g. "Swap the PSU".', 4000) })
    .meta({ description: 'A manual instruction; the run waits until the admin marks it done.' }),
  collect: z
    .strictObject({
      of: objectRef,
      logs: z.boolean().optional().meta({ description: "Include logs (for a node: of the pods on it); default false." }),
      since: duration('How far back logs and events go; default: everything the cluster still has.').optional(),
    })
    .meta({ description: 'Saves diagnostics (describe, events and optionally logs) into a folder.' }),
  report: z
    .strictObject({ kind: z.enum(['handover', 'summary']).meta({ description: 'handover: the shift handover report; summary: a summary of this run.' }) })
    .meta({ description: 'Writes a report.' }),
} satisfies Record<StepType, z.ZodType>;

/** A minimal valid argument mapping per step type, for error messages and the documentation. */
export const STEP_EXAMPLES: Readonly<Record<StepType, string>> = {
  cordon: '{ node: "${node}", reason: "${reason}" }',
  uncordon: '{ node: "${node}" }',
  drain: '{ node: "${node}", timeout: 10m }',
  scale: '{ workload: "${name}", namespace: "${namespace}", kind: Deployment, replicas: 3 }',
  'rollout-restart': '{ workload: "${name}", namespace: "${namespace}", kind: "${kind}" }',
  patch: '{ object: { kind: Node, name: "${node}" }, patch: { spec: { unschedulable: true } } }',
  label: '{ object: { kind: Node, name: "${node}" }, set: { maintenance: "true" } }',
  annotate: '{ object: { kind: Node, name: "${node}" }, set: { triptych.io/note: "${reason}" } }',
  wait: '{ for: { condition: node-ready, node: "${node}" }, timeout: 30m }',
  check: '{ guard: geo-redundancy }',
  confirm: '{ message: "Drain ${node} at ${site}?" }',
  note: '{ text: "Swap the PSU of ${node}" }',
  collect: '{ of: { kind: Node, name: "${node}" }, logs: true, since: 1h }',
  report: '{ kind: handover }',
};

/** The step types, in the order the documentation lists them. */
export const STEP_TYPES = Object.keys(STEP_ARGS) as StepType[];

/**
 * How a step is repeated: `forEachSite` as in the shared types; `forEachNode`
 * (proposed for shared/runbooks.ts) runs the step once per node of the run's
 * rack or site, one node after the other, with `${node}` set to each.
 */
export type NodeLoop = 'rack' | 'site';

/** Keys a step may carry besides its type. */
export const STEP_FRAME = {
  id: hint(z.string().regex(DNS_LABEL), "a short id of lower-case letters, digits and '-' (at most 63)")
    .optional()
    .meta({ description: 'Unique within the runbook; default: <number>-<type>, such as 3-drain.' }),
  title: text('Shown in the plan and progress; may use ${param}; default: a summary of the step.').optional(),
  forEachSite: z.enum(['all', 'others']).optional().meta({ description: "Run once per site (all, or all but the run's own), one site after the other, with ${site} set to each." }),
  forEachNode: z.enum(['rack', 'site']).optional().meta({ description: "Run once per node of the run's rack or site, one node after the other, with ${node} set to each." }),
};

/** The step keys other than the type, as the parser validates them. */
export const stepFrameSchema = z.strictObject(STEP_FRAME);

const paramSchema = z
  .strictObject({
    name: hint(z.string().regex(PARAM_NAME), 'a name of letters, digits and _ that does not start with a digit (at most 63)').meta({ description: 'Referenced as ${name} in steps.' }),
    type: z.enum(['site', 'node', 'rack', 'namespace', 'workload', 'string', 'number', 'boolean']).meta({ description: 'What the value must look like; the form offers a matching input.' }),
    description: text('Shown next to the input when the runbook starts.', 500).optional(),
    default: hint(z.union([z.string().max(1000), z.number(), z.boolean()]), 'text, a number or true/false')
      .optional()
      .meta({ description: 'Used when the admin gives no value; without one the parameter is required.' }),
  })
  .meta({ description: 'A value the admin gives when starting the runbook.' });

/** The document around the steps; `step` is the schema of one step (the parser passes `z.unknown()` and checks steps itself). */
export function runbookFileSchema<S extends z.ZodType>(step: S) {
  return z
    .strictObject({
      apiVersion: z.literal(API_VERSION).meta({ description: `Always ${API_VERSION}.` }),
      kind: z.literal(KIND).meta({ description: `Always ${KIND}.` }),
      metadata: z
        .strictObject({
          name: hint(z.string().regex(DNS_LABEL), "a DNS label: lower-case letters, digits and '-', at most 63 characters, such as drain-node").meta({
            description: "The runbook's unique name; a file in the admin's folder with a shipped runbook's name replaces it.",
          }),
          title: text('What the menus show, e.g. "Drain a node for maintenance".', 120),
          description: text('What the runbook does and when to use it, for the admin choosing it.', 4000).optional(),
        })
        .meta({ description: 'What the runbook is called.' }),
      spec: z
        .strictObject({
          target: z.enum(['node', 'rack', 'site', 'workload', 'none']).meta({
            description: 'What the runbook is started from; its parameters come with it: node → site, node; rack → site, rack; site → site; workload → site, namespace, kind, name; none → nothing.',
          }),
          params: hint(z.array(paramSchema).max(50), 'a list of at most 50 parameters').optional().meta({ description: 'Parameters beyond the ones the target gives.' }),
          lease: z
            .strictObject({
              scope: text('What is under maintenance, e.g. "node/${node}"; a second run with the same scope is refused.', 253),
              duration: duration('How long the Lease lasts before it must be renewed; an abandoned run frees the scope after this long.'),
            })
            .optional()
            .meta({ description: 'A coordination.k8s.io Lease held at the site while the run lasts.' }),
          steps: hint(z.array(step).min(1).max(200), 'a list of 1 to 200 steps').meta({ description: 'What the runbook does, in order.' }),
        })
        .meta({ description: 'What the runbook does.' }),
    })
    .meta({ title: 'Triptych runbook', description: 'A runbook for the Triptych console; see docs/runbooks.md.' });
}

/** One step as JSON Schema sees it: exactly one type key beside id, title and the loops. */
function jsonStepSchema() {
  const variants = STEP_TYPES.map((type) => z.strictObject({ [type]: STEP_ARGS[type], ...STEP_FRAME }).meta({ title: type }));
  return z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/** The JSON Schema (draft 2020-12) of a runbook file, as published in resources/runbooks/runbook.schema.json. */
export function runbookJsonSchema(): Record<string, unknown> {
  // io 'input': the file as written (durations as text, defaults optional), not the parsed value.
  // Shared pieces are written out in place rather than as $refs to generated names: the file stays readable.
  return z.toJSONSchema(runbookFileSchema(jsonStepSchema()), { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}

/** The schema file's exact text (2-space JSON, final newline), as written and as the test compares. */
export function runbookJsonSchemaText(): string {
  return `${JSON.stringify(runbookJsonSchema(), null, 2)}\n`;
}

// Compile-time agreement with the shared types: every step type's arguments
// have exactly the fields of its StepSpec variant. A field added to one side
// only fails typecheck here.
type SpecOf<T extends StepType> = StepSpec extends infer S ? (S extends { type: infer U } ? (T extends U ? Omit<S, 'type'> : never) : never) : never;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const _argsAgree: { [T in StepType]: SameKeys<z.output<(typeof STEP_ARGS)[T]>, SpecOf<T>> } = {
  cordon: true,
  uncordon: true,
  drain: true,
  scale: true,
  'rollout-restart': true,
  patch: true,
  label: true,
  annotate: true,
  wait: true,
  check: true,
  confirm: true,
  note: true,
  collect: true,
  report: true,
};
void _argsAgree;
