/** Parses apiserver URL paths into what they address. */
import { findResource, type ResourceType } from './resources';

export type Route =
  | { type: 'discovery'; doc: 'version' | 'api' | 'apis' | 'healthz' | 'openapi' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; gv: string }
  | {
      type: 'resource';
      rt: ResourceType;
      gv: string;
      /** Namespace from the path (undefined for cluster-scoped and all-namespaces requests). */
      namespace?: string;
      name?: string;
      subresource?: string;
    }
  | { type: 'unknown'; gv?: string; plural?: string }
  /** Malformed percent-encoding. */
  | { type: 'badPath' };

export function parsePath(pathname: string): Route {
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { type: 'badPath' };
  }
  const [p0, p1, p2] = parts;
  if (parts.length === 1 && p0 === 'version') return { type: 'discovery', doc: 'version' };
  if (p0 === 'healthz' || p0 === 'livez' || p0 === 'readyz') return { type: 'discovery', doc: 'healthz' };
  if (p0 === 'openapi') return { type: 'discovery', doc: 'openapi' };
  let gv: string;
  let rest: string[];
  if (p0 === 'api') {
    if (parts.length === 1) return { type: 'discovery', doc: 'api' };
    if (p1 !== 'v1') return { type: 'unknown' };
    gv = 'v1';
    rest = parts.slice(2);
  } else if (p0 === 'apis') {
    if (parts.length === 1) return { type: 'discovery', doc: 'apis' };
    if (parts.length === 2) return { type: 'group', group: p1 as string };
    gv = `${p1}/${p2}`;
    rest = parts.slice(3);
  } else {
    return { type: 'unknown' };
  }
  if (rest.length === 0) return { type: 'groupVersion', gv };
  // namespaces/{ns}/{plural}/… unless it addresses the Namespace object itself.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const rt = findResource(gv, rest[2] as string);
    if (rt && rt.namespaced) {
      return { type: 'resource', rt, gv, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
    if (rest.length === 3 && gv === 'v1') {
      const ns = findResource(gv, 'namespaces') as ResourceType;
      return { type: 'resource', rt: ns, gv, name: rest[1], subresource: rest[2] };
    }
    return { type: 'unknown', gv, plural: rest[2] };
  }
  const rt = findResource(gv, rest[0] as string);
  if (!rt) return { type: 'unknown', gv, plural: rest[0] };
  // A namespaced resource without a namespace in the path is an all-namespaces list or watch.
  return { type: 'resource', rt, gv, name: rest[1], subresource: rest[2] };
}
