/**
 * Records the protobuf request bodies real kubectl sends, so the decoder is
 * tested against bytes client-go produced rather than bytes our own encoder
 * produced. kubectl talks to a throwaway plain-HTTP server on 127.0.0.1 that
 * answers just enough discovery and canned responses for each command to
 * finish.
 *
 * Each fixture pairs the recorded body with the JSON kubectl would have sent:
 * for `kubectl create …` that is what `--dry-run=client -o json` prints (the
 * same Go object, marshalled by the same code the JSON content type uses); for
 * commands without a client dry run (auth, create token, drain
 * --disable-eviction) it is written out by hand from what those commands
 * build. `kubectl debug --copy-to` copies RICH_POD, so its expectation is
 * kubectl's own offline rendering of that pod plus the documented changes of
 * a copy. kubectl 1.32 evicts (`kubectl drain`) with a JSON body: those
 * fixtures keep that JSON, which checks the hand-written expectation, and the
 * test encodes the same Eviction as protobuf.
 *
 * Regenerate the fixtures (needs kubectl 1.32 on PATH):
 *   npx tsx src/emulator/api/testdata/protobuf/recorder.ts
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

/** One kubectl command whose first protobuf request body is recorded. */
export interface RecordCase {
  name: string;
  args: string[];
  /**
   * The JSON kubectl would have sent. Omitted for `kubectl create …`
   * commands: their `--dry-run=client -o json` output is the expectation.
   */
  expected?: Record<string, unknown> | ((richPod: Record<string, unknown>) => Record<string, unknown>);
}

/** A recorded request and what it must decode to, as stored in testdata/protobuf/*.json. */
export interface Fixture {
  name: string;
  kubectl: string;
  args: string[];
  method: string;
  path: string;
  contentType: string;
  /**
   * Where `expected` came from: kubectl's client-side dry run, the JSON body
   * kubectl itself sent (then `body` is that JSON, base64-encoded), or written
   * by hand.
   */
  expectedFrom: 'dry-run=client' | 'kubectl JSON body' | 'hand-written';
  expected: Record<string, unknown>;
  body: string;
}

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

// Bytes that are not valid UTF-8, so `create configmap --from-file` puts the
// file under binaryData instead of data.
export const BINARY_FILE = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x81, 0x7f, 0x0a, 0xc3]);

const meta = { creationTimestamp: null };

export const CASES: readonly RecordCase[] = [
  { name: 'configmap', args: ['create', 'configmap', 'app-config', '-n', 'demo', '--from-literal=greeting=hello world', '--from-literal=empty=', '--from-file=blob.bin=@BINARY@'] },
  { name: 'secret-generic', args: ['create', 'secret', 'generic', 'db-creds', '--from-literal=username=admin', '--from-literal=password=s3cr=t!', '--type=Opaque'] },
  { name: 'secret-docker-registry', args: ['create', 'secret', 'docker-registry', 'regcred', '--docker-server=registry.example.com', '--docker-username=robot', '--docker-password=hunter2', '--docker-email=robot@example.com'] },
  { name: 'namespace', args: ['create', 'namespace', 'team-a'] },
  { name: 'deployment', args: ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=8080', '-n', 'demo'] },
  { name: 'deployment-command', args: ['create', 'deployment', 'worker', '--image=busybox:1.36', '--', 'sh', '-c', 'sleep 3600'] },
  { name: 'deployment-images', args: ['create', 'deployment', 'pair', '--image=nginx:1.27', '--image=redis:7'] },
  { name: 'pdb-min-available', args: ['create', 'pdb', 'web-pdb', '--selector=app=web,tier in (front,edge)', '--min-available=2'] },
  { name: 'pdb-max-unavailable', args: ['create', 'pdb', 'web-pdb-pct', '--selector=app=web', '--max-unavailable=25%'] },
  { name: 'service-clusterip', args: ['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443:8443'] },
  { name: 'service-headless', args: ['create', 'service', 'clusterip', 'headless', '--clusterip=None'] },
  { name: 'service-nodeport', args: ['create', 'service', 'nodeport', 'web-np', '--tcp=80:8080', '--node-port=30080'] },
  { name: 'service-loadbalancer', args: ['create', 'service', 'loadbalancer', 'web-lb', '--tcp=80:http'] },
  { name: 'service-externalname', args: ['create', 'service', 'externalname', 'upstream', '--external-name=db.example.com'] },
  { name: 'serviceaccount', args: ['create', 'serviceaccount', 'builder', '-n', 'demo'] },
  { name: 'job', args: ['create', 'job', 'hello', '--image=busybox:1.36', '--', 'echo', 'hi'] },
  { name: 'cronjob', args: ['create', 'cronjob', 'nightly', '--image=busybox:1.36', '--schedule=0 2 * * *', '--restart=OnFailure', '--', 'date'] },
  { name: 'quota', args: ['create', 'quota', 'compute', '--hard=cpu=1500m,memory=2Gi,pods=10', '--scopes=NotTerminating'] },
  { name: 'role', args: ['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods,deployments.apps', '--resource-name=web'] },
  { name: 'clusterrole', args: ['create', 'clusterrole', 'aggregate', '--aggregation-rule=rbac.example.com/aggregate=true'] },
  { name: 'rolebinding', args: ['create', 'rolebinding', 'readers', '--role=pod-reader', '--user=alice', '--group=devs', '--serviceaccount=demo:builder'] },
  { name: 'ingress', args: ['create', 'ingress', 'web', '--class=nginx', '--rule=example.com/api*=api:8080,tls=example-tls', '--rule=example.com/=web:http', '--default-backend=fallback:80', '--annotation=example.com/owner=team-a'] },
  { name: 'priorityclass', args: ['create', 'priorityclass', 'high', '--value=1000000', '--description=latency sensitive', '--preemption-policy=Never'] },
  { name: 'clusterrolebinding', args: ['create', 'clusterrolebinding', 'admins', '--clusterrole=cluster-admin', '--user=root'] },
  {
    name: 'auth-can-i-resource',
    args: ['auth', 'can-i', 'delete', 'pods', '-n', 'x'],
    expected: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: meta, spec: { resourceAttributes: { namespace: 'x', verb: 'delete', resource: 'pods' } }, status: { allowed: false } },
  },
  {
    name: 'auth-can-i-subresource',
    args: ['auth', 'can-i', 'get', 'deployments.apps/web', '--subresource=scale', '-n', 'demo'],
    expected: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: meta, spec: { resourceAttributes: { namespace: 'demo', verb: 'get', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web' } }, status: { allowed: false } },
  },
  {
    name: 'auth-can-i-nonresource',
    args: ['auth', 'can-i', 'get', '/healthz'],
    expected: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: meta, spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } }, status: { allowed: false } },
  },
  {
    name: 'auth-can-i-list',
    args: ['auth', 'can-i', '--list', '-n', 'demo'],
    expected: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: meta, spec: { namespace: 'demo' }, status: { resourceRules: null, nonResourceRules: null, incomplete: false } },
  },
  {
    name: 'auth-whoami',
    args: ['auth', 'whoami'],
    expected: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: meta, status: { userInfo: {} } },
  },
  {
    name: 'drain-eviction',
    args: ['drain', 'node-1', '--ignore-daemonsets', '--grace-period=30', '--timeout=20s'],
    expected: { kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name: 'web-1', namespace: 'demo', creationTimestamp: null }, deleteOptions: { gracePeriodSeconds: 30 } },
  },
  {
    name: 'drain-eviction-dry-run',
    args: ['drain', 'node-1', '--ignore-daemonsets', '--dry-run=server'],
    // Without --grace-period drain leaves the pod's own grace period alone.
    expected: { kind: 'Eviction', apiVersion: 'policy/v1', metadata: { name: 'web-1', namespace: 'demo', creationTimestamp: null }, deleteOptions: { dryRun: ['All'] } },
  },
  {
    name: 'drain-delete',
    args: ['drain', 'node-1', '--ignore-daemonsets', '--disable-eviction', '--grace-period=5', '--timeout=20s'],
    expected: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 5 },
  },
  {
    name: 'debug-copy',
    args: ['debug', 'api-0', '-n', 'demo', '--copy-to=api-0-debug', '--image=busybox:1.36', '--container=dbg', '--profile=general', '--keep-labels', '--keep-annotations', '--keep-liveness', '--keep-readiness', '--keep-startup', '--same-node'],
    // The copy keeps labels and annotations (--keep-*) but not uid or
    // resourceVersion, and gains the debug container; the general profile
    // gives it SYS_PTRACE.
    expected: (pod) => {
      const meta = pod.metadata as Record<string, unknown>;
      const spec = pod.spec as Record<string, unknown>;
      const debug = { name: 'dbg', image: 'busybox:1.36', resources: {}, terminationMessagePolicy: 'File', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } };
      return {
        ...pod,
        metadata: { name: 'api-0-debug', namespace: meta.namespace, creationTimestamp: null, labels: meta.labels, annotations: meta.annotations },
        spec: { ...spec, containers: [...(spec.containers as unknown[]), debug] },
        status: {},
      };
    },
  },
  {
    name: 'create-token',
    args: ['create', 'token', 'builder', '-n', 'demo', '--duration=1h', '--audience=api', '--audience=vault', '--bound-object-kind=Pod', '--bound-object-name=web-1', '--bound-object-uid=7f3c9a52-1b1e-4c8e-9d5e-0a4b6c2d1e0f'],
    expected: {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: meta,
      spec: { audiences: ['api', 'vault'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web-1', uid: '7f3c9a52-1b1e-4c8e-9d5e-0a4b6c2d1e0f' } },
      status: { token: '', expirationTimestamp: null },
    },
  },
];

/**
 * A pod using as much of PodSpec as one pod can, for the `kubectl debug
 * --copy-to` case: kubectl reads it as JSON and sends its copy as protobuf,
 * so every field here crosses the wire in client-go's encoding.
 */
export const RICH_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'api-0',
    namespace: 'demo',
    uid: '0b9e0f7e-5d55-4c1e-9a43-61b1c1a7e001',
    resourceVersion: '42',
    labels: { app: 'api', tier: 'back' },
    annotations: { 'example.com/note': 'rich' },
  },
  spec: {
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: 'api-data', readOnly: true } },
      { name: 'cfg', configMap: { name: 'api-config', items: [{ key: 'app.yaml', path: 'app.yaml', mode: 420 }], defaultMode: 292, optional: true } },
      { name: 'creds', secret: { secretName: 'db-creds', defaultMode: 256, optional: false } },
      { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'logs', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'nfs', nfs: { server: 'nfs.example.com', path: '/exports/api', readOnly: true } },
      { name: 'csi', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'vault' }, nodePublishSecretRef: { name: 'csi-creds' } } },
      { name: 'img', image: { reference: 'registry.example.com/models:3', pullPolicy: 'IfNotPresent' } },
      {
        name: 'projected',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { audience: 'vault', expirationSeconds: 3600, path: 'token' } },
            { downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }, { path: 'cpu', resourceFieldRef: { containerName: 'api', resource: 'limits.cpu', divisor: '1m' } }] } },
            { configMap: { name: 'ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { secret: { name: 'tls', optional: true } },
            { clusterTrustBundle: { signerName: 'example.com/signer', labelSelector: { matchLabels: { trust: 'yes' } }, path: 'bundle.pem', optional: true } },
          ],
        },
      },
      {
        name: 'eph',
        ephemeral: {
          volumeClaimTemplate: {
            metadata: { labels: { claim: 'eph' } },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } }, selector: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
          },
        },
      },
    ],
    initContainers: [
      { name: 'migrate', image: 'registry.example.com/api:1.2.3', command: ['/migrate'], args: ['--up'], restartPolicy: 'Always', resources: { requests: { cpu: '100m' } } },
    ],
    containers: [
      {
        name: 'api',
        image: 'registry.example.com/api:1.2.3',
        command: ['/api'],
        args: ['--listen=:8080', '--verbose'],
        workingDir: '/srv',
        ports: [
          { name: 'http', containerPort: 8080, protocol: 'TCP' },
          { name: 'metrics', hostPort: 19090, containerPort: 9090, protocol: 'UDP', hostIP: '10.0.0.5' },
        ],
        envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'api-config', optional: true } }, { secretRef: { name: 'db-creds' } }],
        env: [
          { name: 'PLAIN', value: 'hello' },
          { name: 'EMPTY' },
          { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
          { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { containerName: 'api', resource: 'limits.cpu', divisor: '1m' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password', optional: false } } },
          { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'mode' } } },
        ],
        resources: { limits: { cpu: '2', memory: '1Gi', 'nvidia.com/gpu': '1' }, requests: { cpu: '250m', memory: '256Mi' }, claims: [{ name: 'gpu', request: 'big' }] },
        resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
        volumeMounts: [
          { name: 'data', readOnly: true, recursiveReadOnly: 'IfPossible', mountPath: '/data', subPath: 'api', mountPropagation: 'HostToContainer' },
          { name: 'cfg', mountPath: '/etc/api', subPathExpr: '$(POD_NAME)' },
        ],
        volumeDevices: [{ name: 'raw', devicePath: '/dev/xvdb' }],
        livenessProbe: {
          httpGet: { path: '/healthz', port: 8080, host: '127.0.0.1', scheme: 'HTTPS', httpHeaders: [{ name: 'X-Probe', value: 'live' }] },
          initialDelaySeconds: 5,
          timeoutSeconds: 2,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
          terminationGracePeriodSeconds: 20,
        },
        readinessProbe: { tcpSocket: { port: 'http', host: 'localhost' }, periodSeconds: 5 },
        startupProbe: { grpc: { port: 9090, service: 'health' }, failureThreshold: 30 },
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo started'] } }, preStop: { sleep: { seconds: 5 } } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'FallbackToLogsOnError',
        imagePullPolicy: 'Always',
        securityContext: {
          capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
          privileged: false,
          seLinuxOptions: { user: 'system_u', role: 'system_r', type: 'spc_t', level: 's0:c123,c456' },
          windowsOptions: { gmsaCredentialSpecName: 'gmsa', runAsUserName: 'ContainerUser', hostProcess: false },
          runAsUser: 1000,
          runAsGroup: 3000,
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          procMount: 'Default',
          seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/api.json' },
          appArmorProfile: { type: 'RuntimeDefault' },
        },
        stdin: true,
        stdinOnce: true,
        tty: true,
      },
    ],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 45,
    activeDeadlineSeconds: 7200,
    dnsPolicy: 'ClusterFirstWithHostNet',
    nodeSelector: { 'kubernetes.io/os': 'linux', 'example.com/pool': 'api' },
    serviceAccountName: 'builder',
    automountServiceAccountToken: false,
    nodeName: 'node-1',
    hostNetwork: true,
    hostPID: true,
    hostIPC: true,
    shareProcessNamespace: true,
    securityContext: {
      seLinuxOptions: { level: 's0:c1,c2' },
      runAsUser: 1000,
      runAsGroup: 3000,
      runAsNonRoot: true,
      supplementalGroups: [4000, 5000],
      supplementalGroupsPolicy: 'Strict',
      fsGroup: 2000,
      sysctls: [{ name: 'net.core.somaxconn', value: '1024' }],
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
      seLinuxChangePolicy: 'MountOption',
    },
    imagePullSecrets: [{ name: 'regcred' }],
    hostname: 'api',
    subdomain: 'api-svc',
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }], matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-9'] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } }],
      },
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, namespaces: ['data'], topologyKey: 'zone', namespaceSelector: { matchLabels: { team: 'data' } } }],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname', matchLabelKeys: ['pod-template-hash'], mismatchLabelKeys: ['tenant'] } },
        ],
      },
    },
    schedulerName: 'default-scheduler',
    tolerations: [
      { key: 'dedicated', operator: 'Equal', value: 'api', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.local', 'cache.local'] }],
    priorityClassName: 'high',
    priority: 1000000,
    dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
    readinessGates: [{ conditionType: 'example.com/ready' }],
    runtimeClassName: 'gvisor',
    enableServiceLinks: false,
    preemptionPolicy: 'Never',
    overhead: { cpu: '100m', memory: '20Mi' },
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'api' } }, minDomains: 2, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore', matchLabelKeys: ['pod-template-hash'] },
    ],
    setHostnameAsFQDN: true,
    os: { name: 'linux' },
    hostUsers: false,
    schedulingGates: [{ name: 'example.com/gate' }],
    resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'gpu-template' }, { name: 'fpga', resourceClaimName: 'fpga-0' }],
    resources: { limits: { cpu: '4' }, requests: { cpu: '1' } },
  },
};

// Legacy discovery: kubectl asks for the aggregated form first and falls
// back to these when the answer is plain application/json.
interface Res { name: string; kind: string; namespaced: boolean; verbs?: string[]; group?: string; version?: string }
const CRUD = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const GROUPS: Record<string, Res[]> = {
  v1: [
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'secrets', kind: 'Secret', namespaced: true },
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'services', kind: 'Service', namespaced: true },
    { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'serviceaccounts/token', kind: 'TokenRequest', namespaced: true, verbs: ['create'], group: 'authentication.k8s.io', version: 'v1' },
    { name: 'resourcequotas', kind: 'ResourceQuota', namespaced: true },
    { name: 'pods', kind: 'Pod', namespaced: true },
    { name: 'pods/eviction', kind: 'Eviction', namespaced: true, verbs: ['create'], group: 'policy', version: 'v1' },
    { name: 'nodes', kind: 'Node', namespaced: false },
  ],
  'apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
  'batch/v1': [{ name: 'jobs', kind: 'Job', namespaced: true }, { name: 'cronjobs', kind: 'CronJob', namespaced: true }],
  'policy/v1': [{ name: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true }],
  'authorization.k8s.io/v1': [
    { name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
    { name: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'] },
  ],
  'authentication.k8s.io/v1': [{ name: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] }],
  'networking.k8s.io/v1': [{ name: 'ingresses', kind: 'Ingress', namespaced: true }],
  'scheduling.k8s.io/v1': [{ name: 'priorityclasses', kind: 'PriorityClass', namespaced: false }],
  'rbac.authorization.k8s.io/v1': [
    { name: 'roles', kind: 'Role', namespaced: true },
    { name: 'clusterroles', kind: 'ClusterRole', namespaced: false },
    { name: 'rolebindings', kind: 'RoleBinding', namespaced: true },
    { name: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  ],
};

function discovery(p: string): unknown {
  if (p === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (p === '/apis') {
    const groups = Object.keys(GROUPS).filter((gv) => gv !== 'v1').map((gv) => {
      const [name, version] = gv.split('/') as [string, string];
      return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }
  const gv = p === '/api/v1' ? 'v1' : p.startsWith('/apis/') ? p.slice('/apis/'.length) : undefined;
  const res = gv === undefined ? undefined : GROUPS[gv];
  if (!gv || !res) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: res.map((r) => ({ name: r.name, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? CRUD, ...(r.group ? { group: r.group, version: r.version } : {}) })),
  };
}

const node = { kind: 'Node', apiVersion: 'v1', metadata: { name: 'node-1', uid: 'n1', resourceVersion: '7' }, spec: {}, status: {} };
const pod = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name: 'web-1',
    namespace: 'demo',
    uid: 'p1',
    resourceVersion: '9',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid: 'rs1', controller: true }],
  },
  spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx:1.27' }] },
  status: { phase: 'Running' },
};

// What each POST answers: enough of the right kind for kubectl to finish.
function answer(p: string): Record<string, unknown> {
  if (p.endsWith('/selfsubjectaccessreviews')) return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec: {}, status: { allowed: true } };
  if (p.endsWith('/selfsubjectrulesreviews')) return { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', spec: {}, status: { resourceRules: [], nonResourceRules: [], incomplete: false } };
  if (p.endsWith('/selfsubjectreviews')) return { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', status: { userInfo: { username: 'recorder' } } };
  if (p.endsWith('/token')) return { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: {}, status: { token: 'tok', expirationTimestamp: '2030-01-01T00:00:00Z' } };
  if (p.endsWith('/eviction')) return { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 };
  const segs = p.split('/');
  const gv = segs[1] === 'api' ? 'v1' : `${segs[2]}/${segs[3]}`;
  const kind = GROUPS[gv]?.find((r) => r.name === segs.at(-1))?.kind ?? 'Status';
  return { kind, apiVersion: gv, metadata: { name: 'recorded' } };
}

interface Recorded { method: string; path: string; contentType: string; body: Buffer }

/** A plain-HTTP stand-in for an apiserver that keeps every request body it is sent. */
export async function startRecorder(richPod: unknown = RICH_POD): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  let evicted = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://recorder');
      const p = url.pathname;
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
      const send = (code: number, obj: unknown): void => {
        res.writeHead(code, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      const notFound = (): void => send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404, message: `${p} not found` });
      if (req.method === 'GET') {
        if (p === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.4' });
        const doc = discovery(p);
        if (doc) return send(200, doc);
        if (p === '/api/v1/nodes/node-1') return send(200, node);
        if (p === '/api/v1/pods') return send(200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '10' }, items: [pod] });
        // Once evicted or deleted the pod is gone, which ends drain's wait.
        if (p === '/api/v1/namespaces/demo/pods/web-1') return evicted ? notFound() : send(200, pod);
        if (p === '/api/v1/namespaces/demo/pods/api-0') return send(200, richPod);
        return notFound();
      }
      if (req.method === 'PATCH' && p === '/api/v1/nodes/node-1') return send(200, { ...node, spec: { unschedulable: true } });
      if (req.method === 'DELETE' && p === '/api/v1/namespaces/demo/pods/web-1') {
        evicted = true;
        return send(200, pod);
      }
      if (req.method === 'POST') {
        if (p.endsWith('/eviction')) evicted = true;
        return send(201, answer(p));
      }
      return notFound();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', args, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? 1 : 0, stdout, stderr });
    });
  });
}

// Flags go before `--`: after it they would become the container's command.
function withFlags(args: string[], ...flags: string[]): string[] {
  const dash = args.indexOf('--');
  return dash < 0 ? [...args, ...flags] : [...args.slice(0, dash), ...flags, ...args.slice(dash)];
}

/** Runs every case through real kubectl and returns the fixtures. */
export async function recordAll(cases: readonly RecordCase[] = CASES): Promise<Fixture[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-pb-'));
  try {
    // A private HOME and cache dir: no stale discovery from another server on the same port.
    const baseEnv = { ...process.env, HOME: dir, KUBECONFIG: path.join(dir, 'none') };
    const version = (await run(['version', '--client', '-o', 'json'], baseEnv)).stdout;
    const kubectl = (JSON.parse(version) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion;
    // kubectl's own rendering of RICH_POD (a typed round trip, offline), so
    // the pod it copies and the expectation agree on every zero value.
    const richFile = path.join(dir, 'rich-pod.json');
    await writeFile(richFile, JSON.stringify(RICH_POD));
    const local = await run(['set', 'serviceaccount', '--local', '-f', richFile, RICH_POD.spec.serviceAccountName, '-o', 'json'], baseEnv);
    if (local.code !== 0) throw new Error(`kubectl set serviceaccount --local failed: ${local.stderr}`);
    const richPod = JSON.parse(local.stdout) as Record<string, unknown>;

    const rec = await startRecorder(richPod);
    try {
      const binary = path.join(dir, 'blob.bin');
      await writeFile(binary, BINARY_FILE);
      const kubeconfig = path.join(dir, 'kubeconfig');
      await writeFile(kubeconfig, [
        'apiVersion: v1',
        'kind: Config',
        `clusters: [{name: rec, cluster: {server: "${rec.url}"}}]`,
        'users: [{name: rec, user: {token: recorder}}]',
        'contexts: [{name: rec, context: {cluster: rec, user: rec, namespace: default}}]',
        'current-context: rec',
        '',
      ].join('\n'));
      const env = { ...baseEnv, KUBECONFIG: kubeconfig };
      const out: Fixture[] = [];
      for (const c of cases) {
        const args = withFlags(c.args.map((a) => a.replace('@BINARY@', binary)), `--cache-dir=${path.join(dir, 'cache')}`);
        rec.requests.length = 0;
        const r = await run(args, env);
        // The first body that is not drain's cordon patch.
        const sent = rec.requests.find((q) => q.method !== 'PATCH' && q.body.length > 0);
        if (!sent) throw new Error(`${c.name}: kubectl sent no body (exit ${r.code}): ${r.stderr}`);
        let expected = typeof c.expected === 'function' ? c.expected(richPod) : c.expected;
        let from: Fixture['expectedFrom'] = 'hand-written';
        if (!sent.contentType.startsWith(PROTOBUF)) {
          // kubectl sent this one as JSON, which checks the hand-written expectation.
          const json = JSON.parse(sent.body.toString('utf8')) as unknown;
          if (!expected || !isDeepStrictEqual(json, expected)) throw new Error(`${c.name}: kubectl sent ${sent.body.toString('utf8')}, not the expected ${JSON.stringify(expected)}`);
          from = 'kubectl JSON body';
        }
        if (!expected) {
          from = 'dry-run=client';
          const dry = await run(withFlags(args, '--dry-run=client', '-o', 'json'), env);
          if (dry.code !== 0) throw new Error(`${c.name}: dry run failed: ${dry.stderr}`);
          expected = JSON.parse(dry.stdout) as Record<string, unknown>;
        }
        out.push({
          name: c.name,
          kubectl,
          args: c.args,
          method: sent.method,
          path: sent.path,
          contentType: sent.contentType,
          expectedFrom: from,
          expected,
          body: sent.body.toString('base64'),
        });
      }
      return out;
    } finally {
      await rec.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The directory the fixtures live in. */
export const FIXTURE_DIR = path.dirname(fileURLToPath(import.meta.url));

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const fixtures = await recordAll();
  for (const f of await readdir(FIXTURE_DIR)) if (f.endsWith('.json')) await unlink(path.join(FIXTURE_DIR, f));
  for (const f of fixtures) await writeFile(path.join(FIXTURE_DIR, `${f.name}.json`), `${JSON.stringify(f, null, 2)}\n`);
  process.stdout.write(`recorded ${fixtures.length} fixtures with kubectl ${fixtures[0]?.kubectl ?? '?'} into ${FIXTURE_DIR}\n`);
}
