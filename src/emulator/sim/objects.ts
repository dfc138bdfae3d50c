/**
 * Builders for the Kubernetes objects of the training fleet, shaped exactly
 * like a v1.32 apiserver returns them: defaulted fields present, Go struct
 * field order, map keys sorted, `omitempty` fields absent. Used by the
 * generator for the initial fleet and by the emulator's controllers at run
 * time, so they are pure (time and randomness are passed in) and cheap.
 *
 * No builder sets `metadata.resourceVersion`: the store assigns it.
 *
 * Sharing: pods built from a {@link PreparedTemplate} share deeply frozen,
 * immutable sub-objects (container ports, resources, probes, env, security
 * contexts, default tolerations) with each other — 150,000 pods per site
 * would otherwise cost several GB. Pod specs are immutable in the real API
 * too; code that wants to change one of those parts must replace the part,
 * not mutate it (a mutation throws, since the shared parts are frozen).
 */
import { civilFromDays } from '../civil-date';
import { Rng } from '../rng';
import type { KObject, ObjectMeta, OwnerReference } from '../types';
import {
  KUBERNETES_VERSION,
  VAULT_AGENT_IMAGE,
  fnv1a,
  type ContainerSpec,
  type K8sEnvVar,
  type K8sPort,
  type K8sProbe,
  type K8sResources,
  type K8sVolumeMount,
  type PdbSpec,
  type ServicePortSpec,
  type ServiceSpec,
  type Toleration,
} from './catalog';
import { TAINT_CONTROL_PLANE, nodeLabels, type NodeSpec } from './topology';

type Obj = Record<string, unknown>;

// ---------------------------------------------------------------------------
// Small primitives.

// Strings built by concatenation are ropes in V8 (several heap objects each);
// with 150,000 pods that overhead matters, so the hot formatters below build
// flat strings from char-code arrays instead.
const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
const codes: number[] = [];

function flat(n: number): string {
  codes.length = n;
  return String.fromCharCode.apply(null, codes);
}

function put2(at: number, v: number): void {
  codes[at] = 48 + Math.floor(v / 10);
  codes[at + 1] = 48 + (v % 10);
}

/** RFC3339 (UTC, seconds) of a whole number of epoch seconds, via civil-from-days. */
function formatSeconds(sec: number): string {
  const days = Math.floor(sec / 86400);
  let rem = sec - days * 86400;
  const [y, m, d] = civilFromDays(days);
  if (y < 0 || y > 9999) return new Date(sec * 1000).toISOString().slice(0, 19) + 'Z';
  const hh = Math.floor(rem / 3600);
  rem -= hh * 3600;
  const mm = Math.floor(rem / 60);
  const ss = rem - mm * 60;
  put2(0, Math.floor(y / 100));
  put2(2, y % 100);
  codes[4] = 45;
  put2(5, m);
  codes[7] = 45;
  put2(8, d);
  codes[10] = 84;
  put2(11, hh);
  codes[13] = 58;
  put2(14, mm);
  codes[16] = 58;
  put2(17, ss);
  codes[19] = 90;
  return flat(20);
}

const tsCache = new Map<number, string>();
// Cache keys relative to ~2023 so they stay small integers (fast Map keys).
const TS_EPOCH = 1_700_000_000;

/** RFC3339 with second precision, as metav1.Time serialises: `2026-11-28T03:08:54Z`. */
export function ts(ms: number): string {
  const sec = Math.floor(ms / 1000);
  const key = sec - TS_EPOCH;
  let s = tsCache.get(key);
  if (s === undefined) {
    s = formatSeconds(sec);
    // Bounded memo: many objects share timestamps, and sharing the string saves memory too.
    if (tsCache.size >= 200_000) tsCache.clear();
    tsCache.set(key, s);
  }
  return s;
}

/** RFC3339 with microseconds, as metav1.MicroTime serialises (Lease renewTime). */
export function microTs(ms: number, micros = 0): string {
  const base = new Date(Math.floor(ms)).toISOString().slice(0, 23);
  return `${base}${String(Math.floor(micros) % 1000).padStart(3, '0')}Z`;
}

function putHex(rng: Rng, at: number, len: number): void {
  for (let i = 0; i < len; i += 8) {
    const v = Math.floor(rng.float() * 4294967296);
    const n = Math.min(8, len - i);
    for (let k = 0; k < n; k++) codes[at + i + k] = HEX_CODES[(v >>> (28 - 4 * k)) & 15] as number;
  }
}

/** `len` lower-case hex digits from the rng. */
export function hex(rng: Rng, len: number): string {
  putHex(rng, 0, len);
  return flat(len);
}

const CONTAINERD_PREFIX = Array.from('containerd://', (c) => c.charCodeAt(0));

/** `containerd://<64 hex>`, as containerStatuses[].containerID. */
export function containerId(rng: Rng): string {
  for (let i = 0; i < CONTAINERD_PREFIX.length; i++) codes[i] = CONTAINERD_PREFIX[i] as number;
  putHex(rng, CONTAINERD_PREFIX.length, 64);
  return flat(CONTAINERD_PREFIX.length + 64);
}

/** A version-4-shaped UUID from the rng (what the apiserver puts in metadata.uid). */
export function uuid(rng: Rng): string {
  // 8-4-4-4-12 with the version nibble 4 and variant bits 10xx.
  putHex(rng, 0, 8);
  codes[8] = 45;
  putHex(rng, 9, 4);
  codes[13] = 45;
  putHex(rng, 14, 4);
  codes[14] = 52;
  codes[18] = 45;
  putHex(rng, 19, 4);
  codes[19] = HEX_CODES[8 + ((codes[19] as number) & 3)] as number;
  codes[23] = 45;
  putHex(rng, 24, 12);
  return flat(36);
}

/** A UUID that depends only on `seed`, for builders that are called without an rng. */
export function uuidFrom(seed: string): string {
  return uuid(new Rng(`uid:${seed}`));
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * `rand.SafeEncodeString(fmt.Sprint(hash))` from apimachinery: maps each
 * decimal digit to the vowel-free alphabet, giving the familiar
 * `7c5ddbdf54`-style pod-template-hash values.
 */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** pod-template-hash / controller-revision-hash of a pod template (FNV-32a of its JSON). */
export function templateHash(template: unknown, collisionCount = 0): string {
  return safeEncode(String(fnv1a(JSON.stringify(template) + (collisionCount ? `#${collisionCount}` : ''))));
}

const digestCache = new Map<string, string>();

/** A stable `sha256:<64 hex>` for an image reference (the same image has the same digest everywhere). */
export function imageDigest(image: string): string {
  let d = digestCache.get(image);
  if (d === undefined) {
    let h = '';
    for (let i = 0; i < 8; i++) h += fnv1a(`${i}:${image}`).toString(16).padStart(8, '0');
    d = `sha256:${h}`;
    digestCache.set(image, d);
  }
  return d;
}

/** `repo@sha256:…` as containerd reports in containerStatuses[].imageID. */
export function imageID(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image;
  const colon = image.lastIndexOf(':');
  const repo = colon > image.lastIndexOf('/') ? image.slice(0, colon) : image;
  return `${repo}@${imageDigest(image)}`;
}

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
};

/** Parses a resource.Quantity string (`500m`, `1536Mi`, `64`) into a plain number (cores, bytes). */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) throw new Error(`bad quantity ${q}`);
  const mult = SUFFIX[m[2] as string];
  if (mult === undefined) throw new Error(`bad quantity suffix ${q}`);
  return parseFloat(m[1] as string) * mult;
}

/** Copy with keys sorted, as Go's encoding/json emits map[string]string. */
export function sortedMap(m: Record<string, string>): Record<string, string> {
  const keys = Object.keys(m);
  let sorted = true;
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return m;
  const out: Record<string, string> = {};
  for (const k of keys.sort()) out[k] = m[k] as string;
  return out;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

/** Plain JSON deep copy (templates are small; this is only used once per template). */
function cloneJson<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Shared context of every builder: the clock and the random stream. */
export interface BuildContext {
  now: number;
  rng: Rng;
  /** Defaults to a moment shortly before `now`. */
  createdAt?: number;
}

const DAY = 86_400_000;

function meta(name: string, namespace: string | undefined, uid: string, createdAt: number): ObjectMeta {
  const m: ObjectMeta = { name };
  if (namespace !== undefined) m.namespace = namespace;
  m.uid = uid;
  m.creationTimestamp = ts(createdAt);
  return m;
}

/** The helm annotations every Helm-managed object carries. */
function helmAnnotations(spec: ServiceSpec): Record<string, string> | undefined {
  return spec.helmRelease
    ? { 'meta.helm.sh/release-name': spec.helmRelease, 'meta.helm.sh/release-namespace': spec.namespace }
    : undefined;
}

// ---------------------------------------------------------------------------
// Nodes.

/** Optional inputs of {@link buildNode}. */
export interface NodeBuildOptions {
  /** When the Node object was registered (default: 30–400 days before now). */
  createdAt?: number;
  /** Last boot (Flatcar update reboot); default: a few days ago. */
  bootedAt?: number;
}

/** nodeInfo.osImage of every node. */
export const FLATCAR_OS_IMAGE = 'Flatcar Container Linux by Kinvolk 4081.2.0 (Oklo)';
/** nodeInfo.kernelVersion of every node. */
export const FLATCAR_KERNEL = '6.6.60-flatcar';
/** nodeInfo.containerRuntimeVersion of every node. */
export const CONTAINERD_VERSION = 'containerd://1.7.23';

const KUBE_RESERVED_CPU = 1;
// kube-reserved 1Gi + system-reserved 1Gi + eviction-hard memory.available 100Mi.
const RESERVED_MEMORY_KI = 2 * 1_048_576 + 102_400;

/**
 * A Node as the kubelet registers it on bare metal (no providerID), with
 * Calico's annotations and NetworkUnavailable condition, all conditions
 * healthy. Heartbeats are a few seconds to minutes old, as with node leases.
 */
export function buildNode(spec: NodeSpec, now: number, rng: Rng, opts: NodeBuildOptions = {}): KObject {
  const createdAt = opts.createdAt ?? now - rng.int(30, 400) * DAY;
  const bootedAt = Math.max(createdAt, opts.bootedAt ?? now - rng.int(1, 20) * DAY - rng.int(0, 86_399) * 1000);
  const heartbeat = ts(now - rng.int(2, 50) * 1000);
  const readySince = ts(bootedAt + rng.int(20, 60) * 1000);
  const model = spec.model;
  const capacity = {
    cpu: String(model.cpu),
    'ephemeral-storage': `${model.ephemeralStorageKi}Ki`,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${spec.memoryKi}Ki`,
    pods: '110',
  };
  const allocatable = {
    cpu: String(model.cpu - KUBE_RESERVED_CPU),
    // Eviction threshold nodefs.available<10%: allocatable is printed in bytes.
    'ephemeral-storage': String(Math.floor(model.ephemeralStorageKi * 1024 * 0.9)),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${spec.memoryKi - RESERVED_MEMORY_KI}Ki`,
    pods: '110',
  };
  const cond = (type: string, status: string, reason: string, message: string): Obj => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: readySince,
    reason,
    message,
  });
  const calicoUp = ts(bootedAt + rng.int(25, 90) * 1000);
  const cidr = spec.podCIDR;
  const nodeSpec: Obj = { podCIDR: cidr, podCIDRs: [cidr] };
  if (spec.tainted) nodeSpec.taints = [{ key: TAINT_CONTROL_PLANE, effect: 'NoSchedule' }];
  const m = meta(spec.name, undefined, uuid(rng), createdAt);
  m.labels = nodeLabels(spec);
  m.annotations = {
    'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
    'node.alpha.kubernetes.io/ttl': '0',
    'projectcalico.org/IPv4Address': `${spec.internalIP}/24`,
    'projectcalico.org/IPv4IPIPTunnelAddr': cidr.replace(/\.0\/24$/, '.1'),
    'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
  };
  return {
    kind: 'Node',
    apiVersion: 'v1',
    metadata: m,
    spec: nodeSpec,
    status: {
      capacity,
      allocatable,
      conditions: [
        {
          type: 'NetworkUnavailable',
          status: 'False',
          lastHeartbeatTime: calicoUp,
          lastTransitionTime: calicoUp,
          reason: 'CalicoIsUp',
          message: 'Calico is running on this node',
        },
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: spec.internalIP },
        { type: 'Hostname', address: spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: hex(rng, 32),
        // Dell servers report SMBIOS UUIDs starting with "DELL" in ASCII (4C4C4544).
        systemUUID: `4C4C4544-00${hex(rng, 2)}-${hex(rng, 4)}-80${hex(rng, 2)}-${hex(rng, 12)}`.toUpperCase(),
        bootID: uuid(rng),
        kernelVersion: FLATCAR_KERNEL,
        osImage: FLATCAR_OS_IMAGE,
        containerRuntimeVersion: CONTAINERD_VERSION,
        kubeletVersion: KUBERNETES_VERSION,
        kubeProxyVersion: KUBERNETES_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

// ---------------------------------------------------------------------------
// Namespaces, ConfigMaps, Leases.

/** A namespace as `kubectl create namespace` (or Helm) leaves it. */
export function buildNamespace(name: string, ctx: BuildContext & { labels?: Record<string, string> }): KObject {
  const m = meta(name, undefined, uuid(ctx.rng), ctx.createdAt ?? ctx.now - DAY);
  m.labels = sortedMap({ ...ctx.labels, 'kubernetes.io/metadata.name': name });
  return { kind: 'Namespace', apiVersion: 'v1', metadata: m, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

/** A core/v1 ConfigMap (data keys sorted, as the apiserver emits them). */
export function buildConfigMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  ctx: BuildContext & { labels?: Record<string, string>; annotations?: Record<string, string> },
): KObject {
  const m = meta(name, namespace, uuid(ctx.rng), ctx.createdAt ?? ctx.now - DAY);
  if (ctx.labels) m.labels = sortedMap(ctx.labels);
  if (ctx.annotations) m.annotations = sortedMap(ctx.annotations);
  return { kind: 'ConfigMap', apiVersion: 'v1', metadata: m, data: sortedMap(data) };
}

/** The `kube-root-ca.crt` ConfigMap the root-ca-cert-publisher puts in every namespace. */
export function buildRootCaConfigMap(namespace: string, caPem: string, ctx: BuildContext): KObject {
  return buildConfigMap(namespace, 'kube-root-ca.crt', { 'ca.crt': caPem }, {
    ...ctx,
    annotations: {
      'kubernetes.io/description':
        'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
    },
  });
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A PEM block that looks like a cluster CA certificate (right length, right
 * DER prefix). It is not a parseable certificate: nothing in the emulator
 * verifies TLS against it.
 */
export function fakeCaPem(rng: Rng): string {
  let body = 'MIIDBTCCAe2gAwIBAgII';
  while (body.length < 1040) body += B64[rng.int(0, 63)];
  body += '=';
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Input of {@link buildLease}; times are epoch ms. */
export interface LeaseInput {
  name: string;
  namespace: string;
  holderIdentity: string;
  leaseDurationSeconds: number;
  renewTime: number;
  acquireTime?: number;
  leaseTransitions?: number;
  labels?: Record<string, string>;
  owner?: OwnerReference;
}

/** A coordination.k8s.io/v1 Lease (leader election, node heartbeats, apiserver identity). */
export function buildLease(input: LeaseInput, ctx: BuildContext): KObject {
  const m = meta(input.name, input.namespace, uuid(ctx.rng), ctx.createdAt ?? input.acquireTime ?? ctx.now - DAY);
  if (input.labels) m.labels = sortedMap(input.labels);
  if (input.owner) m.ownerReferences = [input.owner];
  const spec: Obj = { holderIdentity: input.holderIdentity, leaseDurationSeconds: input.leaseDurationSeconds };
  if (input.acquireTime !== undefined) spec.acquireTime = microTs(input.acquireTime, ctx.rng.int(0, 999));
  spec.renewTime = microTs(input.renewTime, ctx.rng.int(0, 999));
  if (input.leaseTransitions !== undefined) spec.leaseTransitions = input.leaseTransitions;
  return { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: m, spec };
}

/** The kubelet's heartbeat Lease in kube-node-lease, owned by its Node, renewed every ~10s. */
export function buildNodeLease(node: KObject, now: number, rng: Rng): KObject {
  const name = node.metadata.name;
  return buildLease(
    {
      name,
      namespace: 'kube-node-lease',
      holderIdentity: name,
      leaseDurationSeconds: 40,
      renewTime: now - rng.int(0, 9_999),
      owner: { apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? uuidFrom(name) },
    },
    { now, rng, createdAt: Date.parse(node.metadata.creationTimestamp ?? ts(now)) },
  );
}

// ---------------------------------------------------------------------------
// Pod templates.

/** A container in the apiserver's defaulted form. */
export interface K8sContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: K8sPort[];
  env?: K8sEnvVar[];
  resources: K8sResources;
  volumeMounts?: K8sVolumeMount[];
  livenessProbe?: K8sProbe;
  readinessProbe?: K8sProbe;
  terminationMessagePath: string;
  terminationMessagePolicy: string;
  imagePullPolicy: string;
  securityContext?: Record<string, unknown>;
}

/** The pod spec of a workload template, defaulted. */
export interface PodTemplateSpec {
  volumes?: Obj[];
  initContainers?: K8sContainer[];
  containers: K8sContainer[];
  restartPolicy: string;
  terminationGracePeriodSeconds: number;
  dnsPolicy: string;
  nodeSelector?: Record<string, string>;
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostPID?: boolean;
  securityContext: Obj;
  affinity?: Obj;
  schedulerName: string;
  tolerations?: Toleration[];
  priorityClassName?: string;
}

/** `spec.template` of a workload, defaulted as the apiserver stores it. */
export interface PodTemplate {
  metadata: { creationTimestamp: null; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodTemplateSpec;
}

/** A container in the apiserver's defaulted form and field order, optionally with an extra mount. */
function k8sContainer(c: ContainerSpec | K8sContainer, extraMount?: K8sVolumeMount): K8sContainer {
  const out: Obj = { name: c.name, image: c.image };
  if (c.command) out.command = c.command;
  if (c.args) out.args = c.args;
  if (c.ports) out.ports = c.ports;
  if (c.env) out.env = c.env;
  out.resources = c.resources;
  const mounts = extraMount ? [...(c.volumeMounts ?? []), extraMount] : c.volumeMounts;
  if (mounts) out.volumeMounts = mounts;
  if (c.livenessProbe) out.livenessProbe = c.livenessProbe;
  if (c.readinessProbe) out.readinessProbe = c.readinessProbe;
  out.terminationMessagePath = '/dev/termination-log';
  out.terminationMessagePolicy = 'File';
  // The apiserver defaults to Always for :latest and IfNotPresent otherwise.
  out.imagePullPolicy = c.image.endsWith(':latest') ? 'Always' : 'IfNotPresent';
  if (c.securityContext) out.securityContext = c.securityContext;
  return out as unknown as K8sContainer;
}

/** Turns a catalog entry into its workload's pod template. */
export function podTemplateFor(spec: ServiceSpec): PodTemplate {
  const s: Obj = {};
  if (spec.volumes) s.volumes = cloneJson(spec.volumes);
  if (spec.initContainers) s.initContainers = spec.initContainers.map((c) => k8sContainer(cloneJson(c)));
  s.containers = spec.containers.map((c) => k8sContainer(cloneJson(c)));
  s.restartPolicy = 'Always';
  s.terminationGracePeriodSeconds = spec.terminationGracePeriodSeconds;
  s.dnsPolicy = spec.dnsPolicy;
  if (spec.nodeSelector) s.nodeSelector = { ...spec.nodeSelector };
  // Static pods cannot reference service accounts.
  if (spec.kind !== 'StaticPod') {
    s.serviceAccountName = spec.serviceAccountName;
    s.serviceAccount = spec.serviceAccountName;
    if (!spec.automountToken) s.automountServiceAccountToken = false;
  }
  if (spec.hostNetwork) s.hostNetwork = true;
  if (spec.hostPID) s.hostPID = true;
  s.securityContext = {};
  s.schedulerName = 'default-scheduler';
  if (spec.tolerations) s.tolerations = cloneJson(spec.tolerations);
  if (spec.priorityClassName) s.priorityClassName = spec.priorityClassName;
  const metadata: PodTemplate['metadata'] = { creationTimestamp: null, labels: sortedMap({ ...spec.selector }) };
  if (spec.podAnnotations) metadata.annotations = sortedMap({ ...spec.podAnnotations });
  return { metadata, spec: s as unknown as PodTemplateSpec };
}

/** Returns a copy of `template` whose first container runs `image` (rollouts, old ReplicaSets). */
export function withImage(template: PodTemplate, image: string): PodTemplate {
  const t = cloneJson(template);
  const first = t.spec.containers[0];
  if (first) first.image = image;
  return t;
}

// ---------------------------------------------------------------------------
// Pods.

const PRIORITY: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** True if `tols` tolerate a taint `key` with `effect` (value-less taints, as on this fleet). */
export function tolerates(tols: readonly Toleration[], key: string, effect: string): boolean {
  return tols.some(
    (t) =>
      (t.effect === undefined || t.effect === effect) &&
      (t.operator === 'Exists' ? t.key === undefined || t.key === key : t.key === key),
  );
}

/** What the DefaultTolerationSeconds admission plugin adds to every pod. */
function withDefaultTolerations(tols: readonly Toleration[]): Toleration[] {
  const out = [...tols];
  if (!tolerates(tols, NOT_READY, 'NoExecute'))
    out.push({ key: NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  if (!tolerates(tols, UNREACHABLE, 'NoExecute'))
    out.push({ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  return out;
}

/** What the DaemonSet controller adds to its pods (before admission). */
function withDaemonSetTolerations(tols: readonly Toleration[], hostNetwork: boolean): Toleration[] {
  const add: Toleration[] = [
    { key: NOT_READY, operator: 'Exists', effect: 'NoExecute' },
    { key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) add.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const out = [...tols];
  for (const t of add) {
    if (!out.some((o) => o.key === t.key && o.operator === t.operator && o.effect === t.effect && o.tolerationSeconds === undefined)) out.push(t);
  }
  return withDefaultTolerations(out);
}

function qosClassOf(containers: readonly K8sContainer[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const r = c.resources;
    const req = r.requests ?? {};
    const lim = r.limits ?? {};
    if (req.cpu || req.memory || lim.cpu || lim.memory) any = true;
    if (!lim.cpu || !lim.memory || (req.cpu && req.cpu !== lim.cpu) || (req.memory && req.memory !== lim.memory)) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const API_ACCESS_SOURCES = deepFreeze([
  { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
  { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
  { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
]);
const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** What the vault-agent-injector webhook adds to a pod that asks for it. */
function vaultAgent(name: string, home: string): K8sContainer {
  return k8sContainer({
    name,
    image: VAULT_AGENT_IMAGE,
    command: ['/bin/sh', '-ec'],
    args: ['echo ${VAULT_CONFIG?} | base64 -d > /home/vault/config.json && vault agent -config=/home/vault/config.json'],
    resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
    volumeMounts: [
      { name: home, mountPath: '/home/vault' },
      { name: 'vault-secrets', mountPath: '/vault/secrets' },
    ],
    securityContext: { runAsUser: 100, runAsGroup: 1000, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  });
}

/** Per-container data computed once per template. */
interface PreparedContainer {
  spec: K8sContainer;
  /** Image reference as containerd reports it, and its imageID. */
  image: string;
  imageID: string;
  /** containerStatuses[].volumeMounts for the template's own mounts. */
  mountStatus: Obj[] | undefined;
}

/** The pod's containers: the shared template ones, or copies with the token mount added. */
function podContainers(list: readonly PreparedContainer[], apiMount: K8sVolumeMount | undefined): K8sContainer[] {
  const out: K8sContainer[] = [];
  for (const c of list) out.push(apiMount ? k8sContainer(c.spec, apiMount) : c.spec);
  return out;
}

/**
 * A pod template pre-processed for building many pods: defaults,
 * admission/webhook mutations, QoS and requests are computed once, and the
 * immutable parts are frozen so pods can share them.
 */
export class PreparedTemplate {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string> | undefined;
  readonly spec: PodTemplateSpec;
  readonly volumes: readonly Obj[];
  readonly initContainers: readonly PreparedContainer[];
  readonly containers: readonly PreparedContainer[];
  readonly automount: boolean;
  readonly qosClass: string;
  readonly priority: number;
  readonly tolerations: readonly Toleration[];
  /** Tolerations of DaemonSet pods (the controller adds node-condition ones). */
  readonly daemonSetTolerations: readonly Toleration[];
  /** Sum of container requests: CPU in cores, memory in bytes (what the scheduler counts). */
  readonly requests: { cpu: number; memory: number };
  /** Seconds from container start to Ready (readiness probe's initial delay, roughly). */
  readonly readyDelay: number;

  constructor(template: PodTemplate) {
    const t = cloneJson(template);
    const spec = t.spec;
    let annotations = t.metadata.annotations;
    let initContainers = spec.initContainers ?? [];
    let containers = spec.containers;
    let volumes = spec.volumes ?? [];
    if (annotations?.['vault.hashicorp.com/agent-inject'] === 'true' && !annotations['vault.hashicorp.com/agent-inject-status']) {
      annotations = sortedMap({ ...annotations, 'vault.hashicorp.com/agent-inject-status': 'injected' });
      initContainers = [...initContainers, vaultAgent('vault-agent-init', 'home-init')];
      containers = [...containers, vaultAgent('vault-agent', 'home-sidecar')];
      volumes = [
        ...volumes,
        { name: 'home-init', emptyDir: { medium: 'Memory' } },
        { name: 'home-sidecar', emptyDir: { medium: 'Memory' } },
        { name: 'vault-secrets', emptyDir: { medium: 'Memory' } },
      ];
    }
    const prep = (c: K8sContainer): PreparedContainer => ({
      spec: deepFreeze(c),
      image: c.image,
      imageID: imageID(c.image),
      mountStatus: c.volumeMounts ? deepFreeze(c.volumeMounts.map(mountStatus)) : undefined,
    });
    this.labels = sortedMap(t.metadata.labels);
    this.annotations = annotations && sortedMap(annotations);
    this.spec = spec;
    this.volumes = deepFreeze(volumes);
    this.initContainers = initContainers.map(prep);
    this.containers = containers.map(prep);
    this.automount = spec.serviceAccountName !== undefined && spec.automountServiceAccountToken !== false;
    this.qosClass = qosClassOf([...initContainers, ...containers]);
    this.priority = PRIORITY[spec.priorityClassName ?? ''] ?? 0;
    this.tolerations = deepFreeze(withDefaultTolerations(spec.tolerations ?? []));
    this.daemonSetTolerations = deepFreeze(withDaemonSetTolerations(spec.tolerations ?? [], spec.hostNetwork === true));
    let cpu = 0;
    let memory = 0;
    for (const c of containers) {
      cpu += parseQuantity(c.resources.requests?.cpu ?? c.resources.limits?.cpu);
      memory += parseQuantity(c.resources.requests?.memory ?? c.resources.limits?.memory);
    }
    this.requests = { cpu, memory };
    const probe = containers[0]?.readinessProbe;
    this.readyDelay = probe ? (probe.initialDelaySeconds ?? 0) + probe.periodSeconds : 1;
  }
}

/** Prepares a template once for many {@link buildPod} calls. */
export function preparePodTemplate(template: PodTemplate): PreparedTemplate {
  return new PreparedTemplate(template);
}

/** containerStatuses[].volumeMounts: the template's mounts plus this pod's token mount. */
function statusMounts(pc: PreparedContainer, apiMount: Obj | undefined): readonly Obj[] | undefined {
  return apiMount ? [...(pc.mountStatus ?? []), apiMount] : pc.mountStatus;
}

function mountStatus(m: K8sVolumeMount): Obj {
  return m.readOnly ? { name: m.name, mountPath: m.mountPath, readOnly: true, recursiveReadOnly: 'Disabled' } : { name: m.name, mountPath: m.mountPath };
}

/**
 * Run-time state of a pod:
 * - `running`: all containers up and ready;
 * - `not-ready`: running, readiness probe failing;
 * - `crashloop`: first container in CrashLoopBackOff;
 * - `creating`: bound, sandbox/containers being created (ContainerCreating);
 * - `image-pull-backoff`: first container cannot pull its image;
 * - `unschedulable`: not bound (`nodeName` undefined).
 */
export type PodState = 'running' | 'not-ready' | 'crashloop' | 'creating' | 'image-pull-backoff' | 'unschedulable';

/** The controller of a pod (becomes its controller ownerReference). */
export interface PodOwner {
  kind: string;
  name: string;
  uid: string;
  apiVersion: string;
}

/** How the previous instance of a container ended. */
export interface LastTermination {
  reason: 'Error' | 'OOMKilled' | 'Completed' | 'Unknown';
  exitCode: number;
  /** When the previous instance ended (ms). */
  finishedAt: number;
}

/** Per-pod inputs of {@link buildPod}; times are epoch ms. */
export interface PodOptions {
  name: string;
  namespace: string;
  /** Default derives from the name for controller-made pods (`<owner>-`). */
  generateName?: string;
  state?: PodState;
  /** Pod IP (ignored for hostNetwork pods, which use hostIP). */
  ip?: string;
  hostIP?: string;
  now: number;
  rng: Rng;
  /** When the current containers started (ms). */
  startedAt: number;
  /** When the pod object was created (ms); default a few seconds before startedAt. */
  createdAt?: number;
  restartCount?: number;
  /** Previous exit of the first container, for restarted / crash-looping pods. */
  lastTermination?: LastTermination;
  /** Extra labels (pod-template-hash, controller-revision-hash, …). */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** StatefulSet pods: hostname and governing service. */
  hostname?: string;
  subdomain?: string;
  /** Volumes placed before the template's (StatefulSet PVC volumes). */
  extraVolumes?: Obj[];
  /** PodScheduled message for unschedulable pods. */
  message?: string;
  /** Marks the pod Terminating. */
  deletionTimestamp?: number;
  uid?: string;
}

/** Go duration formatting of the kubelet's back-off (10s, 20s, 40s, 1m20s, 2m40s, 5m0s). */
function backOff(restarts: number): string {
  const s = Math.min(300, 10 * 2 ** Math.max(0, restarts - 1));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`;
}

function podCondition(type: string, status: string, at: string, reason?: string, message?: string): Obj {
  const c: Obj = { type, status, lastProbeTime: null, lastTransitionTime: at };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/**
 * A full Pod as the apiserver returns it after scheduling, admission and the
 * kubelet's status updates. `template` is the owner's `spec.template` (or a
 * {@link PreparedTemplate} of it, which is much faster for many pods).
 * `nodeName` undefined means unscheduled (use state `unschedulable`).
 */
export function buildPod(
  template: PodTemplate | PreparedTemplate,
  owner: PodOwner,
  nodeName: string | undefined,
  opts: PodOptions,
): KObject {
  const p = template instanceof PreparedTemplate ? template : new PreparedTemplate(template);
  const { rng, now } = opts;
  const state: PodState = nodeName === undefined ? 'unschedulable' : (opts.state ?? 'running');
  const uid = opts.uid ?? uuid(rng);
  const created = opts.createdAt ?? opts.startedAt - rng.int(2, 6) * 1000;
  const spec = p.spec;
  const hostNetwork = spec.hostNetwork === true;

  // --- metadata
  const m: ObjectMeta = { name: opts.name };
  const gen = opts.generateName ?? (owner.kind === 'StatefulSet' || owner.kind === 'Node' ? undefined : `${owner.name}-`);
  if (gen !== undefined) m.generateName = gen;
  m.namespace = opts.namespace;
  m.uid = uid;
  m.creationTimestamp = ts(created);
  if (opts.deletionTimestamp !== undefined) {
    m.deletionTimestamp = ts(opts.deletionTimestamp);
    m.deletionGracePeriodSeconds = spec.terminationGracePeriodSeconds;
  }
  m.labels = opts.labels ? sortedMap({ ...p.labels, ...opts.labels }) : p.labels;
  const annotations = opts.annotations ? sortedMap({ ...p.annotations, ...opts.annotations }) : p.annotations;
  if (annotations) m.annotations = annotations;
  const ref: OwnerReference = { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true };
  // Mirror pods reference their Node without blocking its deletion.
  if (owner.kind !== 'Node') ref.blockOwnerDeletion = true;
  m.ownerReferences = [ref];

  // --- spec
  let apiMount: K8sVolumeMount | undefined;
  let apiMountStatus: Obj | undefined;
  let volumes: Obj[] | readonly Obj[] = p.volumes;
  if (p.automount) {
    const volName = `kube-api-access-${rng.suffix(5)}`;
    apiMount = { name: volName, readOnly: true, mountPath: SA_MOUNT_PATH };
    apiMountStatus = { name: volName, mountPath: SA_MOUNT_PATH, readOnly: true, recursiveReadOnly: 'Disabled' };
    volumes = [...(opts.extraVolumes ?? []), ...p.volumes, { name: volName, projected: { sources: API_ACCESS_SOURCES, defaultMode: 420 } }];
  } else if (opts.extraVolumes) {
    volumes = [...opts.extraVolumes, ...p.volumes];
  }
  const s: Obj = {};
  if (volumes.length) s.volumes = volumes;
  if (p.initContainers.length) s.initContainers = podContainers(p.initContainers, apiMount);
  s.containers = podContainers(p.containers, apiMount);
  s.restartPolicy = spec.restartPolicy;
  s.terminationGracePeriodSeconds = spec.terminationGracePeriodSeconds;
  s.dnsPolicy = spec.dnsPolicy;
  if (spec.nodeSelector) s.nodeSelector = spec.nodeSelector;
  if (spec.serviceAccountName !== undefined) {
    s.serviceAccountName = spec.serviceAccountName;
    s.serviceAccount = spec.serviceAccountName;
  }
  if (spec.automountServiceAccountToken !== undefined) s.automountServiceAccountToken = spec.automountServiceAccountToken;
  if (nodeName !== undefined) s.nodeName = nodeName;
  if (hostNetwork) s.hostNetwork = true;
  if (spec.hostPID) s.hostPID = true;
  s.securityContext = spec.securityContext;
  if (opts.hostname) s.hostname = opts.hostname;
  if (opts.subdomain) s.subdomain = opts.subdomain;
  if (owner.kind === 'DaemonSet' && nodeName !== undefined) {
    // The DaemonSet controller pins each pod to its node with node affinity.
    s.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
        },
      },
    };
  } else if (spec.affinity) {
    s.affinity = spec.affinity;
  }
  s.schedulerName = spec.schedulerName;
  s.tolerations = owner.kind === 'DaemonSet' ? p.daemonSetTolerations : p.tolerations;
  if (spec.priorityClassName) s.priorityClassName = spec.priorityClassName;
  s.priority = p.priority;
  s.enableServiceLinks = true;
  s.preemptionPolicy = 'PreemptLowerPriority';

  // --- status
  const status: Obj = {};
  if (state === 'unschedulable') {
    status.phase = 'Pending';
    status.conditions = [
      podCondition('PodScheduled', 'False', ts(created), 'Unschedulable', opts.message ?? '0/0 nodes are available: no nodes available to schedule pods.'),
    ];
    status.qosClass = p.qosClass;
    return { kind: 'Pod', apiVersion: 'v1', metadata: m, spec: s, status };
  }

  const hostIP = opts.hostIP;
  const podIP = hostNetwork ? hostIP : opts.ip;
  const sandboxAt = created + rng.int(1, 2) * 1000;
  let initDoneAt = created;
  if (p.initContainers.length) initDoneAt = sandboxAt + rng.int(2, 6) * 1000;
  const startedAt = Math.max(opts.startedAt, initDoneAt);
  const readyAt = Math.min(now, startedAt + (p.readyDelay + rng.int(0, 3)) * 1000);
  const restartCount = opts.restartCount ?? (state === 'crashloop' ? rng.int(5, 40) : 0);

  // Plain loops rather than map()/closures: this runs 150,000 times per site.
  const unready: string[] = [];
  const containerStatuses: Obj[] = [];
  for (let i = 0; i < p.containers.length; i++) {
    const pc = p.containers[i] as PreparedContainer;
    const first = i === 0;
    const cs: Obj = { name: pc.spec.name };
    let ready = true;
    let started = true;
    let containerID: string | undefined = containerId(rng);
    let imageIDValue = pc.imageID;
    let restarts = first ? restartCount : 0;
    let lastState: Obj = {};
    if (state === 'creating') {
      cs.state = { waiting: { reason: 'ContainerCreating' } };
      ready = started = false;
      containerID = undefined;
      imageIDValue = '';
      restarts = 0;
    } else if (first && state === 'image-pull-backoff') {
      cs.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${pc.image}"` } };
      ready = started = false;
      containerID = undefined;
      imageIDValue = '';
    } else if (first && state === 'crashloop') {
      const lt = opts.lastTermination ?? { reason: 'Error', exitCode: 1, finishedAt: now - rng.int(10, 290) * 1000 };
      cs.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${backOff(restarts)} restarting failed container=${pc.spec.name} pod=${opts.name}_${opts.namespace}(${uid})`,
        },
      };
      // The waiting container's containerID is the one that last exited.
      lastState = {
        terminated: {
          exitCode: lt.exitCode,
          reason: lt.reason,
          startedAt: ts(lt.finishedAt - rng.int(1, 40) * 1000),
          finishedAt: ts(lt.finishedAt),
          containerID,
        },
      };
      ready = started = false;
    } else {
      cs.state = { running: { startedAt: ts(first ? startedAt : Math.min(startedAt, initDoneAt + rng.int(0, 2) * 1000)) } };
      if (first && restarts > 0) {
        const lt = opts.lastTermination ?? { reason: 'Error', exitCode: 1, finishedAt: startedAt - rng.int(1, 10) * 1000 };
        lastState = {
          terminated: {
            exitCode: lt.exitCode,
            reason: lt.reason,
            startedAt: ts(Math.max(created, lt.finishedAt - rng.int(60, 6 * 3600) * 1000)),
            finishedAt: ts(lt.finishedAt),
            containerID: containerId(rng),
          },
        };
      }
      if (first && state === 'not-ready') ready = false;
    }
    if (!ready) unready.push(pc.spec.name);
    cs.lastState = lastState;
    cs.ready = ready;
    cs.restartCount = restarts;
    cs.image = pc.image;
    cs.imageID = imageIDValue;
    if (containerID !== undefined) cs.containerID = containerID;
    cs.started = started;
    const ms = statusMounts(pc, apiMountStatus);
    if (ms) cs.volumeMounts = ms;
    containerStatuses.push(cs);
  }

  let initStatuses: Obj[] | undefined;
  if (p.initContainers.length) {
    initStatuses = [];
    for (const pc of p.initContainers) {
      const cs: Obj = { name: pc.spec.name };
      if (state === 'creating') {
        cs.state = { waiting: { reason: 'PodInitializing' } };
        cs.lastState = {};
        cs.ready = false;
        cs.restartCount = 0;
        cs.image = pc.image;
        cs.imageID = '';
        cs.started = false;
      } else {
        const id = containerId(rng);
        cs.state = {
          terminated: { exitCode: 0, reason: 'Completed', startedAt: ts(sandboxAt), finishedAt: ts(initDoneAt), containerID: id },
        };
        cs.lastState = {};
        cs.ready = true;
        cs.restartCount = 0;
        cs.image = pc.image;
        cs.imageID = pc.imageID;
        cs.containerID = id;
        cs.started = false;
      }
      const ms = statusMounts(pc, apiMountStatus);
      if (ms) cs.volumeMounts = ms;
      initStatuses.push(cs);
    }
  }

  const scheduled = ts(created);
  let ready: Obj;
  let containersReady: Obj;
  if (unready.length === 0) {
    const at = ts(readyAt);
    ready = podCondition('Ready', 'True', at);
    containersReady = podCondition('ContainersReady', 'True', at);
  } else {
    const since =
      state === 'crashloop'
        ? Math.max(startedAt, now - restartCount * 300_000)
        : state === 'not-ready'
          ? Math.max(startedAt, now - rng.int(30, 600) * 1000)
          : created;
    const msg = `containers with unready status: [${unready.join(' ')}]`;
    ready = podCondition('Ready', 'False', ts(since), 'ContainersNotReady', msg);
    containersReady = podCondition('ContainersReady', 'False', ts(since), 'ContainersNotReady', msg);
  }
  const conditions: Obj[] = [
    state === 'creating'
      ? podCondition('PodReadyToStartContainers', 'False', scheduled)
      : podCondition('PodReadyToStartContainers', 'True', ts(sandboxAt)),
    state === 'creating' && p.initContainers.length
      ? podCondition('Initialized', 'False', scheduled, 'ContainersNotInitialized', `containers with incomplete status: [${p.initContainers.map((c) => c.spec.name).join(' ')}]`)
      : podCondition('Initialized', 'True', ts(initDoneAt)),
    ready,
    containersReady,
    podCondition('PodScheduled', 'True', scheduled),
  ];

  status.phase = state === 'creating' || state === 'image-pull-backoff' ? 'Pending' : 'Running';
  status.conditions = conditions;
  if (hostIP) {
    status.hostIP = hostIP;
    status.hostIPs = [{ ip: hostIP }];
  }
  if (podIP && state !== 'creating') {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  status.startTime = scheduled;
  if (initStatuses) status.initContainerStatuses = initStatuses;
  status.containerStatuses = containerStatuses;
  status.qosClass = p.qosClass;
  return { kind: 'Pod', apiVersion: 'v1', metadata: m, spec: s, status };
}

/** True when the pod counts as Ready (what PDBs and workload statuses count). */
export function isPodReady(pod: KObject): boolean {
  const conds = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions;
  return conds?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

// ---------------------------------------------------------------------------
// Workloads.

/** Inputs shared by the workload builders. */
export interface WorkloadContext extends BuildContext {
  /** metadata.generation (number of spec changes); default 1. */
  generation?: number;
  /** Override the catalog's template (e.g. an older image). */
  template?: PodTemplate;
}

function workloadMeta(spec: ServiceSpec, uid: string, createdAt: number, generation: number, annotations?: Record<string, string>): ObjectMeta {
  const m = meta(spec.name, spec.namespace, uid, createdAt);
  m.generation = generation;
  m.labels = sortedMap({ ...spec.selector, ...spec.labels });
  const a = { ...helmAnnotations(spec), ...annotations };
  if (Object.keys(a).length) m.annotations = sortedMap(a);
  return m;
}

/** Counts a workload status is computed from. */
export interface ReplicaCounts {
  /** Desired replicas (spec.replicas). */
  replicas: number;
  /** Pods that exist (status.replicas). */
  current: number;
  ready: number;
  available: number;
  updated: number;
}

const full = (n: number): ReplicaCounts => ({ replicas: n, current: n, ready: n, available: n, updated: n });

/** apps/v1 Deployment; status starts fully rolled out (see {@link setDeploymentStatus}). */
export function buildDeployment(spec: ServiceSpec, replicas: number, ctx: WorkloadContext & { revision?: number }): KObject {
  const createdAt = ctx.createdAt ?? ctx.now - 30 * DAY;
  const generation = ctx.generation ?? 1;
  const m = workloadMeta(spec, uuid(ctx.rng), createdAt, generation, { 'deployment.kubernetes.io/revision': String(ctx.revision ?? 1) });
  const template = ctx.template ?? podTemplateFor(spec);
  const d: KObject = {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: m,
    spec: {
      replicas,
      selector: { matchLabels: sortedMap({ ...spec.selector }) },
      template,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {},
  };
  const hash = templateHash(template);
  setDeploymentStatus(d, full(replicas), `${spec.name}-${hash}`, ctx.now, ctx.now - ctx.rng.int(1, 72) * 3_600_000);
  return d;
}

/** Scales a percentage or integer against `total` like intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(v: number | string, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = parseFloat(v) / 100;
  return roundUp ? Math.ceil(pct * total) : Math.floor(pct * total);
}

/**
 * Recomputes a Deployment's status from replica counts. `since` is when the
 * rollout last completed (conditions' timestamps).
 */
export function setDeploymentStatus(d: KObject, c: ReplicaCounts, newReplicaSet: string, now: number, since = now): void {
  const spec = d.spec as { strategy?: { rollingUpdate?: { maxUnavailable?: number | string } } };
  const maxUnavailable = scaledValue(spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', c.replicas, false);
  const available = c.available >= c.replicas - maxUnavailable;
  const at = ts(since);
  const st: Obj = { observedGeneration: d.metadata.generation ?? 1 };
  if (c.current) st.replicas = c.current;
  if (c.updated) st.updatedReplicas = c.updated;
  if (c.ready) st.readyReplicas = c.ready;
  if (c.available) st.availableReplicas = c.available;
  if (c.current - c.available > 0) st.unavailableReplicas = c.current - c.available;
  st.conditions = [
    available
      ? { type: 'Available', status: 'True', lastUpdateTime: at, lastTransitionTime: at, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', lastUpdateTime: ts(now), lastTransitionTime: ts(now), reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    {
      type: 'Progressing',
      status: 'True',
      lastUpdateTime: at,
      lastTransitionTime: at,
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${newReplicaSet}" has successfully progressed.`,
    },
  ];
  d.status = st;
}

/** Optional inputs of {@link buildReplicaSet}. */
export interface ReplicaSetOptions {
  createdAt?: number;
  rng?: Rng;
  /** deployment.kubernetes.io/revision of this ReplicaSet; default the Deployment's. */
  revision?: number;
  /** Template to use instead of the Deployment's current one (old ReplicaSets). */
  template?: PodTemplate;
}

/**
 * The ReplicaSet a Deployment controller creates for `templateHash`:
 * name `<deploy>-<hash>`, pod-template-hash in labels, selector and template,
 * controller ownerReference to the Deployment.
 */
export function buildReplicaSet(deployment: KObject, hash: string, replicas: number, opts: ReplicaSetOptions = {}): KObject {
  const dm = deployment.metadata;
  const dspec = deployment.spec as { replicas?: number; selector: { matchLabels: Record<string, string> }; template: PodTemplate };
  const name = `${dm.name}-${hash}`;
  const uid = opts.rng ? uuid(opts.rng) : uuidFrom(`${dm.uid ?? ''}/${name}`);
  const createdAt = opts.createdAt ?? Date.parse(dm.creationTimestamp ?? '1970-01-01T00:00:00Z');
  const base = opts.template ?? dspec.template;
  const labels = sortedMap({ ...base.metadata.labels, 'pod-template-hash': hash });
  const template: PodTemplate = { metadata: { ...base.metadata, labels }, spec: base.spec };
  const desired = dspec.replicas ?? 1;
  const revision = opts.revision ?? Number(dm.annotations?.['deployment.kubernetes.io/revision'] ?? 1);
  const m: ObjectMeta = { name, namespace: dm.namespace, uid, generation: 1, creationTimestamp: ts(createdAt) };
  m.labels = labels;
  m.annotations = {
    'deployment.kubernetes.io/desired-replicas': String(desired),
    'deployment.kubernetes.io/max-replicas': String(desired + Math.ceil(desired * 0.25)),
    'deployment.kubernetes.io/revision': String(revision),
    ...Object.fromEntries(Object.entries(dm.annotations ?? {}).filter(([k]) => k.startsWith('meta.helm.sh/'))),
  };
  m.annotations = sortedMap(m.annotations as Record<string, string>);
  m.ownerReferences = [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: dm.name, uid: dm.uid ?? '', controller: true, blockOwnerDeletion: true },
  ];
  const rs: KObject = {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    metadata: m,
    spec: {
      replicas,
      selector: { matchLabels: sortedMap({ ...dspec.selector.matchLabels, 'pod-template-hash': hash }) },
      template,
    },
    status: {},
  };
  setReplicaSetStatus(rs, full(replicas));
  return rs;
}

/** Recomputes a ReplicaSet's status from replica counts. */
export function setReplicaSetStatus(rs: KObject, c: ReplicaCounts): void {
  const st: Obj = { replicas: c.current };
  if (c.current) st.fullyLabeledReplicas = c.current;
  if (c.ready) st.readyReplicas = c.ready;
  if (c.available) st.availableReplicas = c.available;
  st.observedGeneration = rs.metadata.generation ?? 1;
  rs.status = st;
}

/** apps/v1 DaemonSet; `desired` = nodes it should run on. */
export function buildDaemonSet(spec: ServiceSpec, desired: number, ctx: WorkloadContext): KObject {
  const createdAt = ctx.createdAt ?? ctx.now - 30 * DAY;
  const generation = ctx.generation ?? 1;
  const m = workloadMeta(spec, uuid(ctx.rng), createdAt, generation, { 'deprecated.daemonset.template.generation': String(generation) });
  const ds: KObject = {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    metadata: m,
    spec: {
      selector: { matchLabels: sortedMap({ ...spec.selector }) },
      template: ctx.template ?? podTemplateFor(spec),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {},
  };
  setDaemonSetStatus(ds, { desired, current: desired, ready: desired, available: desired, updated: desired });
  return ds;
}

/** Counts a DaemonSet status is computed from. */
export interface DaemonSetCounts {
  desired: number;
  current: number;
  ready: number;
  available: number;
  updated: number;
  misscheduled?: number;
}

/** Recomputes a DaemonSet's status from counts. */
export function setDaemonSetStatus(ds: KObject, c: DaemonSetCounts): void {
  const st: Obj = {
    currentNumberScheduled: c.current,
    numberMisscheduled: c.misscheduled ?? 0,
    desiredNumberScheduled: c.desired,
    numberReady: c.ready,
    observedGeneration: ds.metadata.generation ?? 1,
  };
  if (c.updated) st.updatedNumberScheduled = c.updated;
  if (c.available) st.numberAvailable = c.available;
  if (c.desired - c.available > 0) st.numberUnavailable = c.desired - c.available;
  ds.status = st;
}

/** Name of the headless governing Service of a StatefulSet. */
export const headlessServiceName = (name: string): string => `${name}-headless`;

/** apps/v1 StatefulSet with its claim template; pods are `<name>-0 … <name>-(n-1)`. */
export function buildStatefulSet(spec: ServiceSpec, replicas: number, ctx: WorkloadContext): KObject {
  const createdAt = ctx.createdAt ?? ctx.now - 30 * DAY;
  const generation = ctx.generation ?? 1;
  const m = workloadMeta(spec, uuid(ctx.rng), createdAt, generation);
  const template = ctx.template ?? podTemplateFor(spec);
  const s: Obj = {
    replicas,
    selector: { matchLabels: sortedMap({ ...spec.selector }) },
    template,
  };
  if (spec.volumeClaim) {
    s.volumeClaimTemplates = [
      {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        metadata: { name: spec.volumeClaim.name, creationTimestamp: null },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: spec.volumeClaim.storage } },
          storageClassName: spec.volumeClaim.storageClassName,
          volumeMode: 'Filesystem',
        },
        status: { phase: 'Pending' },
      },
    ];
  }
  s.serviceName = headlessServiceName(spec.name);
  s.podManagementPolicy = spec.podManagementPolicy ?? 'OrderedReady';
  s.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
  s.revisionHistoryLimit = 10;
  s.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Retain' };
  const sts: KObject = { kind: 'StatefulSet', apiVersion: 'apps/v1', metadata: m, spec: s, status: {} };
  setStatefulSetStatus(sts, full(replicas));
  return sts;
}

/** `<name>-<hash>`: the controller-revision-hash label value of a StatefulSet's pods. */
export function statefulSetRevision(sts: KObject): string {
  return `${sts.metadata.name}-${templateHash((sts.spec as { template: unknown }).template)}`;
}

/** Recomputes a StatefulSet's status from replica counts (single revision). */
export function setStatefulSetStatus(sts: KObject, c: ReplicaCounts): void {
  const rev = statefulSetRevision(sts);
  const st: Obj = { observedGeneration: sts.metadata.generation ?? 1, replicas: c.current };
  if (c.ready) st.readyReplicas = c.ready;
  if (c.current) st.currentReplicas = c.current;
  if (c.updated) st.updatedReplicas = c.updated;
  st.currentRevision = rev;
  st.updateRevision = rev;
  st.collisionCount = 0;
  st.availableReplicas = c.available;
  sts.status = st;
}

/** The pod a StatefulSet controller creates for `ordinal` (labels, hostname, PVC volumes). */
export function buildStatefulSetPod(
  sts: KObject,
  template: PodTemplate | PreparedTemplate,
  ordinal: number,
  nodeName: string | undefined,
  opts: Omit<PodOptions, 'name' | 'namespace'>,
): KObject {
  const name = `${sts.metadata.name}-${ordinal}`;
  const spec = sts.spec as { serviceName: string; volumeClaimTemplates?: { metadata: { name: string } }[] };
  return buildPod(template, { apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name, uid: sts.metadata.uid ?? '' }, nodeName, {
    ...opts,
    name,
    namespace: sts.metadata.namespace ?? 'default',
    labels: {
      ...opts.labels,
      'apps.kubernetes.io/pod-index': String(ordinal),
      'controller-revision-hash': statefulSetRevision(sts),
      'statefulset.kubernetes.io/pod-name': name,
    },
    hostname: name,
    subdomain: spec.serviceName,
    extraVolumes: (spec.volumeClaimTemplates ?? []).map((c) => ({
      name: c.metadata.name,
      persistentVolumeClaim: { claimName: `${c.metadata.name}-${name}` },
    })),
  });
}

// ---------------------------------------------------------------------------
// Services, PDBs.

/** Input of {@link buildService}. */
export interface ServiceInput {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Absent for selector-less services (`default/kubernetes`). */
  selector?: Record<string, string>;
  ports: ServicePortSpec[];
  type: 'ClusterIP' | 'LoadBalancer';
  /** An address in 10.96.0.0/12, or `None` for headless services. */
  clusterIP: string;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  /** LoadBalancer services: node ports (one per port), health-check port, VIP. */
  nodePorts?: number[];
  healthCheckNodePort?: number;
  loadBalancerIP?: string;
  publishNotReadyAddresses?: boolean;
}

/** A core/v1 Service (ClusterIP, headless or MetalLB LoadBalancer). */
export function buildService(input: ServiceInput, ctx: BuildContext): KObject {
  const m = meta(input.name, input.namespace, uuid(ctx.rng), ctx.createdAt ?? ctx.now - DAY);
  if (input.labels) m.labels = sortedMap(input.labels);
  if (input.annotations) m.annotations = sortedMap(input.annotations);
  const ports = input.ports.map((p, i) => {
    const o: Obj = {};
    if (p.name) o.name = p.name;
    o.protocol = p.protocol;
    o.port = p.port;
    o.targetPort = p.targetPort;
    const np = input.nodePorts?.[i];
    if (input.type === 'LoadBalancer' && np !== undefined) o.nodePort = np;
    return o;
  });
  const s: Obj = { ports };
  if (input.selector) s.selector = sortedMap(input.selector);
  s.clusterIP = input.clusterIP;
  s.clusterIPs = [input.clusterIP];
  s.type = input.type;
  s.sessionAffinity = 'None';
  if (input.type === 'LoadBalancer') {
    s.externalTrafficPolicy = input.externalTrafficPolicy ?? 'Cluster';
    if (s.externalTrafficPolicy === 'Local' && input.healthCheckNodePort) s.healthCheckNodePort = input.healthCheckNodePort;
  }
  if (input.publishNotReadyAddresses) s.publishNotReadyAddresses = true;
  s.ipFamilies = ['IPv4'];
  s.ipFamilyPolicy = 'SingleStack';
  if (input.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts = true;
  s.internalTrafficPolicy = 'Cluster';
  const status: Obj = { loadBalancer: {} };
  if (input.type === 'LoadBalancer' && input.loadBalancerIP) {
    status.loadBalancer = { ingress: [{ ip: input.loadBalancerIP, ipMode: 'VIP' }] };
  }
  return { kind: 'Service', apiVersion: 'v1', metadata: m, spec: s, status };
}

/** Input of {@link buildPdb}. */
export interface PdbInput extends PdbSpec {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  selector: Record<string, string>;
}

/** Pod counts a PDB status is computed from. */
export interface PdbCounts {
  /** Pods the budget covers (the controllers' scale). */
  expectedPods: number;
  /** Of those, the Ready ones. */
  currentHealthy: number;
}

/** A policy/v1 PodDisruptionBudget with its status already computed for `counts`. */
export function buildPdb(input: PdbInput, counts: PdbCounts, ctx: BuildContext): KObject {
  const createdAt = ctx.createdAt ?? ctx.now - DAY;
  const m = meta(input.name, input.namespace, uuid(ctx.rng), createdAt);
  m.generation = 1;
  if (input.labels) m.labels = sortedMap(input.labels);
  if (input.annotations) m.annotations = sortedMap(input.annotations);
  const spec: Obj = {};
  if (input.minAvailable !== undefined) spec.minAvailable = input.minAvailable;
  spec.selector = { matchLabels: sortedMap({ ...input.selector }) };
  if (input.maxUnavailable !== undefined) spec.maxUnavailable = input.maxUnavailable;
  const pdb: KObject = { kind: 'PodDisruptionBudget', apiVersion: 'policy/v1', metadata: m, spec };
  pdb.status = pdbStatus(pdb, counts, createdAt + 2000);
  return pdb;
}

/**
 * What the disruption controller writes for `counts`: desiredHealthy from
 * minAvailable (or expected − maxUnavailable; percentages round up),
 * disruptionsAllowed = max(0, currentHealthy − desiredHealthy).
 * `transitionAt` stamps the DisruptionAllowed condition.
 */
export function pdbStatus(pdb: KObject, counts: PdbCounts, transitionAt: number): Obj {
  const spec = pdb.spec as PdbSpec;
  const desiredHealthy =
    spec.maxUnavailable !== undefined
      ? Math.max(0, counts.expectedPods - scaledValue(spec.maxUnavailable, counts.expectedPods, true))
      : scaledValue(spec.minAvailable ?? 0, counts.expectedPods, true);
  const disruptionsAllowed = Math.max(0, counts.currentHealthy - desiredHealthy);
  const gen = pdb.metadata.generation ?? 1;
  return {
    observedGeneration: gen,
    disruptionsAllowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy,
    expectedPods: counts.expectedPods,
    conditions: [
      {
        type: 'DisruptionAllowed',
        status: disruptionsAllowed > 0 ? 'True' : 'False',
        observedGeneration: gen,
        lastTransitionTime: ts(transitionAt),
        reason: disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods',
        message: '',
      },
    ],
  };
}

// ---------------------------------------------------------------------------
// Events.

/** The object an Event is about, when no full object is at hand. */
export interface EventTarget {
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  apiVersion: string;
}

/** Who reported an Event (kubelet with its host, or a controller). */
export interface EventSource {
  component: string;
  host?: string;
}

/** Optional inputs of {@link buildEvent}. */
export interface EventOptions {
  /** Times the event has been seen; default 1. */
  count?: number;
  /** First occurrence (ms); default `now`. */
  firstTimestamp?: number;
  /** e.g. `spec.containers{app}` for container-level kubelet events. */
  fieldPath?: string;
  rng?: Rng;
}

/**
 * A core/v1 Event in the legacy (kubelet/controller) shape: count,
 * first/lastTimestamp, `eventTime: null`. Events about cluster-scoped objects
 * (Nodes) live in `default`, as the real recorder puts them.
 */
export function buildEvent(
  involvedObject: KObject | EventTarget,
  reason: string,
  message: string,
  type: 'Normal' | 'Warning',
  source: EventSource | string,
  now: number,
  opts: EventOptions = {},
): KObject {
  const target: EventTarget =
    'metadata' in involvedObject
      ? {
          kind: involvedObject.kind,
          name: involvedObject.metadata.name,
          ...(involvedObject.metadata.namespace !== undefined ? { namespace: involvedObject.metadata.namespace } : {}),
          ...(involvedObject.metadata.uid !== undefined ? { uid: involvedObject.metadata.uid } : {}),
          apiVersion: involvedObject.apiVersion,
        }
      : involvedObject;
  const src: EventSource = typeof source === 'string' ? { component: source } : source;
  const first = opts.firstTimestamp ?? now;
  const namespace = target.namespace ?? 'default';
  // The recorder names events `<object>.<UnixNano in hex>`.
  const nanos = BigInt(Math.floor(first)) * 1_000_000n + BigInt(opts.rng ? opts.rng.int(0, 999_999) : fnv1a(reason + message) % 1_000_000);
  const name = `${target.name}.${nanos.toString(16)}`;
  const uid = opts.rng ? uuid(opts.rng) : uuidFrom(`${namespace}/${name}`);
  const ref: Obj = { kind: target.kind };
  if (target.namespace !== undefined) ref.namespace = target.namespace;
  ref.name = target.name;
  if (target.uid !== undefined) ref.uid = target.uid;
  ref.apiVersion = target.apiVersion;
  if (opts.fieldPath) ref.fieldPath = opts.fieldPath;
  const sourceOut: Obj = { component: src.component };
  if (src.host) sourceOut.host = src.host;
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name, namespace, uid, creationTimestamp: ts(first) },
    involvedObject: ref,
    reason,
    message,
    source: sourceOut,
    firstTimestamp: ts(first),
    lastTimestamp: ts(now),
    count: opts.count ?? 1,
    type,
    eventTime: null,
    reportingComponent: src.component,
    reportingInstance: src.host ?? '',
  };
}
