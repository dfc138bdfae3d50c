/**
 * The site API server's answers to bad input, discovery and REST details:
 * every failure is a Status with the apiserver's code and reason, and the
 * server keeps serving afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestFleet, type TestFleet } from './testing/fleet-fixture';

let t: TestFleet;
let site: string;

beforeAll(async () => {
  t = await startTestFleet({ sites: 1 });
  site = t.fleet.sites[0]?.site.name as string;
});
afterAll(async () => t?.close());

const status = (code: number, reason: string) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });

describe('errors are Status objects', () => {
  it('malformed JSON body → 400', async () => {
    const r = await t.request(site, 'POST', '/api/v1/namespaces/default/configmaps', { body: '{"kind": "ConfigMap", ' });
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject(status(400, 'BadRequest'));
  });

  it('unknown resource → 404 NotFound', async () => {
    const r = await t.request(site, 'GET', '/api/v1/namespaces/default/widgets');
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject(status(404, 'NotFound'));
    expect((await t.request(site, 'GET', '/apis/example.com/v1/widgets')).status).toBe(404);
  });

  it('missing object → 404 with the apiserver message', async () => {
    const r = await t.request(site, 'GET', '/api/v1/namespaces/default/pods/nope');
    expect(r.json()).toMatchObject({ ...status(404, 'NotFound'), message: 'pods "nope" not found', details: { name: 'nope', kind: 'pods' } });
  });

  it('bad label selector → 400', async () => {
    const r = await t.request(site, 'GET', `/api/v1/pods?labelSelector=${encodeURIComponent('app in (a,')}`);
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject(status(400, 'BadRequest'));
  });

  it('unsupported field selector → 400 naming the field', async () => {
    const r = await t.request(site, 'GET', '/api/v1/pods?fieldSelector=spec.color%3Dblue');
    expect(r.status).toBe(400);
    expect((r.json() as { message: string }).message).toContain('spec.color');
  });

  it('wrong patch content type → 415', async () => {
    const r = await t.request(site, 'PATCH', '/api/v1/namespaces/kube-system/configmaps/kube-root-ca.crt', { body: '{}', headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(415);
    expect(r.json()).toMatchObject(status(415, 'UnsupportedMediaType'));
  });

  it('create twice → 409 AlreadyExists; stale update → 409 Conflict', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup' }, data: { a: '1' } };
    expect((await t.request(site, 'POST', '/api/v1/namespaces/default/configmaps', { body })).status).toBe(201);
    const again = await t.request(site, 'POST', '/api/v1/namespaces/default/configmaps', { body });
    expect(again.json()).toMatchObject(status(409, 'AlreadyExists'));
    const cur = (await t.request(site, 'GET', '/api/v1/namespaces/default/configmaps/dup')).json() as { metadata: { resourceVersion: string } };
    const ok = await t.request(site, 'PUT', '/api/v1/namespaces/default/configmaps/dup', { body: { ...body, metadata: { name: 'dup', resourceVersion: cur.metadata.resourceVersion }, data: { a: '2' } } });
    expect(ok.status).toBe(200);
    const stale = await t.request(site, 'PUT', '/api/v1/namespaces/default/configmaps/dup', { body: { ...body, metadata: { name: 'dup', resourceVersion: cur.metadata.resourceVersion }, data: { a: '3' } } });
    expect(stale.json()).toMatchObject(status(409, 'Conflict'));
  });

  it('invalid name → 422 with field causes', async () => {
    const r = await t.request(site, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid' } } });
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({ ...status(422, 'Invalid'), details: { causes: [{ field: 'metadata.name' }] } });
  });

  it('create in a missing namespace → 404', async () => {
    const r = await t.request(site, 'POST', '/api/v1/namespaces/ghost/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    expect(r.json()).toMatchObject({ ...status(404, 'NotFound'), message: 'namespaces "ghost" not found' });
  });

  it('viewer mutating → 403 Forbidden naming user, verb and resource', async () => {
    const r = await t.request(site, 'DELETE', '/api/v1/namespaces/default/configmaps/dup', { role: 'viewer' });
    expect(r.status).toBe(403);
    expect((r.json() as { message: string }).message).toMatch(/User "viewer@.*" cannot delete resource "configmaps" in API group "" in the namespace "default"/);
  });

  it('a list with a too-old resourceVersion and Exact match → 410', async () => {
    const r = await t.request(site, 'GET', '/api/v1/configmaps?resourceVersion=1&resourceVersionMatch=Exact');
    expect(r.json()).toMatchObject(status(410, 'Expired'));
  });

  it('still serves after all of the above', async () => {
    const r = await t.request(site, 'GET', '/api/v1/namespaces');
    expect(r.status).toBe(200);
    expect((r.json() as { items: unknown[] }).items.length).toBeGreaterThan(5);
  });
});

describe('REST details', () => {
  it('json-patch (client-node\'s default patch type) with a failing test op → 422, a passing one applies', async () => {
    await t.request(site, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'jp' }, data: { a: '1' } } });
    const headers = { 'content-type': 'application/json-patch+json' };
    const bad = await t.request(site, 'PATCH', '/api/v1/namespaces/default/configmaps/jp', { headers, body: [{ op: 'test', path: '/data/a', value: '2' }, { op: 'replace', path: '/data/a', value: '3' }] });
    expect(bad.status).toBe(422);
    const ok = await t.request(site, 'PATCH', '/api/v1/namespaces/default/configmaps/jp', { headers, body: [{ op: 'test', path: '/data/a', value: '1' }, { op: 'add', path: '/data/b', value: 'x' }] });
    expect(ok.status).toBe(200);
    expect((ok.json() as { data: unknown }).data).toEqual({ a: '1', b: 'x' });
  });

  it('a watch with timeoutSeconds ends on time, with a last bookmark when bookmarks are allowed', async () => {
    const started = Date.now();
    const r = await t.request(site, 'GET', '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0&timeoutSeconds=1&allowWatchBookmarks=true');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const events = r.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(events.at(-1)?.type).toBe('BOOKMARK');
    expect(events.filter((e) => e.type === 'ADDED').length).toBeGreaterThan(0);
  });

  it('field selectors: spec.nodeName and status.phase', async () => {
    const pods = (await t.request(site, 'GET', '/api/v1/pods?limit=1')).json() as { items: { spec: { nodeName: string } }[] };
    const node = pods.items[0]?.spec.nodeName as string;
    const onNode = (await t.request(site, 'GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`)).json() as { items: { spec: { nodeName: string } }[] };
    expect(onNode.items.length).toBeGreaterThan(0);
    expect(onNode.items.every((p) => p.spec.nodeName === node)).toBe(true);
    const notRunning = (await t.request(site, 'GET', '/api/v1/pods?fieldSelector=status.phase!%3DRunning')).json() as { items: { status: { phase: string } }[] };
    expect(notRunning.items.every((p) => p.status.phase !== 'Running')).toBe(true);
  });
});

describe('what the apiserver refuses or keeps', () => {
  it('a pod without containers is 422 and does not reach the scheduler', async () => {
    const r = await t.request(site, 'POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'broken' }, spec: { containers: 'x' } } });
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({ reason: 'Invalid', details: { causes: [{ field: 'spec.containers' }] } });
    expect((await t.request(site, 'GET', '/api/v1/namespaces/default/pods/broken')).status).toBe(404);
  });

  it("a running pod's spec is immutable except images", async () => {
    const pods = (await t.request(site, 'GET', '/api/v1/namespaces/kube-system/pods?limit=1')).json() as { items: { metadata: { name: string } }[] };
    const name = pods.items[0]?.metadata.name as string;
    const r = await t.request(site, 'PATCH', `/api/v1/namespaces/kube-system/pods/${name}`, { headers: { 'content-type': 'application/merge-patch+json' }, body: { spec: { nodeName: 'elsewhere' } } });
    expect(r.status).toBe(422);
    expect((r.json() as { message: string }).message).toContain('pod updates may not change fields');
  });

  it('clients cannot set or clear deletionTimestamp by an update', async () => {
    await t.request(site, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nodel' } } });
    const r = await t.request(site, 'PATCH', '/api/v1/namespaces/default/configmaps/nodel', { headers: { 'content-type': 'application/merge-patch+json' }, body: { metadata: { deletionTimestamp: '2020-01-01T00:00:00Z' } } });
    expect((r.json() as { metadata: Record<string, unknown> }).metadata.deletionTimestamp).toBeUndefined();
  });

  it('finalizers hold a deleted object until they are removed', async () => {
    await t.request(site, 'POST', '/api/v1/namespaces/default/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/keep'] } } });
    const del = await t.request(site, 'DELETE', '/api/v1/namespaces/default/configmaps/held');
    expect(del.status).toBe(200);
    const held = (await t.request(site, 'GET', '/api/v1/namespaces/default/configmaps/held')).json() as { metadata: { deletionTimestamp?: string } };
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    const release = await t.request(site, 'PATCH', '/api/v1/namespaces/default/configmaps/held', { headers: { 'content-type': 'application/merge-patch+json' }, body: { metadata: { finalizers: null } } });
    expect(release.status).toBe(200);
    expect((await t.request(site, 'GET', '/api/v1/namespaces/default/configmaps/held')).status).toBe(404);
  });

  it('a verb the resource does not offer is 405 (no deletecollection on namespaces)', async () => {
    const r = await t.request(site, 'DELETE', '/api/v1/namespaces?labelSelector=team%3Dnone');
    expect(r.status).toBe(405);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed' });
  });

  it('malformed escapes in the path are 400; a non-integer grace period is 400', async () => {
    expect((await t.request(site, 'GET', '/api/v1/namespaces/%E0%A4%A/pods')).status).toBe(400);
    const r = await t.request(site, 'DELETE', '/api/v1/namespaces/default/configmaps/nodel', { body: { gracePeriodSeconds: 'abc' } });
    expect(r.status).toBe(400);
  });

  it('the binding subresource binds a pod and its kubelet starts it', async () => {
    const body = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bind-me' }, spec: { schedulerName: 'my-scheduler', containers: [{ name: 'c', image: 'registry.example/c:1' }] } };
    expect((await t.request(site, 'POST', '/api/v1/namespaces/default/pods', { body })).status).toBe(201);
    const nodes = (await t.request(site, 'GET', '/api/v1/nodes?labelSelector=!node-role.kubernetes.io/control-plane&limit=1')).json() as { items: { metadata: { name: string } }[] };
    const node = nodes.items[0]?.metadata.name as string;
    const bound = await t.request(site, 'POST', '/api/v1/namespaces/default/pods/bind-me/binding', { body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: node } } });
    expect(bound.status).toBe(201);
    await eventually(async () => ((await t.request(site, 'GET', '/api/v1/namespaces/default/pods/bind-me')).json() as { status: { phase: string } }).status.phase === 'Running', 'the bound pod to run');
  });
});

describe('discovery', () => {
  it('advertises the subresources the console and kubectl rely on', async () => {
    const r = (await t.request(site, 'GET', '/api/v1')).json() as { resources: { name: string; kind: string; group?: string; verbs: string[] }[] };
    const names = r.resources.map((x) => x.name);
    for (const n of ['pods', 'pods/log', 'pods/exec', 'pods/eviction', 'nodes', 'nodes/status', 'events', 'namespaces']) expect(names).toContain(n);
    expect(r.resources.find((x) => x.name === 'pods/eviction')).toMatchObject({ kind: 'Eviction', group: 'policy' });
    const groups = (await t.request(site, 'GET', '/apis')).json() as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['apps', 'policy', 'coordination.k8s.io', 'authorization.k8s.io']));
    expect((await t.request(site, 'GET', '/apis/apps/v1')).json()).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
  });

  it('serves Tables when asked, with wide columns at priority 1', async () => {
    const r = await t.request(site, 'GET', '/api/v1/nodes?limit=2', { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } });
    const table = r.json() as { kind: string; columnDefinitions: { name: string; priority: number }[]; rows: { cells: unknown[]; object: { kind: string } }[]; metadata: { continue?: string } };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0]?.object.kind).toBe('PartialObjectMetadata');
    expect(table.metadata.continue).toBeTruthy();
  });
});
