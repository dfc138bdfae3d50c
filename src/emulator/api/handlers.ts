/**
 * The REST semantics of the site API server: get, list, create, update,
 * patch, delete and the subresources, each answering what a 1.32
 * kube-apiserver answers, including its errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '../auth';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../store/patch';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../store/selectors';
import type { Version } from '../store/store';
import type { Json, KObject } from '../types';
import { boolParam, intParam, negotiate, parseJsonBody, readBody, readBodyBytes, sendJson, sendRaw, write, type Representation } from './http';
import { decodeKubernetesProtobuf, isProtobufContentType, ProtobufError } from './protobuf';
import { allowed, rulesFor } from './rbac';
import { allowedFields, groupVersion, resourceFor, verbsOf, VIRTUAL, type ResourceType } from './resources';
import { validate, validatePodUpdate } from './validation';
import type { DeleteOptions, SiteApi } from './site-api';
import {
  ApiError,
  badRequest,
  conflict,
  forbidden,
  invalid,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
} from './status';
import { objectTable, parseIncludeObject, toTable, type IncludeObject } from './tables';
import { serveWatch, type WatchListSupport } from './watch';
import { parseLogOptions, serveLogs } from './logs';
import { replayedLogBody } from '../replay/logs';

export interface RequestContext {
  site: SiteApi;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  identity: Identity;
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** How the server treats the streaming list; see SiteServer.watchList. */
  watchList?: WatchListSupport;
}

const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function verbOf(method: string, ctx: RequestContext): string {
  const watch = boolParam(ctx.query, 'watch');
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : ctx.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return ctx.name ? 'delete' : 'deletecollection';
    default:
      throw methodNotAllowed();
  }
}

function authorize(ctx: RequestContext, verb: string): void {
  const resource = ctx.subresource ? `${ctx.rt.plural}/${ctx.subresource}` : ctx.rt.plural;
  if (!allowed(ctx.identity.role, verb, ctx.rt.group, resource)) {
    throw forbidden(ctx.identity.user, verb, resource, ctx.rt.group, ctx.rt.namespaced ? ctx.namespace : undefined, ctx.name);
  }
}

/** Entry point for everything under /api/v1 and /apis/<g>/<v> that names a resource. */
export async function handleResource(ctx: RequestContext): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  const verb = verbOf(method, ctx);
  // exec/attach are upgraded elsewhere; a plain request is refused as the apiserver does.
  if (ctx.subresource === 'exec') {
    authorize(ctx, 'create');
    throw badRequest('Upgrade request required');
  }
  authorize(ctx, ctx.subresource === 'log' ? 'get' : verb);
  // A verb the resource does not offer (deletecollection on namespaces, …) is 405, as discovery says.
  if (!ctx.subresource && !VIRTUAL.has(ctx.rt.plural) && !verbsOf(ctx.rt).includes(verb)) throw methodNotAllowed();

  if (VIRTUAL.has(ctx.rt.plural)) {
    if (method !== 'POST') throw methodNotAllowed();
    return reviews(ctx);
  }
  if (ctx.subresource) return subresource(ctx, method);
  switch (verb) {
    case 'get':
      return getOne(ctx);
    case 'list':
      return list(ctx);
    case 'watch':
      return serveWatch(ctx, representation(ctx));
    case 'create':
      return create(ctx);
    case 'update':
      return update(ctx);
    case 'patch':
      return patch(ctx);
    case 'delete':
      return deleteOne(ctx);
    case 'deletecollection':
      return deleteCollection(ctx);
  }
  throw methodNotAllowed();
}

export function representation(ctx: RequestContext): { as: Representation; tableVersion: string; include: IncludeObject } {
  const n = negotiate(ctx.req.headers.accept);
  const raw = ctx.query.get('includeObject');
  const include = parseIncludeObject(raw);
  if (!include) throw badRequest(`unrecognized includeObject value: ${JSON.stringify(raw)}`);
  return { ...n, include };
}

/** Label and field selectors from the query, compiled into one predicate. */
export function selectorOf(ctx: RequestContext): ((v: Version) => boolean) | undefined {
  let labelSel: ReturnType<typeof parseLabelSelector> | undefined;
  let fieldSel: ReturnType<typeof parseFieldSelector> | undefined;
  try {
    const ls = ctx.query.get('labelSelector');
    if (ls) labelSel = parseLabelSelector(ls);
    const fs = ctx.query.get('fieldSelector');
    if (fs) fieldSel = parseFieldSelector(fs, allowedFields(ctx.rt));
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  if (!labelSel && !fieldSel) return undefined;
  return (v) => (!labelSel || matchesLabels(labelSel, v.labels as Record<string, string> | undefined)) && (!fieldSel || matchesFields(fieldSel, v.fields as Record<string, string>));
}

function mustGet(ctx: RequestContext, name = ctx.name as string): Version {
  const v = ctx.site.store.get(ctx.rt, ctx.namespace, name);
  if (!v) throw notFound(ctx.rt.plural, name, ctx.rt.group);
  return v;
}

function getOne(ctx: RequestContext): void {
  const v = mustGet(ctx);
  const rep = representation(ctx);
  if (rep.as === 'object') return sendRaw(ctx.res, 200, v.json);
  const obj = JSON.parse(v.json) as KObject;
  if (rep.as === 'metadata') return sendJson(ctx.res, 200, partial(obj));
  sendJson(ctx.res, 200, objectTable(ctx.rt.plural, ctx.rt.group, obj, { includeObject: rep.include, now: ctx.site.now(), version: rep.tableVersion as 'v1' }));
}

function partial(obj: KObject): unknown {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

function listKind(rt: ResourceType): string {
  return `${rt.kind}List`;
}

/** Parses `resourceVersion` + `resourceVersionMatch` for a list. */
function listRv(ctx: RequestContext): number | undefined {
  const rv = ctx.query.get('resourceVersion');
  const match = ctx.query.get('resourceVersionMatch');
  if (match && !rv) throw invalid('ListOptions', '', [{ reason: 'FieldValueForbidden', field: 'resourceVersionMatch', message: 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided' }], 'meta.k8s.io');
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw invalid('ListOptions', '', [{ reason: 'FieldValueNotSupported', field: 'resourceVersionMatch', message: `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"` }], 'meta.k8s.io');
  }
  if (!rv || rv === '0') return undefined;
  const n = Number(rv);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  if (match === 'Exact') return n;
  if (n > ctx.site.store.resourceVersion) {
    throw new ApiError(504, 'Timeout', `Too large resource version: ${n}, current: ${ctx.site.store.resourceVersion}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  }
  return undefined;
}

async function list(ctx: RequestContext): Promise<void> {
  const rep = representation(ctx);
  const limit = intParam(ctx.query, 'limit');
  const cont = ctx.query.get('continue') ?? undefined;
  if (cont && ctx.query.get('resourceVersion') && ctx.query.get('resourceVersion') !== '0') {
    throw invalid('ListOptions', '', [{ reason: 'FieldValueForbidden', field: 'resourceVersion', message: 'Forbidden: specifying resource version is not allowed when using continue' }], 'meta.k8s.io');
  }
  const page = ctx.site.store.list(ctx.rt, {
    namespace: ctx.rt.namespaced ? ctx.namespace : undefined,
    match: selectorOf(ctx),
    limit,
    continueToken: cont,
    atRv: listRv(ctx),
  });
  const meta: Record<string, unknown> = { resourceVersion: String(page.rv) };
  if (page.continue) meta.continue = page.continue;
  if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
  const res = ctx.res;
  if (rep.as === 'table') {
    const objs = page.items.map((v) => JSON.parse(v.json) as KObject);
    return sendJson(res, 200, toTable(ctx.rt.plural, ctx.rt.group, objs, { includeObject: rep.include, now: ctx.site.now(), version: rep.tableVersion as 'v1', listMeta: meta as { resourceVersion?: string } }));
  }
  if (rep.as === 'metadata') {
    const items = page.items.map((v) => partial(JSON.parse(v.json) as KObject));
    return sendJson(res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items });
  }
  // Stream the items: a 150,000-pod list is larger than one JS string should be.
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  await write(res, `{"kind":${JSON.stringify(listKind(ctx.rt))},"apiVersion":${JSON.stringify(groupVersion(ctx.rt))},"metadata":${JSON.stringify(meta)},"items":[`);
  const BATCH = 1000;
  for (let i = 0; i < page.items.length; i += BATCH) {
    const chunk = page.items.slice(i, i + BATCH).map((v) => v.json).join(',');
    await write(res, i === 0 ? chunk : `,${chunk}`);
    if (res.destroyed) return;
  }
  res.end(']}');
}

function dryRun(ctx: RequestContext): boolean {
  const d = ctx.query.getAll('dryRun');
  for (const v of d) if (v !== 'All') throw badRequest(`Invalid dry run value: ${v}; supported values: "All"`);
  return d.length > 0;
}

/**
 * The request body as an object: JSON, or protobuf as client-go 1.32's typed
 * clients (kubectl create, auth can-i, …) send it.
 */
async function requestBody(ctx: RequestContext): Promise<unknown> {
  const ct = (ctx.req.headers['content-type'] ?? 'application/json').split(';')[0]?.trim() ?? '';
  const bytes = await readBodyBytes(ctx.req);
  if (isProtobufContentType(ct)) {
    if (bytes.length === 0) return undefined;
    try {
      return decodeKubernetesProtobuf(bytes);
    } catch (e) {
      if (e instanceof ProtobufError) throw new ApiError(e.code, e.code === 415 ? 'UnsupportedMediaType' : 'BadRequest', e.message);
      throw e;
    }
  }
  if (ct !== 'application/json' && ct !== '*/*') throw unsupportedMediaType(ct, ['application/json', 'application/vnd.kubernetes.protobuf']);
  return parseJsonBody(bytes.toString('utf8'));
}

async function bodyObject(ctx: RequestContext): Promise<KObject> {
  const body = await requestBody(ctx);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest("Object 'Kind' is missing in request body");
  return body as KObject;
}

/** Checks apiVersion/kind and metadata of a body against the URL, as the apiserver's decoder and validation do. */
function checkBody(ctx: RequestContext, obj: KObject, kind: string, apiVersion: string): void {
  // Like the apiserver's decoder, a body without kind/apiVersion takes them from the URL.
  obj.kind ||= kind;
  if (obj.kind !== kind) throw badRequest(`the kind in the body (${obj.kind}) does not match the expected kind (${kind})`);
  if (obj.apiVersion && obj.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  obj.apiVersion = apiVersion;
  if (obj.metadata === null || typeof obj.metadata !== 'object') obj.metadata = { name: '' };
  if (ctx.rt.namespaced) {
    if (obj.metadata.namespace && ctx.namespace && obj.metadata.namespace !== ctx.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = ctx.namespace;
  } else {
    delete obj.metadata.namespace;
  }
}

function validateName(ctx: RequestContext, obj: KObject): void {
  const name = obj.metadata.name;
  if (typeof name !== 'string' || name === '') {
    throw invalid(ctx.rt.kind, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }], ctx.rt.group);
  }
  if (name.length > 253 || !NAME_RE.test(name)) {
    throw invalid(ctx.rt.kind, name, [{
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    }], ctx.rt.group);
  }
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (typeof v !== 'string' || v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) {
      throw invalid(ctx.rt.kind, name, [{ reason: 'FieldValueInvalid', field: `metadata.labels`, message: `Invalid value: ${JSON.stringify(v)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character` }], ctx.rt.group);
    }
    if (k.length > 316 || !/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k)) {
      throw invalid(ctx.rt.kind, name, [{ reason: 'FieldValueInvalid', field: 'metadata.labels', message: `Invalid value: ${JSON.stringify(k)}: name part must consist of alphanumeric characters, '-', '_' or '.'` }], ctx.rt.group);
    }
  }
}

function ensureNamespace(ctx: RequestContext): void {
  if (!ctx.rt.namespaced) return;
  if (!ctx.namespace) throw notFound('namespaces', '', '');
  const ns = ctx.site.store.get(resourceFor('', 'namespaces'), undefined, ctx.namespace);
  if (!ns) throw notFound('namespaces', ctx.namespace);
  if (ns.json.includes('"phase":"Terminating"')) {
    throw new ApiError(403, 'Forbidden', `${ctx.rt.plural} "${ctx.name ?? ''}" is forbidden: unable to create new content in namespace ${ctx.namespace} because it is being terminated`, {
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ctx.namespace} is being terminated`, field: 'metadata.namespace' }],
    });
  }
}

async function create(ctx: RequestContext): Promise<void> {
  if (ctx.name) throw methodNotAllowed();
  const obj = await bodyObject(ctx);
  checkBody(ctx, obj, ctx.rt.kind, groupVersion(ctx.rt));
  if (!obj.metadata.name && obj.metadata.generateName) {
    obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;
  }
  validateName(ctx, obj);
  ensureNamespace(ctx);
  // Server-owned fields are never taken from a create.
  delete obj.metadata.resourceVersion;
  delete obj.metadata.uid;
  delete obj.metadata.creationTimestamp;
  delete obj.metadata.deletionTimestamp;
  delete obj.metadata.generation;
  if (ctx.site.store.get(ctx.rt, ctx.namespace, obj.metadata.name)) {
    throw new ApiError(409, 'AlreadyExists', `${ctx.rt.group ? `${ctx.rt.plural}.${ctx.rt.group}` : ctx.rt.plural} "${obj.metadata.name}" already exists`, { name: obj.metadata.name, group: ctx.rt.group || undefined, kind: ctx.rt.plural });
  }
  validate(ctx.rt, obj);
  ctx.site.prepareCreate(ctx.rt, obj);
  if (dryRun(ctx)) {
    obj.metadata.uid = crypto.randomUUID();
    obj.metadata.creationTimestamp = new Date(ctx.site.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    return sendJson(ctx.res, 201, obj);
  }
  const stored = ctx.site.store.create(ctx.rt, obj);
  sendJson(ctx.res, 201, stored);
}

/** generateName suffixes come from the request, not the seeded simulation, so crypto randomness is fine. */
function randomSuffix(): string {
  const a = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (const b of crypto.getRandomValues(new Uint8Array(5))) s += a[b % a.length];
  return s;
}

/**
 * Stores `next` as the new state of `current`, keeping what clients may not
 * change: status through the main resource, and spec/metadata through /status.
 */
function commitUpdate(ctx: RequestContext, current: KObject, next: KObject, expectRv: string | undefined, statusOnly: boolean): KObject {
  if (next.metadata?.name !== undefined && next.metadata.name !== current.metadata.name) {
    throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${current.metadata.name})`);
  }
  next.metadata ??= { name: current.metadata.name };
  next.metadata.name = current.metadata.name;
  if (ctx.rt.namespaced) next.metadata.namespace = current.metadata.namespace;
  if (next.metadata.uid && next.metadata.uid !== current.metadata.uid) {
    throw conflict(ctx.rt.plural, current.metadata.name, ctx.rt.group, `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${current.metadata.uid}`);
  }
  let merged: KObject;
  if (statusOnly) {
    merged = { ...current, status: next.status };
  } else if (ctx.rt.hasStatus) {
    merged = { ...next, status: current.status };
  } else {
    merged = next;
  }
  // Deletion is the server's to record: clients can neither start nor undo it by an update.
  merged.metadata = { ...merged.metadata };
  const { deletionTimestamp, deletionGracePeriodSeconds } = current.metadata;
  delete merged.metadata.deletionTimestamp;
  delete merged.metadata.deletionGracePeriodSeconds;
  if (deletionTimestamp !== undefined) merged.metadata.deletionTimestamp = deletionTimestamp;
  if (deletionGracePeriodSeconds !== undefined) merged.metadata.deletionGracePeriodSeconds = deletionGracePeriodSeconds;
  if (!statusOnly) {
    validateName(ctx, merged);
    validate(ctx.rt, merged);
    if (ctx.rt.plural === 'pods') validatePodUpdate(current, merged);
  }
  if (dryRun(ctx)) return merged;
  const out = ctx.site.store.update(ctx.rt, merged, expectRv);
  // The last finalizer removed from an object being deleted: now it goes.
  if (out.metadata.deletionTimestamp && (out.metadata.finalizers ?? []).length === 0 && (current.metadata.finalizers ?? []).length > 0 && ctx.rt.plural !== 'namespaces') {
    return ctx.site.store.delete(ctx.rt, out.metadata.namespace, out.metadata.name);
  }
  return out;
}

async function update(ctx: RequestContext): Promise<void> {
  const obj = await bodyObject(ctx);
  checkBody(ctx, obj, ctx.rt.kind, groupVersion(ctx.rt));
  const current = JSON.parse(mustGet(ctx).json) as KObject;
  const out = commitUpdate(ctx, current, obj, obj.metadata.resourceVersion || undefined, false);
  sendJson(ctx.res, 200, out);
}

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

async function readPatch(ctx: RequestContext): Promise<{ type: string; body: unknown }> {
  const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  if (type === 'application/apply-patch+yaml') {
    throw new ApiError(415, 'UnsupportedMediaType', 'server-side apply is not supported by the training fleet; use client-side apply (kubectl apply without --server-side)');
  }
  if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(type);
  const text = await readBody(ctx.req);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  return { type, body };
}

function applyPatch(type: string, current: KObject, body: unknown, kind: string): KObject {
  try {
    if (type === 'application/json-patch+json') return applyJsonPatch(current as unknown as Json, body) as unknown as KObject;
    if (type === 'application/merge-patch+json') return applyMergePatch(current as unknown as Json, body as Json) as unknown as KObject;
    return applyStrategicMergePatch(current as unknown as Json, body as Json, kind) as unknown as KObject;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    const code = (e as { code?: number }).code;
    if (code === 422) throw new ApiError(422, 'Invalid', (e as Error).message);
    throw badRequest((e as Error).message);
  }
}

async function patch(ctx: RequestContext, statusOnly = false): Promise<void> {
  const { type, body } = await readPatch(ctx);
  const current = JSON.parse(mustGet(ctx).json) as KObject;
  const next = applyPatch(type, current, body, ctx.rt.kind);
  if (next === null || typeof next !== 'object' || Array.isArray(next)) throw badRequest('patch did not produce an object');
  // A resourceVersion in the patch is a precondition, as with update.
  const patched = (body as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
  const out = commitUpdate(ctx, current, next, typeof patched === 'string' ? patched : undefined, statusOnly);
  sendJson(ctx.res, 200, out);
}

async function deleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const body = ((await requestBody(ctx)) ?? {}) as Record<string, unknown>;
  const q = ctx.query;
  const grace = intParam(q, 'gracePeriodSeconds') ?? (body.gracePeriodSeconds as number | undefined);
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace))) {
    throw badRequest(`json: cannot unmarshal ${typeof grace} into Go struct field DeleteOptions.gracePeriodSeconds of type int64`);
  }
  const propagation = (q.get('propagationPolicy') ?? body.propagationPolicy) as DeleteOptions['propagationPolicy'];
  if (propagation && !['Foreground', 'Background', 'Orphan'].includes(propagation)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${propagation}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const dry = Array.isArray(body.dryRun) ? (body.dryRun as string[]).includes('All') : false;
  return {
    gracePeriodSeconds: grace,
    propagationPolicy: propagation,
    preconditions: body.preconditions as DeleteOptions['preconditions'],
    dryRun: dry || dryRun(ctx),
  };
}

function checkPreconditions(ctx: RequestContext, v: Version, opts: DeleteOptions): void {
  const p = opts.preconditions;
  if (!p) return;
  const obj = JSON.parse(v.json) as KObject;
  if (p.uid && p.uid !== obj.metadata.uid) {
    throw conflict(ctx.rt.plural, v.name, ctx.rt.group, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`);
  }
  if (p.resourceVersion && p.resourceVersion !== String(v.rv)) {
    throw conflict(ctx.rt.plural, v.name, ctx.rt.group, `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${v.rv}`);
  }
}

async function deleteOne(ctx: RequestContext): Promise<void> {
  const opts = await deleteOptions(ctx);
  const v = mustGet(ctx);
  checkPreconditions(ctx, v, opts);
  if (opts.dryRun) return sendRaw(ctx.res, 200, v.json);
  // 200 with the object, whether it is gone or still terminating (graceful pods, namespaces, finalizers).
  sendJson(ctx.res, 200, ctx.site.deleteObject(ctx.rt, ctx.namespace, v.name, opts));
}

async function deleteCollection(ctx: RequestContext): Promise<void> {
  const opts = await deleteOptions(ctx);
  const page = ctx.site.store.list(ctx.rt, { namespace: ctx.rt.namespaced ? ctx.namespace : undefined, match: selectorOf(ctx) });
  const items: KObject[] = [];
  for (const v of page.items) {
    items.push(opts.dryRun ? (JSON.parse(v.json) as KObject) : ctx.site.deleteObject(ctx.rt, v.ns || undefined, v.name, opts));
  }
  sendJson(ctx.res, 200, { kind: listKind(ctx.rt), apiVersion: groupVersion(ctx.rt), metadata: { resourceVersion: String(ctx.site.store.resourceVersion) }, items });
}

async function subresource(ctx: RequestContext, method: string): Promise<void> {
  const sub = ctx.subresource as string;
  const known = ctx.rt.subresources?.some((s) => s.name === sub);
  if (!known || !ctx.name) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  switch (sub) {
    case 'status':
      if (method === 'GET') return getOne(ctx);
      if (method === 'PATCH') return patch(ctx, true);
      if (method === 'PUT') {
        const obj = await bodyObject(ctx);
        checkBody(ctx, obj, ctx.rt.kind, groupVersion(ctx.rt));
        const current = JSON.parse(mustGet(ctx).json) as KObject;
        return sendJson(ctx.res, 200, commitUpdate(ctx, current, obj, obj.metadata.resourceVersion || undefined, true));
      }
      throw methodNotAllowed();
    case 'scale':
      return scale(ctx, method);
    case 'log':
      if (method !== 'GET') throw methodNotAllowed();
      return podLog(ctx);
    case 'eviction':
      if (method !== 'POST') throw methodNotAllowed();
      return eviction(ctx);
    case 'binding':
      if (method !== 'POST') throw methodNotAllowed();
      return binding(ctx);
    case 'finalize':
      throw methodNotAllowed();
  }
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

function toScale(obj: KObject): Record<string, unknown> {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj.status ?? {}) as { replicas?: number };
  const sel = selectorFromLabelSelectorObjectString(spec.selector);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: status.replicas ?? 0, selector: sel },
  };
}

function selectorFromLabelSelectorObjectString(sel: unknown): string {
  const s = sel as { matchLabels?: Record<string, string> } | undefined;
  return Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

async function scale(ctx: RequestContext, method: string): Promise<void> {
  const current = JSON.parse(mustGet(ctx).json) as KObject;
  if (method === 'GET') return sendJson(ctx.res, 200, toScale(current));
  let next: Record<string, unknown>;
  if (method === 'PUT') {
    next = (await bodyObject(ctx)) as unknown as Record<string, unknown>;
    checkBody(ctx, next as unknown as KObject, 'Scale', 'autoscaling/v1');
  } else if (method === 'PATCH') {
    const { type, body } = await readPatch(ctx);
    next = applyPatch(type, toScale(current) as unknown as KObject, body, 'Scale') as unknown as Record<string, unknown>;
  } else {
    throw methodNotAllowed();
  }
  const replicas = (next.spec as { replicas?: unknown } | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', current.metadata.name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }], 'autoscaling');
  }
  const rv = (next.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  const updated: KObject = { ...current, spec: { ...(current.spec as object), replicas } };
  const out = dryRun(ctx) ? updated : ctx.site.store.update(ctx.rt, updated, method === 'PUT' ? rv || undefined : undefined);
  sendJson(ctx.res, 200, toScale(out));
}

async function eviction(ctx: RequestContext): Promise<void> {
  const body = await bodyObject(ctx);
  if (body.kind !== 'Eviction') throw badRequest(`the kind in the body (${String(body.kind)}) does not match the expected kind (Eviction)`);
  if (body.metadata?.name && body.metadata.name !== ctx.name) throw badRequest(`name in URL does not match name in Eviction object`);
  mustGet(ctx);
  const opts = (body.deleteOptions ?? {}) as DeleteOptions & { dryRun?: unknown };
  ctx.site.evict(ctx.namespace as string, ctx.name as string, { ...opts, dryRun: Array.isArray(opts.dryRun) || dryRun(ctx) });
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

async function binding(ctx: RequestContext): Promise<void> {
  const body = await bodyObject(ctx);
  const target = (body.target as { name?: string } | undefined)?.name;
  if (!target) throw invalid('Binding', ctx.name ?? '', [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
  const pod = JSON.parse(mustGet(ctx).json) as KObject;
  const spec = pod.spec as { nodeName?: string };
  if (spec.nodeName) throw conflict('pods', pod.metadata.name, '', `pod ${pod.metadata.name} is already assigned to node "${spec.nodeName}"`);
  spec.nodeName = target;
  ctx.site.store.update(ctx.rt, pod);
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

async function podLog(ctx: RequestContext): Promise<void> {
  const pod = JSON.parse(mustGet(ctx).json) as KObject;
  const containers = ((pod.spec as { containers?: { name: string }[] }).containers ?? []).map((c) => c.name);
  let container = ctx.query.get('container') ?? undefined;
  if (!container) {
    const def = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    if (containers.length === 1 || (def && containers.includes(def))) container = def && containers.includes(def) ? def : containers[0];
    else throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`);
  }
  if (!container || !containers.includes(container)) {
    throw badRequest(`container ${container ?? ''} is not valid for pod ${pod.metadata.name}`);
  }
  const replayed = ctx.site.replayedLog?.(pod.metadata.namespace ?? '', pod.metadata.name, container);
  if (replayed) {
    // A replay's recorded lines, as far as it has played them (see replay/logs.ts).
    const parsed = parseLogOptions(ctx.query, pod.metadata.name);
    if (!parsed.ok) throw new ApiError(parsed.code, parsed.reason, parsed.message);
    if (parsed.options.previous) throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
    ctx.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    ctx.res.end(replayedLogBody(replayed, parsed.options, ctx.site.now()));
    return;
  }
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Pending') {
    throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
  }
  const sources = ctx.site.logSources(pod, container);
  const current = ctx.site.instanceEnd(pod, container);
  try {
    await serveLogs(ctx.req, ctx.res, {
      query: ctx.query,
      sources,
      currentEnded: current.endedAt,
      podName: pod.metadata.name,
      containerName: container,
      now: () => ctx.site.now(),
      podGone: ctx.site.podGone(pod.metadata.namespace as string, pod.metadata.name, pod.metadata.uid as string),
      sendError: (code: number, reason: string, message: string) => {
        const e = new ApiError(code, reason, message);
        sendJson(ctx.res, code, e.toStatus());
      },
    });
  } finally {
    current.release();
  }
}

async function reviews(ctx: RequestContext): Promise<void> {
  const body = await bodyObject(ctx);
  const kind = ctx.rt.kind;
  checkBody(ctx, body, kind, groupVersion(ctx.rt));
  const role = ctx.identity.role;
  const spec = (body.spec ?? {}) as Record<string, unknown>;
  if (ctx.rt.plural === 'selfsubjectreviews') {
    return sendJson(ctx.res, 201, {
      kind, apiVersion: groupVersion(ctx.rt), metadata: { creationTimestamp: null },
      status: { userInfo: { username: ctx.identity.user, groups: ctx.identity.groups } },
    });
  }
  if (ctx.rt.plural === 'selfsubjectaccessreviews') {
    const ra = spec.resourceAttributes as { verb?: string; group?: string; resource?: string; subresource?: string } | undefined;
    const nra = spec.nonResourceAttributes as { path?: string; verb?: string } | undefined;
    let ok: boolean;
    if (ra) {
      const resource = ra.subresource ? `${ra.resource ?? ''}/${ra.subresource}` : (ra.resource ?? '');
      ok = ra.verb === '*' ? role === 'admin' : allowed(role, ra.verb ?? '', ra.group ?? '', resource);
    } else if (nra) {
      ok = role === 'admin' || (nra.verb === 'get' && /^\/(api|apis|version|healthz|livez|readyz|openapi)(\/|$)/.test(nra.path ?? ''));
    } else {
      throw invalid(kind, '', [{ reason: 'FieldValueRequired', field: 'spec.resourceAttributes', message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified' }], 'authorization.k8s.io');
    }
    const status: Record<string, unknown> = { allowed: ok };
    if (ok) status.reason = `RBAC: allowed by ClusterRoleBinding "triptych-${role}" of ClusterRole "triptych-${role}" to User "${ctx.identity.user}"`;
    return sendJson(ctx.res, 201, { kind, apiVersion: groupVersion(ctx.rt), metadata: { creationTimestamp: null }, spec, status });
  }
  // SelfSubjectRulesReview
  return sendJson(ctx.res, 201, {
    kind, apiVersion: groupVersion(ctx.rt), metadata: { creationTimestamp: null }, spec,
    status: {
      resourceRules: rulesFor(role),
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/readyz', '/version', '/version/', '/openapi', '/openapi/*'] }],
      incomplete: false,
    },
  });
}

