import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Json } from '../types';
import { PatchError, applyJsonPatch, applyMergePatch, applyStrategicMergePatch, jsonEqual, listMergeRule } from './patch';

/** Freezes a value all the way down, so any mutation by the code under test throws. */
function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Runs `fn`, expecting a PatchError, and returns it. */
function patchError(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PatchError);
    return e as PatchError;
  }
  throw new Error('expected a PatchError');
}

type Obj = { [k: string]: Json };
const at = (v: Json, ...path: (string | number)[]): Json | undefined =>
  path.reduce<Json | undefined>((cur, k) => (cur === undefined || cur === null || typeof cur !== 'object' ? undefined : (cur as Obj)[k]), v);

// A JSON value generator without nulls inside objects: merge patch cannot
// express "set this key to null", so such targets are outside its domain.
const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -5, max: 5 }), fc.boolean());
const key = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const { value: noNullJson } = fc.letrec<{ value: Json; object: Obj }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 3 }), tie('object')),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));
const noNullObject = fc.dictionary(key, noNullJson, { maxKeys: 4 });

/** The merge patch that turns `from` into `to` (the inverse the property checks). */
function mergeDiff(from: Json, to: Json): Json {
  const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(from) || !isObj(to)) return to;
  const out: Obj = {};
  for (const k of Object.keys(from)) if (!(k in to)) out[k] = null;
  for (const [k, v] of Object.entries(to)) {
    const prev = from[k];
    if (prev === undefined) out[k] = v;
    else if (!jsonEqual(prev, v)) out[k] = mergeDiff(prev, v);
  }
  return out;
}

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects recursively, deletes on null, replaces everything else', () => {
    const target = { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2, 3] };
    const patch = { a: 'z', c: { f: null, h: 1 }, list: [9], n: { x: null, y: 2 } };
    expect(applyMergePatch(target, patch)).toEqual({ a: 'z', c: { d: 'e', h: 1 }, list: [9], n: { y: 2 } });
  });

  it('replaces the whole target when the patch is not an object, and starts from {} when the target is not', () => {
    expect(applyMergePatch({ a: 1 }, [1, 2])).toEqual([1, 2]);
    expect(applyMergePatch({ a: 1 }, 'x')).toBe('x');
    expect(applyMergePatch({ a: 1 }, null)).toBeNull();
    expect(applyMergePatch([1, 2], { a: 1 })).toEqual({ a: 1 });
    expect(applyMergePatch('s', { a: null, b: 2 })).toEqual({ b: 2 });
  });

  it('handles what kubectl label/annotate send (null removes)', () => {
    const pod = { metadata: { name: 'p', labels: { app: 'web', tier: 'fe' }, annotations: { note: 'x' } } };
    const patched = applyMergePatch(pod, { metadata: { labels: { tier: null, env: 'prod' }, annotations: { note: null } } });
    expect(patched).toEqual({ metadata: { name: 'p', labels: { app: 'web', env: 'prod' }, annotations: {} } });
  });

  it('never mutates its inputs, and its result shares nothing with them', () => {
    const target = deepFreeze({ a: { b: [1, { c: 2 }] }, keep: { x: 1 } });
    const patch = deepFreeze({ a: { d: { e: [1] } } });
    const out = applyMergePatch(target, patch) as Obj;
    (at(out, 'keep') as Obj)['x'] = 99;
    ((at(out, 'a', 'd', 'e') as Json[]) ?? []).push(2);
    expect(target).toEqual({ a: { b: [1, { c: 2 }] }, keep: { x: 1 } });
    expect(patch).toEqual({ a: { d: { e: [1] } } });
  });

  it('treats "__proto__" as an ordinary key', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as Json;
    const out = applyMergePatch({}, patch) as Obj;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('property: applying the diff between two documents yields the second', () => {
    fc.assert(
      fc.property(noNullObject, noNullObject, (a, b) => {
        expect(applyMergePatch(a, mergeDiff(a, b))).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });

  it('property: applying a patch twice equals applying it once', () => {
    fc.assert(
      fc.property(noNullObject, fc.dictionary(key, fc.oneof(noNullJson, fc.constant(null)), { maxKeys: 4 }), (t, p) => {
        const once = applyMergePatch(t, p);
        expect(applyMergePatch(once, p)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  it('adds object members and array elements, including "-" to append', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ foo: 'bar', baz: 'qux' });
    expect(applyJsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({ foo: ['bar', 'qux', 'baz'] });
    expect(applyJsonPatch({ foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }])).toEqual({ foo: ['bar', ['abc', 'def']] });
    expect(applyJsonPatch({ foo: [] }, [{ op: 'add', path: '/foo/0', value: null }])).toEqual({ foo: [null] });
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: [1] }])).toEqual([1]);
  });

  it('removes, replaces, moves and copies', () => {
    const doc = { baz: 'qux', foo: 'bar', arr: ['a', 'b', 'c'], obj: { x: { y: 1 } } };
    const ops = [
      { op: 'remove', path: '/baz' },
      { op: 'replace', path: '/foo', value: 'boo' },
      { op: 'remove', path: '/arr/1' },
      { op: 'move', from: '/obj/x', path: '/moved' },
      { op: 'copy', from: '/moved', path: '/arr/0' },
      { op: 'replace', path: '/arr/2', value: 'C' },
    ];
    expect(applyJsonPatch(doc, ops)).toEqual({ foo: 'boo', arr: [{ y: 1 }, 'a', 'C'], obj: {}, moved: { y: 1 } });
  });

  it('moves array elements within an array', () => {
    expect(applyJsonPatch({ a: [1, 2, 3, 4] }, [{ op: 'move', from: '/a/1', path: '/a/3' }])).toEqual({ a: [1, 3, 4, 2] });
    expect(applyJsonPatch({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a' }])).toEqual({ a: { b: 1 } });
  });

  it('decodes ~1 and ~0 in pointers (annotation keys contain "/")', () => {
    const pod = { metadata: { annotations: { 'example.com/a~b': 'x' } } };
    const out = applyJsonPatch(pod, [
      { op: 'test', path: '/metadata/annotations/example.com~1a~0b', value: 'x' },
      { op: 'replace', path: '/metadata/annotations/example.com~1a~0b', value: 'y' },
      { op: 'add', path: '/metadata/annotations/~01', value: 'z' },
    ]);
    expect(out).toEqual({ metadata: { annotations: { 'example.com/a~b': 'y', '~1': 'z' } } });
  });

  it('passes a test op by structural equality and fails it with 422', () => {
    const doc = { spec: { replicas: 3, sel: { b: 2, a: 1 } } };
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/spec/sel', value: { a: 1, b: 2 } }])).toEqual(doc);
    const err = patchError(() => applyJsonPatch(doc, [{ op: 'test', path: '/spec/replicas', value: 4 }]));
    expect(err.code).toBe(422);
    expect(err.message).toBe('testing value /spec/replicas failed: test failed');
  });

  it('fails with 422 when a path does not apply', () => {
    const doc = { a: { b: 1 }, list: [1, 2] };
    const cases: unknown[][] = [
      [{ op: 'add', path: '/missing/child', value: 1 }],
      [{ op: 'remove', path: '/a/c' }],
      [{ op: 'replace', path: '/nope', value: 1 }],
      [{ op: 'remove', path: '/list/2' }],
      [{ op: 'add', path: '/list/3', value: 1 }],
      [{ op: 'add', path: '/list/01', value: 1 }],
      [{ op: 'remove', path: '/list/-' }],
      [{ op: 'move', from: '/a', path: '/a/b/c' }],
      [{ op: 'copy', from: '/ghost', path: '/x' }],
      [{ op: 'add', path: 'no-slash', value: 1 }],
      [{ op: 'remove', path: '' }],
      [{ op: 'add', path: '/a/~2', value: 1 }],
    ];
    for (const ops of cases) expect(patchError(() => applyJsonPatch(doc, ops)).code, JSON.stringify(ops)).toBe(422);
    expect(patchError(() => applyJsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }])).message).toBe(
      'replace operation does not apply: doc is missing key: "/nope": missing value',
    );
  });

  it('rejects malformed operations with 400', () => {
    const cases: unknown[] = [
      { op: 'add', path: '/a', value: 1 },
      [null],
      [{ path: '/a' }],
      [{ op: 'add', path: 3, value: 1 }],
      [{ op: 'add', path: '/a' }],
      [{ op: 'move', path: '/a' }],
      [{ op: 'frobnicate', path: '/a' }],
    ];
    for (const ops of cases) expect(patchError(() => applyJsonPatch({ a: 1 }, ops)).code, JSON.stringify(ops)).toBe(400);
    expect(patchError(() => applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }])).message).toBe('Unexpected kind: frobnicate');
  });

  it('leaves inputs untouched, even when a later operation fails', () => {
    const doc = deepFreeze({ spec: { replicas: 1, list: [{ a: 1 }] } });
    const ops = deepFreeze([
      { op: 'replace', path: '/spec/replicas', value: 5 },
      { op: 'add', path: '/spec/list/0/b', value: { deep: [1] } },
    ]);
    const out = applyJsonPatch(doc, ops) as Obj;
    expect(out).toEqual({ spec: { replicas: 5, list: [{ a: 1, b: { deep: [1] } }] } });
    (at(out, 'spec', 'list', 0, 'b', 'deep') as Json[]).push(2);
    expect(ops[1]).toEqual({ op: 'add', path: '/spec/list/0/b', value: { deep: [1] } });
    patchError(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/replicas' }, { op: 'test', path: '/x', value: 1 }]));
    expect(doc).toEqual({ spec: { replicas: 1, list: [{ a: 1 }] } });
  });

  it('property: testing the whole document against a copy of itself always passes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const doc = v as Json;
        expect(applyJsonPatch(doc, [{ op: 'test', path: '', value: structuredClone(doc) }])).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });

  it('property: add then remove of a new key restores the document', () => {
    fc.assert(
      fc.property(noNullObject, fc.string({ maxLength: 6 }), noNullJson, (doc, k, v) => {
        fc.pre(!Object.hasOwn(doc, k));
        const ptr = `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        const added = applyJsonPatch(doc, [{ op: 'add', path: ptr, value: v }]);
        expect(at(added, k)).toEqual(v);
        expect(applyJsonPatch(added, [{ op: 'remove', path: ptr }])).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });
});

// --- strategic merge patch -------------------------------------------------

const deployment = (): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, finalizers: ['a', 'b'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'web:1',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
            ports: [{ containerPort: 8080, name: 'http' }],
            volumeMounts: [{ mountPath: '/data', name: 'data' }],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
        tolerations: [{ key: 'x', operator: 'Exists' }],
      },
    },
  },
});

const containers = (d: Json): Obj[] => at(d, 'spec', 'template', 'spec', 'containers') as Obj[];
const smp = (target: Json, patch: Json, kind = 'Deployment'): Json => applyStrategicMergePatch(target, patch, kind);

describe('applyStrategicMergePatch: what kubectl sends', () => {
  it('kubectl cordon: {"spec":{"unschedulable":true}} keeps the rest of the node', () => {
    const node = { kind: 'Node', metadata: { name: 'n1' }, spec: { podCIDR: '10.0.0.0/24', taints: [{ key: 'k', effect: 'NoSchedule' }] } };
    expect(smp(node, { spec: { unschedulable: true } }, 'Node')).toEqual({
      ...node,
      spec: { ...node.spec, unschedulable: true },
    });
  });

  it('kubectl rollout restart: adds the restartedAt annotation to the pod template', () => {
    const d = deployment();
    const out = smp(d, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } } } } });
    expect(at(out, 'spec', 'template', 'metadata')).toEqual({
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' },
    });
    expect(containers(out)).toEqual(containers(d));
  });

  it('kubectl set image: merges containers by name, keeping their other fields and siblings', () => {
    const d = deployment();
    const out = smp(d, { spec: { template: { spec: { containers: [{ image: 'web:2', name: 'app' }] } } } });
    const [app, sidecar] = containers(out);
    expect(app).toEqual({ ...containers(d)[0], image: 'web:2' });
    expect(sidecar).toEqual({ name: 'sidecar', image: 'proxy:1' });
  });

  it('kubectl apply: $setElementOrder reorders, $patch: delete drops, nested lists merge by their keys', () => {
    const d = deployment();
    const patch: Json = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
            containers: [
              {
                name: 'app',
                '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }],
                env: [{ name: 'C', value: '3' }, { name: 'B', $patch: 'delete' }],
                ports: [{ containerPort: 8080, protocol: 'TCP' }],
              },
            ],
          },
        },
      },
    };
    const out = smp(d, patch);
    expect(containers(out).map((c) => c['name'])).toEqual(['sidecar', 'app']);
    const app = containers(out)[1] as Obj;
    expect(app['env']).toEqual([
      { name: 'C', value: '3' },
      { name: 'A', value: '1' },
    ]);
    expect(app['ports']).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    expect(JSON.stringify(out)).not.toContain('$');
    expect(at(out, 'metadata', 'annotations')).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
  });

  it('kubectl apply: $retainKeys clears fields of a retainKeys strategy (Deployment strategy → Recreate)', () => {
    const out = smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } });
    expect(at(out, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
    const err = patchError(() => smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 2 } } } }));
    expect(err.code).toBe(400);
    expect(err.message).toBe('invalid patch format of retainKeys');
  });

  it('kubectl apply: $deleteFromPrimitiveList and $setElementOrder on finalizers', () => {
    const out = smp(deployment(), {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], '$setElementOrder/finalizers': ['c', 'b'], finalizers: ['c'] },
    });
    expect(at(out, 'metadata', 'finalizers')).toEqual(['c', 'b']);
  });
});

describe('applyStrategicMergePatch: list semantics', () => {
  it('puts a new keyed element before the existing ones, as upstream does', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ name: 'new', image: 'redis' }] } } } });
    expect(containers(out).map((c) => c['name'])).toEqual(['new', 'app', 'sidecar']);
  });

  it('merges ports by containerPort, volumeMounts by mountPath and volumes by name', () => {
    const out = smp(deployment(), {
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', ports: [{ containerPort: 9090 }], volumeMounts: [{ mountPath: '/data', readOnly: true }] }],
            volumes: [{ name: 'cache', emptyDir: {} }],
          },
        },
      },
    });
    const app = containers(out)[0] as Obj;
    expect(app['ports']).toEqual([{ containerPort: 9090 }, { containerPort: 8080, name: 'http' }]);
    expect(app['volumeMounts']).toEqual([{ mountPath: '/data', name: 'data', readOnly: true }]);
    expect(at(out, 'spec', 'template', 'spec', 'volumes')).toEqual([
      { name: 'cache', emptyDir: {} },
      { name: 'data', emptyDir: {} },
    ]);
  });

  it('replaces lists without a merge key (tolerations, node taints, unknown kinds)', () => {
    const out = smp(deployment(), { spec: { template: { spec: { tolerations: [{ key: 'y', operator: 'Exists' }] } } } });
    expect(at(out, 'spec', 'template', 'spec', 'tolerations')).toEqual([{ key: 'y', operator: 'Exists' }]);
    const node = { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } };
    expect(smp(node, { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } }, 'Node')).toEqual({
      spec: { taints: [{ key: 'b', effect: 'NoExecute' }] },
    });
    const widget = { spec: { items: [{ name: 'a', v: 1 }] } };
    expect(smp(widget, { spec: { items: [{ name: 'a', w: 2 }] } }, 'Widget')).toEqual({ spec: { items: [{ name: 'a', w: 2 }] } });
  });

  it('merges conditions and addresses by type (Pod and Node status)', () => {
    const pod = { status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] } };
    const out = smp(pod, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, 'Pod');
    expect(out).toEqual({
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] },
    });
    const node = { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }] } };
    const patched = smp(node, { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } }, 'Node');
    expect(at(patched, 'status', 'addresses')).toEqual([
      { type: 'InternalIP', address: '10.0.0.2' },
      { type: 'Hostname', address: 'n1' },
    ]);
  });

  it('applies pod-spec rules under every template path (StatefulSet, CronJob, PodTemplate)', () => {
    const tpl = (ctrs: Json): Obj => ({ spec: { containers: ctrs } });
    const sts = { spec: { template: tpl([{ name: 'a', image: '1' }, { name: 'b', image: '1' }]) } };
    expect(at(smp(sts, { spec: { template: tpl([{ name: 'b', image: '2' }]) } }, 'StatefulSet'), 'spec', 'template', 'spec', 'containers')).toEqual([
      { name: 'a', image: '1' },
      { name: 'b', image: '2' },
    ]);
    const cj = { spec: { jobTemplate: { spec: { template: tpl([{ name: 'a', image: '1' }]) } } } };
    const cjOut = smp(cj, { spec: { jobTemplate: { spec: { template: tpl([{ name: 'a', image: '2' }]) } } } }, 'CronJob');
    expect(at(cjOut, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers')).toEqual([{ name: 'a', image: '2' }]);
    expect(listMergeRule('PodTemplate', 'template.spec.containers[].env')).toEqual({ mergeKey: 'name' });
  });

  it('merges ownerReferences by uid and finalizers as a set, for any kind', () => {
    const cm = { metadata: { ownerReferences: [{ uid: 'u1', name: 'a' }], finalizers: ['x'] } };
    const out = smp(cm, { metadata: { ownerReferences: [{ uid: 'u1', controller: true }], finalizers: ['y', 'x'] } }, 'ConfigMap');
    expect(at(out, 'metadata', 'ownerReferences')).toEqual([{ uid: 'u1', name: 'a', controller: true }]);
    expect(at(out, 'metadata', 'finalizers')).toEqual(['y', 'x']);
    // Upstream order: patch-only elements have no server position and go first.
    expect(at(smp({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['c'] } }, 'Pod'), 'metadata', 'finalizers')).toEqual([
      'c',
      'a',
      'b',
    ]);
  });

  it('$patch: replace in a list element replaces the list; in a map it replaces the map', () => {
    const out = smp(deployment(), { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } });
    expect(containers(out)).toEqual([{ name: 'only', image: 'x' }]);
    const out2 = smp(deployment(), { spec: { strategy: { $patch: 'replace', type: 'Recreate' } } });
    expect(at(out2, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
  });

  it('$patch: delete in a map empties it; on an absent field it adds nothing', () => {
    const out = smp(deployment(), { spec: { strategy: { $patch: 'delete' }, paused: { $patch: 'delete' } } }) as Obj;
    expect(at(out, 'spec', 'strategy')).toEqual({});
    expect(Object.hasOwn(out['spec'] as Obj, 'paused')).toBe(false);
    expect(smp({ a: 1 }, { $patch: 'delete' }, 'Widget')).toEqual({});
  });

  it('strips nulls and directives from subtrees that did not exist yet', () => {
    const out = smp({}, { spec: { a: null, b: { c: null, d: 1 }, containers: [{ name: 'x', $patch: 'delete' }] } }, 'Pod');
    expect(out).toEqual({ spec: { b: { d: 1 }, containers: [] } });
  });

  it('rejects malformed directives and patches with 400', () => {
    const cases: [Json, string][] = [
      [{ spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, 'map: {"image":"x"} does not contain declared merge key: name'],
      [{ spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } }, 'map: {"$patch":"delete"} does not contain declared merge key: name'],
      [{ spec: { $patch: 'explode' } }, 'unknown patch type: "explode" in map: {"$patch":"explode"}'],
      [{ spec: { template: { spec: { containers: [{ name: 'a', $patch: 'merge' }] } } } }, 'merging lists cannot yet be specified in the patch'],
      [{ metadata: { '$setElementOrder/finalizers': 'a' } }, 'invalid patch format of setElementOrder list'],
      [{ metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, 'invalid patch format of primitive list'],
      [{ metadata: { finalizers: [{ a: 1 }] } }, 'cannot merge lists without merge key for metadata.finalizers'],
      [[1], 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ];
    for (const [patch, message] of cases) {
      const err = patchError(() => smp(deployment(), patch));
      expect(err.code).toBe(400);
      expect(err.message).toBe(message);
    }
  });

  it('never mutates its inputs, and its result shares nothing with them', () => {
    const target = deepFreeze(deployment());
    const patch = deepFreeze({
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ name: 'app', env: [{ name: 'Z', value: 'z' }] }] } } },
    });
    const before = JSON.stringify([target, patch]);
    const out = smp(target, patch);
    (containers(out)[0]?.['env'] as Json[]).push({ name: 'X' });
    (containers(out)[1] as Obj)['image'] = 'changed';
    expect(JSON.stringify([target, patch])).toBe(before);
  });

  it('property: for kinds without rules and patches without directives it equals a JSON merge patch', () => {
    const plainKey = fc.constantFrom('a', 'b', 'spec', 'status', 'items');
    const { value } = fc.letrec<{ value: Json }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(plainKey, tie('value'), { maxKeys: 3 }),
      ),
    }));
    const obj = fc.dictionary(plainKey, value, { maxKeys: 4 });
    fc.assert(
      fc.property(obj, obj, (target, patch) => {
        expect(smp(target, patch, 'Widget')).toEqual(applyMergePatch(target, patch));
      }),
      { numRuns: 300 },
    );
  });
});
