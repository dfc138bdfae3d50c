/**
 * Legacy (unaggregated) discovery documents. kubectl 1.32 asks for the
 * aggregated v2 form first and falls back to these when the server answers
 * plain application/json, which is what a 1.26-era apiserver does.
 */
import { RESOURCES, groupVersion, verbsOf, type ResourceType } from './resources';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groups(): Map<string, string> {
  const g = new Map<string, string>();
  for (const rt of RESOURCES) if (rt.group) g.set(rt.group, rt.version);
  for (const rt of RESOURCES) for (const s of rt.subresources ?? []) if (s.group && !g.has(s.group)) g.set(s.group, s.version ?? 'v1');
  // Groups that only appear as subresource kinds still get discovered.
  g.set('autoscaling', 'v1');
  return g;
}

function groupDoc(name: string, version: string): unknown {
  const gv = { groupVersion: `${name}/${version}`, version };
  return { name, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups()].map(([name, version]) => groupDoc(name, version)),
  };
}

export function apiGroup(name: string): unknown | undefined {
  const version = groups().get(name);
  if (!version) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(groupDoc(name, version) as object) };
}

function resourceEntries(rt: ResourceType): unknown[] {
  const main: Record<string, unknown> = {
    name: rt.plural,
    singularName: rt.singular,
    namespaced: rt.namespaced,
    kind: rt.kind,
    verbs: verbsOf(rt),
  };
  if (rt.shortNames) main.shortNames = rt.shortNames;
  if (rt.categories) main.categories = rt.categories;
  const out: unknown[] = [main];
  for (const s of rt.subresources ?? []) {
    const e: Record<string, unknown> = { name: `${rt.plural}/${s.name}`, singularName: '', namespaced: rt.namespaced, kind: s.kind, verbs: s.verbs };
    if (s.group) e.group = s.group;
    if (s.version) e.version = s.version;
    out.push(e);
  }
  return out;
}

/** The APIResourceList for one group version, or undefined when it does not exist. */
export function apiResourceList(gv: string): unknown | undefined {
  const rts = RESOURCES.filter((rt) => groupVersion(rt) === gv);
  if (rts.length === 0 && gv !== 'autoscaling/v1') return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: rts.flatMap(resourceEntries) };
}

/**
 * OpenAPI v3, reduced to what clients use to learn the server's behaviour:
 * one document per group version whose paths carry the operations with
 * their `x-kubernetes-group-version-kind` and query parameters. kubectl reads
 * it to learn that the server validates fields itself (`fieldValidation`),
 * and without it refuses `kubectl apply` and `create -f`. No schemas are
 * served, so `kubectl explain` has nothing to explain.
 */
export function openapiV3Index(): unknown {
  const gvs = new Set(RESOURCES.map(groupVersion));
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of gvs) {
    const key = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${SERVER_VERSION.gitCommit.slice(0, 16)}` };
  }
  return { paths };
}

const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'].map((name) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } }));

export function openapiV3Doc(key: string): unknown | undefined {
  const gv = key.replace(/^apis?\//, '');
  const rts = RESOURCES.filter((rt) => groupVersion(rt) === gv && rt.verbs === undefined);
  if (rts.length === 0 && !RESOURCES.some((rt) => groupVersion(rt) === gv)) return undefined;
  const paths: Record<string, unknown> = {};
  for (const rt of rts) {
    const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
    const base = `/${key}${rt.namespaced ? '/namespaces/{namespace}' : ''}/${rt.plural}`;
    const op = (verb: string, params = WRITE_PARAMS): unknown => ({
      operationId: `${verb}${rt.kind}`,
      parameters: params,
      responses: { '200': { description: 'OK' } },
      'x-kubernetes-action': verb,
      'x-kubernetes-group-version-kind': gvk,
    });
    paths[base] = { get: op('list', []), post: op('post') };
    paths[`${base}/{name}`] = { get: op('get', []), put: op('put'), patch: op('patch', [...WRITE_PARAMS, { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } }]), delete: op('delete', WRITE_PARAMS.slice(0, 1)) };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion }, paths, components: {} };
}
