/**
 * The service catalog of the training fleet: every workload that runs in every
 * site (the platform is geo-redundant, so the catalog is site-independent;
 * the generator only jitters replica counts per site).
 *
 * Entries are written in Kubernetes vocabulary already (container ports,
 * probes, resources) so objects.ts can turn them into API objects without
 * guessing. Values are hand-picked, not random, so the catalog is stable
 * across seeds; versions come from a hash of the service name.
 */

/** How a service's logs look; the emulator's log generator keys off this. */
export type LogStyle = 'json' | 'access' | 'java' | 'plain' | 'ansi';
/** Controller kind of a catalog entry (`StaticPod`: kubeadm manifests on control planes). */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'StaticPod';
/**
 * How replicas follow the size of the site:
 * - `fixed`: always `replicas`;
 * - `proportional`: `replicas` is a weight, scaled so pods ≈ nodes × podsPerNode;
 * - `per-nodes`: one replica per `nodesPerReplica` nodes (DNS, ingress, log storage).
 */
export type Scaling = 'fixed' | 'proportional' | 'per-nodes';

/** Version of every control-plane component and kubelet in the fleet. */
export const KUBERNETES_VERSION = 'v1.32.4';
/** The company registry that team images are pushed to. */
export const REGISTRY = 'registry.meridian.internal';
/** Chart every team service is deployed with (a shared library chart). */
export const TEAM_CHART = 'microservice-4.2.0';
/** Vault runs outside the clusters; the injector points agents at the site's Vault. */
export const vaultAddress = (site: string): string => `https://vault.${site}.meridian.internal:8200`;

/** A containerPort in API form. */
export interface K8sPort {
  name: string;
  hostPort?: number;
  containerPort: number;
  protocol: 'TCP' | 'UDP';
}

/** Container resources in API form (quantities as strings). */
export interface K8sResources {
  limits?: { cpu?: string; memory?: string };
  requests?: { cpu?: string; memory?: string };
}

/** A container env var in API form. */
export interface K8sEnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef: { apiVersion: 'v1'; fieldPath: string } };
}

/** A container volumeMount in API form. */
export interface K8sVolumeMount {
  name: string;
  readOnly?: boolean;
  mountPath: string;
  mountPropagation?: string;
}

/** A probe in the apiserver's defaulted form. */
export interface K8sProbe {
  exec?: { command: string[] };
  httpGet?: { path: string; port: number | string; host?: string; scheme: 'HTTP' | 'HTTPS' };
  tcpSocket?: { port: number | string };
  initialDelaySeconds?: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}

/** One container as written in a chart (objects.ts applies apiserver defaults). */
export interface ContainerSpec {
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
  securityContext?: Record<string, unknown>;
}

/** A pod toleration in API form. */
export interface Toleration {
  key?: string;
  operator: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

/** A Service port in API form. */
export interface ServicePortSpec {
  name: string;
  protocol: 'TCP' | 'UDP';
  port: number;
  targetPort: number | string;
}

/** The Service in front of a workload. */
export interface ExposureSpec {
  /** Defaults to the workload name. */
  name?: string;
  type: 'ClusterIP' | 'LoadBalancer';
  /** Fixed ClusterIP (kube-dns); otherwise allocated from 10.96.0.0/12. */
  clusterIP?: string;
  externalTrafficPolicy?: 'Cluster' | 'Local';
  ports: ServicePortSpec[];
  labels?: Record<string, string>;
}

/** The budget of a PodDisruptionBudget: exactly one of the two fields. */
export interface PdbSpec {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

/** One catalog entry: a workload and what goes with it (Service, PDB, config). */
export interface ServiceSpec {
  name: string;
  namespace: string;
  /** Owning team; undefined for platform components. */
  team?: string;
  kind: WorkloadKind;
  /** Baseline replicas (a weight for `proportional`, ignored for DaemonSets/static pods). */
  replicas: number;
  scaling: Scaling;
  /** For `per-nodes`. */
  nodesPerReplica?: number;
  minReplicas: number;
  maxReplicas?: number;
  logStyle: LogStyle;
  /** spec.selector.matchLabels; also the pods' labels. */
  selector: Record<string, string>;
  /** Extra labels on the workload object (helm, version, team). */
  labels: Record<string, string>;
  /** Deployed by Helm (adds meta.helm.sh annotations). */
  helmRelease?: string;
  version: string;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  podAnnotations?: Record<string, string>;
  serviceAccountName: string;
  automountToken: boolean;
  priorityClassName?: 'system-node-critical' | 'system-cluster-critical';
  hostNetwork?: boolean;
  hostPID?: boolean;
  dnsPolicy: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default';
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  /** DaemonSets and static pods: which nodes they land on. */
  runsOn?: 'all' | 'control-plane';
  /** Pod volumes other than kube-api-access / PVCs, in API form. */
  volumes?: Record<string, unknown>[];
  /** StatefulSets: the claim template mounted at the main container. */
  volumeClaim?: { name: string; storage: string; storageClassName: string };
  terminationGracePeriodSeconds: number;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  pdb?: PdbSpec;
  service?: ExposureSpec;
  /** Configuration published as a ConfigMap (mounted or read by the workload). */
  config?: { name: string; data: Record<string, string> };
}

// ---------------------------------------------------------------------------
// Helpers (keep entries short and consistent).

/** FNV-1a, 32-bit. Stable across runs and platforms. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A release-looking semver derived from the name, so it is stable across seeds. */
function versionOf(name: string): string {
  const h = fnv1a(name);
  return `${1 + (h % 3)}.${(h >>> 4) % 60}.${(h >>> 12) % 14}`;
}

/** A probe with the apiserver's defaults filled in, fields in the apiserver's order. */
const probe = (p: Partial<K8sProbe>): K8sProbe => ({
  ...(p.exec ? { exec: p.exec } : {}),
  ...(p.httpGet ? { httpGet: p.httpGet } : {}),
  ...(p.tcpSocket ? { tcpSocket: p.tcpSocket } : {}),
  ...(p.initialDelaySeconds !== undefined ? { initialDelaySeconds: p.initialDelaySeconds } : {}),
  timeoutSeconds: p.timeoutSeconds ?? 1,
  periodSeconds: p.periodSeconds ?? 10,
  successThreshold: 1,
  failureThreshold: p.failureThreshold ?? 3,
});
const http = (path: string, port: number | string, initialDelaySeconds?: number, extra: Partial<K8sProbe> = {}): K8sProbe =>
  probe({ httpGet: { path, port, scheme: 'HTTP' }, ...(initialDelaySeconds !== undefined ? { initialDelaySeconds } : {}), ...extra });
const tcp = (port: number | string, initialDelaySeconds?: number): K8sProbe =>
  probe({ tcpSocket: { port }, ...(initialDelaySeconds !== undefined ? { initialDelaySeconds } : {}) });
const exec = (command: string[], extra: Partial<K8sProbe> = {}): K8sProbe => probe({ exec: { command }, ...extra });
const port = (name: string, containerPort: number, protocol: 'TCP' | 'UDP' = 'TCP'): K8sPort => ({ name, containerPort, protocol });
const svcPort = (name: string, port: number, targetPort: number | string, protocol: 'TCP' | 'UDP' = 'TCP'): ServicePortSpec => ({
  name,
  protocol,
  port,
  targetPort,
});
const fieldEnv = (name: string, fieldPath: string): K8sEnvVar => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
const res = (reqCpu: string | undefined, reqMem: string, limMem?: string, limCpu?: string): K8sResources => {
  const r: K8sResources = {};
  if (limMem || limCpu) r.limits = { ...(limCpu ? { cpu: limCpu } : {}), ...(limMem ? { memory: limMem } : {}) };
  r.requests = { ...(reqCpu ? { cpu: reqCpu } : {}), memory: reqMem };
  return r;
};

const TOLERATE_ALL: Toleration[] = [{ operator: 'Exists' }];
const TOLERATE_CONTROL_PLANE: Toleration[] = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];
const LINUX = { 'kubernetes.io/os': 'linux' };

// ---------------------------------------------------------------------------
// Team services.

type Profile = 'java' | 'go' | 'node' | 'python' | 'nginx' | 'worker' | 'redis' | 'postgres' | 'rabbitmq';
type PdbShorthand = 'min1' | 'max1' | 'min50' | 'max25';

interface TeamEntry {
  name: string;
  profile: Profile;
  replicas: number;
  pdb?: PdbShorthand;
  /** Override the profile's log style (e.g. colourised dev loggers). */
  log?: LogStyle;
  /** Secrets rendered by an injected Vault agent. */
  vault?: boolean;
  /** Legacy config rendered by a consul-template sidecar. */
  consulTemplate?: boolean;
}

const t = (
  name: string,
  profile: Profile,
  replicas: number,
  pdb?: PdbShorthand,
  extra: Pick<TeamEntry, 'log' | 'vault' | 'consulTemplate'> = {},
): TeamEntry => ({ name, profile, replicas, ...(pdb ? { pdb } : {}), ...extra });

/** Team namespaces and what runs in them. */
export const TEAM_SERVICES: Readonly<Record<string, readonly TeamEntry[]>> = {
  payments: [
    t('payment-gateway', 'java', 6, 'min50'),
    t('payment-ledger', 'java', 4, 'max1', { vault: true }),
    t('fraud-scoring', 'python', 4, 'max25'),
    t('psp-adapter-adyen', 'go', 3, 'min1', { vault: true }),
    t('psp-adapter-stripe', 'go', 3, 'min1'),
    t('refund-worker', 'worker', 2),
    t('payout-scheduler', 'java', 2),
    t('ledger-db', 'postgres', 3, 'max1'),
  ],
  checkout: [
    t('checkout-api', 'java', 8, 'min50'),
    t('checkout-web', 'node', 6, 'max25'),
    t('order-submitter', 'go', 4, 'min1'),
    t('tax-calculator', 'java', 3, 'max1', { consulTemplate: true }),
    t('address-validation', 'go', 3),
    t('checkout-events-worker', 'worker', 2),
    t('checkout-fraud-hook', 'go', 2),
  ],
  cart: [
    t('cart-api', 'go', 6, 'max25'),
    t('cart-redis', 'redis', 3, 'max1'),
    t('cart-merge-worker', 'worker', 2),
    t('wishlist-api', 'node', 3, undefined, { log: 'ansi' }),
    t('saved-for-later', 'go', 2),
    t('cart-abandonment', 'worker', 1),
  ],
  search: [
    t('search-api', 'go', 8, 'min50'),
    t('search-indexer', 'java', 4, 'max1'),
    t('autocomplete', 'go', 6, 'max25'),
    t('query-understanding', 'python', 3),
    t('synonym-sync', 'worker', 1),
    t('search-web', 'nginx', 3),
    t('ranking-model-server', 'python', 4, 'max1'),
  ],
  identity: [
    t('auth-gateway', 'go', 6, 'min50'),
    t('user-profile', 'java', 4, 'max1'),
    t('session-store', 'redis', 3, 'max1'),
    t('token-service', 'go', 4, 'min1', { vault: true }),
    t('mfa-service', 'java', 2, 'min1', { vault: true }),
    t('account-web', 'node', 3),
    t('scim-sync', 'worker', 1),
  ],
  catalog: [
    t('product-api', 'java', 6, 'min50'),
    t('product-images', 'nginx', 4),
    t('inventory-sync', 'worker', 2),
    t('category-service', 'go', 3, 'max1'),
    t('pim-importer', 'java', 1),
    t('catalog-admin', 'node', 2, undefined, { log: 'ansi' }),
  ],
  orders: [
    t('order-service', 'java', 6, 'min50', { consulTemplate: true }),
    t('order-history', 'go', 4, 'max1'),
    t('invoice-generator', 'java', 2, undefined, { consulTemplate: true }),
    t('orders-db', 'postgres', 3, 'max1'),
    t('returns-api', 'python', 3),
    t('order-events-relay', 'go', 2),
    t('legacy-erp-bridge', 'java', 2, undefined, { consulTemplate: true }),
  ],
  shipping: [
    t('shipping-api', 'go', 4, 'max1'),
    t('carrier-dhl-adapter', 'java', 2),
    t('carrier-ups-adapter', 'java', 2),
    t('label-printer-proxy', 'python', 2),
    t('tracking-poller', 'worker', 3),
    t('delivery-slots', 'go', 3, 'min1'),
    t('warehouse-bridge', 'java', 2, undefined, { consulTemplate: true }),
  ],
  notifications: [
    t('notification-api', 'go', 4, 'max1'),
    t('email-sender', 'worker', 3),
    t('sms-sender', 'worker', 2),
    t('push-gateway', 'node', 3),
    t('template-renderer', 'node', 2, undefined, { log: 'ansi' }),
    t('notification-queue', 'rabbitmq', 3, 'max1'),
  ],
  pricing: [
    t('pricing-api', 'java', 6, 'min50'),
    t('promotions-engine', 'java', 4, 'max1'),
    t('price-feed-consumer', 'worker', 2),
    t('currency-rates', 'go', 2),
    t('coupon-service', 'python', 3, 'min1'),
    t('pricing-admin', 'node', 1, undefined, { log: 'ansi' }),
  ],
  recommendations: [
    t('reco-api', 'python', 6, 'max25'),
    t('feature-store', 'redis', 3, 'max1'),
    t('model-server', 'python', 4, 'max1'),
    t('trending-aggregator', 'java', 2),
    t('embedding-worker', 'worker', 3),
    t('ab-testing', 'go', 3, 'min1'),
  ],
  customer: [
    t('support-portal', 'node', 3),
    t('ticket-service', 'java', 3, 'max1'),
    t('chat-gateway', 'go', 4, 'min1'),
    t('knowledge-base', 'nginx', 2),
    t('crm-sync', 'worker', 2),
    t('reviews-api', 'python', 3, 'max1'),
    t('faq-search', 'go', 2),
  ],
};

/** Team namespaces, one per team (namespace name = team name). */
export const TEAM_NAMESPACES: readonly string[] = Object.keys(TEAM_SERVICES);

/** Namespaces that exist in every cluster before anything is installed. */
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;
/** Namespaces of the platform components (installed with Helm). */
export const PLATFORM_NAMESPACES = ['metallb-system', 'monitoring', 'logging', 'vault', 'auth', 'ingress-nginx'] as const;

const PDB: Record<PdbShorthand, PdbSpec> = {
  min1: { minAvailable: 1 },
  max1: { maxUnavailable: 1 },
  min50: { minAvailable: '50%' },
  max25: { maxUnavailable: '25%' },
};

/** Image the injector uses for vault-agent sidecars. */
export const VAULT_AGENT_IMAGE = 'docker.io/hashicorp/vault:1.18.2';
const CONSUL_TEMPLATE_IMAGE = 'docker.io/hashicorp/consul-template:0.39.1';

function teamService(team: string, e: TeamEntry): ServiceSpec {
  const version = versionOf(e.name);
  const image = `${REGISTRY}/${team}/${e.name}:${version}`;
  const selector = { 'app.kubernetes.io/instance': e.name, 'app.kubernetes.io/name': e.name };
  const labels = {
    ...selector,
    'app.kubernetes.io/managed-by': 'Helm',
    'app.kubernetes.io/version': version,
    'helm.sh/chart': TEAM_CHART,
    'triptych.io/team': team,
  };
  const base = {
    name: e.name,
    namespace: team,
    team,
    replicas: e.replicas,
    scaling: 'proportional' as const,
    minReplicas: e.pdb ? 2 : 1,
    selector,
    labels,
    helmRelease: e.name,
    version,
    serviceAccountName: e.name,
    // Hardening default of the team chart: only pods that talk to the API
    // (or to Vault with their SA token) get a token mounted.
    automountToken: Boolean(e.vault),
    dnsPolicy: 'ClusterFirst' as const,
    terminationGracePeriodSeconds: 30,
    ...(e.pdb ? { pdb: PDB[e.pdb] } : {}),
  };
  const http80 = (target: string): ExposureSpec => ({ type: 'ClusterIP', ports: [svcPort('http', 80, target)] });

  let spec: ServiceSpec;
  switch (e.profile) {
    case 'java':
      spec = {
        ...base,
        kind: 'Deployment',
        logStyle: 'java',
        containers: [
          {
            name: e.name,
            image,
            ports: [port('http', 8080), port('management', 8081)],
            env: [{ name: 'SPRING_PROFILES_ACTIVE', value: 'prod' }],
            resources: res('500m', '1536Mi', '2Gi'),
            livenessProbe: http('/actuator/health/liveness', 'management', 60),
            readinessProbe: http('/actuator/health/readiness', 'management', 20),
          },
        ],
        service: http80('http'),
        config: {
          name: `${e.name}-config`,
          data: {
            'application.yaml': `server:\n  port: 8080\nmanagement:\n  server:\n    port: 8081\nspring:\n  application:\n    name: ${e.name}\nlogging:\n  level:\n    root: INFO\n`,
          },
        },
      };
      break;
    case 'go':
      spec = {
        ...base,
        kind: 'Deployment',
        logStyle: e.log ?? 'json',
        containers: [
          {
            name: e.name,
            image,
            ports: [port('http', 8080), port('metrics', 9090)],
            resources: res('100m', '128Mi', '256Mi'),
            readinessProbe: http('/readyz', 'http'),
          },
        ],
        service: { type: 'ClusterIP', ports: [svcPort('http', 80, 'http'), svcPort('metrics', 9090, 'metrics')] },
      };
      break;
    case 'node':
      spec = {
        ...base,
        kind: 'Deployment',
        logStyle: e.log ?? 'json',
        containers: [
          {
            name: e.name,
            image,
            ports: [port('http', 3000)],
            resources: res('200m', '256Mi', '512Mi'),
            readinessProbe: http('/health', 'http', 5),
          },
        ],
        service: http80('http'),
      };
      break;
    case 'python':
      spec = {
        ...base,
        kind: 'Deployment',
        logStyle: e.log ?? 'access',
        containers: [
          {
            name: e.name,
            image,
            ports: [port('http', 8000)],
            resources: res('250m', '512Mi', '1Gi'),
            readinessProbe: http('/healthz', 'http', 10),
          },
        ],
        service: http80('http'),
      };
      break;
    case 'nginx':
      spec = {
        ...base,
        kind: 'Deployment',
        logStyle: e.log ?? 'access',
        containers: [
          {
            name: e.name,
            image,
            ports: [port('http', 8080)],
            resources: res('50m', '64Mi', '128Mi'),
            readinessProbe: http('/', 'http'),
          },
        ],
        service: http80('http'),
      };
      break;
    case 'worker':
      spec = {
        ...base,
        kind: 'Deployment',
        logStyle: e.log ?? 'plain',
        containers: [{ name: e.name, image, resources: res('200m', '256Mi', '512Mi') }],
      };
      break;
    case 'redis':
      spec = {
        ...base,
        kind: 'StatefulSet',
        scaling: 'fixed',
        logStyle: e.log ?? 'plain',
        version: '7.4.1',
        labels: { ...labels, 'app.kubernetes.io/version': '7.4.1' },
        containers: [
          {
            name: 'redis',
            image: `${REGISTRY}/mirror/redis:7.4.1`,
            ports: [port('redis', 6379)],
            resources: res('250m', '1Gi', '1Gi'),
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
            readinessProbe: exec(['redis-cli', 'ping'], { timeoutSeconds: 2 }),
          },
        ],
        volumeClaim: { name: 'data', storage: '20Gi', storageClassName: 'local-nvme' },
        service: { type: 'ClusterIP', ports: [svcPort('redis', 6379, 'redis')] },
      };
      break;
    case 'postgres':
      spec = {
        ...base,
        kind: 'StatefulSet',
        scaling: 'fixed',
        logStyle: e.log ?? 'plain',
        version: '16.6',
        labels: { ...labels, 'app.kubernetes.io/version': '16.6' },
        containers: [
          {
            name: 'postgres',
            image: `${REGISTRY}/mirror/postgres:16.6`,
            ports: [port('postgres', 5432)],
            resources: res('2', '8Gi', '8Gi', '2'),
            volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
            readinessProbe: exec(['pg_isready', '-U', 'postgres'], { initialDelaySeconds: 5, timeoutSeconds: 5 }),
          },
        ],
        volumeClaim: { name: 'data', storage: '200Gi', storageClassName: 'local-nvme' },
        terminationGracePeriodSeconds: 120,
        service: { type: 'ClusterIP', ports: [svcPort('postgres', 5432, 'postgres')] },
      };
      break;
    case 'rabbitmq':
      spec = {
        ...base,
        kind: 'StatefulSet',
        scaling: 'fixed',
        logStyle: e.log ?? 'plain',
        version: '3.13.7',
        labels: { ...labels, 'app.kubernetes.io/version': '3.13.7' },
        containers: [
          {
            name: 'rabbitmq',
            image: `${REGISTRY}/mirror/rabbitmq:3.13.7-management`,
            ports: [port('amqp', 5672), port('management', 15672)],
            resources: res('500m', '2Gi', '2Gi'),
            volumeMounts: [{ name: 'data', mountPath: '/var/lib/rabbitmq' }],
            readinessProbe: tcp('amqp', 10),
          },
        ],
        volumeClaim: { name: 'data', storage: '50Gi', storageClassName: 'local-nvme' },
        podManagementPolicy: 'Parallel',
        service: { type: 'ClusterIP', ports: [svcPort('amqp', 5672, 'amqp'), svcPort('management', 15672, 'management')] },
      };
      break;
  }

  if (e.vault) {
    // Only the request for injection lives in the template; the
    // vault-agent-injector webhook adds the agent containers to each pod
    // (objects.ts plays the webhook).
    spec.podAnnotations = {
      'vault.hashicorp.com/agent-inject': 'true',
      'vault.hashicorp.com/agent-inject-secret-app.env': `secret/data/${team}/${e.name}`,
      'vault.hashicorp.com/role': `${team}-${e.name}`,
    };
  }
  if (e.consulTemplate) {
    const main = spec.containers[0];
    if (main) main.volumeMounts = [...(main.volumeMounts ?? []), { name: 'rendered-config', readOnly: true, mountPath: '/etc/app' }];
    spec.containers = [
      ...spec.containers,
      {
        name: 'consul-template',
        image: CONSUL_TEMPLATE_IMAGE,
        args: ['-config=/etc/consul-template/config.hcl'],
        resources: res('20m', '32Mi', '64Mi'),
        volumeMounts: [
          { name: 'consul-template-config', readOnly: true, mountPath: '/etc/consul-template' },
          { name: 'rendered-config', mountPath: '/etc/app' },
        ],
      },
    ];
    spec.volumes = [
      ...(spec.volumes ?? []),
      { name: 'consul-template-config', configMap: { name: `${e.name}-consul-template`, defaultMode: 420 } },
      { name: 'rendered-config', emptyDir: {} },
    ];
  }
  return spec;
}

// ---------------------------------------------------------------------------
// Platform components.

const K8S = KUBERNETES_VERSION;
const CALICO = 'v3.29.1';
const METALLB = 'v0.14.9';

const helmLabels = (name: string, instance: string, version: string, chart: string, component?: string): Record<string, string> => ({
  ...(component ? { 'app.kubernetes.io/component': component } : {}),
  'app.kubernetes.io/instance': instance,
  'app.kubernetes.io/managed-by': 'Helm',
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/version': version,
  'helm.sh/chart': chart,
});

function platformServices(): ServiceSpec[] {
  const specs: ServiceSpec[] = [];
  const add = (s: ServiceSpec): void => {
    specs.push(s);
  };

  // kube-system (kubeadm + Calico manifests, not Helm).
  add({
    name: 'coredns',
    namespace: 'kube-system',
    kind: 'Deployment',
    replicas: 2,
    scaling: 'per-nodes',
    nodesPerReplica: 64,
    minReplicas: 2,
    maxReplicas: 48,
    logStyle: 'plain',
    selector: { 'k8s-app': 'kube-dns' },
    labels: { 'k8s-app': 'kube-dns' },
    version: '1.11.3',
    containers: [
      {
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.11.3',
        args: ['-conf', '/etc/coredns/Corefile'],
        ports: [port('dns', 53, 'UDP'), port('dns-tcp', 53), port('metrics', 9153)],
        resources: res('100m', '70Mi', '170Mi'),
        volumeMounts: [{ name: 'config-volume', readOnly: true, mountPath: '/etc/coredns' }],
        livenessProbe: http('/health', 8080, 60, { timeoutSeconds: 5, failureThreshold: 5 }),
        readinessProbe: http('/ready', 8181),
        securityContext: {
          capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
        },
      },
    ],
    volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }], defaultMode: 420 } }],
    serviceAccountName: 'coredns',
    automountToken: true,
    priorityClassName: 'system-cluster-critical',
    dnsPolicy: 'Default',
    nodeSelector: LINUX,
    tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, ...TOLERATE_CONTROL_PLANE],
    terminationGracePeriodSeconds: 30,
    service: {
      name: 'kube-dns',
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      ports: [svcPort('dns', 53, 53, 'UDP'), svcPort('dns-tcp', 53, 53), svcPort('metrics', 9153, 9153)],
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    },
    config: {
      name: 'coredns',
      data: {
        Corefile:
        '.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n    loop\n    reload\n    loadbalance\n}\n',
      },
    },
  });
  add({
    name: 'kube-proxy',
    namespace: 'kube-system',
    kind: 'DaemonSet',
    replicas: 0,
    scaling: 'fixed',
    minReplicas: 0,
    runsOn: 'all',
    logStyle: 'plain',
    selector: { 'k8s-app': 'kube-proxy' },
    labels: { 'k8s-app': 'kube-proxy' },
    version: K8S.slice(1),
    containers: [
      {
        name: 'kube-proxy',
        image: `registry.k8s.io/kube-proxy:${K8S}`,
        command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
        env: [fieldEnv('NODE_NAME', 'spec.nodeName')],
        // kubeadm ships kube-proxy without requests: a BestEffort pod.
        resources: {},
        volumeMounts: [
          { name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' },
          { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
          { name: 'lib-modules', readOnly: true, mountPath: '/lib/modules' },
        ],
        securityContext: { privileged: true },
      },
    ],
    volumes: [
      { name: 'kube-proxy', configMap: { name: 'kube-proxy', defaultMode: 420 } },
      { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
      { name: 'lib-modules', hostPath: { path: '/lib/modules', type: '' } },
    ],
    serviceAccountName: 'kube-proxy',
    automountToken: true,
    priorityClassName: 'system-node-critical',
    hostNetwork: true,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    tolerations: TOLERATE_ALL,
    terminationGracePeriodSeconds: 30,
    config: {
      name: 'kube-proxy',
      data: {
        'config.conf':
        'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.128.0.0/9\nmode: ipvs\nipvs:\n  strictARP: true\nmetricsBindAddress: 0.0.0.0:10249\n',
      },
    },
  });
  add({
    name: 'calico-node',
    namespace: 'kube-system',
    kind: 'DaemonSet',
    replicas: 0,
    scaling: 'fixed',
    minReplicas: 0,
    runsOn: 'all',
    logStyle: 'plain',
    selector: { 'k8s-app': 'calico-node' },
    labels: { 'k8s-app': 'calico-node' },
    version: CALICO.slice(1),
    initContainers: [
      {
        name: 'install-cni',
        image: `docker.io/calico/cni:${CALICO}`,
        command: ['/opt/cni/bin/install'],
        resources: {},
        volumeMounts: [
          { name: 'cni-bin-dir', mountPath: '/host/opt/cni/bin' },
          { name: 'cni-net-dir', mountPath: '/host/etc/cni/net.d' },
        ],
        securityContext: { privileged: true },
      },
    ],
    containers: [
      {
        name: 'calico-node',
        image: `docker.io/calico/node:${CALICO}`,
        env: [
          { name: 'DATASTORE_TYPE', value: 'kubernetes' },
          { name: 'IP_AUTODETECTION_METHOD', value: 'kubernetes-internal-ip' },
          fieldEnv('NODENAME', 'spec.nodeName'),
        ],
        resources: res('250m', '256Mi'),
        volumeMounts: [
          { name: 'lib-modules', readOnly: true, mountPath: '/lib/modules' },
          { name: 'var-run-calico', mountPath: '/var/run/calico' },
        ],
        livenessProbe: exec(['/bin/calico-node', '-felix-live', '-bird-live'], { timeoutSeconds: 10, failureThreshold: 6 }),
        readinessProbe: exec(['/bin/calico-node', '-felix-ready', '-bird-ready'], { timeoutSeconds: 10 }),
        securityContext: { privileged: true },
      },
    ],
    volumes: [
      { name: 'lib-modules', hostPath: { path: '/lib/modules', type: '' } },
      { name: 'var-run-calico', hostPath: { path: '/var/run/calico', type: 'DirectoryOrCreate' } },
      { name: 'cni-bin-dir', hostPath: { path: '/opt/cni/bin', type: 'DirectoryOrCreate' } },
      { name: 'cni-net-dir', hostPath: { path: '/etc/cni/net.d', type: '' } },
    ],
    serviceAccountName: 'calico-node',
    automountToken: true,
    priorityClassName: 'system-node-critical',
    hostNetwork: true,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    tolerations: [
      { operator: 'Exists', effect: 'NoSchedule' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { operator: 'Exists', effect: 'NoExecute' },
    ],
    terminationGracePeriodSeconds: 0,
  });
  add({
    name: 'calico-kube-controllers',
    namespace: 'kube-system',
    kind: 'Deployment',
    replicas: 1,
    scaling: 'fixed',
    minReplicas: 1,
    logStyle: 'plain',
    selector: { 'k8s-app': 'calico-kube-controllers' },
    labels: { 'k8s-app': 'calico-kube-controllers' },
    version: CALICO.slice(1),
    containers: [
      {
        name: 'calico-kube-controllers',
        image: `docker.io/calico/kube-controllers:${CALICO}`,
        env: [
          { name: 'ENABLED_CONTROLLERS', value: 'node,loadbalancer' },
          { name: 'DATASTORE_TYPE', value: 'kubernetes' },
        ],
        resources: {},
        livenessProbe: exec(['/usr/bin/check-status', '-l'], { initialDelaySeconds: 10, timeoutSeconds: 10, failureThreshold: 6 }),
        readinessProbe: exec(['/usr/bin/check-status', '-r']),
      },
    ],
    serviceAccountName: 'calico-kube-controllers',
    automountToken: true,
    priorityClassName: 'system-cluster-critical',
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, ...TOLERATE_CONTROL_PLANE],
    terminationGracePeriodSeconds: 30,
  });

  // Control-plane static pods (kubeadm manifests under /etc/kubernetes/manifests).
  const staticPod = (
    component: string,
    image: string,
    cpu: string,
    command: string[],
    probePort: number,
    scheme: 'HTTP' | 'HTTPS',
    path: string,
  ): ServiceSpec => ({
    name: component,
    namespace: 'kube-system',
    kind: 'StaticPod',
    replicas: 0,
    scaling: 'fixed',
    minReplicas: 0,
    runsOn: 'control-plane',
    logStyle: 'plain',
    selector: { component, tier: 'control-plane' },
    labels: { component, tier: 'control-plane' },
    version: image.slice(image.lastIndexOf(':') + 2),
    containers: [
      {
        name: component,
        image,
        command,
        // kubeadm requests only CPU, except etcd which also requests memory.
        resources: component === 'etcd' ? res(cpu, '100Mi') : { requests: { cpu } },
        volumeMounts: [{ name: 'k8s-certs', readOnly: true, mountPath: '/etc/kubernetes/pki' }],
        livenessProbe: probe({
          httpGet: { path, port: probePort, host: '127.0.0.1', scheme },
          initialDelaySeconds: 10,
          timeoutSeconds: 15,
          failureThreshold: 8,
        }),
      },
    ],
    volumes: [{ name: 'k8s-certs', hostPath: { path: '/etc/kubernetes/pki', type: 'DirectoryOrCreate' } }],
    serviceAccountName: 'default',
    automountToken: false,
    priorityClassName: 'system-node-critical',
    hostNetwork: true,
    dnsPolicy: 'ClusterFirst',
    tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
    terminationGracePeriodSeconds: 30,
  });
  add(
    staticPod('etcd', 'registry.k8s.io/etcd:3.5.16-0', '100m', ['etcd', '--data-dir=/var/lib/etcd', '--listen-metrics-urls=http://127.0.0.1:2381'], 2381, 'HTTP', '/livez'),
  );
  add(
    staticPod(
      'kube-apiserver',
      `registry.k8s.io/kube-apiserver:${K8S}`,
      '250m',
      ['kube-apiserver', '--secure-port=6443', '--service-cluster-ip-range=10.96.0.0/12', '--oidc-issuer-url=https://dex.auth.svc'],
      6443,
      'HTTPS',
      '/livez',
    ),
  );
  add(
    staticPod(
      'kube-controller-manager',
      `registry.k8s.io/kube-controller-manager:${K8S}`,
      '200m',
      ['kube-controller-manager', '--allocate-node-cidrs=true', '--cluster-cidr=10.128.0.0/9', '--node-cidr-mask-size=24', '--leader-elect=true'],
      10257,
      'HTTPS',
      '/healthz',
    ),
  );
  add(
    staticPod('kube-scheduler', `registry.k8s.io/kube-scheduler:${K8S}`, '100m', ['kube-scheduler', '--leader-elect=true'], 10259, 'HTTPS', '/livez'),
  );

  // metallb-system
  const mlb = (component: string): Record<string, string> => ({
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/instance': 'metallb',
    'app.kubernetes.io/name': 'metallb',
  });
  add({
    name: 'metallb-controller',
    namespace: 'metallb-system',
    kind: 'Deployment',
    replicas: 1,
    scaling: 'fixed',
    minReplicas: 1,
    logStyle: 'json',
    selector: mlb('controller'),
    labels: helmLabels('metallb', 'metallb', METALLB, 'metallb-0.14.9', 'controller'),
    helmRelease: 'metallb',
    version: METALLB.slice(1),
    containers: [
      {
        name: 'controller',
        image: `quay.io/metallb/controller:${METALLB}`,
        args: ['--port=7472', '--log-level=info', '--tls-min-version=VersionTLS12'],
        ports: [port('monitoring', 7472), port('webhook-server', 9443)],
        resources: {},
        livenessProbe: http('/metrics', 'monitoring', 10),
        readinessProbe: http('/metrics', 'monitoring', 10),
      },
    ],
    serviceAccountName: 'metallb-controller',
    automountToken: true,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    terminationGracePeriodSeconds: 0,
    service: { name: 'metallb-webhook-service', type: 'ClusterIP', ports: [svcPort('', 443, 9443)] },
  });
  add({
    name: 'metallb-speaker',
    namespace: 'metallb-system',
    kind: 'DaemonSet',
    replicas: 0,
    scaling: 'fixed',
    minReplicas: 0,
    runsOn: 'all',
    logStyle: 'json',
    selector: mlb('speaker'),
    labels: helmLabels('metallb', 'metallb', METALLB, 'metallb-0.14.9', 'speaker'),
    helmRelease: 'metallb',
    version: METALLB.slice(1),
    containers: [
      {
        name: 'speaker',
        image: `quay.io/metallb/speaker:${METALLB}`,
        args: ['--port=7472', '--log-level=info'],
        ports: [port('monitoring', 7472), port('memberlist-tcp', 7946), port('memberlist-udp', 7946, 'UDP')],
        env: [fieldEnv('METALLB_NODE_NAME', 'spec.nodeName'), fieldEnv('METALLB_HOST', 'status.hostIP')],
        resources: {},
        readinessProbe: http('/metrics', 'monitoring', 10),
        securityContext: { capabilities: { add: ['NET_RAW'], drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
      },
    ],
    serviceAccountName: 'metallb-speaker',
    automountToken: true,
    hostNetwork: true,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    tolerations: [...TOLERATE_CONTROL_PLANE, { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }],
    terminationGracePeriodSeconds: 2,
  });

  // monitoring
  add({
    name: 'prometheus',
    namespace: 'monitoring',
    kind: 'StatefulSet',
    replicas: 2,
    scaling: 'fixed',
    minReplicas: 2,
    logStyle: 'plain',
    selector: { 'app.kubernetes.io/instance': 'k8s', 'app.kubernetes.io/name': 'prometheus' },
    labels: helmLabels('prometheus', 'k8s', '3.1.0', 'kube-prometheus-stack-67.4.0', 'prometheus'),
    helmRelease: 'kube-prometheus-stack',
    version: '3.1.0',
    containers: [
      {
        name: 'prometheus',
        image: 'quay.io/prometheus/prometheus:v3.1.0',
        args: ['--config.file=/etc/prometheus/config_out/prometheus.env.yaml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=15d', '--web.enable-lifecycle'],
        ports: [port('web', 9090)],
        resources: res('2', '8Gi', '16Gi'),
        volumeMounts: [{ name: 'prometheus-db', mountPath: '/prometheus' }],
        readinessProbe: http('/-/ready', 'web', undefined, { timeoutSeconds: 3, periodSeconds: 5, failureThreshold: 3 }),
      },
      {
        name: 'config-reloader',
        image: 'quay.io/prometheus-operator/prometheus-config-reloader:v0.79.2',
        ports: [port('reloader-web', 8080)],
        resources: res('10m', '50Mi', '50Mi', '10m'),
      },
    ],
    serviceAccountName: 'prometheus-k8s',
    automountToken: true,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    volumeClaim: { name: 'prometheus-db', storage: '500Gi', storageClassName: 'local-nvme' },
    podManagementPolicy: 'Parallel',
    terminationGracePeriodSeconds: 600,
    pdb: { minAvailable: 1 },
    service: { name: 'prometheus-k8s', type: 'ClusterIP', ports: [svcPort('web', 9090, 'web'), svcPort('reloader-web', 8080, 'reloader-web')] },
  });
  add({
    name: 'alertmanager',
    namespace: 'monitoring',
    kind: 'StatefulSet',
    replicas: 3,
    scaling: 'fixed',
    minReplicas: 3,
    logStyle: 'plain',
    selector: { 'app.kubernetes.io/instance': 'main', 'app.kubernetes.io/name': 'alertmanager' },
    labels: helmLabels('alertmanager', 'main', '0.28.0', 'kube-prometheus-stack-67.4.0', 'alert-router'),
    helmRelease: 'kube-prometheus-stack',
    version: '0.28.0',
    containers: [
      {
        name: 'alertmanager',
        image: 'quay.io/prometheus/alertmanager:v0.28.0',
        args: ['--config.file=/etc/alertmanager/config_out/alertmanager.env.yaml', '--storage.path=/alertmanager', '--cluster.listen-address=[$(POD_IP)]:9094'],
        ports: [port('web', 9093), port('mesh-tcp', 9094), port('mesh-udp', 9094, 'UDP')],
        env: [fieldEnv('POD_IP', 'status.podIP')],
        resources: res('100m', '256Mi', '512Mi'),
        volumeMounts: [{ name: 'alertmanager-db', mountPath: '/alertmanager' }],
        readinessProbe: http('/-/ready', 'web', 3, { timeoutSeconds: 3, periodSeconds: 5 }),
      },
    ],
    serviceAccountName: 'alertmanager-main',
    automountToken: true,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    volumeClaim: { name: 'alertmanager-db', storage: '10Gi', storageClassName: 'local-nvme' },
    podManagementPolicy: 'Parallel',
    terminationGracePeriodSeconds: 120,
    pdb: { maxUnavailable: 1 },
    service: { name: 'alertmanager-main', type: 'ClusterIP', ports: [svcPort('web', 9093, 'web')] },
  });
  add({
    name: 'node-exporter',
    namespace: 'monitoring',
    kind: 'DaemonSet',
    replicas: 0,
    scaling: 'fixed',
    minReplicas: 0,
    runsOn: 'all',
    logStyle: 'plain',
    selector: { 'app.kubernetes.io/instance': 'kube-prometheus-stack', 'app.kubernetes.io/name': 'prometheus-node-exporter' },
    labels: helmLabels('prometheus-node-exporter', 'kube-prometheus-stack', '1.8.2', 'prometheus-node-exporter-4.42.0', 'metrics'),
    helmRelease: 'kube-prometheus-stack',
    version: '1.8.2',
    containers: [
      {
        name: 'node-exporter',
        image: 'quay.io/prometheus/node-exporter:v1.8.2',
        args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root', '--web.listen-address=[$(HOST_IP)]:9100'],
        ports: [{ name: 'http-metrics', hostPort: 9100, containerPort: 9100, protocol: 'TCP' }],
        env: [{ name: 'HOST_IP', value: '0.0.0.0' }],
        resources: res('102m', '180Mi', '180Mi', '250m'),
        volumeMounts: [
          { name: 'proc', readOnly: true, mountPath: '/host/proc' },
          { name: 'sys', readOnly: true, mountPath: '/host/sys' },
          { name: 'root', readOnly: true, mountPath: '/host/root', mountPropagation: 'HostToContainer' },
        ],
        readinessProbe: http('/', 9100),
      },
    ],
    volumes: [
      { name: 'proc', hostPath: { path: '/proc', type: '' } },
      { name: 'sys', hostPath: { path: '/sys', type: '' } },
      { name: 'root', hostPath: { path: '/', type: '' } },
    ],
    serviceAccountName: 'prometheus-node-exporter',
    automountToken: false,
    hostNetwork: true,
    hostPID: true,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
    terminationGracePeriodSeconds: 30,
  });
  add({
    name: 'kube-state-metrics',
    namespace: 'monitoring',
    kind: 'Deployment',
    replicas: 1,
    scaling: 'fixed',
    minReplicas: 1,
    logStyle: 'plain',
    selector: { 'app.kubernetes.io/instance': 'kube-prometheus-stack', 'app.kubernetes.io/name': 'kube-state-metrics' },
    labels: helmLabels('kube-state-metrics', 'kube-prometheus-stack', '2.14.0', 'kube-state-metrics-5.27.0', 'metrics'),
    helmRelease: 'kube-prometheus-stack',
    version: '2.14.0',
    containers: [
      {
        name: 'kube-state-metrics',
        image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.14.0',
        args: ['--port=8080', '--telemetry-port=8081'],
        ports: [port('http', 8080), port('telemetry', 8081)],
        resources: res('100m', '512Mi', '2Gi'),
        livenessProbe: http('/livez', 8080, 5, { timeoutSeconds: 5 }),
        readinessProbe: http('/readyz', 8081, 5, { timeoutSeconds: 5 }),
      },
    ],
    serviceAccountName: 'kube-state-metrics',
    automountToken: true,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    terminationGracePeriodSeconds: 30,
    service: { type: 'ClusterIP', ports: [svcPort('http', 8080, 'http')] },
  });
  add({
    name: 'grafana',
    namespace: 'monitoring',
    kind: 'Deployment',
    replicas: 2,
    scaling: 'fixed',
    minReplicas: 2,
    logStyle: 'plain',
    selector: { 'app.kubernetes.io/instance': 'kube-prometheus-stack', 'app.kubernetes.io/name': 'grafana' },
    labels: helmLabels('grafana', 'kube-prometheus-stack', '11.4.0', 'grafana-8.8.2'),
    helmRelease: 'kube-prometheus-stack',
    version: '11.4.0',
    containers: [
      {
        name: 'grafana',
        image: 'docker.io/grafana/grafana:11.4.0',
        ports: [port('grafana', 3000)],
        resources: res('100m', '256Mi', '512Mi'),
        readinessProbe: http('/api/health', 3000),
      },
    ],
    serviceAccountName: 'grafana',
    automountToken: true,
    dnsPolicy: 'ClusterFirst',
    terminationGracePeriodSeconds: 30,
    pdb: { maxUnavailable: 1 },
    service: { type: 'ClusterIP', ports: [svcPort('http-web', 80, 3000)] },
  });

  // logging
  add({
    name: 'fluent-bit',
    namespace: 'logging',
    kind: 'DaemonSet',
    replicas: 0,
    scaling: 'fixed',
    minReplicas: 0,
    runsOn: 'all',
    logStyle: 'plain',
    selector: { 'app.kubernetes.io/instance': 'fluent-bit', 'app.kubernetes.io/name': 'fluent-bit' },
    labels: helmLabels('fluent-bit', 'fluent-bit', '3.2.4', 'fluent-bit-0.48.3'),
    helmRelease: 'fluent-bit',
    version: '3.2.4',
    containers: [
      {
        name: 'fluent-bit',
        image: 'cr.fluentbit.io/fluent/fluent-bit:3.2.4',
        args: ['--workdir=/fluent-bit/etc', '--config=/fluent-bit/etc/conf/fluent-bit.conf'],
        ports: [port('http', 2020)],
        resources: res('100m', '128Mi', '512Mi'),
        volumeMounts: [
          { name: 'config', mountPath: '/fluent-bit/etc/conf' },
          { name: 'varlog', mountPath: '/var/log' },
        ],
        readinessProbe: http('/api/v1/health', 'http'),
      },
    ],
    volumes: [
      { name: 'config', configMap: { name: 'fluent-bit', defaultMode: 420 } },
      { name: 'varlog', hostPath: { path: '/var/log', type: '' } },
    ],
    serviceAccountName: 'fluent-bit',
    automountToken: true,
    dnsPolicy: 'ClusterFirst',
    tolerations: TOLERATE_ALL,
    terminationGracePeriodSeconds: 30,
    config: {
      name: 'fluent-bit',
      data: {
        'fluent-bit.conf':
        '[SERVICE]\n    Daemon Off\n    Flush 1\n    Log_Level info\n    Parsers_File /fluent-bit/etc/parsers.conf\n    HTTP_Server On\n    HTTP_Port 2020\n\n[INPUT]\n    Name tail\n    Path /var/log/containers/*.log\n    multiline.parser docker, cri\n    Tag kube.*\n    Mem_Buf_Limit 5MB\n\n[FILTER]\n    Name kubernetes\n    Match kube.*\n    Merge_Log On\n\n[OUTPUT]\n    Name es\n    Match kube.*\n    Host elasticsearch-master\n    Logstash_Format On\n    Suppress_Type_Name On\n',
      },
    },
  });
  const esContainer = (cpu: string, mem: string): ContainerSpec => ({
    name: 'elasticsearch',
    image: 'docker.elastic.co/elasticsearch/elasticsearch:8.17.0',
    ports: [port('http', 9200), port('transport', 9300)],
    resources: res(cpu, mem, mem, cpu),
    volumeMounts: [{ name: 'elasticsearch-data', mountPath: '/usr/share/elasticsearch/data' }],
    readinessProbe: exec(['bash', '-c', 'curl -fsk https://127.0.0.1:9200/_cluster/health?local=true'], {
      initialDelaySeconds: 10,
      timeoutSeconds: 5,
    }),
  });
  const esInit: ContainerSpec = {
    name: 'configure-sysctl',
    image: 'docker.elastic.co/elasticsearch/elasticsearch:8.17.0',
    command: ['sysctl', '-w', 'vm.max_map_count=262144'],
    resources: {},
    securityContext: { privileged: true, runAsUser: 0 },
  };
  add({
    name: 'elasticsearch-master',
    namespace: 'logging',
    kind: 'StatefulSet',
    replicas: 3,
    scaling: 'fixed',
    minReplicas: 3,
    logStyle: 'json',
    selector: { app: 'elasticsearch-master' },
    labels: { app: 'elasticsearch-master', 'app.kubernetes.io/managed-by': 'Helm', chart: 'elasticsearch', heritage: 'Helm', release: 'elasticsearch' },
    helmRelease: 'elasticsearch',
    version: '8.17.0',
    initContainers: [esInit],
    containers: [esContainer('1', '4Gi')],
    serviceAccountName: 'default',
    automountToken: false,
    dnsPolicy: 'ClusterFirst',
    volumeClaim: { name: 'elasticsearch-data', storage: '50Gi', storageClassName: 'local-nvme' },
    podManagementPolicy: 'Parallel',
    terminationGracePeriodSeconds: 120,
    pdb: { maxUnavailable: 1 },
    service: { type: 'ClusterIP', ports: [svcPort('http', 9200, 9200), svcPort('transport', 9300, 9300)] },
  });
  add({
    name: 'elasticsearch-data',
    namespace: 'logging',
    kind: 'StatefulSet',
    replicas: 3,
    scaling: 'per-nodes',
    nodesPerReplica: 40,
    minReplicas: 3,
    maxReplicas: 120,
    logStyle: 'json',
    selector: { app: 'elasticsearch-data' },
    labels: { app: 'elasticsearch-data', 'app.kubernetes.io/managed-by': 'Helm', chart: 'elasticsearch', heritage: 'Helm', release: 'elasticsearch-data' },
    helmRelease: 'elasticsearch-data',
    version: '8.17.0',
    initContainers: [esInit],
    containers: [esContainer('4', '30Gi')],
    serviceAccountName: 'default',
    automountToken: false,
    dnsPolicy: 'ClusterFirst',
    volumeClaim: { name: 'elasticsearch-data', storage: '2Ti', storageClassName: 'local-nvme' },
    podManagementPolicy: 'Parallel',
    terminationGracePeriodSeconds: 120,
    pdb: { maxUnavailable: 1 },
  });
  add({
    name: 'kibana',
    namespace: 'logging',
    kind: 'Deployment',
    replicas: 1,
    scaling: 'fixed',
    minReplicas: 1,
    logStyle: 'json',
    selector: { app: 'kibana', release: 'kibana' },
    labels: { app: 'kibana', 'app.kubernetes.io/managed-by': 'Helm', heritage: 'Helm', release: 'kibana' },
    helmRelease: 'kibana',
    version: '8.17.0',
    containers: [
      {
        name: 'kibana',
        image: 'docker.elastic.co/kibana/kibana:8.17.0',
        ports: [port('http', 5601)],
        resources: res('500m', '1Gi', '2Gi', '1'),
        readinessProbe: exec(['bash', '-c', 'curl -fs http://localhost:5601/app/kibana'], { initialDelaySeconds: 10, timeoutSeconds: 5 }),
      },
    ],
    serviceAccountName: 'default',
    automountToken: false,
    dnsPolicy: 'ClusterFirst',
    terminationGracePeriodSeconds: 30,
    service: { name: 'kibana-kibana', type: 'ClusterIP', ports: [svcPort('http', 5601, 5601)] },
  });

  // vault (the injector only: Vault itself runs outside the clusters)
  add({
    name: 'vault-agent-injector',
    namespace: 'vault',
    kind: 'Deployment',
    replicas: 2,
    scaling: 'fixed',
    minReplicas: 2,
    logStyle: 'plain',
    selector: { 'app.kubernetes.io/instance': 'vault', 'app.kubernetes.io/name': 'vault-agent-injector', component: 'webhook' },
    labels: { 'app.kubernetes.io/instance': 'vault', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/name': 'vault-agent-injector', component: 'webhook' },
    helmRelease: 'vault',
    version: '1.5.0',
    containers: [
      {
        name: 'sidecar-injector',
        image: 'docker.io/hashicorp/vault-k8s:1.5.0',
        args: ['agent-inject', '2>&1'],
        env: [
          { name: 'AGENT_INJECT_LISTEN', value: ':8080' },
          { name: 'AGENT_INJECT_VAULT_IMAGE', value: VAULT_AGENT_IMAGE },
        ],
        resources: res('50m', '64Mi', '256Mi'),
        livenessProbe: probe({ httpGet: { path: '/health/ready', port: 8080, scheme: 'HTTPS' }, initialDelaySeconds: 5, timeoutSeconds: 5, periodSeconds: 2, failureThreshold: 2 }),
        readinessProbe: probe({ httpGet: { path: '/health/ready', port: 8080, scheme: 'HTTPS' }, initialDelaySeconds: 5, timeoutSeconds: 5, periodSeconds: 2, failureThreshold: 2 }),
      },
    ],
    serviceAccountName: 'vault-agent-injector',
    automountToken: true,
    dnsPolicy: 'ClusterFirst',
    terminationGracePeriodSeconds: 30,
    pdb: { maxUnavailable: 1 },
    service: { name: 'vault-agent-injector-svc', type: 'ClusterIP', ports: [svcPort('https', 443, 8080)] },
  });

  // auth
  add({
    name: 'dex',
    namespace: 'auth',
    kind: 'Deployment',
    replicas: 2,
    scaling: 'fixed',
    minReplicas: 2,
    logStyle: 'json',
    selector: { 'app.kubernetes.io/instance': 'dex', 'app.kubernetes.io/name': 'dex' },
    labels: helmLabels('dex', 'dex', '2.41.1', 'dex-0.19.1'),
    helmRelease: 'dex',
    version: '2.41.1',
    containers: [
      {
        name: 'dex',
        image: 'ghcr.io/dexidp/dex:v2.41.1',
        args: ['dex', 'serve', '--web-http-addr', '0.0.0.0:5556', '--telemetry-addr', '0.0.0.0:5558', '/etc/dex/config.yaml'],
        ports: [port('http', 5556), port('telemetry', 5558)],
        resources: res('50m', '64Mi', '128Mi'),
        livenessProbe: http('/healthz/live', 'telemetry'),
        readinessProbe: http('/healthz/ready', 'telemetry'),
      },
    ],
    serviceAccountName: 'dex',
    automountToken: true,
    dnsPolicy: 'ClusterFirst',
    terminationGracePeriodSeconds: 30,
    pdb: { minAvailable: 1 },
    service: { type: 'ClusterIP', ports: [svcPort('http', 5556, 'http'), svcPort('telemetry', 5558, 'telemetry')] },
  });

  // ingress-nginx (behind MetalLB VIPs that the F5s forward to)
  add({
    name: 'ingress-nginx-controller',
    namespace: 'ingress-nginx',
    kind: 'Deployment',
    replicas: 3,
    scaling: 'per-nodes',
    nodesPerReplica: 40,
    minReplicas: 3,
    maxReplicas: 60,
    logStyle: 'access',
    selector: {
      'app.kubernetes.io/component': 'controller',
      'app.kubernetes.io/instance': 'ingress-nginx',
      'app.kubernetes.io/name': 'ingress-nginx',
    },
    labels: helmLabels('ingress-nginx', 'ingress-nginx', '1.12.0', 'ingress-nginx-4.12.0', 'controller'),
    helmRelease: 'ingress-nginx',
    version: '1.12.0',
    containers: [
      {
        name: 'controller',
        image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0',
        args: ['/nginx-ingress-controller', '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller', '--election-id=ingress-nginx-leader', '--ingress-class=nginx'],
        ports: [port('http', 80), port('https', 443), port('metrics', 10254), port('webhook', 8443)],
        env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace')],
        resources: res('100m', '90Mi', '1Gi'),
        livenessProbe: http('/healthz', 10254, 10, { failureThreshold: 5 }),
        readinessProbe: http('/healthz', 10254, 10),
        securityContext: {
          capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
          runAsUser: 101,
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
        },
      },
    ],
    serviceAccountName: 'ingress-nginx',
    automountToken: true,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: LINUX,
    terminationGracePeriodSeconds: 300,
    pdb: { maxUnavailable: 1 },
    service: {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ports: [svcPort('http', 80, 'http'), svcPort('https', 443, 'https')],
    },
  });
  return specs;
}

let cached: readonly ServiceSpec[] | undefined;

/**
 * The full catalog: platform components first, then team services by team.
 * Built once and shared; treat the result as read-only.
 */
export function serviceCatalog(): readonly ServiceSpec[] {
  cached ??= [
    ...platformServices(),
    ...Object.entries(TEAM_SERVICES).flatMap(([team, entries]) => entries.map((e) => teamService(team, e))),
  ];
  return cached;
}

/** Catalog entry by `namespace/name` (how the log generator finds a pod's log style). */
export function catalogIndex(): ReadonlyMap<string, ServiceSpec> {
  return new Map(serviceCatalog().map((s) => [`${s.namespace}/${s.name}`, s]));
}

/** Every namespace the catalog needs, system ones first. */
export function catalogNamespaces(): string[] {
  return [...SYSTEM_NAMESPACES, ...PLATFORM_NAMESPACES, ...TEAM_NAMESPACES];
}

/**
 * The log style of the catalog workload whose selector matches a pod's
 * labels in `namespace`, or undefined for pods the catalog does not know
 * (e.g. created by a trainee).
 */
export function logStyleOf(namespace: string, labels: Readonly<Record<string, string>>): LogStyle | undefined {
  for (const s of serviceCatalog()) {
    if (s.namespace !== namespace) continue;
    let match = true;
    for (const [k, v] of Object.entries(s.selector)) {
      if (labels[k] !== v) {
        match = false;
        break;
      }
    }
    if (match) return s.logStyle;
  }
  return undefined;
}
