import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import type { KObject } from '../types';
import { catalogIndex, type ServiceSpec } from './catalog';
import {
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
  buildService,
  buildStatefulSet,
  buildStatefulSetPod,
  containerId,
  hex,
  imageID,
  isPodReady,
  microTs,
  parseQuantity,
  pdbStatus,
  podTemplateFor,
  preparePodTemplate,
  safeEncode,
  templateHash,
  ts,
  uuid,
  withImage,
  type PodState,
} from './objects';
import { buildTopology } from './topology';

const NOW = Date.parse('2026-11-28T03:08:54Z');
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const spec = (key: string): ServiceSpec => {
  const s = catalogIndex().get(key);
  if (!s) throw new Error(key);
  return s;
};
// Loose accessor for asserting on nested JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const j = (o: unknown): any => o;

describe('primitives', () => {
  it('formats RFC3339 timestamps like metav1.Time', () => {
    expect(ts(NOW)).toBe('2026-11-28T03:08:54Z');
    expect(ts(NOW + 999)).toBe('2026-11-28T03:08:54Z');
    const r = new Rng('ts');
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(r.float() * 4e12);
      expect(ts(ms)).toBe(new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19) + 'Z');
    }
    expect(microTs(NOW + 123, 456)).toBe('2026-11-28T03:08:54.123456Z');
  });

  it('makes UUIDs, hex and container IDs of the right shape', () => {
    const r = new Rng('ids');
    for (let i = 0; i < 200; i++) expect(uuid(r)).toMatch(UUID);
    expect(hex(r, 5)).toMatch(/^[0-9a-f]{5}$/);
    expect(containerId(r)).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
  });

  it('hashes templates into the pod-template-hash alphabet', () => {
    const t = podTemplateFor(spec('cart/cart-api'));
    const h = templateHash(t);
    expect(h).toMatch(/^[bcdf4-9]{6,10}$/);
    expect(templateHash(t)).toBe(h);
    expect(templateHash(withImage(t, 'x/y:1.0.0'))).not.toBe(h);
    expect(safeEncode('0123456789')).toBe('456789bcdf');
  });

  it('parses quantities', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('64')).toBe(64);
    expect(parseQuantity('1536Mi')).toBe(1536 * 1024 ** 2);
    expect(parseQuantity('527988276Ki')).toBe(527988276 * 1024);
    expect(parseQuantity('2Gi')).toBe(2 * 1024 ** 3);
  });

  it('derives image IDs from the repository', () => {
    expect(imageID('registry.k8s.io/coredns/coredns:v1.11.3')).toMatch(/^registry\.k8s\.io\/coredns\/coredns@sha256:[0-9a-f]{64}$/);
    expect(imageID('registry.example:5000/a/b:1')).toMatch(/^registry\.example:5000\/a\/b@sha256:/);
    expect(imageID('a/b:1')).toBe(imageID('a/b:1'));
  });
});

describe('buildNode', () => {
  const topo = buildTopology({ site: 'fra', index: 0 }, new Rng('nodes'));
  const worker = topo.nodes.find((n) => n.role === 'worker')!;
  const cp = topo.nodes.find((n) => n.role === 'control-plane')!;

  it('has the fields kubectl get/describe node print', () => {
    const n = buildNode(worker, NOW, new Rng(1));
    expect(n.kind).toBe('Node');
    expect(n.apiVersion).toBe('v1');
    expect(n.metadata.resourceVersion).toBeUndefined();
    expect(n.metadata.uid).toMatch(UUID);
    expect(n.metadata.creationTimestamp).toMatch(RFC3339);
    expect(Date.parse(n.metadata.creationTimestamp!)).toBeLessThan(NOW - 7 * 86_400_000);
    const st = j(n.status);
    expect(st.capacity).toEqual({
      cpu: String(worker.model.cpu),
      'ephemeral-storage': `${worker.model.ephemeralStorageKi}Ki`,
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: `${worker.memoryKi}Ki`,
      pods: '110',
    });
    expect(parseQuantity(st.allocatable.cpu)).toBeLessThan(worker.model.cpu);
    expect(parseQuantity(st.allocatable.memory)).toBeLessThan(parseQuantity(st.capacity.memory));
    expect(st.conditions.map((c: { type: string }) => c.type)).toEqual(['NetworkUnavailable', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
    const ready = st.conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(ready.lastHeartbeatTime).toMatch(RFC3339);
    expect(st.addresses).toEqual([
      { type: 'InternalIP', address: worker.internalIP },
      { type: 'Hostname', address: worker.name },
    ]);
    expect(st.nodeInfo).toMatchObject({
      osImage: 'Flatcar Container Linux by Kinvolk 4081.2.0 (Oklo)',
      kubeletVersion: expect.stringMatching(/^v1\.32\.\d+$/),
      containerRuntimeVersion: expect.stringMatching(/^containerd:\/\/1\.7\.\d+$/),
      operatingSystem: 'linux',
      architecture: 'amd64',
    });
    expect(st.nodeInfo.machineID).toMatch(/^[0-9a-f]{32}$/);
    expect(st.nodeInfo.bootID).toMatch(UUID);
    expect(st.daemonEndpoints).toEqual({ kubeletEndpoint: { Port: 10250 } });
    expect(j(n.spec)).toEqual({ podCIDR: worker.podCIDR, podCIDRs: [worker.podCIDR] });
    expect(j(n.spec).providerID).toBeUndefined();
  });

  it('taints control planes', () => {
    const n = buildNode(cp, NOW, new Rng(1));
    expect(j(n.spec).taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(n.metadata.labels!['node-role.kubernetes.io/control-plane']).toBe('');
  });

  it('has a matching node lease', () => {
    const n = buildNode(worker, NOW, new Rng(1));
    const l = buildNodeLease(n, NOW, new Rng(2));
    expect(l).toMatchObject({
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: { name: worker.name, namespace: 'kube-node-lease', ownerReferences: [{ kind: 'Node', name: worker.name, uid: n.metadata.uid }] },
      spec: { holderIdentity: worker.name, leaseDurationSeconds: 40 },
    });
    expect(j(l.spec).renewTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });
});

describe('workloads and pods', () => {
  const ctx = { now: NOW, rng: new Rng('w'), createdAt: NOW - 40 * 86_400_000 };
  const s = spec('payments/payment-gateway');
  const deploy = buildDeployment(s, 4, { ...ctx, revision: 7, generation: 9 });
  const template = j(deploy.spec).template;
  const hash = templateHash(template);
  const rs = buildReplicaSet(deploy, hash, 4, { rng: ctx.rng, createdAt: NOW - 86_400_000 });

  it('builds a Deployment with selector, template and status', () => {
    expect(deploy.metadata).toMatchObject({ name: 'payment-gateway', namespace: 'payments', generation: 9 });
    expect(deploy.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('7');
    expect(j(deploy.spec).selector.matchLabels).toEqual(s.selector);
    expect(template.metadata.creationTimestamp).toBeNull();
    expect(j(deploy.status)).toMatchObject({ observedGeneration: 9, replicas: 4, readyReplicas: 4, availableReplicas: 4, updatedReplicas: 4 });
  });

  it('builds the ReplicaSet a Deployment owns', () => {
    expect(rs.metadata.name).toBe(`payment-gateway-${hash}`);
    expect(rs.metadata.labels!['pod-template-hash']).toBe(hash);
    expect(j(rs.spec).selector.matchLabels['pod-template-hash']).toBe(hash);
    expect(j(rs.spec).template.metadata.labels['pod-template-hash']).toBe(hash);
    expect(rs.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'payment-gateway', uid: deploy.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(rs.metadata.annotations!['deployment.kubernetes.io/revision']).toBe('7');
    // Without an rng the uid is still a stable UUID.
    const again = buildReplicaSet(deploy, hash, 4);
    expect(again.metadata.uid).toMatch(UUID);
    expect(buildReplicaSet(deploy, hash, 4).metadata.uid).toBe(again.metadata.uid);
  });

  const podOf = (state: PodState, extra: Partial<Parameters<typeof buildPod>[3]> = {}): KObject =>
    buildPod(rs.spec && j(rs.spec).template, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid! }, state === 'unschedulable' ? undefined : 'fra-a-r02-u05', {
      name: `${rs.metadata.name}-abcde`,
      namespace: 'payments',
      state,
      ip: '10.128.3.17',
      hostIP: '10.20.2.15',
      now: NOW,
      rng: new Rng(state),
      startedAt: NOW - 3_600_000,
      ...extra,
    });

  it('builds a running pod with everything kubectl prints', () => {
    const p = podOf('running');
    expect(p.metadata.resourceVersion).toBeUndefined();
    expect(p.metadata.generateName).toBe(`${rs.metadata.name}-`);
    expect(p.metadata.labels).toEqual({ ...s.selector, 'pod-template-hash': hash });
    expect(p.metadata.ownerReferences![0]).toMatchObject({ kind: 'ReplicaSet', name: rs.metadata.name, controller: true, blockOwnerDeletion: true });
    const sp = j(p.spec);
    expect(sp).toMatchObject({
      nodeName: 'fra-a-r02-u05',
      serviceAccountName: 'payment-gateway',
      serviceAccount: 'payment-gateway',
      schedulerName: 'default-scheduler',
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      securityContext: {},
    });
    expect(sp.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(sp.containers[0]).toMatchObject({ name: 'payment-gateway', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', imagePullPolicy: 'IfNotPresent' });
    const st = j(p.status);
    expect(st.phase).toBe('Running');
    expect(st.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`)).toEqual([
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    for (const c of st.conditions) {
      expect(c.lastProbeTime).toBeNull();
      expect(c.lastTransitionTime).toMatch(RFC3339);
    }
    expect(st).toMatchObject({ hostIP: '10.20.2.15', hostIPs: [{ ip: '10.20.2.15' }], podIP: '10.128.3.17', podIPs: [{ ip: '10.128.3.17' }], qosClass: 'Burstable' });
    expect(st.startTime).toMatch(RFC3339);
    const cs = st.containerStatuses[0];
    expect(cs).toMatchObject({ name: 'payment-gateway', ready: true, started: true, restartCount: 0, lastState: {}, image: sp.containers[0].image });
    expect(cs.state.running.startedAt).toMatch(RFC3339);
    expect(cs.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
    expect(cs.imageID).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(isPodReady(p)).toBe(true);
    expect(p.metadata.managedFields).toBeUndefined();
  });

  it('builds a CrashLoopBackOff pod', () => {
    const p = podOf('crashloop', { restartCount: 12 });
    const cs = j(p.status).containerStatuses[0];
    expect(j(p.status).phase).toBe('Running');
    expect(cs.state.waiting.reason).toBe('CrashLoopBackOff');
    expect(cs.state.waiting.message).toBe(`back-off 5m0s restarting failed container=payment-gateway pod=${p.metadata.name}_payments(${p.metadata.uid})`);
    expect(cs.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(cs.lastState.terminated.containerID).toBe(cs.containerID);
    expect(cs).toMatchObject({ ready: false, started: false, restartCount: 12 });
    const ready = j(p.status).conditions.find((c: { type: string }) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [payment-gateway]' });
    expect(isPodReady(p)).toBe(false);
    expect(j(podOf('crashloop', { restartCount: 2 }).status).containerStatuses[0].state.waiting.message).toMatch(/^back-off 20s /);
  });

  it('builds restarted, not-ready, creating, image-pull and unschedulable pods', () => {
    const restarted = podOf('running', { restartCount: 2, lastTermination: { reason: 'OOMKilled', exitCode: 137, finishedAt: NOW - 7_200_000 } });
    expect(j(restarted.status).containerStatuses[0]).toMatchObject({ restartCount: 2, ready: true, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } });

    const notReady = podOf('not-ready');
    expect(j(notReady.status).containerStatuses[0]).toMatchObject({ ready: false, started: true });
    expect(isPodReady(notReady)).toBe(false);

    const creating = podOf('creating');
    expect(j(creating.status).phase).toBe('Pending');
    expect(j(creating.status).podIP).toBeUndefined();
    expect(j(creating.status).containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    expect(j(creating.status).containerStatuses[0].containerID).toBeUndefined();

    const pull = podOf('image-pull-backoff');
    expect(j(pull.status).containerStatuses[0].state.waiting).toEqual({
      reason: 'ImagePullBackOff',
      message: `Back-off pulling image "${j(pull.spec).containers[0].image}"`,
    });

    const pending = podOf('unschedulable', { message: '0/3 nodes are available: 3 Insufficient cpu.' });
    expect(j(pending.spec).nodeName).toBeUndefined();
    expect(j(pending.status)).toEqual({
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: expect.stringMatching(RFC3339), reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' },
      ],
      qosClass: 'Burstable',
    });

    const deleting = podOf('running', { deletionTimestamp: NOW - 5000 });
    expect(deleting.metadata).toMatchObject({ deletionTimestamp: ts(NOW - 5000), deletionGracePeriodSeconds: 30 });
  });

  it('gives prepared and raw templates the same pod', () => {
    const raw = j(rs.spec).template;
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid! };
    const opts = { name: 'p', namespace: 'payments', now: NOW, startedAt: NOW - 60_000, ip: '10.128.0.9', hostIP: '10.20.1.11' };
    const a = buildPod(raw, owner, 'n1', { ...opts, rng: new Rng(5) });
    const b = buildPod(preparePodTemplate(raw), owner, 'n1', { ...opts, rng: new Rng(5) });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('shares frozen spec parts between pods instead of copying them', () => {
    const prepared = preparePodTemplate(j(rs.spec).template);
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'u' };
    const o = { namespace: 'payments', now: NOW, startedAt: NOW - 60_000, rng: new Rng(1) };
    const a = j(buildPod(prepared, owner, 'n1', { ...o, name: 'a' }));
    const b = j(buildPod(prepared, owner, 'n1', { ...o, name: 'b' }));
    expect(a.spec.tolerations).toBe(b.spec.tolerations);
    expect(Object.isFrozen(a.spec.tolerations)).toBe(true);
    expect(a.metadata).not.toBe(b.metadata);
    expect(a.status).not.toBe(b.status);
  });

  it('injects the vault agent into pods that ask for it, with a token volume', () => {
    const v = spec('identity/token-service');
    const t = podTemplateFor(v);
    expect(t.spec.containers.map((c) => c.name)).toEqual(['token-service']);
    const p = buildPod(t, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u' }, 'n1', {
      name: 'token-service-x',
      namespace: 'identity',
      now: NOW,
      rng: new Rng(3),
      startedAt: NOW - 60_000,
      ip: '10.128.0.3',
      hostIP: '10.20.1.10',
    });
    const sp = j(p.spec);
    expect(sp.initContainers.map((c: { name: string }) => c.name)).toEqual(['vault-agent-init']);
    expect(sp.containers.map((c: { name: string }) => c.name)).toEqual(['token-service', 'vault-agent']);
    expect(p.metadata.annotations!['vault.hashicorp.com/agent-inject-status']).toBe('injected');
    const tokenVol = sp.volumes.find((x: { name: string }) => x.name.startsWith('kube-api-access-'));
    expect(tokenVol.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    for (const c of sp.containers) expect(c.volumeMounts.some((m: { name: string }) => m.name === tokenVol.name)).toBe(true);
    const st = j(p.status);
    expect(st.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(st.containerStatuses[0].volumeMounts).toContainEqual({ name: tokenVol.name, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' });
  });

  it('builds DaemonSet pods pinned to their node with the DaemonSet tolerations', () => {
    const ds = buildDaemonSet(spec('kube-system/kube-proxy'), 10, ctx);
    expect(j(ds.status)).toMatchObject({ desiredNumberScheduled: 10, currentNumberScheduled: 10, numberReady: 10, numberMisscheduled: 0 });
    const p = buildPod(j(ds.spec).template, { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', uid: ds.metadata.uid! }, 'fra-a-r01-u03', {
      name: 'kube-proxy-x2b4z',
      namespace: 'kube-system',
      now: NOW,
      rng: new Rng(4),
      startedAt: NOW - 60_000,
      hostIP: '10.20.1.12',
    });
    const sp = j(p.spec);
    expect(sp.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]).toEqual({
      key: 'metadata.name',
      operator: 'In',
      values: ['fra-a-r01-u03'],
    });
    const keys = sp.tolerations.map((t: { key?: string }) => t.key ?? '*');
    expect(keys).toEqual([
      '*',
      'node.kubernetes.io/not-ready',
      'node.kubernetes.io/unreachable',
      'node.kubernetes.io/disk-pressure',
      'node.kubernetes.io/memory-pressure',
      'node.kubernetes.io/pid-pressure',
      'node.kubernetes.io/unschedulable',
      'node.kubernetes.io/network-unavailable',
    ]);
    expect(sp.priority).toBe(2000001000);
    // hostNetwork pods use the node's address.
    expect(j(p.status).podIP).toBe('10.20.1.12');
    expect(j(p.status).qosClass).toBe('BestEffort');
  });

  it('builds StatefulSets and their ordinal pods', () => {
    const sts = buildStatefulSet(spec('cart/cart-redis'), 3, ctx);
    expect(j(sts.spec).serviceName).toBe('cart-redis-headless');
    expect(j(sts.spec).volumeClaimTemplates[0].metadata.name).toBe('data');
    const p = buildStatefulSetPod(sts, j(sts.spec).template, 2, 'n1', { now: NOW, rng: new Rng(6), startedAt: NOW - 60_000, ip: '10.128.0.4', hostIP: '10.20.1.13' });
    expect(p.metadata.name).toBe('cart-redis-2');
    expect(p.metadata.generateName).toBeUndefined();
    expect(p.metadata.labels).toMatchObject({
      'apps.kubernetes.io/pod-index': '2',
      'statefulset.kubernetes.io/pod-name': 'cart-redis-2',
      'controller-revision-hash': j(sts.status).currentRevision,
    });
    expect(j(p.spec)).toMatchObject({ hostname: 'cart-redis-2', subdomain: 'cart-redis-headless' });
    expect(j(p.spec).volumes[0]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data-cart-redis-2' } });
    const keys = Object.keys(p.metadata.labels!);
    expect(keys).toEqual([...keys].sort());
  });
});

describe('services, PDBs, events, namespaces', () => {
  const ctx = { now: NOW, rng: new Rng('svc') };

  it('builds ClusterIP and LoadBalancer services', () => {
    const c = buildService({ name: 'a', namespace: 'n', selector: { app: 'a' }, ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }], type: 'ClusterIP', clusterIP: '10.96.4.2' }, ctx);
    expect(j(c.spec)).toEqual({
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }],
      selector: { app: 'a' },
      clusterIP: '10.96.4.2',
      clusterIPs: ['10.96.4.2'],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    expect(j(c.status)).toEqual({ loadBalancer: {} });
    const lb = buildService(
      { name: 'b', namespace: 'n', selector: { app: 'b' }, ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 'https' }], type: 'LoadBalancer', clusterIP: '10.96.4.3', externalTrafficPolicy: 'Local', nodePorts: [31443], healthCheckNodePort: 32001, loadBalancerIP: '10.20.255.10' },
      ctx,
    );
    expect(j(lb.spec).ports[0].nodePort).toBe(31443);
    expect(j(lb.spec)).toMatchObject({ externalTrafficPolicy: 'Local', healthCheckNodePort: 32001, allocateLoadBalancerNodePorts: true });
    expect(j(lb.status).loadBalancer.ingress).toEqual([{ ip: '10.20.255.10', ipMode: 'VIP' }]);
  });

  it('computes PDB status like the disruption controller', () => {
    const make = (b: { minAvailable?: number | string; maxUnavailable?: number | string }, expectedPods: number, currentHealthy: number) =>
      j(buildPdb({ name: 'p', namespace: 'n', selector: { app: 'p' }, ...b }, { expectedPods, currentHealthy }, ctx).status);
    expect(make({ minAvailable: 2 }, 3, 3)).toMatchObject({ desiredHealthy: 2, disruptionsAllowed: 1, currentHealthy: 3, expectedPods: 3 });
    expect(make({ minAvailable: '50%' }, 5, 5)).toMatchObject({ desiredHealthy: 3, disruptionsAllowed: 2 });
    expect(make({ maxUnavailable: 1 }, 4, 3)).toMatchObject({ desiredHealthy: 3, disruptionsAllowed: 0 });
    expect(make({ maxUnavailable: '25%' }, 10, 10)).toMatchObject({ desiredHealthy: 7, disruptionsAllowed: 3 });
    const blocked = make({ maxUnavailable: 1 }, 3, 2);
    expect(blocked.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' });
    const ok = make({ minAvailable: 1 }, 3, 3);
    expect(ok.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', observedGeneration: 1 });
    expect(ok.observedGeneration).toBe(1);
    const pdb = buildPdb({ name: 'p', namespace: 'n', selector: { app: 'p' }, minAvailable: 1 }, { expectedPods: 2, currentHealthy: 2 }, ctx);
    expect(pdbStatus(pdb, { expectedPods: 2, currentHealthy: 1 }, NOW)).toMatchObject({ disruptionsAllowed: 0 });
  });

  it('builds legacy core/v1 events', () => {
    const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web-1', namespace: 'shop', uid: '1111' } };
    const e = buildEvent(pod, 'BackOff', 'Back-off restarting failed container', 'Warning', { component: 'kubelet', host: 'n1' }, NOW, {
      count: 7,
      firstTimestamp: NOW - 600_000,
      fieldPath: 'spec.containers{web}',
    });
    expect(e).toMatchObject({
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { namespace: 'shop' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: '1111', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
      reason: 'BackOff',
      type: 'Warning',
      count: 7,
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: ts(NOW - 600_000),
      lastTimestamp: ts(NOW),
      eventTime: null,
      reportingComponent: 'kubelet',
      reportingInstance: 'n1',
    });
    expect(e.metadata.name).toMatch(/^web-1\.[0-9a-f]{16}$/);
    expect(e.metadata.uid).toMatch(UUID);
    const nodeEvent = buildEvent({ kind: 'Node', name: 'n1', uid: 'n1', apiVersion: 'v1' }, 'NodeReady', 'x', 'Normal', 'kubelet', NOW);
    expect(nodeEvent.metadata.namespace).toBe('default');
  });

  it('builds namespaces and leases', () => {
    const ns = buildNamespace('payments', { ...ctx, labels: { 'triptych.io/team': 'payments' } });
    expect(ns).toMatchObject({ spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'payments', 'triptych.io/team': 'payments' });
    const l = buildLease({ name: 'kube-scheduler', namespace: 'kube-system', holderIdentity: 'n1_x', leaseDurationSeconds: 15, acquireTime: NOW - 1e6, renewTime: NOW - 500, leaseTransitions: 3 }, ctx);
    expect(Object.keys(j(l.spec))).toEqual(['holderIdentity', 'leaseDurationSeconds', 'acquireTime', 'renewTime', 'leaseTransitions']);
  });
});
