/**
 * Decodes `application/vnd.kubernetes.protobuf` request bodies.
 *
 * client-go's typed clients send protobuf, so kubectl 1.32 does for
 * `kubectl create configmap|secret|namespace|deployment|service|…`,
 * `kubectl auth can-i|whoami`, `kubectl create token` and the DeleteOptions
 * of `kubectl drain --disable-eviction`. It still accepts JSON answers, so
 * the training fleet only has to read protobuf: it turns the body into the
 * very JSON the client would have sent with `Content-Type: application/json`
 * and handles it from there like any other request.
 *
 * The body is the 4-byte magic `k8s\0` followed by a runtime.Unknown whose
 * typeMeta names the kind and whose raw field holds the object's message.
 */
import { ACCESS } from './protobuf/access';
import { CLUSTER } from './protobuf/cluster';
import { CORE_V1 } from './protobuf/core';
import { META_V1 } from './protobuf/meta';
import { Schema, type Decoded } from './protobuf/schema';
import { ProtobufError, Reader } from './protobuf/wire';
import { WORKLOADS } from './protobuf/workloads';

export { ProtobufError } from './protobuf/wire';

/** The media type of Kubernetes' protobuf encoding. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

// runtime.Unknown and runtime.TypeMeta (k8s.io/apimachinery/pkg/runtime/generated.proto).
const ENVELOPE = {
  Unknown: [
    [1, 'typeMeta', 'TypeMeta'],
    [2, 'raw', '[]byte'],
    [3, 'contentEncoding', 'string'],
    [4, 'contentType', 'string'],
  ],
  TypeMeta: [
    [1, 'apiVersion', 'string'],
    [2, 'kind', 'string'],
  ],
} as const;

const schema = new Schema([ENVELOPE, META_V1, CORE_V1, WORKLOADS, ACCESS, CLUSTER]);

/**
 * The kinds decodeKubernetesProtobuf understands, by apiVersion. The message
 * of each kind has the kind's name. DeleteOptions (a typed client's DELETE
 * body) is accepted in every group version, as the apiserver registers it in
 * each; client-go labels it with the version of the resource being deleted.
 */
export const PROTOBUF_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1: ['ConfigMap', 'Secret', 'Namespace', 'Service', 'ServiceAccount', 'Pod', 'Node', 'Endpoints', 'Event', 'Binding', 'ResourceQuota', 'DeleteOptions'],
  'apps/v1': ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision', 'DeleteOptions'],
  'batch/v1': ['Job', 'CronJob', 'DeleteOptions'],
  'autoscaling/v1': ['Scale', 'DeleteOptions'],
  'policy/v1': ['PodDisruptionBudget', 'Eviction', 'DeleteOptions'],
  'authorization.k8s.io/v1': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview'],
  'authentication.k8s.io/v1': ['SelfSubjectReview', 'TokenRequest', 'TokenReview'],
  'rbac.authorization.k8s.io/v1': ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'DeleteOptions'],
  'coordination.k8s.io/v1': ['Lease', 'DeleteOptions'],
  'networking.k8s.io/v1': ['Ingress', 'DeleteOptions'],
  'scheduling.k8s.io/v1': ['PriorityClass', 'DeleteOptions'],
  'meta.k8s.io/v1': ['DeleteOptions'],
};

for (const kinds of Object.values(PROTOBUF_KINDS)) {
  for (const k of kinds) if (!schema.has(k)) throw new Error(`PROTOBUF_KINDS names ${k}, which has no message table`);
}

/** Whether a Content-Type header (parameters allowed) is Kubernetes protobuf. */
export function isProtobufContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() === PROTOBUF_CONTENT_TYPE;
}

/**
 * Decodes a Kubernetes protobuf request body into the JSON object a client
 * would have sent for it: `kind` and `apiVersion` from the envelope, field
 * names as in the JSON API, int64 as numbers, Time as RFC 3339
 * (`2026-11-28T03:08:54Z`), IntOrString as a number or string, Quantity as
 * its string, []byte as base64, and fields absent or null exactly where
 * encoding/json would leave them out or write null.
 *
 * @throws ProtobufError with `code` 400 for a body that is not valid (wrong
 * magic, truncated varint or length, wrong wire type), and 415 for a valid
 * envelope the fleet cannot decode (a kind missing from PROTOBUF_KINDS, a
 * content encoding).
 */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    // The apiserver's own wording for this case.
    throw new ProtobufError(`provided data does not appear to be a protobuf message, expected prefix [${[...MAGIC].join(' ')}]`);
  }
  const unknown = decodeOrExplain('Unknown', new Reader(body, MAGIC.length), 'envelope');
  const typeMeta = unknown.get(1) as Decoded | undefined;
  const apiVersion = (typeMeta?.get(1) as string | undefined) ?? '';
  const kind = (typeMeta?.get(2) as string | undefined) ?? '';
  const raw = (unknown.get(2) as Uint8Array | undefined) ?? new Uint8Array(0);
  const encoding = (unknown.get(3) as string | undefined) ?? '';
  const contentType = (unknown.get(4) as string | undefined) ?? '';
  if (encoding !== '') throw new ProtobufError(`unsupported protobuf content encoding ${JSON.stringify(encoding)}`, 415);
  if (contentType !== '' && contentType !== PROTOBUF_CONTENT_TYPE) throw new ProtobufError(`unsupported content type ${JSON.stringify(contentType)} inside a protobuf envelope`, 415);
  if (kind === '') throw new ProtobufError('object has no kind: the protobuf envelope carries no TypeMeta');
  if (!Object.hasOwn(PROTOBUF_KINDS, apiVersion) || !PROTOBUF_KINDS[apiVersion]?.includes(kind)) {
    throw new ProtobufError(`the training fleet cannot decode ${apiVersion}, Kind=${kind} from protobuf; send it as application/json`, 415);
  }
  const object = decodeOrExplain(kind, new Reader(raw), kind);
  // encoding/json writes TypeMeta first: kind, then apiVersion.
  const out: Record<string, unknown> = { kind, apiVersion };
  try {
    return schema.render(kind, object, out);
  } catch (e) {
    throw explain(e, kind);
  }
}

function decodeOrExplain(name: string, r: Reader, what: string): Decoded {
  try {
    return schema.decode(name, r);
  } catch (e) {
    throw explain(e, what);
  }
}

// Prefixes the failure with where in the object it happened: "Deployment.spec.template: unexpected EOF …".
function explain(e: unknown, root: string): unknown {
  if (!(e instanceof ProtobufError)) return e;
  const where = [root, ...e.path].join('.');
  const err = new ProtobufError(`invalid protobuf body at ${where}: ${e.message}`, e.code);
  err.path.push(...e.path);
  return err;
}
