/**
 * The protobuf request decoder, proven first against bytes real kubectl 1.32
 * sent (testdata/protobuf/*.json, recorded by testdata/protobuf/recorder.ts),
 * then against hand-encoded messages for fields kubectl never sets, and
 * finally against malformed input, which must end in a ProtobufError.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, isProtobufContentType, PROTOBUF_CONTENT_TYPE, PROTOBUF_KINDS, ProtobufError } from './protobuf';
import { FIXTURE_DIR, recordAll, type Fixture } from './testdata/protobuf/recorder';

const fixtures: Fixture[] = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(FIXTURE_DIR, f), 'utf8')) as Fixture);
const protobufFixtures = fixtures.filter((f) => f.contentType === PROTOBUF_CONTENT_TYPE);
const fixture = (name: string): Fixture => {
  const f = fixtures.find((x) => x.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
};

// --- A minimal protobuf encoder, written from the .proto field numbers and
// independent of the decoder's tables, so a wrong number in a table shows.

type Bytes = number[];

function varint(v: number | bigint): Bytes {
  let n = BigInt.asUintN(64, BigInt(v));
  const out: Bytes = [];
  do {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    out.push(n > 0n ? b | 0x80 : b);
  } while (n > 0n);
  return out;
}
const key = (field: number, wire: number): Bytes => varint(field * 8 + wire);
/** A varint field (int32, int64, bool); negatives take ten bytes, as in Go. */
const int = (field: number, v: number | bigint | boolean): Bytes => [...key(field, 0), ...varint(typeof v === 'boolean' ? (v ? 1 : 0) : v)];
const bytes = (field: number, b: Bytes | Uint8Array): Bytes => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string): Bytes => bytes(field, [...Buffer.from(s, 'utf8')]);
const msg = (field: number, ...parts: Bytes[]): Bytes => bytes(field, parts.flat());
/** A map<string, V> entry: key = 1, value = 2 (already encoded as field 2). */
const entry = (field: number, k: string, ...value: Bytes[]): Bytes => msg(field, str(1, k), ...value);
const strEntry = (field: number, k: string, v: string): Bytes => entry(field, k, str(2, v));

function envelope(apiVersion: string, kind: string, raw: Bytes, extra: Bytes[] = []): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...bytes(2, raw), ...extra.flat()]);
}

/** Decodes, and checks the result survives JSON as it would on the wire. */
function decode(body: Buffer): Record<string, unknown> {
  const out = decodeKubernetesProtobuf(body);
  expect(JSON.parse(JSON.stringify(out))).toStrictEqual(out);
  return out;
}

function decodeError(body: Buffer): ProtobufError {
  try {
    decodeKubernetesProtobuf(body);
  } catch (e) {
    expect(e).toBeInstanceOf(ProtobufError);
    return e as ProtobufError;
  }
  throw new Error('expected a ProtobufError');
}

const T = 1795835334; // 2026-11-28T03:08:54Z

describe('recorded kubectl 1.32 request bodies', () => {
  it('covers every kind of body kubectl sends as protobuf', () => {
    const kinds = new Set(protobufFixtures.map((f) => f.expected.kind));
    for (const k of ['ConfigMap', 'Secret', 'Namespace', 'Deployment', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'Job', 'CronJob', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SelfSubjectReview', 'DeleteOptions', 'TokenRequest', 'Pod', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ResourceQuota', 'Ingress', 'PriorityClass']) {
      expect(kinds, k).toContain(k);
    }
  });

  it.each(protobufFixtures.map((f) => [f.name, f] as const))('%s decodes to the JSON kubectl would have sent', (_name, f) => {
    const got = decode(Buffer.from(f.body, 'base64'));
    expect(got).toStrictEqual(f.expected);
    if (f.expectedFrom === 'dry-run=client') {
      // Same key order too: fields come out in Go declaration order.
      expect(JSON.stringify(got)).toBe(JSON.stringify(f.expected));
    }
  });

  it('the debug copy carries the whole PodSpec kubectl read as JSON', () => {
    const pod = decode(Buffer.from(fixture('debug-copy').body, 'base64')) as { spec: Record<string, unknown> };
    // A spot check on top of the deep equality above: fields whose Go struct
    // tags disagree with generated.proto still land where they belong.
    expect(pod.spec).toMatchObject({ priority: 1000000, hostUsers: false });
    expect(Object.keys(pod.spec).length).toBeGreaterThan(35);
  });

  // kubectl 1.32 evicts with a JSON body, which the recording keeps: encode
  // the same Eviction as protobuf and it must decode to exactly that JSON.
  it.each(['drain-eviction', 'drain-eviction-dry-run'])('policy/v1 Eviction as protobuf equals the JSON kubectl sent (%s)', (name) => {
    const f = fixture(name);
    expect(f.contentType).toBe('application/json');
    const sent = JSON.parse(Buffer.from(f.body, 'base64').toString('utf8')) as { deleteOptions: { gracePeriodSeconds?: number; dryRun?: string[] } };
    const opts = sent.deleteOptions;
    const raw = [
      ...msg(1, str(1, 'web-1'), str(2, ''), str(3, 'demo'), str(4, ''), str(5, ''), str(6, ''), int(7, 0), bytes(8, [])),
      ...msg(2, ...(opts.gracePeriodSeconds !== undefined ? [int(1, opts.gracePeriodSeconds)] : []), ...(opts.dryRun ?? []).map((d) => str(5, d))),
    ];
    expect(decode(envelope('policy/v1', 'Eviction', raw))).toStrictEqual(sent);
  });

  it.runIf(hasKubectl())('the installed kubectl still sends bodies that decode to what it would send as JSON', async () => {
    for (const f of await recordAll()) {
      if (f.contentType !== PROTOBUF_CONTENT_TYPE) continue;
      expect(decode(Buffer.from(f.body, 'base64')), f.name).toStrictEqual(f.expected);
    }
  });
});

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('fields kubectl does not send', () => {
  it('DeleteOptions with preconditions, propagation, dry run and a zero grace period', () => {
    const raw = [
      ...int(1, 0),
      ...msg(2, str(1, 'uid-1'), str(2, '7')),
      ...int(3, false),
      ...str(4, 'Foreground'),
      ...str(5, 'All'),
      ...int(6, true),
    ];
    expect(decode(envelope('v1', 'DeleteOptions', raw))).toStrictEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      // Pointers: present on the wire means present in JSON, zero or not.
      gracePeriodSeconds: 0,
      preconditions: { uid: 'uid-1', resourceVersion: '7' },
      orphanDependents: false,
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
      ignoreStoreReadErrorWithClusterBreakingPotential: true,
    });
    expect(decode(envelope('meta.k8s.io/v1', 'DeleteOptions', []))).toStrictEqual({ kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1' });
  });

  it('an Eviction with full DeleteOptions', () => {
    const raw = [...msg(1, str(1, 'web-1'), str(3, 'demo')), ...msg(2, int(1, -1), msg(2, str(1, 'p-uid')), str(4, 'Background'))];
    expect(decode(envelope('policy/v1', 'Eviction', raw))).toStrictEqual({
      kind: 'Eviction',
      apiVersion: 'policy/v1',
      metadata: { name: 'web-1', namespace: 'demo', creationTimestamp: null },
      deleteOptions: { gracePeriodSeconds: -1, preconditions: { uid: 'p-uid' }, propagationPolicy: 'Background' },
    });
  });

  it('SelfSubjectAccessReview with field and label selector attributes', () => {
    const requirement = (field: number, k: string, op: string, ...values: string[]): Bytes => msg(field, str(1, k), str(2, op), ...values.map((v) => str(3, v)));
    const raw = msg(2, msg(1,
      str(1, 'demo'), str(2, 'list'), str(3, 'apps'), str(4, 'v1'), str(5, 'deployments'), str(6, ''), str(7, ''),
      msg(8, str(1, 'metadata.name=web'), requirement(2, 'metadata.name', 'In', 'web', 'api')),
      msg(9, str(1, 'app=web'), requirement(2, 'app', 'Exists')),
    ));
    expect(decode(envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', raw))).toStrictEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: {
        resourceAttributes: {
          namespace: 'demo',
          verb: 'list',
          group: 'apps',
          version: 'v1',
          resource: 'deployments',
          fieldSelector: { rawSelector: 'metadata.name=web', requirements: [{ key: 'metadata.name', operator: 'In', values: ['web', 'api'] }] },
          labelSelector: { rawSelector: 'app=web', requirements: [{ key: 'app', operator: 'Exists' }] },
        },
      },
      status: { allowed: false },
    });
  });

  it('ObjectMeta in full: timestamps, owner references, finalizers; managedFields ignored', () => {
    const meta = msg(1,
      str(1, 'cm'), str(2, 'cm-'), str(3, 'demo'), str(4, '/api/v1/namespaces/demo/configmaps/cm'), str(5, 'uid-1'), str(6, '5'), int(7, 3),
      // Nanoseconds are dropped: the apiserver keeps whole seconds, as JSON does.
      msg(8, int(1, T), int(2, 123_000_000)),
      msg(9, int(1, T + 66)),
      int(10, 30),
      strEntry(11, 'app', 'web'), strEntry(11, 'tier', 'front'),
      strEntry(12, 'example.com/note', 'hi'),
      msg(13, str(1, 'Deployment'), str(3, 'web'), str(4, 'd-1'), str(5, 'apps/v1'), int(6, true), int(7, true)),
      str(14, 'example.com/keep'), str(14, 'example.com/also'),
      msg(17, str(1, 'kubectl'), str(2, 'Update')),
    );
    const raw = [...meta, ...int(4, true), ...strEntry(2, 'k', 'v')];
    expect(decode(envelope('v1', 'ConfigMap', raw))).toStrictEqual({
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        name: 'cm',
        generateName: 'cm-',
        namespace: 'demo',
        selfLink: '/api/v1/namespaces/demo/configmaps/cm',
        uid: 'uid-1',
        resourceVersion: '5',
        generation: 3,
        creationTimestamp: '2026-11-28T03:08:54Z',
        deletionTimestamp: '2026-11-28T03:10:00Z',
        deletionGracePeriodSeconds: 30,
        labels: { app: 'web', tier: 'front' },
        annotations: { 'example.com/note': 'hi' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-1', controller: true, blockOwnerDeletion: true }],
        finalizers: ['example.com/keep', 'example.com/also'],
      },
      immutable: true,
      data: { k: 'v' },
    });
  });

  it('Time: Go zero time and an empty message are null, the epoch is not', () => {
    const first = (...time: Bytes[]): unknown => decode(envelope('v1', 'Event', time.length ? msg(6, ...time) : []))['firstTimestamp'];
    expect(first()).toBeNull();
    expect(first([])).toBeNull();
    expect(first(int(1, -62135596800))).toBeNull();
    expect(first(int(1, 0))).toBe('1970-01-01T00:00:00Z');
    expect(first(int(2, 5))).toBe('1970-01-01T00:00:00Z');
    expect(first(int(1, T))).toBe('2026-11-28T03:08:54Z');
    expect(first(int(1, 951782400))).toBe('2000-02-29T00:00:00Z');
    expect(first(int(1, 253402300799))).toBe('9999-12-31T23:59:59Z');
    expect(first(int(1, 253402300800))).toBe('10000-01-01T00:00:00Z');
    expect(first(int(1, -62135596801))).toBe('0000-12-31T23:59:59Z');
    expect(first(int(1, -62198755200))).toBe('-0001-01-01T00:00:00Z');
    // A message field that repeats replaces, for Time, rather than merging.
    const twice = envelope('v1', 'Event', [...msg(6, int(1, T)), ...msg(6, int(2, 1))]);
    expect(decode(twice)['firstTimestamp']).toBe('1970-01-01T00:00:00Z');
  });

  it('an Event renders like Go: zero structs as objects, zero times as null', () => {
    expect(decode(envelope('v1', 'Event', [...msg(1, str(1, 'e1')), ...int(8, 2)]))).toStrictEqual({
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name: 'e1', creationTimestamp: null },
      involvedObject: {},
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      count: 2,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    });
  });

  it('MicroTime keeps microseconds (Lease)', () => {
    const raw = [...msg(1, str(1, 'node-1'), str(3, 'kube-node-lease')), ...msg(2, str(1, 'node-1'), int(2, 40), msg(3, int(1, T), int(2, 123_456_789)), msg(4, int(1, T)), int(5, 0))];
    expect(decode(envelope('coordination.k8s.io/v1', 'Lease', raw))).toStrictEqual({
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: { name: 'node-1', namespace: 'kube-node-lease', creationTimestamp: null },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, acquireTime: '2026-11-28T03:08:54.123456Z', renewTime: '2026-11-28T03:08:54.000000Z', leaseTransitions: 0 },
    });
    const eventTime = (t: Bytes[]): unknown => decode(envelope('v1', 'Event', msg(10, ...t)))['eventTime'];
    expect(eventTime([int(1, T), int(2, 999_999_999)])).toBe('2026-11-28T03:08:54.999999Z');
    // Negative nanoseconds borrow from the seconds, as time.Unix normalises them.
    expect(eventTime([int(1, T), int(2, -1_000)])).toBe('2026-11-28T03:08:53.999999Z');
    expect(eventTime([])).toBeNull();
  });

  it('IntOrString as a number, a string, and the zero value of a plain field', () => {
    const pdb = (...spec: Bytes[]): unknown => decode(envelope('policy/v1', 'PodDisruptionBudget', msg(2, ...spec)))['spec'];
    expect(pdb(msg(1, int(1, 0), int(2, 3)))).toStrictEqual({ minAvailable: 3 });
    expect(pdb(msg(3, int(1, 1), str(3, '50%')), str(4, 'AlwaysAllow'))).toStrictEqual({ maxUnavailable: '50%', unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(pdb(msg(1))).toStrictEqual({ minAvailable: 0 });
    // ServicePort.targetPort is a plain struct: absent, it is still written, as 0.
    const svc = decode(envelope('v1', 'Service', msg(2, msg(1, str(1, 'http'), int(3, 80)))));
    expect(svc['spec']).toStrictEqual({ ports: [{ name: 'http', port: 80, targetPort: 0 }] });
    expect(decodeError(envelope('policy/v1', 'PodDisruptionBudget', msg(2, msg(1, int(1, 2))))).message).toMatch(/PodDisruptionBudget\.spec\.minAvailable: impossible IntOrString type 2/);
  });

  it('Quantity: passed through, "0" when empty, rejected when malformed', () => {
    const quota = (...hard: Bytes[]): unknown => decode(envelope('v1', 'ResourceQuota', msg(2, ...hard)))['spec'];
    expect(quota(entry(1, 'cpu', msg(2, str(1, '1500m'))), entry(1, 'memory', msg(2, str(1, '2Gi'))), entry(1, 'pods', msg(2)), entry(1, 'storage'))).toStrictEqual({
      hard: { cpu: '1500m', memory: '2Gi', pods: '0', storage: '0' },
    });
    for (const q of ['1e3', '+1.5', '.5', '12E', '3Ki', '100u']) expect(quota(entry(1, 'x', msg(2, str(1, q))))).toStrictEqual({ hard: { x: q } });
    for (const bad of ['', 'abc', '1.2.3', '5 Gi', '1Gb']) {
      const e = decodeError(envelope('v1', 'ResourceQuota', msg(2, entry(1, 'cpu', msg(2, str(1, bad))))));
      expect(e.message).toContain('ResourceQuota.spec.hard: quantities must match');
      expect(e.code).toBe(400);
    }
  });

  it('UserInfo.extra: map values wrapped in ExtraValue {items = 1}', () => {
    const raw = msg(2, msg(1, str(1, 'alice'), str(2, 'u-1'), str(3, 'devs'), str(3, 'system:authenticated'), entry(4, 'scopes', msg(2, str(1, 'a'), str(1, 'b'))), entry(4, 'none')));
    expect(decode(envelope('authentication.k8s.io/v1', 'SelfSubjectReview', raw))).toStrictEqual({
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: 'alice', uid: 'u-1', groups: ['devs', 'system:authenticated'], extra: { none: null, scopes: ['a', 'b'] } } },
    });
  });

  it('RawExtension holds embedded JSON (ControllerRevision.data)', () => {
    const raw = [...msg(1, str(1, 'web-5d8f')), ...msg(2, str(1, '{"spec":{"template":{"$patch":"replace"}}}')), ...int(3, 4)];
    expect(decode(envelope('apps/v1', 'ControllerRevision', raw))).toStrictEqual({
      kind: 'ControllerRevision',
      apiVersion: 'apps/v1',
      metadata: { name: 'web-5d8f', creationTimestamp: null },
      data: { spec: { template: { $patch: 'replace' } } },
      revision: 4,
    });
    expect(decode(envelope('apps/v1', 'ControllerRevision', []))['data']).toBeNull();
    expect(decodeError(envelope('apps/v1', 'ControllerRevision', msg(2, str(1, '\u0008not json')))).message).toContain('ControllerRevision.data: embedded object (RawExtension) is not JSON');
  });

  it('negative int32 and int64 (ten-byte varints) and packed repeated int64', () => {
    const unpacked = msg(14, int(4, 4000), int(4, 5000));
    const packed = msg(14, bytes(4, [...varint(4000), ...varint(5000)]));
    for (const sc of [unpacked, packed]) {
      const raw = msg(2, int(4, -1), int(25, -5), sc);
      expect(varint(-5)).toHaveLength(10);
      expect(decode(envelope('v1', 'Pod', raw))).toStrictEqual({
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { creationTimestamp: null },
        spec: { containers: null, terminationGracePeriodSeconds: -1, securityContext: { supplementalGroups: [4000, 5000] }, priority: -5 },
        status: {},
      });
    }
  });

  it('Secret bytes are base64, whatever they hold', () => {
    const blob = Buffer.from([0, 255, 254, 10, 13, 0x80]);
    const raw = [...msg(1, str(1, 's')), ...entry(2, 'bin', bytes(2, blob)), ...entry(2, 'empty', bytes(2, [])), ...entry(2, 'novalue'), ...str(3, 'Opaque'), ...strEntry(4, 'plain', 'text')];
    expect(decode(envelope('v1', 'Secret', raw))).toStrictEqual({
      kind: 'Secret',
      apiVersion: 'v1',
      metadata: { name: 's', creationTimestamp: null },
      data: { bin: blob.toString('base64'), empty: '', novalue: '' },
      stringData: { plain: 'text' },
      type: 'Opaque',
    });
  });

  it('every supported kind decodes from an empty object', () => {
    for (const [apiVersion, kinds] of Object.entries(PROTOBUF_KINDS)) {
      for (const kind of kinds) {
        const out = decode(envelope(apiVersion, kind, []));
        expect(Object.keys(out).slice(0, 2)).toEqual(['kind', 'apiVersion']);
        expect(out).toMatchObject({ kind, apiVersion });
      }
    }
    // Zero values as encoding/json writes a zero Deployment.
    expect(decode(envelope('apps/v1', 'Deployment', []))).toStrictEqual({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { creationTimestamp: null },
      spec: { selector: null, template: { metadata: { creationTimestamp: null }, spec: { containers: null } }, strategy: {} },
      status: {},
    });
  });
});

describe('protobuf semantics', () => {
  const cm = (...raw: Bytes[]): Record<string, unknown> => decode(envelope('v1', 'ConfigMap', raw.flat()));

  it('skips unknown fields of every wire type, groups included', () => {
    const unknown = [
      ...int(99, 12345678901234n),
      ...key(98, 1), 1, 2, 3, 4, 5, 6, 7, 8,
      ...key(97, 5), 1, 2, 3, 4,
      ...str(96, 'future'),
      ...key(95, 3), ...int(1, 1), ...key(94, 3), ...str(2, 'x'), ...key(94, 4), ...key(95, 4),
    ];
    const base = [msg(1, str(1, 'cm')), strEntry(2, 'a', '1')];
    expect(cm(unknown, ...base, unknown)).toStrictEqual(cm(...base));
    // Unknown fields inside nested messages and map entries too.
    expect(cm(msg(1, str(1, 'cm'), str(50, 'x')), msg(2, str(1, 'a'), str(2, '1'), int(3, 7)))).toStrictEqual(cm(...base));
  });

  it('merges a repeated message field and lets the last scalar win', () => {
    const out = cm(msg(1, str(1, 'a'), strEntry(11, 'x', '1')), int(4, true), msg(1, str(3, 'ns'), strEntry(11, 'y', '2'), strEntry(11, 'x', '3')), int(4, false));
    expect(out).toStrictEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a', namespace: 'ns', creationTimestamp: null, labels: { x: '3', y: '2' } }, immutable: false });
  });

  it('map entries may lack a key or a value', () => {
    expect(cm(msg(2, str(2, 'v')), msg(2, str(1, 'k')))['data']).toStrictEqual({ '': 'v', k: '' });
  });

  it('a __proto__ key is data, not a prototype', () => {
    const labels = (cm(msg(1, strEntry(11, '__proto__', 'x'), strEntry(11, 'constructor', 'y')))['metadata'] as { labels: Record<string, string> }).labels;
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.keys(labels)).toEqual(['__proto__', 'constructor']);
    expect(labels['constructor']).toBe('y');
  });

  it('strings are UTF-8', () => {
    expect(cm(strEntry(2, 'greeting', 'grüß dich ✓ 🚀'))['data']).toStrictEqual({ greeting: 'grüß dich ✓ 🚀' });
  });

  it('a large body decodes quickly', () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 7);
    const many = Array.from({ length: 20_000 }, (_, i) => strEntry(11, `label-${i}`, `value-${i}`));
    const body = envelope('v1', 'Secret', [...msg(1, ...many), ...entry(2, 'big', bytes(2, big))]);
    const start = performance.now();
    const out = decode(body) as { data: Record<string, string>; metadata: { labels: Record<string, string> } };
    expect(performance.now() - start).toBeLessThan(2000);
    expect(Buffer.from(out.data['big'] ?? '', 'base64').equals(big)).toBe(true);
    expect(Object.keys(out.metadata.labels)).toHaveLength(20_000);
  });
});

describe('malformed bodies', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['short', Buffer.from('k8s')],
    ['JSON', Buffer.from('{"kind":"ConfigMap","apiVersion":"v1"}')],
    ['wrong magic', Buffer.from([0x6b, 0x38, 0x73, 0x01, 0x0a, 0x00])],
  ])('%s: not protobuf', (_name, body) => {
    const e = decodeError(body);
    expect(e.code).toBe(400);
    expect(e.message).toBe('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  });

  it.each([
    ['a tag with no length', [0x0a]],
    ['a length past the end', [0x0a, 0x05, 0x0a]],
    ['a truncated varint', [0x0a, 0x80]],
    ['an eleven-byte varint', [0x0a, ...Array<number>(10).fill(0xff), 0x01]],
    ['field number 0', [0x02, 0x00]],
    ['wire type 7', [0x0f]],
    ['a stray end group', [...key(9, 4)]],
    ['an unterminated group', [...key(9, 3), ...int(1, 1)]],
    ['a wrong wire type for a known field', [...key(2, 0), 0x01]],
  ])('%s in the envelope is a 400', (_name, bytesAfterMagic) => {
    const e = decodeError(Buffer.from([0x6b, 0x38, 0x73, 0x00, ...bytesAfterMagic]));
    expect(e.code).toBe(400);
    expect(e.message).toMatch(/^invalid protobuf body at envelope/);
  });

  it('says where inside the object decoding failed', () => {
    const e = decodeError(envelope('apps/v1', 'Deployment', msg(2, msg(3, msg(2, msg(2, [...key(1, 0), 0x05]))))));
    expect(e.message).toBe('invalid protobuf body at Deployment.spec.template.spec.containers.name: wrong wire type 0, expected 2');
    expect(e.path).toEqual(['spec', 'template', 'spec', 'containers', 'name']);
    const t = decodeError(envelope('v1', 'ConfigMap', [...key(1, 2), 0x10, ...str(1, 'x')]));
    expect(t.message).toMatch(/^invalid protobuf body at ConfigMap.metadata: unexpected EOF: length 16 runs past the end/);
  });

  it.each([
    ['an unknown kind', envelope('v1', 'Frobnicator', []), 'v1, Kind=Frobnicator'],
    ['a kind in the wrong group', envelope('apps/v1', 'ConfigMap', []), 'apps/v1, Kind=ConfigMap'],
    ['an unknown group', envelope('example.com/v1', 'Widget', []), 'example.com/v1, Kind=Widget'],
    ['__proto__ as the apiVersion', envelope('__proto__', 'ConfigMap', []), '__proto__, Kind=ConfigMap'],
    ['constructor as the apiVersion', envelope('constructor', 'name', []), 'constructor, Kind=name'],
    ['an envelope message name as the kind', envelope('v1', 'Unknown', []), 'v1, Kind=Unknown'],
  ])('%s is a 415', (_name, body, what) => {
    const e = decodeError(body);
    expect(e.code).toBe(415);
    expect(e.message).toBe(`the training fleet cannot decode ${what} from protobuf; send it as application/json`);
  });

  it('an envelope without a kind is a 400, a compressed one a 415', () => {
    expect(decodeError(Buffer.from([0x6b, 0x38, 0x73, 0x00, ...bytes(2, [])])).code).toBe(400);
    const gz = decodeError(envelope('v1', 'ConfigMap', [], [str(3, 'gzip')]));
    expect([gz.code, gz.message]).toEqual([415, 'unsupported protobuf content encoding "gzip"']);
    expect(decodeError(envelope('v1', 'ConfigMap', [], [str(4, 'application/json')])).code).toBe(415);
    expect(decode(envelope('v1', 'ConfigMap', [], [str(4, PROTOBUF_CONTENT_TYPE)]))).toMatchObject({ kind: 'ConfigMap' });
  });

  it('deeply nested groups in an unknown field neither recurse nor hang', () => {
    const depth = 200_000;
    const open = Array.from({ length: depth }, () => key(9, 3)).flat();
    const close = Array.from({ length: depth }, () => key(9, 4)).flat();
    expect(decode(envelope('v1', 'ConfigMap', [...open, ...close, ...msg(1, str(1, 'ok'))]))).toMatchObject({ metadata: { name: 'ok' } });
    expect(decodeError(envelope('v1', 'ConfigMap', open)).code).toBe(400);
  });

  it('every truncation of every recorded body is a ProtobufError or a valid object', () => {
    let errors = 0;
    let total = 0;
    for (const f of protobufFixtures) {
      const body = Buffer.from(f.body, 'base64');
      for (let n = 0; n < body.length; n++) {
        total++;
        try {
          decode(body.subarray(0, n));
        } catch (e) {
          if (!(e instanceof ProtobufError)) throw e;
          errors++;
        }
      }
    }
    // Only cuts that fall exactly between the envelope's fields still parse.
    expect(errors / total).toBeGreaterThan(0.95);
  });

  it('random bytes after the magic never escape as anything but a ProtobufError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (tail) => {
        try {
          decode(Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), tail]));
        } catch (e) {
          if (!(e instanceof ProtobufError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('random corruption of recorded bodies never escapes as anything but a ProtobufError', () => {
    const bodies = protobufFixtures.map((f) => Buffer.from(f.body, 'base64'));
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (body, edits) => {
        const b = Buffer.from(body);
        for (const [at, v] of edits) b[4 + (at % (b.length - 4))] = v;
        try {
          decode(b);
        } catch (e) {
          if (!(e instanceof ProtobufError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('isProtobufContentType', () => {
  it('matches the media type with or without parameters', () => {
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf; charset=utf-8')).toBe(true);
    expect(isProtobufContentType('Application/VND.Kubernetes.Protobuf')).toBe(true);
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf;stream=watch')).toBe(true);
    expect(isProtobufContentType('application/json')).toBe(false);
    expect(isProtobufContentType(undefined)).toBe(false);
  });
});
