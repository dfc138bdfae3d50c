/**
 * Generates the initial state of one training-fleet site: nodes laid out in
 * rooms and racks, the platform and team workloads from the catalog scaled
 * to the site's size, their pods scheduled onto nodes, and the Services,
 * PDBs, ConfigMaps, Leases and recent Events that go with them.
 *
 * Deterministic: the same options give byte-identical JSON. Every random
 * choice comes from forks of one seeded Rng, one fork per concern, so
 * changing e.g. the realism choices does not reshuffle node names.
 */
import { Rng } from '../rng';
import type { KObject } from '../types';
import {
  KUBERNETES_VERSION,
  PLATFORM_NAMESPACES,
  SYSTEM_NAMESPACES,
  TEAM_NAMESPACES,
  serviceCatalog,
  vaultAddress,
  type ServiceSpec,
} from './catalog';
import {
  buildConfigMap,
  buildDaemonSet,
  buildDeployment,
  buildEvent,
  buildLease,
  buildNamespace,
  buildNode,
  buildNodeLease,
  buildPdb,
  buildPod,
  buildReplicaSet,
  buildRootCaConfigMap,
  buildService,
  buildStatefulSet,
  buildStatefulSetPod,
  fakeCaPem,
  headlessServiceName,
  hex,
  isPodReady,
  microTs,
  parseQuantity,
  podTemplateFor,
  preparePodTemplate,
  setDaemonSetStatus,
  setDeploymentStatus,
  setReplicaSetStatus,
  setStatefulSetStatus,
  templateHash,
  tolerates,
  ts,
  uuid,
  withImage,
  type LastTermination,
  type PodOptions,
  type PodState,
  type PodTemplate,
  type PreparedTemplate,
} from './objects';
import { LABEL_TEAM, TAINT_CONTROL_PLANE, buildTopology, loadBalancerAddress, type SiteTopology } from './topology';

/** Input of {@link generateSite}. */
export interface GenerateSiteOptions {
  site: string;
  index: number;
  seed: string | number;
  /** Epoch ms the fleet is generated "at"; all timestamps are before it. */
  now: number;
  /** Exact node count; default 3 rooms × 4 racks × 8–12 nodes. */
  nodes?: number;
  /** Target average pods per node including DaemonSet pods (default 15, max 100). */
  podsPerNode?: number;
}

/** Everything {@link generateSite} produces for one site, by kind. */
export interface SiteObjects {
  nodes: KObject[];
  namespaces: KObject[];
  /** Deployments, ReplicaSets, DaemonSets, StatefulSets. */
  workloads: KObject[];
  pods: KObject[];
  services: KObject[];
  pdbs: KObject[];
  configmaps: KObject[];
  leases: KObject[];
  /** A few recent, realistic events (the apiserver keeps events for an hour). */
  events: KObject[];
  topology: SiteTopology;
}

/** Default average pods per node (DaemonSet pods included), like a real bare-metal cluster. */
export const DEFAULT_PODS_PER_NODE = 15;
const MAX_PODS_PER_NODE = 110;

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Rough rollout pace of the kubelet: seconds between creating a pod and its containers running. */
const START_DELAY_S: [number, number] = [2, 9];

interface Capacity {
  cpu: Float64Array;
  memory: Float64Array;
  pods: Int32Array;
}

/** Bumps the last numeric part of a semver-ish tag `k` releases back (for old ReplicaSets). */
function olderImage(image: string, k: number): string | undefined {
  const m = /^(.*:v?)(\d+)\.(\d+)\.(\d+)(.*)$/.exec(image);
  if (!m) return undefined;
  const [, head, major, minor, patch, tail] = m as unknown as [string, string, string, string, string, string];
  let mi = Number(minor);
  let pa = Number(patch) - k;
  if (pa < 0) {
    mi = Math.max(0, mi - 1);
    pa = 9 + pa + 1;
  }
  return `${head}${major}.${mi}.${pa}${tail}`;
}

/**
 * Builds every object of one site. See {@link GenerateSiteOptions}; with
 * `nodes: 5000, podsPerNode: 30` this produces ~150,000 pods.
 */
export function generateSite(opts: GenerateSiteOptions): SiteObjects {
  // Whole seconds: every timestamp is printed with second precision anyway.
  const now = Math.floor(opts.now / 1000) * 1000;
  const ppn = opts.podsPerNode ?? DEFAULT_PODS_PER_NODE;
  if (!(ppn > 0) || ppn > 100) throw new RangeError(`podsPerNode must be in (0, 100], got ${ppn}`);
  const { site, index } = opts;

  const root = new Rng(`${opts.seed}/${site}/${index}`);
  const rTopo = root.fork('topology');
  const rNodes = root.fork('nodes');
  const rPlan = root.fork('plan');
  const rObj = root.fork('objects');
  const rPods = root.fork('pods');
  const rReal = root.fork('realism');
  const rMisc = root.fork('misc');

  // --- physical layout and Node objects -----------------------------------
  const topology = buildTopology({ site, index, ...(opts.nodes !== undefined ? { nodes: opts.nodes } : {}) }, rTopo);
  const specs = topology.nodes;
  const N = specs.length;
  const born = now - rPlan.int(200, 540) * DAY - rPlan.int(0, 86_399) * 1000;

  const rackSiteNumber = new Map<string, number>();
  for (const room of topology.rooms) for (const rack of room.racks) rackSiteNumber.set(rack.id, rack.siteNumber);
  const totalRacks = rackSiteNumber.size;
  const initialRacks = Math.min(totalRacks, 12);
  // Flatcar's update operator reboots nodes one at a time; one finished recently.
  const recentlyRebooted = N > 3 ? rReal.int(3, N - 1) : -1;

  const nodeCreated = new Float64Array(N);
  const nodeBooted = new Float64Array(N);
  const nodes: KObject[] = new Array<KObject>(N);
  const cap: Capacity = { cpu: new Float64Array(N), memory: new Float64Array(N), pods: new Int32Array(N) };
  const ipNext = new Int32Array(N);
  const cidrPrefix: string[] = new Array<string>(N);
  for (let i = 0; i < N; i++) {
    const spec = specs[i]!;
    const sn = rackSiteNumber.get(spec.rack) ?? 1;
    // The first racks went in when the cluster was built; later ones were
    // added over its lifetime (capacity expansions).
    const installedAt =
      spec.role === 'control-plane'
        ? born + i * 10 * MIN
        : sn <= initialRacks
          ? born + DAY + sn * 3 * HOUR
          : born + 30 * DAY + Math.floor(((sn - initialRacks) / Math.max(1, totalRacks - initialRacks)) * (now - born - 45 * DAY));
    const createdAt = installedAt + rNodes.int(0, 3600) * 1000;
    const bootedAt =
      i === recentlyRebooted
        ? now - rReal.int(6, 40) * MIN
        : Math.max(createdAt + MIN, now - rNodes.int(2 * 3600, 20 * 86_400) * 1000);
    nodeCreated[i] = createdAt;
    nodeBooted[i] = bootedAt;
    const node = buildNode(spec, now, rNodes, { createdAt, bootedAt });
    nodes[i] = node;
    const alloc = (node.status as { allocatable: Record<string, string> }).allocatable;
    cap.cpu[i] = parseQuantity(alloc.cpu);
    cap.memory[i] = parseQuantity(alloc.memory);
    cap.pods[i] = MAX_PODS_PER_NODE;
    ipNext[i] = rNodes.int(2, 40);
    cidrPrefix[i] = spec.podCIDR.slice(0, spec.podCIDR.lastIndexOf('.') + 1);
  }
  const controlPlanes = specs.filter((s) => s.role === 'control-plane').map((s) => s.index);
  const schedulable = topology.spreadOrder.filter((i) => !specs[i]!.tainted);
  const taintedCount = N - schedulable.length;

  // --- replica plan -----------------------------------------------------------
  const catalog = serviceCatalog();
  const daemonTargets = (s: ServiceSpec): number[] =>
    s.runsOn === 'control-plane'
      ? controlPlanes
      : specs.filter((n) => !n.tainted || tolerates(s.tolerations ?? [], TAINT_CONTROL_PLANE, 'NoSchedule')).map((n) => n.index);
  const plan = new Map<ServiceSpec, number>();
  let fixedPods = 0;
  const proportional: ServiceSpec[] = [];
  for (const s of catalog) {
    if (s.kind === 'DaemonSet' || s.kind === 'StaticPod') {
      const n = daemonTargets(s).length;
      plan.set(s, n);
      fixedPods += n;
    } else if (s.scaling === 'fixed') {
      plan.set(s, s.replicas);
      fixedPods += s.replicas;
    } else if (s.scaling === 'per-nodes') {
      const n = Math.min(s.maxReplicas ?? Infinity, Math.max(s.minReplicas, Math.ceil(N / (s.nodesPerReplica ?? 50))));
      plan.set(s, n);
      fixedPods += n;
    } else {
      proportional.push(s);
    }
  }
  {
    // Largest-remainder apportionment of the remaining pod budget, with a
    // per-site jitter so the three sites differ slightly (as real ones do).
    const budget = Math.max(0, Math.round(N * ppn) - fixedPods);
    const weights = proportional.map((s) => s.replicas * (0.85 + 0.3 * rPlan.float()));
    const total = weights.reduce((a, b) => a + b, 0);
    const raw = weights.map((w) => (total > 0 ? (budget * w) / total : 0));
    const counts = raw.map((r, i) => Math.max(proportional[i]!.minReplicas, Math.floor(r)));
    let left = budget - counts.reduce((a, b) => a + b, 0);
    const byFraction = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let k = 0; left > 0 && byFraction.length; k = (k + 1) % byFraction.length, left--) counts[byFraction[k]![1]]!++;
    proportional.forEach((s, i) => plan.set(s, counts[i]!));
  }

  // --- realism picks -----------------------------------------------------------
  const teamDeployments = proportional.filter((s) => s.kind === 'Deployment' && s.team !== undefined);
  const restartServices = new Set<ServiceSpec>();
  const restarters = rReal.int(1, 2);
  const restartCandidates = teamDeployments.filter((s) => (plan.get(s) ?? 0) >= 2);
  const restartPool = restartCandidates.length ? restartCandidates : teamDeployments;
  while (restartServices.size < Math.min(restarters, restartPool.length)) restartServices.add(rReal.pick(restartPool));
  const crashCandidates = teamDeployments.filter((s) => (plan.get(s) ?? 0) >= 2 && !restartServices.has(s));
  const crashService = rReal.chance(0.6) && crashCandidates.length ? rReal.pick(crashCandidates) : undefined;
  const crashReplica = crashService ? rReal.int(0, (plan.get(crashService) ?? 1) - 1) : -1;

  // --- scheduler ---------------------------------------------------------------
  let cursor = schedulable.length ? rPlan.int(0, schedulable.length - 1) : 0;
  const failed: { cpu: number; memory: number }[] = [];
  const fits = (n: number, cpu: number, memory: number): boolean =>
    cap.pods[n]! > 0 && cap.cpu[n]! >= cpu - 1e-9 && cap.memory[n]! >= memory;
  const take = (n: number, cpu: number, memory: number): void => {
    cap.cpu[n]! -= cpu;
    cap.memory[n]! -= memory;
    cap.pods[n]!--;
  };
  /** Next node along the spread order that fits, or -1 (the pod stays Pending). */
  const place = (req: { cpu: number; memory: number }): number => {
    // Capacity only shrinks, so anything at least as big as a failed pod fails too.
    for (const f of failed) if (req.cpu >= f.cpu && req.memory >= f.memory) return -1;
    for (let tries = 0; tries < schedulable.length; tries++) {
      const n = schedulable[cursor]!;
      cursor = cursor + 1 === schedulable.length ? 0 : cursor + 1;
      if (fits(n, req.cpu, req.memory)) {
        take(n, req.cpu, req.memory);
        return n;
      }
    }
    failed.push(req);
    return -1;
  };
  const unschedulableMessage = (req: { cpu: number; memory: number }): string => {
    let pods = 0;
    let cpu = 0;
    let mem = 0;
    for (const n of schedulable) {
      if (cap.pods[n]! <= 0) pods++;
      else if (cap.cpu[n]! < req.cpu) cpu++;
      else if (cap.memory[n]! < req.memory) mem++;
    }
    const parts: string[] = [];
    if (cpu) parts.push(`${cpu} Insufficient cpu`);
    if (mem) parts.push(`${mem} Insufficient memory`);
    if (taintedCount) parts.push(`${taintedCount} node(s) had untolerated taint {${TAINT_CONTROL_PLANE}: }`);
    if (pods) parts.push(`${pods} Too many pods`);
    return `0/${N} nodes are available: ${parts.join(', ')}. preemption: 0/${N} nodes are available: ${taintedCount ? `${taintedCount} Preemption is not helpful for scheduling, ` : ''}${N - taintedCount} No preemption victims found for incoming pod.`;
  };
  const podIP = (n: number): string => {
    const host = ipNext[n]!;
    ipNext[n] = host + 1;
    return cidrPrefix[n]! + host;
  };

  // --- namespaces --------------------------------------------------------------
  const nsCreated = new Map<string, number>();
  const namespaces: KObject[] = [];
  const addNamespace = (name: string, createdAt: number, labels?: Record<string, string>): void => {
    nsCreated.set(name, createdAt);
    namespaces.push(buildNamespace(name, { now, rng: rObj, createdAt, ...(labels ? { labels } : {}) }));
  };
  for (const ns of SYSTEM_NAMESPACES) addNamespace(ns, born);
  for (const ns of PLATFORM_NAMESPACES) {
    const privileged = ns === 'metallb-system' || ns === 'monitoring' || ns === 'logging';
    addNamespace(ns, born + rObj.int(1, 24) * HOUR, privileged ? { 'pod-security.kubernetes.io/enforce': 'privileged' } : undefined);
  }
  for (const ns of TEAM_NAMESPACES) {
    addNamespace(ns, born + rObj.int(2, 60) * DAY, { [LABEL_TEAM]: ns, 'pod-security.kubernetes.io/enforce': 'baseline' });
  }

  // --- workloads and pods ------------------------------------------------------
  const workloads: KObject[] = [];
  const pods: KObject[] = [];
  const podNames = new Map<string, Set<string>>();
  const uniqueName = (namespace: string, prefix: string): string => {
    let set = podNames.get(namespace);
    if (!set) podNames.set(namespace, (set = new Set()));
    let name: string;
    do name = prefix + rPods.suffix(5);
    while (set.has(name));
    set.add(name);
    return name;
  };
  interface Built {
    spec: ServiceSpec;
    createdAt: number;
    replicas: number;
    ready: number;
  }
  const built: Built[] = [];
  const restartedPods = new Set<KObject>();
  const notable: { pod: KObject; kind: 'crash' | 'restart'; node: number; spec: ServiceSpec }[] = [];
  let latestRollout: { deploy: KObject; rs: KObject; old?: KObject; at: number; pods: KObject[]; spec: ServiceSpec } | undefined;

  const workloadCreatedAt = (s: ServiceSpec): number => {
    const base = nsCreated.get(s.namespace) ?? born;
    return Math.min(now - 2 * DAY, base + rObj.int(10, 14 * 24 * 60) * MIN);
  };

  /** Creation time of a pod on node `n` that its controller made at `at`: drained nodes got fresh pods after their reboot. */
  const podCreatedAt = (n: number, at: number): number => Math.max(at, nodeBooted[n]! + rPods.int(30, 600) * 1000);

  const makeReplicaPods = (
    s: ServiceSpec,
    prepared: PreparedTemplate,
    count: number,
    rolloutAt: number,
    build: (node: number | undefined, o: Omit<PodOptions, 'name' | 'namespace'>, i: number) => KObject,
  ): { pods: KObject[]; ready: number } => {
    const out: KObject[] = [];
    let ready = 0;
    for (let i = 0; i < count; i++) {
      const n = place(prepared.requests);
      let pod: KObject;
      if (n < 0) {
        pod = build(undefined, { now, rng: rPods, startedAt: rolloutAt, createdAt: rolloutAt, message: unschedulableMessage(prepared.requests) }, i);
      } else {
        let createdAt = podCreatedAt(n, rolloutAt + i * rPods.int(1, 4) * 1000);
        let startedAt = createdAt + rPods.int(...START_DELAY_S) * 1000;
        let state: PodState = 'running';
        let restartCount: number | undefined;
        let lastTermination: LastTermination | undefined;
        let kind: 'crash' | 'restart' | undefined;
        if (s === crashService && i === crashReplica) {
          // A replica that started crashing a few hours ago (a bad config
          // value on one pod, say); the rest of the service is fine.
          kind = 'crash';
          state = 'crashloop';
          createdAt = Math.max(createdAt, now - rReal.int(2, 8) * HOUR);
          startedAt = createdAt + 5000;
          restartCount = Math.max(3, Math.floor((now - createdAt) / (5 * MIN)) - rReal.int(0, 3));
          lastTermination = { reason: 'Error', exitCode: 1, finishedAt: now - rReal.int(20, 280) * 1000 };
        } else if (
          restartServices.has(s) &&
          now - createdAt > 30 * MIN &&
          // About a third of the replicas, and at least the last one if none so far.
          (rReal.chance(0.35) || (i === count - 1 && !out.some((p) => restartedPods.has(p))))
        ) {
          // Occasional OOM kills (JVMs) or panics (everything else).
          kind = 'restart';
          const oom = s.logStyle === 'java';
          const finishedAt = createdAt + 10 * MIN + Math.floor(rReal.float() * (now - createdAt - 20 * MIN));
          restartCount = rReal.int(1, 4);
          lastTermination = { reason: oom ? 'OOMKilled' : 'Error', exitCode: oom ? 137 : 2, finishedAt };
          startedAt = finishedAt + rReal.int(1, 30) * 1000;
        }
        pod = build(
          n,
          {
            now,
            rng: rPods,
            createdAt,
            startedAt,
            state,
            hostIP: specs[n]!.internalIP,
            ...(prepared.spec.hostNetwork ? {} : { ip: podIP(n) }),
            ...(restartCount !== undefined ? { restartCount } : {}),
            ...(lastTermination ? { lastTermination } : {}),
          },
          i,
        );
        if (kind) notable.push({ pod, kind, node: n, spec: s });
        if (kind === 'restart') restartedPods.add(pod);
      }
      if (isPodReady(pod)) ready++;
      out.push(pod);
    }
    return { pods: out, ready };
  };

  for (const s of catalog) {
    const replicas = plan.get(s) ?? 0;
    if (s.kind === 'StaticPod') {
      const template = preparePodTemplate(podTemplateFor(s));
      let ready = 0;
      for (const n of controlPlanes) {
        const node = nodes[n]!;
        const ip = specs[n]!.internalIP;
        take(n, template.requests.cpu, template.requests.memory);
        const createdAt = nodeBooted[n]! + rPods.int(8, 25) * 1000;
        const hash = hex(rPods, 32);
        const annotations: Record<string, string> = {
          'kubernetes.io/config.hash': hash,
          'kubernetes.io/config.mirror': hash,
          'kubernetes.io/config.seen': microTs(nodeBooted[n]! + 5000, rPods.int(0, 999)).replace('Z', '') + rPods.int(100, 999) + 'Z',
          'kubernetes.io/config.source': 'file',
        };
        if (s.name === 'kube-apiserver') annotations['kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint'] = `${ip}:6443`;
        if (s.name === 'etcd') annotations['kubeadm.kubernetes.io/etcd.advertise-client-urls'] = `https://${ip}:2379`;
        const pod = buildPod(template, { apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid ?? '' }, node.metadata.name, {
          name: `${s.name}-${node.metadata.name}`,
          namespace: s.namespace,
          now,
          rng: rPods,
          createdAt,
          startedAt: createdAt - 10_000,
          hostIP: ip,
          annotations,
        });
        if (isPodReady(pod)) ready++;
        pods.push(pod);
      }
      built.push({ spec: s, createdAt: born, replicas: controlPlanes.length, ready });
      continue;
    }

    const createdAt = workloadCreatedAt(s);
    const rolloutAt = Math.max(createdAt + HOUR, now - rObj.int(2 * 3600, 40 * 86_400) * 1000);

    if (s.kind === 'DaemonSet') {
      const generation = rObj.int(1, 6);
      const template = podTemplateFor(s);
      const ds = buildDaemonSet(s, replicas, { now, rng: rObj, createdAt, generation, template });
      const hash = templateHash(template);
      const prepared = preparePodTemplate({
        metadata: {
          ...template.metadata,
          labels: { ...template.metadata.labels, 'controller-revision-hash': hash, 'pod-template-generation': String(generation) },
        },
        spec: template.spec,
      });
      const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: s.name, uid: ds.metadata.uid ?? '' };
      let ready = 0;
      for (const n of daemonTargets(s)) {
        take(n, prepared.requests.cpu, prepared.requests.memory);
        const podCreated = Math.max(rolloutAt + rPods.int(0, 6 * 3600) * 1000, nodeBooted[n]! + rPods.int(10, 60) * 1000);
        const pod = buildPod(prepared, owner, specs[n]!.name, {
          name: uniqueName(s.namespace, `${s.name}-`),
          namespace: s.namespace,
          now,
          rng: rPods,
          createdAt: Math.min(podCreated, now - 5000),
          startedAt: Math.min(podCreated + rPods.int(...START_DELAY_S) * 1000, now - 2000),
          hostIP: specs[n]!.internalIP,
          ...(prepared.spec.hostNetwork ? {} : { ip: podIP(n) }),
        });
        if (isPodReady(pod)) ready++;
        pods.push(pod);
      }
      setDaemonSetStatus(ds, { desired: replicas, current: replicas, ready, available: ready, updated: replicas });
      workloads.push(ds);
      built.push({ spec: s, createdAt, replicas, ready });
      continue;
    }

    if (s.kind === 'StatefulSet') {
      const sts = buildStatefulSet(s, replicas, { now, rng: rObj, createdAt, generation: rObj.int(1, 5) });
      const template = (sts.spec as { template: PodTemplate }).template;
      const prepared = preparePodTemplate(template);
      const { pods: stsPods, ready } = makeReplicaPods(s, prepared, replicas, rolloutAt, (node, o, i) =>
        buildStatefulSetPod(sts, prepared, i, node === undefined ? undefined : specs[node]!.name, o),
      );
      pods.push(...stsPods);
      setStatefulSetStatus(sts, { replicas, current: replicas, ready, available: ready, updated: replicas });
      workloads.push(sts);
      built.push({ spec: s, createdAt, replicas, ready });
      continue;
    }

    // Deployment: current ReplicaSet plus up to two scaled-down old ones.
    const revision = rObj.int(2, 24);
    const template = podTemplateFor(s);
    const deploy = buildDeployment(s, replicas, {
      now,
      rng: rObj,
      createdAt,
      generation: revision + rObj.int(0, 4),
      revision,
      template,
    });
    const hash = templateHash(template);
    const rs = buildReplicaSet(deploy, hash, replicas, { createdAt: rolloutAt, rng: rObj, revision });
    const olds: KObject[] = [];
    const firstImage = template.spec.containers[0]?.image ?? '';
    for (let k = 1; k <= Math.min(2, revision - 1); k++) {
      const image = olderImage(firstImage, k);
      if (!image) break;
      const oldTemplate = withImage(template, image);
      const oldAt = Math.max(createdAt, rolloutAt - k * rObj.int(2, 20) * DAY);
      olds.push(buildReplicaSet(deploy, templateHash(oldTemplate), 0, { createdAt: oldAt, rng: rObj, revision: revision - k, template: oldTemplate }));
    }
    const prepared = preparePodTemplate((rs.spec as { template: PodTemplate }).template);
    const rsOwner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid ?? '' };
    const { pods: rsPods, ready } = makeReplicaPods(s, prepared, replicas, rolloutAt, (node, o) =>
      buildPod(prepared, rsOwner, node === undefined ? undefined : specs[node]!.name, {
        ...o,
        name: uniqueName(s.namespace, `${rs.metadata.name}-`),
        namespace: s.namespace,
      }),
    );
    pods.push(...rsPods);
    const counts = { replicas, current: replicas, ready, available: ready, updated: replicas };
    setReplicaSetStatus(rs, counts);
    setDeploymentStatus(deploy, counts, rs.metadata.name, now, rolloutAt + rObj.int(20, 300) * 1000);
    workloads.push(deploy, rs, ...olds);
    built.push({ spec: s, createdAt, replicas, ready });
    if (s.team && (!latestRollout || rolloutAt > latestRollout.at)) {
      latestRollout = { deploy, rs, ...(olds[0] ? { old: olds[0] } : {}), at: rolloutAt, pods: rsPods, spec: s };
    }
  }

  // --- services ----------------------------------------------------------------
  const usedIPs = new Set<number>([1, 10]);
  const clusterIP = (): string => {
    let o: number;
    do o = rMisc.int(11, (1 << 20) - 2);
    while (usedIPs.has(o) || (o & 255) === 0 || (o & 255) === 255);
    usedIPs.add(o);
    return `10.${96 + (o >> 16)}.${(o >> 8) & 255}.${o & 255}`;
  };
  const usedNodePorts = new Set<number>();
  const nodePort = (): number => {
    let p: number;
    do p = rMisc.int(30000, 32767);
    while (usedNodePorts.has(p));
    usedNodePorts.add(p);
    return p;
  };
  const helm = (s: ServiceSpec): Record<string, string> | undefined =>
    s.helmRelease ? { 'meta.helm.sh/release-name': s.helmRelease, 'meta.helm.sh/release-namespace': s.namespace } : undefined;
  const services: KObject[] = [
    buildService(
      {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
        ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
        type: 'ClusterIP',
        clusterIP: '10.96.0.1',
      },
      { now, rng: rMisc, createdAt: born },
    ),
  ];
  let vipHost = 10;
  let lbService: KObject | undefined;
  for (const b of built) {
    const s = b.spec;
    const labels = { ...s.selector, ...s.labels };
    const annotations = helm(s);
    if (s.service) {
      const lb = s.service.type === 'LoadBalancer';
      const svc = buildService(
        {
          name: s.service.name ?? s.name,
          namespace: s.namespace,
          labels: s.service.labels ?? labels,
          ...(annotations || lb ? { annotations: { ...annotations, ...(lb ? { 'metallb.io/ip-allocated-from-pool': 'f5-vips' } : {}) } } : {}),
          selector: s.selector,
          ports: s.service.ports,
          type: s.service.type,
          clusterIP: s.service.clusterIP ?? clusterIP(),
          ...(lb
            ? {
                externalTrafficPolicy: s.service.externalTrafficPolicy ?? 'Cluster',
                nodePorts: s.service.ports.map(() => nodePort()),
                healthCheckNodePort: nodePort(),
                loadBalancerIP: loadBalancerAddress(index, vipHost++),
              }
            : {}),
        },
        { now, rng: rMisc, createdAt: b.createdAt },
      );
      services.push(svc);
      if (lb) lbService = svc;
    }
    if (s.kind === 'StatefulSet') {
      services.push(
        buildService(
          {
            name: headlessServiceName(s.name),
            namespace: s.namespace,
            labels,
            ...(annotations ? { annotations } : {}),
            selector: s.selector,
            ports: (s.containers[0]?.ports ?? []).map((p) => ({ name: p.name, protocol: p.protocol, port: p.containerPort, targetPort: p.name })),
            type: 'ClusterIP',
            clusterIP: 'None',
            publishNotReadyAddresses: true,
          },
          { now, rng: rMisc, createdAt: b.createdAt },
        ),
      );
    }
  }

  // --- PDBs ----------------------------------------------------------------------
  const pdbs: KObject[] = [];
  for (const b of built) {
    const s = b.spec;
    if (!s.pdb) continue;
    const annotations = helm(s);
    pdbs.push(
      buildPdb(
        {
          name: s.name,
          namespace: s.namespace,
          labels: { ...s.selector, ...s.labels },
          ...(annotations ? { annotations } : {}),
          selector: s.selector,
          ...s.pdb,
        },
        { expectedPods: b.replicas, currentHealthy: b.ready },
        { now, rng: rMisc, createdAt: b.createdAt },
      ),
    );
  }

  // --- ConfigMaps -------------------------------------------------------------------
  const caPem = fakeCaPem(rMisc);
  const configmaps: KObject[] = namespaces.map((ns) =>
    buildRootCaConfigMap(ns.metadata.name, caPem, { now, rng: rMisc, createdAt: (nsCreated.get(ns.metadata.name) ?? born) + 1000 }),
  );
  const apiServer = `https://api.${site}.meridian.internal:6443`;
  configmaps.push(
    buildConfigMap(
      'kube-public',
      'cluster-info',
      {
        kubeconfig: `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}\n    server: ${apiServer}\n  name: ""\ncontexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n`,
      },
      { now, rng: rMisc, createdAt: born },
    ),
    buildConfigMap(
      'kube-system',
      'kubeadm-config',
      {
        ClusterConfiguration: `apiServer: {}\napiVersion: kubeadm.k8s.io/v1beta4\nclusterName: ${site}\ncontrolPlaneEndpoint: api.${site}.meridian.internal:6443\nkind: ClusterConfiguration\nkubernetesVersion: ${KUBERNETES_VERSION}\nnetworking:\n  dnsDomain: cluster.local\n  podSubnet: 10.128.0.0/9\n  serviceSubnet: 10.96.0.0/12\n`,
      },
      { now, rng: rMisc, createdAt: born },
    ),
    buildConfigMap(
      'kube-system',
      'kubelet-config',
      {
        kubelet:
          'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\nkubeReserved:\n  cpu: "1"\n  memory: 1Gi\nsystemReserved:\n  memory: 1Gi\nmaxPods: 110\nrotateCertificates: true\n',
      },
      { now, rng: rMisc, createdAt: born },
    ),
  );
  const haveCm = new Set(configmaps.map((c) => `${c.metadata.namespace}/${c.metadata.name}`));
  for (const b of built) {
    const s = b.spec;
    const labels = { ...s.selector, ...s.labels };
    const annotations = helm(s);
    const ctx = { now, rng: rMisc, createdAt: b.createdAt, labels, ...(annotations ? { annotations } : {}) };
    if (s.config && !haveCm.has(`${s.namespace}/${s.config.name}`)) {
      configmaps.push(buildConfigMap(s.namespace, s.config.name, s.config.data, ctx));
      haveCm.add(`${s.namespace}/${s.config.name}`);
    }
    for (const v of s.volumes ?? []) {
      const ref = (v as { configMap?: { name: string } }).configMap?.name;
      if (!ref || haveCm.has(`${s.namespace}/${ref}`)) continue;
      // consul-template sidecars: their config, pointing at the site's Vault.
      configmaps.push(
        buildConfigMap(
          s.namespace,
          ref,
          {
            'app.properties.ctmpl': `{{ with secret "secret/data/${s.namespace}/${s.name}" }}db.password={{ .Data.data.db_password }}{{ end }}\n`,
            'config.hcl': `vault {\n  address = "${vaultAddress(site)}"\n  renew_token = true\n}\n\ntemplate {\n  source      = "/etc/consul-template/app.properties.ctmpl"\n  destination = "/etc/app/app.properties"\n}\n`,
          },
          ctx,
        ),
      );
      haveCm.add(`${s.namespace}/${ref}`);
    }
  }

  // --- Leases ------------------------------------------------------------------------
  const leases: KObject[] = nodes.map((n) => buildNodeLease(n, now, rMisc));
  if (controlPlanes.length) {
    const leader = (name: string, namespace: string): KObject => {
      const holder = specs[rMisc.pick(controlPlanes)]!.name;
      const acquireTime = now - rMisc.int(1, 20) * DAY;
      return buildLease(
        {
          name,
          namespace,
          holderIdentity: `${holder}_${uuid(rMisc)}`,
          leaseDurationSeconds: 15,
          acquireTime,
          renewTime: now - rMisc.int(0, 1999),
          leaseTransitions: rMisc.int(2, 40),
        },
        { now, rng: rMisc, createdAt: born },
      );
    };
    leases.push(leader('kube-controller-manager', 'kube-system'), leader('kube-scheduler', 'kube-system'));
    for (const cp of controlPlanes) {
      // apiserver identity leases: name derived from the host, renewed every 10 s.
      const id = `apiserver-${hex(rMisc, 26).replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;
      leases.push(
        buildLease(
          {
            name: id,
            namespace: 'kube-system',
            holderIdentity: `${id}_${uuid(rMisc)}`,
            leaseDurationSeconds: 3600,
            renewTime: now - rMisc.int(0, 9999),
            labels: { 'apiserver.kubernetes.io/identity': 'kube-apiserver', 'kubernetes.io/hostname': specs[cp]!.name },
          },
          { now, rng: rMisc, createdAt: nodeBooted[cp]! + 20_000 },
        ),
      );
    }
  }
  {
    const ingress = pods.find((p) => p.metadata.namespace === 'ingress-nginx' && isPodReady(p));
    if (ingress) {
      leases.push(
        buildLease(
          {
            name: 'ingress-nginx-leader',
            namespace: 'ingress-nginx',
            holderIdentity: ingress.metadata.name,
            leaseDurationSeconds: 30,
            acquireTime: now - rMisc.int(1, 10) * DAY,
            renewTime: now - rMisc.int(0, 4999),
            leaseTransitions: rMisc.int(1, 30),
          },
          { now, rng: rMisc, createdAt: born + 2 * DAY },
        ),
      );
    }
  }

  // --- Events (only the last hour survives the apiserver's event TTL) -----------
  const events = recentEvents();
  function recentEvents(): KObject[] {
    const out: KObject[] = [];
    const rE = rReal.fork('events');
    const kubelet = (host: string) => ({ component: 'kubelet', host });
    let unhealthy = 0;
    for (const { pod, kind, node, spec } of notable) {
      const host = specs[node]!.name;
      const container = spec.containers[0]?.name ?? 'app';
      const fieldPath = `spec.containers{${container}}`;
      const st = (pod.status as { containerStatuses: { restartCount: number; image: string }[] }).containerStatuses[0];
      const restarts = st?.restartCount ?? 1;
      if (kind === 'crash') {
        out.push(
          buildEvent(pod, 'BackOff', `Back-off restarting failed container ${container} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, 'Warning', kubelet(host), now - rE.int(5, 60) * 1000, {
            count: restarts * 11 + rE.int(0, 10),
            firstTimestamp: now - 58 * MIN,
            fieldPath,
            rng: rE,
          }),
          buildEvent(pod, 'Pulled', `Container image "${st?.image ?? ''}" already present on machine`, 'Normal', kubelet(host), now - rE.int(60, 290) * 1000, {
            count: Math.min(restarts, 12),
            firstTimestamp: now - 57 * MIN,
            fieldPath,
            rng: rE,
          }),
        );
      } else {
        const probe = spec.containers[0]?.livenessProbe ?? spec.containers[0]?.readinessProbe;
        const path = probe?.httpGet?.path;
        const ip = (pod.status as { podIP?: string }).podIP;
        // A handful is enough: a real cluster's event TTL keeps only the last hour.
        if (path && ip && unhealthy < 4 && rE.chance(0.7)) {
          unhealthy++;
          const portName = probe?.httpGet?.port;
          const port = typeof portName === 'number' ? portName : (spec.containers[0]?.ports?.find((p) => p.name === portName)?.containerPort ?? 8080);
          out.push(
            buildEvent(
              pod,
              'Unhealthy',
              `Readiness probe failed: Get "http://${ip}:${port}${path}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
              'Warning',
              kubelet(host),
              now - rE.int(2, 50) * MIN,
              { count: rE.int(1, 6), firstTimestamp: now - rE.int(51, 59) * MIN, fieldPath, rng: rE },
            ),
          );
        }
      }
    }
    // The node that came back from its Flatcar update reboot.
    if (recentlyRebooted >= 0) {
      const node = nodes[recentlyRebooted]!;
      const host = node.metadata.name;
      const at = nodeBooted[recentlyRebooted]! + 15_000;
      const bootID = ((node.status as { nodeInfo: { bootID: string } }).nodeInfo).bootID;
      // The kubelet records node events with the node *name* as involvedObject.uid.
      const nodeRef = { kind: 'Node', name: host, uid: host, apiVersion: 'v1' };
      out.push(
        buildEvent(nodeRef, 'Starting', 'Starting kubelet.', 'Normal', kubelet(host), at, { rng: rE }),
        buildEvent(nodeRef, 'Rebooted', `Node ${host} has been rebooted, boot id: ${bootID}`, 'Warning', kubelet(host), at + 1000, { rng: rE }),
        buildEvent(nodeRef, 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods', 'Normal', kubelet(host), at + 1000, { rng: rE }),
        buildEvent(nodeRef, 'NodeReady', `Node ${host} status is now: NodeReady`, 'Normal', kubelet(host), at + 30_000, { rng: rE }),
      );
    }
    // The most recent team rollout, if it is within the hour.
    if (latestRollout && now - latestRollout.at < HOUR) {
      const { deploy, rs, old, at, pods: rolled } = latestRollout;
      const n = (rs.spec as { replicas: number }).replicas;
      const src = { component: 'deployment-controller' };
      out.push(buildEvent(deploy, 'ScalingReplicaSet', `Scaled up replica set ${rs.metadata.name} from 0 to ${n}`, 'Normal', src, at, { rng: rE }));
      if (old) out.push(buildEvent(deploy, 'ScalingReplicaSet', `Scaled down replica set ${old.metadata.name} from ${n} to 0`, 'Normal', src, at + 60_000, { rng: rE }));
      for (const pod of rolled.slice(0, 3)) {
        out.push(buildEvent(rs, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'Normal', { component: 'replicaset-controller' }, Date.parse(pod.metadata.creationTimestamp ?? ts(at)), { rng: rE }));
      }
    }
    // MetalLB re-announcing the ingress VIP after the rebooted node's speaker restarted.
    const announcer = lbService && pods.find((p) => p.metadata.namespace === 'ingress-nginx' && isPodReady(p));
    if (lbService && announcer && recentlyRebooted >= 0) {
      // externalTrafficPolicy Local: MetalLB announces from a node running an ingress pod.
      const speakerNode = (announcer.spec as { nodeName: string }).nodeName;
      out.push(
        buildEvent(lbService, 'nodeAssigned', `announcing from node "${speakerNode}" with protocol "layer2"`, 'Normal', { component: 'metallb-speaker' }, nodeBooted[recentlyRebooted]! + 40_000, {
          rng: rE,
        }),
      );
    }
    return out;
  }

  return { nodes, namespaces, workloads, pods, services, pdbs, configmaps, leases, events, topology };
}
