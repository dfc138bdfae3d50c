/**
 * The three PATCH flavours the apiserver accepts:
 *   - application/merge-patch+json            → {@link applyMergePatch} (RFC 7386)
 *   - application/json-patch+json             → {@link applyJsonPatch} (RFC 6902)
 *   - application/strategic-merge-patch+json  → {@link applyStrategicMergePatch}
 *
 * All three are pure: inputs are never mutated and the result shares no
 * structure with them, so the store may keep mutating what it gets back.
 */
import type { Json } from '../types';

/** A PATCH that cannot be applied; `code` is the HTTP status the apiserver would answer with. */
export class PatchError extends Error {
  override name = 'PatchError';

  constructor(
    /** 400 for a malformed patch document, 422 when a well-formed patch does not apply. */
    readonly code: 400 | 422,
    message: string,
  ) {
    super(message);
  }
}

type JsonObject = { [k: string]: Json };

// ---------------------------------------------------------------------------
// JSON helpers. Keys are read and written through getOwn/setOwn so a client
// sending a "__proto__" key gets an ordinary property, not a new prototype.
// ---------------------------------------------------------------------------

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function getOwn(o: JsonObject, k: string): Json | undefined {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

function setOwn(o: JsonObject, k: string, v: Json): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** Keys come from client data and so are always dynamic; one helper keeps deletes uniform. */
function deleteOwn(o: JsonObject, k: string): void {
  Reflect.deleteProperty(o, k);
}

/** Own enumerable entries, skipping `undefined` (TS objects passed as Json may carry them; JSON has none). */
function entries(o: JsonObject): [string, Json][] {
  return Object.entries(o).filter((e): e is [string, Json] => e[1] !== undefined);
}

/** Deep copy, so results never alias caller-owned objects. */
function cloneJson(v: Json): Json {
  if (Array.isArray(v)) return v.map(cloneJson);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of entries(v)) setOwn(out, k, cloneJson(x));
  return out;
}

/** Structural equality; object key order is irrelevant, as in JSON. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const ea = entries(a);
  if (ea.length !== entries(b).length) return false;
  return ea.every(([k, x]) => Object.hasOwn(b, k) && jsonEqual(x, getOwn(b, k)));
}

// ---------------------------------------------------------------------------
// RFC 7386 JSON merge patch
// ---------------------------------------------------------------------------

/**
 * Applies a JSON merge patch: objects merge recursively, `null` deletes a
 * key, anything else (arrays included) replaces the target value.
 */
export function applyMergePatch(target: Json, patch: Json): Json {
  return isObject(patch) ? mergeInto(cloneJson(target), patch) : cloneJson(patch);
}

/** Merge-patches a value this module owns (a fresh copy), reusing it rather than re-cloning per level. */
function mergeInto(owned: Json, patch: Json): Json {
  if (!isObject(patch)) return cloneJson(patch);
  const out: JsonObject = isObject(owned) ? owned : {};
  for (const [k, v] of entries(patch)) {
    if (v === null) deleteOwn(out, k);
    else setOwn(out, k, mergeInto(getOwn(out, k) ?? null, v));
  }
  return out;
}

// ---------------------------------------------------------------------------
// RFC 6902 JSON patch
// ---------------------------------------------------------------------------

type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: Json }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; path: string; from: string };

const bad = (msg: string): PatchError => new PatchError(400, msg);
const unprocessable = (msg: string): PatchError => new PatchError(422, msg);

/** Validates the shape of the operations array; shape problems are the client's syntax error (400). */
function decodeJsonPatch(ops: unknown): JsonPatchOp[] {
  if (!Array.isArray(ops)) throw bad('json patch must be an array of operations');
  return ops.map((raw, i): JsonPatchOp => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad(`json patch operation ${i} is not an object`);
    const o = raw as Record<string, unknown>;
    const op = o['op'];
    const path = o['path'];
    if (typeof op !== 'string') throw bad(`json patch operation ${i} is missing "op"`);
    if (typeof path !== 'string') throw bad(`${op} operation ${i} is missing a string "path"`);
    switch (op) {
      case 'add':
      case 'replace':
      case 'test':
        // `null` is a legitimate value, so presence is tested, not truthiness.
        if (!Object.hasOwn(o, 'value')) throw bad(`${op} operation ${i} is missing "value"`);
        return { op, path, value: o['value'] as Json };
      case 'remove':
        return { op, path };
      case 'move':
      case 'copy': {
        const from = o['from'];
        if (typeof from !== 'string') throw bad(`${op} operation ${i} is missing a string "from"`);
        return { op, path, from };
      }
      default:
        throw bad(`Unexpected kind: ${op}`);
    }
  });
}

/** Splits an RFC 6901 pointer into unescaped reference tokens. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw unprocessable(`invalid JSON pointer ${JSON.stringify(pointer)}: must start with '/'`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => {
      if (/~(?![01])/.test(t)) throw unprocessable(`invalid JSON pointer ${JSON.stringify(pointer)}: bad escape in ${JSON.stringify(t)}`);
      // ~1 before ~0, so "~01" decodes to "~1" rather than "/".
      return t.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

/** Array index per RFC 6901: "0" or no leading zeros; "-" handled by callers. */
function arrayIndex(token: string, pointer: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw unprocessable(`invalid array index ${JSON.stringify(token)} in path ${JSON.stringify(pointer)}`);
  return Number(token);
}

/** Looks a pointer up; `undefined` when any step is missing. */
function lookup(doc: Json, tokens: readonly string[]): Json | undefined {
  let cur: Json | undefined = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = /^(0|[1-9][0-9]*)$/.test(t) ? cur[Number(t)] : undefined;
    else if (isObject(cur)) cur = getOwn(cur, t);
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** The container holding the pointer's last token, which must exist. */
function parentOf(doc: Json, tokens: readonly string[], pointer: string, opName: string): Json[] | JsonObject {
  const parent = lookup(doc, tokens.slice(0, -1));
  if (Array.isArray(parent) || isObject(parent)) return parent;
  throw unprocessable(`${opName} operation does not apply: doc is missing path: ${JSON.stringify(pointer)}: missing value`);
}

function addAt(doc: Json, pointer: string, value: Json, opName = 'add'): Json {
  const tokens = parsePointer(pointer);
  const last = tokens.at(-1);
  if (last === undefined) return value;
  const parent = parentOf(doc, tokens, pointer, opName);
  if (Array.isArray(parent)) {
    const idx = last === '-' ? parent.length : arrayIndex(last, pointer);
    if (idx > parent.length) throw unprocessable(`${opName} operation does not apply: index out of range: ${JSON.stringify(pointer)}`);
    parent.splice(idx, 0, value);
  } else {
    setOwn(parent, last, value);
  }
  return doc;
}

function removeAt(doc: Json, pointer: string, opName = 'remove'): { doc: Json; removed: Json } {
  const tokens = parsePointer(pointer);
  const last = tokens.at(-1);
  if (last === undefined) throw unprocessable(`${opName} operation does not apply: cannot remove the whole document`);
  const parent = parentOf(doc, tokens, pointer, opName);
  if (Array.isArray(parent)) {
    const idx = arrayIndex(last, pointer);
    if (idx >= parent.length) throw unprocessable(`${opName} operation does not apply: index out of range: ${JSON.stringify(pointer)}`);
    const [removed] = parent.splice(idx, 1);
    return { doc, removed: removed as Json };
  }
  const removed = getOwn(parent, last);
  if (removed === undefined) throw unprocessable(`${opName} operation does not apply: doc is missing key: ${JSON.stringify(pointer)}: missing value`);
  deleteOwn(parent, last);
  return { doc, removed };
}

function existing(doc: Json, pointer: string, what: string): Json {
  const v = lookup(doc, parsePointer(pointer));
  if (v === undefined) throw unprocessable(`${what}: ${JSON.stringify(pointer)}: missing value`);
  return v;
}

/**
 * Applies an RFC 6902 JSON patch (add, remove, replace, move, copy, test,
 * with `-` for append and `~0`/`~1` escapes). Operations apply in order to a
 * private copy, so a failure part-way leaves the caller's value untouched.
 * @throws PatchError 400 for malformed operations, 422 when an operation does not apply.
 */
export function applyJsonPatch(target: Json, ops: unknown): Json {
  const decoded = decodeJsonPatch(ops);
  let doc = cloneJson(target);
  for (const op of decoded) {
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, cloneJson(op.value));
        break;
      case 'remove':
        doc = removeAt(doc, op.path).doc;
        break;
      case 'replace':
        existing(doc, op.path, 'replace operation does not apply: doc is missing key');
        // Replacing is remove-then-add at the same spot; the root has no parent.
        doc = op.path === '' ? cloneJson(op.value) : addAt(removeAt(doc, op.path, 'replace').doc, op.path, cloneJson(op.value), 'replace');
        break;
      case 'move': {
        if (op.path !== op.from && op.path.startsWith(`${op.from}/`)) {
          throw unprocessable(`move operation does not apply: "from" ${JSON.stringify(op.from)} is an ancestor of "path" ${JSON.stringify(op.path)}`);
        }
        existing(doc, op.from, 'move operation does not apply: doc is missing from path');
        if (op.path === op.from) break;
        const { doc: without, removed } = removeAt(doc, op.from, 'move');
        doc = addAt(without, op.path, removed, 'move');
        break;
      }
      case 'copy': {
        const value = existing(doc, op.from, 'copy operation does not apply: doc is missing from path');
        doc = addAt(doc, op.path, cloneJson(value), 'copy');
        break;
      }
      case 'test': {
        const actual = lookup(doc, parsePointer(op.path));
        if (!jsonEqual(actual, op.value)) throw unprocessable(`testing value ${op.path} failed: test failed`);
        break;
      }
    }
  }
  return doc;
}

// ---------------------------------------------------------------------------
// Strategic merge patch: schema
// ---------------------------------------------------------------------------

/**
 * How a list field merges under a strategic merge patch. Lists without a rule
 * are atomic (the patch replaces them). With a rule, map elements merge by
 * `mergeKey`; without `mergeKey` the list holds primitives and merges as a
 * set union (e.g. `metadata.finalizers`).
 */
export interface ListMergeRule {
  readonly mergeKey?: string;
}

const byKey = (mergeKey: string): ListMergeRule => ({ mergeKey });
const UNION: ListMergeRule = {};

/** Prefixes every path of a rule table, e.g. to mount pod-spec rules under a template. */
function mount(prefix: string, rules: Record<string, ListMergeRule>): Record<string, ListMergeRule> {
  return Object.fromEntries(Object.entries(rules).map(([p, r]) => [`${prefix}.${p}`, r]));
}

const CONTAINER_RULES: Record<string, ListMergeRule> = {
  env: byKey('name'),
  ports: byKey('containerPort'),
  volumeMounts: byKey('mountPath'),
  volumeDevices: byKey('devicePath'),
};

// Fields without a patchStrategy tag upstream (tolerations, readinessGates,
// args, command, envFrom, …) are atomic and deliberately absent.
const POD_SPEC_RULES: Record<string, ListMergeRule> = {
  containers: byKey('name'),
  initContainers: byKey('name'),
  ephemeralContainers: byKey('name'),
  ...mount('containers[]', CONTAINER_RULES),
  ...mount('initContainers[]', CONTAINER_RULES),
  ...mount('ephemeralContainers[]', CONTAINER_RULES),
  volumes: byKey('name'),
  imagePullSecrets: byKey('name'),
  hostAliases: byKey('ip'),
  topologySpreadConstraints: byKey('topologyKey'),
  schedulingGates: byKey('name'),
  resourceClaims: byKey('name'),
};

const CONDITIONS: Record<string, ListMergeRule> = { 'status.conditions': byKey('type') };
const TEMPLATED = { ...mount('spec.template.spec', POD_SPEC_RULES), ...CONDITIONS };

/** Rules that hold for every kind: ObjectMeta is the same everywhere. */
const COMMON_RULES: Record<string, ListMergeRule> = {
  'metadata.ownerReferences': byKey('uid'),
  'metadata.finalizers': UNION,
};

/**
 * Strategic-merge list rules for built-in kinds, keyed by kind then by field
 * path. Paths are dotted field names; `[]` steps into a list's elements, so
 * `spec.containers[].env` is the env list of every container.
 * Kinds not listed (and custom resources) get only {@link COMMON_RULES}.
 */
export const STRATEGIC_MERGE_RULES: Readonly<Record<string, Readonly<Record<string, ListMergeRule>>>> = {
  Pod: {
    ...mount('spec', POD_SPEC_RULES),
    ...CONDITIONS,
    'status.podIPs': byKey('ip'),
    'status.hostIPs': byKey('ip'),
    'status.resourceClaimStatuses': byKey('name'),
  },
  PodTemplate: mount('template.spec', POD_SPEC_RULES),
  Deployment: TEMPLATED,
  ReplicaSet: TEMPLATED,
  ReplicationController: TEMPLATED,
  DaemonSet: TEMPLATED,
  StatefulSet: TEMPLATED,
  Job: TEMPLATED,
  CronJob: mount('spec.jobTemplate.spec.template.spec', POD_SPEC_RULES),
  // spec.taints has no patch strategy upstream: a patch replaces all taints.
  Node: { 'spec.podCIDRs': UNION, ...CONDITIONS, 'status.addresses': byKey('type') },
  Service: { 'spec.ports': byKey('port'), ...CONDITIONS },
  Namespace: CONDITIONS,
  PersistentVolumeClaim: CONDITIONS,
  PodDisruptionBudget: CONDITIONS,
  HorizontalPodAutoscaler: CONDITIONS,
};

/** The list rule for a field path of a kind, or `undefined` if the list is atomic. */
export function listMergeRule(kind: string, path: string): ListMergeRule | undefined {
  const perKind = Object.hasOwn(STRATEGIC_MERGE_RULES, kind) ? STRATEGIC_MERGE_RULES[kind] : undefined;
  if (perKind && Object.hasOwn(perKind, path)) return perKind[path];
  return Object.hasOwn(COMMON_RULES, path) ? COMMON_RULES[path] : undefined;
}

// ---------------------------------------------------------------------------
// Strategic merge patch: algorithm (after k8s.io/apimachinery/pkg/util/strategicpatch)
// ---------------------------------------------------------------------------

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVES = '$deleteFromPrimitiveList/';

const isDirectiveKey = (k: string): boolean =>
  k === PATCH || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVES);

const childPath = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** Walk state: the kind selects the rule table; patches are copies we may consume. */
interface Smp {
  readonly kind: string;
}

/**
 * Applies a Kubernetes strategic merge patch. Maps merge like a merge patch;
 * lists follow {@link STRATEGIC_MERGE_RULES} (merge by key, union of
 * primitives, or atomic replace). Directives: `$patch: replace|delete` in maps
 * and list elements, `$retainKeys`, `$deleteFromPrimitiveList/<f>` and
 * `$setElementOrder/<f>` (the order is applied).
 * @throws PatchError 400 when the patch is not an object or misuses a directive.
 */
export function applyStrategicMergePatch(target: Json, patch: Json, kind: string): Json {
  if (!isObject(patch)) {
    const got = patch === null ? 'null' : Array.isArray(patch) ? 'array' : typeof patch;
    throw bad(`json: cannot unmarshal ${got} into Go value of type map[string]interface {}`);
  }
  const original = isObject(target) ? (cloneJson(target) as JsonObject) : {};
  return mergeMap({ kind }, original, cloneJson(patch) as JsonObject, '');
}

/** Merges `patch` into `original` (which it owns and mutates) and returns the result. */
function mergeMap(smp: Smp, original: JsonObject, patch: JsonObject, path: string): JsonObject {
  const directive = getOwn(patch, PATCH);
  if (directive !== undefined) {
    if (directive === 'delete') return {};
    if (directive !== 'replace') throw bad(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`);
    // Replace wholesale, but still strip nested directives and nulls.
    deleteOwn(patch, PATCH);
    return mergeMap(smp, {}, patch, path);
  }
  applyRetainKeys(original, patch);
  const handled = applySetElementOrders(smp, original, patch, path);
  for (const [k, v] of entries(patch)) {
    if (k.startsWith(DELETE_PRIMITIVES)) deleteFromPrimitiveList(original, k.slice(DELETE_PRIMITIVES.length), v);
  }
  for (const [k, v] of entries(patch)) {
    if (isDirectiveKey(k) || handled.has(k)) continue;
    if (v === null) {
      deleteOwn(original, k);
      continue;
    }
    const merged = mergeValue(smp, getOwn(original, k), v, childPath(path, k));
    if (merged === undefined) deleteOwn(original, k);
    else setOwn(original, k, merged);
  }
  return original;
}

/**
 * Merges one field. `undefined` means "leave the field absent", which only
 * happens for `$patch: delete` on a field that was not there to begin with.
 */
function mergeValue(smp: Smp, current: Json | undefined, patch: Json, path: string): Json | undefined {
  if (isObject(patch)) {
    if (isObject(current)) return mergeMap(smp, current, patch, path);
    return getOwn(patch, PATCH) === 'delete' ? undefined : mergeMap(smp, {}, patch, path);
  }
  if (Array.isArray(patch)) return mergeList(smp, Array.isArray(current) ? current : [], patch, path);
  return patch;
}

/** `$retainKeys`: drop every original key not listed, after checking the patch only sets listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  const retain = getOwn(patch, RETAIN_KEYS);
  if (retain === undefined) return;
  if (!Array.isArray(retain)) throw bad('invalid patch format of retainKeys');
  const keep = new Set(retain.filter((x): x is string => typeof x === 'string'));
  for (const [k, v] of entries(patch)) {
    if (v !== null && !isDirectiveKey(k) && !keep.has(k)) throw bad('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) deleteOwn(original, k);
}

function deleteFromPrimitiveList(original: JsonObject, field: string, values: Json): void {
  if (!Array.isArray(values)) throw bad('invalid patch format of primitive list');
  const list = getOwn(original, field);
  if (!Array.isArray(list)) return;
  setOwn(original, field, list.filter((x) => !values.some((d) => jsonEqual(d, x))));
}

/**
 * Handles every `$setElementOrder/<f>`: merges list `f` as usual, then puts
 * the elements named by the directive in its order, interleaving the
 * elements only the server knows about. Returns the fields it handled.
 */
function applySetElementOrders(smp: Smp, original: JsonObject, patch: JsonObject, path: string): Set<string> {
  const handled = new Set<string>();
  for (const [k, order] of entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    if (!Array.isArray(order)) throw bad('invalid patch format of setElementOrder list');
    const field = k.slice(SET_ORDER.length);
    const fieldPath = childPath(path, field);
    const before = getOwn(original, field);
    const patchList = getOwn(patch, field);
    if (patchList !== undefined && !Array.isArray(patchList)) continue; // not a list: ordinary merge handles it
    if (before === undefined && patchList === undefined) continue;
    const serverOrder = Array.isArray(before) ? before : [];
    const merged = patchList === undefined ? serverOrder : mergeList(smp, serverOrder.slice(), patchList, fieldPath);
    const rule = listMergeRule(smp.kind, fieldPath);
    const ordered = rule ? enforceOrder(merged, order, serverOrder, keyFn(rule)) : merged;
    setOwn(original, field, ordered);
    handled.add(field);
  }
  return handled;
}

type KeyFn = (item: Json) => Json | undefined;

/** Identity of a list element: its merge key for maps, the value itself for primitives. */
function keyFn(rule: ListMergeRule): KeyFn {
  const mk = rule.mergeKey;
  return mk === undefined ? (item) => item : (item) => (isObject(item) ? getOwn(item, mk) : undefined);
}

function indexIn(list: readonly Json[], item: Json, key: KeyFn): number {
  const k = key(item);
  return k === undefined ? -1 : list.findIndex((x) => jsonEqual(key(x), k));
}

/** Merges a list field per its rule; `original` is owned by the caller and may be mutated. */
function mergeList(smp: Smp, original: Json[], patch: Json[], path: string): Json[] {
  const rule = listMergeRule(smp.kind, path);
  // Atomic list: the patch wins. Directive elements are never data, so drop them.
  if (rule === undefined) return patch.filter((x) => !(isObject(x) && Object.hasOwn(x, PATCH)));
  const all = [...original, ...patch];
  if (all.every((x) => !isObject(x) && !Array.isArray(x))) return mergePrimitives(original, patch);
  if (rule.mergeKey === undefined) throw bad(`cannot merge lists without merge key for ${path}`);
  if (!all.every(isObject)) throw bad(`cannot merge lists of mixed element types for ${path}`);
  return mergeKeyedMaps(smp, original, patch as JsonObject[], rule.mergeKey, `${path}[]`);
}

/** Set union keeping first occurrences, then ordered like upstream. */
function mergePrimitives(original: Json[], patch: Json[]): Json[] {
  const merged: Json[] = [];
  for (const x of [...original, ...patch]) if (!merged.some((y) => jsonEqual(x, y))) merged.push(x);
  return enforceOrder(merged, patch, original, (x) => x);
}

function mergeKeyedMaps(smp: Smp, original: Json[], patch: JsonObject[], mergeKey: string, elemPath: string): Json[] {
  const missingKey = (m: JsonObject): PatchError => bad(`map: ${JSON.stringify(m)} does not contain declared merge key: ${mergeKey}`);
  let base = original;
  let replace = false;
  const plain: JsonObject[] = [];
  for (const el of patch) {
    const directive = getOwn(el, PATCH);
    if (directive === undefined) plain.push(el);
    else if (directive === 'replace') replace = true;
    else if (directive === 'delete') {
      const k = getOwn(el, mergeKey);
      if (k === undefined) throw missingKey(el);
      base = base.filter((x) => !(isObject(x) && jsonEqual(getOwn(x, mergeKey), k)));
    } else if (directive === 'merge') throw bad('merging lists cannot yet be specified in the patch');
    else throw bad(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(el)}`);
  }
  // `{"$patch":"replace"}` as an element: the other elements become the list.
  if (replace) return plain.map((el) => mergeMap(smp, {}, el, elemPath));

  const merged = base.slice();
  for (const el of plain) {
    const k = getOwn(el, mergeKey);
    if (k === undefined) throw missingKey(el);
    const i = merged.findIndex((x) => isObject(x) && jsonEqual(getOwn(x, mergeKey), k));
    const current = merged[i];
    if (isObject(current)) merged[i] = mergeMap(smp, current, el, elemPath);
    else merged.push(mergeMap(smp, {}, el, elemPath));
  }
  return enforceOrder(merged, plain, base, (x) => (isObject(x) ? getOwn(x, mergeKey) : undefined));
}

/**
 * Upstream's element ordering (normalizeElementOrder): elements named in
 * `patchOrder` follow that order; the rest keep the server's order; the two
 * runs are then interleaved using positions in `serverOrder`. A new element
 * has no server position, so it lands before server-only ones — which is why
 * `kubectl patch` adding a container puts it first.
 */
function enforceOrder(merged: Json[], patchOrder: readonly Json[], serverOrder: readonly Json[], key: KeyFn): Json[] {
  const fromPatch: Json[] = [];
  const serverOnly: Json[] = [];
  for (const x of merged) (indexIn(patchOrder, x, key) >= 0 ? fromPatch : serverOnly).push(x);
  const left = sortBy(serverOnly, serverOrder, key);
  const right = sortBy(fromPatch, patchOrder, key);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i];
    const r = right[j];
    if (l === undefined) out.push(right[j++] as Json);
    else if (r === undefined) out.push(left[i++] as Json);
    else {
      const li = indexIn(serverOrder, l, key);
      const ri = indexIn(serverOrder, r, key);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++] as Json);
      else out.push(right[j++] as Json);
    }
  }
  return out;
}

/** Stable sort by position in `order`; items absent from it go last in their current order. */
function sortBy(items: readonly Json[], order: readonly Json[], key: KeyFn): Json[] {
  const pos = (x: Json): number => {
    const i = indexIn(order, x, key);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return items
    .map((x, i) => ({ x, i, p: pos(x) }))
    .sort((a, b) => a.p - b.p || a.i - b.i)
    .map((e) => e.x);
}
