/**
 * The control loops of a site, reduced to what an admin can observe: the
 * ReplicaSet, Deployment (rolling update), DaemonSet and StatefulSet
 * controllers, the scheduler, the kubelets' pod lifecycle, the node
 * lifecycle controller (NotReady → pods evicted after a grace period), the
 * disruption controller (PDB status) and the garbage collector.
 *
 * Work is queued per object and run on the next tick, so a burst of changes
 * (a rack losing power) is reconciled once, not once per change.
 */
import { RESOURCES, resourceFor, VIRTUAL } from '../api/resources';
import type { Change } from '../store/store';
import { jsonEqual } from '../store/patch';
import { matchesLabels, selectorFromLabelSelectorObject } from '../store/selectors';
import type { Json, KObject, OwnerReference } from '../types';
import { type NodeInfo, type PodInfo, type Taint } from './index';
import { applyPodDefaults, markCrashed, markNotReady, markReadyAgain, markRestarted, markRunning, markScheduled, markUnschedulable } from './kubelet';
import type { Site } from './site';
import { templateHash } from './objects';
import { ts as k8sTime } from './objects';

const PODS = resourceFor('', 'pods');
const NODES = resourceFor('', 'nodes');
const RS = resourceFor('apps', 'replicasets');
const DEPLOY = resourceFor('apps', 'deployments');
const DS = resourceFor('apps', 'daemonsets');
const STS = resourceFor('apps', 'statefulsets');
const PDB = resourceFor('policy', 'poddisruptionbudgets');

interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: { name: string; image: string }[];
    nodeSelector?: Record<string, string>;
    tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
    [k: string]: unknown;
  };
}

const CONTROLLER_SOURCE = {
  rs: { component: 'replicaset-controller' },
  deploy: { component: 'deployment-controller' },
  ds: { component: 'daemonset-controller' },
  sts: { component: 'statefulset-controller' },
  node: { component: 'node-controller' },
  scheduler: { component: 'default-scheduler' },
};

/** Tolerations every DaemonSet pod gets, so daemons survive node trouble and cordons. */
const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function tolerates(tolerations: Template['spec']['tolerations'], t: Taint): boolean {
  return (tolerations ?? []).some(
    (tol) =>
      (!tol.effect || tol.effect === t.effect) &&
      (tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? '') === (t.value ?? '')),
  );
}

function ownerRef(o: KObject): OwnerReference {
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, uid: o.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** A ReplicaSet's pod template equals `template`, its pod-template-hash label left out (apimachinery's EqualIgnoreHash). */
function sameTemplate(rs: KObject, template: Template): boolean {
  const t = structuredClone((rs.spec as { template?: Template } | undefined)?.template);
  if (!t) return false;
  if (t.metadata?.labels) {
    delete t.metadata.labels['pod-template-hash'];
    if (Object.keys(t.metadata.labels).length === 0 && !template.metadata?.labels) delete t.metadata.labels;
  }
  return jsonEqual(t as unknown as Json, template as unknown as Json);
}

function replicasOf(o: KObject): number {
  const r = (o.spec as { replicas?: number } | undefined)?.replicas;
  return typeof r === 'number' ? r : 1;
}

function intOrPercent(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) {
    const x = (Number(v.slice(0, -1)) / 100) * total;
    return roundUp ? Math.ceil(x) : Math.floor(x);
  }
  if (typeof v === 'string') return Number(v) || 0;
  return 0;
}

export class Controllers {
  private readonly queue = new Set<string>();
  private scheduled = false;
  private readonly crashTimers = new Map<string, NodeJS.Timeout>();
  private readonly evictionTimers = new Map<string, NodeJS.Timeout>();
  private readonly notReadySince = new Map<string, number>();
  private readonly ipCounters = new Map<string, number>();
  private closed = false;
  /** Set while a replay drives the site (see Site.pause): nothing is reconciled. */
  private paused = false;
  /**
   * DaemonSets and StatefulSets (by uid) taken over from a replay: the revision their pods carry as current, kept
   * while their template hashes to `hash`. A replayed template hashes otherwise than its pods' labels say (env values
   * are not recorded, and a real cluster's hashes are not ours); the real controllers keep the revision they have (a
   * ControllerRevision, status.updateRevision) until the template changes, instead of replacing every pod.
   */
  private readonly adopted = new Map<string, { hash: string; revision: string }>();

  constructor(private readonly site: Site) {}

  private get store() {
    return this.site.store;
  }

  enqueue(task: string): void {
    if (this.closed || this.paused) return;
    this.queue.add(task);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.crashTimers.values()) clearTimeout(t);
    for (const t of this.evictionTimers.values()) clearTimeout(t);
  }

  /**
   * Stops every control loop (a replay writes the site's objects itself and the loops
   * would fight it): queued work and crash/eviction timers are dropped, not deferred.
   */
  pause(): void {
    this.paused = true;
    this.queue.clear();
    for (const t of this.crashTimers.values()) clearTimeout(t);
    for (const t of this.evictionTimers.values()) clearTimeout(t);
    this.crashTimers.clear();
    this.evictionTimers.clear();
    this.notReadySince.clear();
    this.adopted.clear();
  }

  /** Takes the site over again from whatever state it is in now: every object is reconciled once. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.closed) return;
    this.adoptRevisions();
    for (const rt of [RS, DEPLOY, DS, STS]) {
      const kind = rt === RS ? 'rs' : rt === DEPLOY ? 'deploy' : rt === DS ? 'ds' : 'sts';
      for (const v of this.store.all(rt)) this.enqueue(`${kind}:${v.ns}/${v.name}`);
    }
    for (const n of this.site.idx.nodes.values()) if (!n.ready) this.enqueue(`node:${n.name}`);
    this.resumeKubelets();
    this.afterLoad();
  }

  /**
   * The kubelets of Ready nodes take their pods over where the replay left them (their timers went with the
   * pause): a pod terminating goes, a bound pod still Pending starts, a Running pod reports its containers'
   * readiness again. A NotReady node's wait for its return.
   *
   * A recording stops at once, so a replay can end between a node's return and what followed it: the node
   * Ready again, but still tainted unreachable and its pods still marked not ready by the node lifecycle
   * controller. In a cluster, that controller lifts the taints of a node that reports Ready, and the kubelet's
   * next status update makes its running pods Ready again; here that happens on hand-back.
   */
  private resumeKubelets(): void {
    const now = this.site.now();
    for (const n of this.site.idx.nodes.values()) {
      if (!n.ready || !n.taints.some((t) => t.key === 'node.kubernetes.io/unreachable' || t.key === 'node.kubernetes.io/not-ready')) continue;
      this.store.mutate(NODES, undefined, n.name, (o) => {
        const spec = (o.spec ??= {}) as { taints?: Taint[] };
        const before = spec.taints?.length ?? 0;
        spec.taints = (spec.taints ?? []).filter((t) => !t.key.startsWith('node.kubernetes.io/unreachable') && !t.key.startsWith('node.kubernetes.io/not-ready'));
        if (spec.taints.length === 0) delete spec.taints;
        return (spec.taints?.length ?? 0) !== before;
      });
    }
    for (const p of [...this.site.idx.pods.values()]) {
      if (!p.node || !this.site.idx.nodes.get(p.node)?.ready) continue;
      if (!p.terminating && p.phase === 'Running' && !p.ready) {
        const pod = this.store.getObject(PODS, p.ns, p.name);
        if (!pod) continue;
        const crashing = new Set((pod.spec as Template['spec']).containers.filter((c) => this.site.crashImages.has(c.image)).map((c) => c.name));
        this.store.mutate(PODS, p.ns, p.name, (o) => markReadyAgain(o, now, crashing));
        if (crashing.size > 0) this.startCrashLoop(p.ns, p.name, this.site.timing.crashAfterMs);
      } else if (p.terminating) {
        const pod = this.store.getObject(PODS, p.ns, p.name);
        if (pod) this.site.scheduleRemoval(pod, this.site.timing.podStopMs);
      } else if (p.phase === 'Pending') {
        const pod = this.store.getObject(PODS, p.ns, p.name);
        if (!pod) continue;
        if ((pod.status as { hostIP?: string } | undefined)?.hostIP) this.site.after(this.site.timing.podStartMs, () => this.startContainers(p.ns, p.name, p.uid));
        else this.bind(pod, p.node);
      }
    }
  }

  /** Fills `adopted` from the state a replay left (see there). */
  private adoptRevisions(): void {
    this.adopted.clear();
    const adopt = (uid: string | undefined, hash: string, pick: (pods: PodInfo[]) => string | undefined): void => {
      const pods = this.site.idx.podsOf(uid ?? '').filter((p) => !p.terminating);
      if (!uid || pods.length === 0 || pods.some((p) => p.labels['controller-revision-hash'] === hash)) return;
      const revision = pick(pods);
      if (revision) this.adopted.set(uid, { hash, revision });
    };
    const only = (labels: (string | undefined)[]): string | undefined => {
      const set = new Set(labels);
      return set.size === 1 ? [...set][0] : undefined;
    };
    for (const v of this.store.all(DS)) {
      const ds = this.store.getObject(DS, v.ns, v.name);
      if (!ds) continue;
      // As the real controller's IsPodUpdated: a pod of the DaemonSet's template generation is up to date.
      const gen = ds.metadata.annotations?.['deprecated.daemonset.template.generation'];
      adopt(ds.metadata.uid, templateHash((ds.spec as { template: Template }).template), (pods) => {
        const ofGen = pods.filter((p) => gen !== undefined && p.labels['pod-template-generation'] === gen);
        return only((ofGen.length > 0 ? ofGen : pods).map((p) => p.labels['controller-revision-hash']));
      });
    }
    for (const v of this.store.all(STS)) {
      const sts = this.store.getObject(STS, v.ns, v.name);
      if (!sts) continue;
      const recorded = (sts.status as { updateRevision?: string } | undefined)?.updateRevision;
      adopt(sts.metadata.uid, `${v.name}-${templateHash((sts.spec as { template: Template }).template)}`, (pods) =>
        recorded !== undefined && pods.some((p) => p.labels['controller-revision-hash'] === recorded) ? recorded : undefined,
      );
    }
  }

  /** The revision a DaemonSet's or StatefulSet's pods must carry: its template's, or the one adopted from a replay for it. */
  private revisionFor(uid: string | undefined, hash: string): string {
    const a = this.adopted.get(uid ?? '');
    return a !== undefined && a.hash === hash ? a.revision : hash;
  }

  private drain(): void {
    this.scheduled = false;
    if (this.closed || this.paused) return;
    const tasks = [...this.queue];
    this.queue.clear();
    for (const t of tasks) {
      try {
        this.run(t);
      } catch (e) {
        // A controller that throws retries later, as a real one requeues with back-off.
        if (!(e instanceof Error && /Conflict|not found/.test(e.message))) console.error(`[${this.site.name}] ${t}: ${(e as Error).stack ?? String(e)}`);
        this.site.after(200, () => this.enqueue(t));
      }
    }
  }

  private run(task: string): void {
    const [kind, rest] = [task.slice(0, task.indexOf(':')), task.slice(task.indexOf(':') + 1)];
    const [ns, name] = rest.includes('/') ? (rest.split('/') as [string, string]) : ['', rest];
    switch (kind) {
      case 'rs':
        return this.reconcileReplicaSet(ns, name);
      case 'deploy':
        return this.reconcileDeployment(ns, name);
      case 'ds':
        return this.reconcileDaemonSet(ns, name);
      case 'sts':
        return this.reconcileStatefulSet(ns, name);
      case 'pdb':
        return this.reconcilePdbs(rest);
      case 'schedule':
        return this.schedulePending();
      case 'node':
        return this.nodeChanged(rest);
    }
  }

  /** After the bulk load: start crash loops that the generated fleet already has, compute PDBs. */
  afterLoad(): void {
    if (this.site.idx.unscheduled.size > 0) this.enqueue('schedule:');
    for (const v of this.store.all(PDB)) this.enqueue(`pdb:${v.ns}`);
    for (const v of this.store.all(PODS)) {
      if (v.json.includes('"CrashLoopBackOff"')) this.startCrashLoop(v.ns, v.name, 10_000);
    }
  }

  onChange(c: Change, obj: KObject, prevPod: PodInfo | undefined, prevNode: NodeInfo | undefined): void {
    const ns = obj.metadata.namespace ?? '';
    switch (c.tkey) {
      case '/pods': {
        const owner = obj.metadata.ownerReferences?.find((r) => r.controller);
        if (owner?.kind === 'ReplicaSet') this.enqueue(`rs:${ns}/${owner.name}`);
        else if (owner?.kind === 'DaemonSet') this.enqueue(`ds:${ns}/${owner.name}`);
        else if (owner?.kind === 'StatefulSet') this.enqueue(`sts:${ns}/${owner.name}`);
        this.enqueue(`pdb:${ns}`);
        const spec = obj.spec as { nodeName?: string };
        if (c.type === 'ADDED' && !spec.nodeName) this.enqueue('schedule:');
        const newlyBound = spec.nodeName && (c.type === 'ADDED' || (prevPod !== undefined && !prevPod.node));
        if (newlyBound && (obj.status as { phase?: string } | undefined)?.phase === 'Pending' && !(obj.status as { hostIP?: string }).hostIP && !obj.metadata.deletionTimestamp) {
          // Bound by someone else (DaemonSet pods, a client's nodeName, the binding subresource): the kubelet takes it.
          this.bind(obj, spec.nodeName as string);
        }
        if (c.type === 'DELETED') {
          const t = this.crashTimers.get(c.cur.key);
          if (t) clearTimeout(t);
          this.crashTimers.delete(c.cur.key);
          // Freed capacity may let pending pods schedule.
          if (prevPod?.node) this.enqueue('schedule:');
        }
        break;
      }
      case 'apps/replicasets': {
        this.enqueue(`rs:${ns}/${obj.metadata.name}`);
        const owner = obj.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
        if (owner) this.enqueue(`deploy:${ns}/${owner.name}`);
        break;
      }
      case 'apps/deployments':
        if (c.type !== 'DELETED') this.enqueue(`deploy:${ns}/${obj.metadata.name}`);
        break;
      case 'apps/daemonsets':
        if (c.type !== 'DELETED') this.enqueue(`ds:${ns}/${obj.metadata.name}`);
        break;
      case 'apps/statefulsets':
        if (c.type !== 'DELETED') this.enqueue(`sts:${ns}/${obj.metadata.name}`);
        break;
      case 'policy/poddisruptionbudgets':
        if (c.type !== 'MODIFIED' || JSON.stringify(obj.spec) !== JSON.stringify((JSON.parse(c.prev?.json ?? '{}') as KObject).spec)) this.enqueue(`pdb:${ns}`);
        break;
      case '/nodes': {
        if (c.type === 'DELETED') {
          // The pod garbage collector: pods bound to a node that no longer exists are removed.
          const name = obj.metadata.name;
          this.site.after(1000, () => {
            if (this.site.idx.nodes.has(name)) return;
            for (const p of this.site.idx.podsOn(name)) this.store.delete(PODS, p.ns, p.name);
          });
          break;
        }
        const now = this.site.idx.nodes.get(obj.metadata.name);
        if (c.type === 'ADDED') for (const v of this.store.all(DS)) this.enqueue(`ds:${v.ns}/${v.name}`);
        if (now && prevNode && now.ready !== prevNode.ready) this.enqueue(`node:${obj.metadata.name}`);
        if (now && (!prevNode || (now.ready && !prevNode.ready) || (!now.unschedulable && prevNode.unschedulable))) this.enqueue('schedule:');
        if (now && prevNode && now.unschedulable !== prevNode.unschedulable) {
          this.site.events.record(obj, 'Normal', now.unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable', `Node ${obj.metadata.name} status is now: ${now.unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable'}`, { component: 'kubelet', host: obj.metadata.name });
        }
        break;
      }
    }
  }

  // ---- pods -------------------------------------------------------------

  private newPod(owner: KObject, template: Template, name: string, extraLabels: Record<string, string> = {}, nodeName?: string): KObject {
    const spec = structuredClone(template.spec) as Record<string, unknown>;
    applyPodDefaults(spec);
    if (nodeName) spec.nodeName = nodeName;
    const pod: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        labels: { ...template.metadata?.labels, ...extraLabels },
        ownerReferences: [ownerRef(owner)],
      },
      spec,
      status: { phase: 'Pending', qosClass: 'Burstable' },
    };
    if (template.metadata?.annotations) pod.metadata.annotations = { ...template.metadata.annotations };
    return pod;
  }

  /** Binds a pod to a node and starts its containers after the image pull. */
  private bind(pod: KObject, nodeName: string): void {
    const node = this.site.idx.nodes.get(nodeName);
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name;
    const uid = pod.metadata.uid;
    const now = this.site.now();
    const bound = this.store.mutate(PODS, ns, name, (p) => {
      (p.spec as { nodeName?: string }).nodeName = nodeName;
      markScheduled(p, node?.ip ?? '', now);
    });
    if (!bound) return;
    this.site.events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${nodeName}`, CONTROLLER_SOURCE.scheduler);
    this.site.after(this.site.timing.podStartMs, () => this.startContainers(ns, name, uid ?? ''));
  }

  private podIp(nodeName: string): string {
    const node = this.site.idx.nodes.get(nodeName);
    const base = (node?.podCidr ?? '10.244.0.0/24').split('/')[0]?.split('.') ?? ['10', '244', '0', '0'];
    const n = (this.ipCounters.get(nodeName) ?? 100) + 1;
    this.ipCounters.set(nodeName, n > 250 ? 2 : n);
    return `${base[0]}.${base[1]}.${base[2]}.${n > 250 ? 2 : n}`;
  }

  private startContainers(ns: string, name: string, uid: string): void {
    const info = this.site.idx.pods.get(`${ns}/${name}`);
    if (!info || info.uid !== uid || info.terminating) return;
    const node = this.site.idx.nodes.get(info.node);
    if (!node?.ready) return;
    const now = this.site.now();
    const pod = this.store.getObject(PODS, ns, name) as KObject;
    const containers = (pod.spec as Template['spec']).containers;
    const host = { component: 'kubelet', host: info.node };
    for (const c of containers) {
      this.site.events.record(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, host, `spec.containers{${c.name}}`);
      this.site.events.record(pod, 'Normal', 'Created', `Created container ${c.name}`, host, `spec.containers{${c.name}}`);
      this.site.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, host, `spec.containers{${c.name}}`);
    }
    const ip = this.podIp(info.node);
    const crashing = new Set(containers.filter((c) => this.site.crashImages.has(c.image)).map((c) => c.name));
    this.store.mutate(PODS, ns, name, (p) => markRunning(p, ip, now, crashing));
    if (crashing.size > 0) this.startCrashLoop(ns, name, this.site.timing.crashAfterMs);
  }

  /** A container that dies shortly after every start, backing off like the kubelet. */
  startCrashLoop(ns: string, name: string, firstCrashMs: number): void {
    const key = `${ns}/${name}`;
    if (this.crashTimers.has(key)) return;
    const crash = (): void => {
      this.crashTimers.delete(key);
      const info = this.site.idx.pods.get(key);
      if (!info || info.terminating || this.closed) return;
      const node = this.site.idx.nodes.get(info.node);
      if (!node?.ready) return;
      const pod = this.store.getObject(PODS, ns, name) as KObject;
      const containers = (pod.spec as Template['spec']).containers;
      const bad = containers.find((c) => this.site.crashImages.has(c.image)) ?? containers[0];
      const cs = ((pod.status as { containerStatuses?: { name: string; state?: { waiting?: { reason?: string } } }[] }).containerStatuses ?? []).find((c) => c.name === bad?.name);
      const alreadyCrashed = cs?.state?.waiting?.reason === 'CrashLoopBackOff';
      // A generated pod that already shows CrashLoopBackOff restarts first; a running one crashes.
      if (alreadyCrashed && bad) {
        this.store.mutate(PODS, ns, name, (p) => markRestarted(p, bad.name, this.site.now()));
        this.crashTimers.set(key, setTimeout(crash, this.site.timing.crashAfterMs));
        return;
      }
      if (!bad) return;
      let backoff = 10_000;
      this.store.mutate(PODS, ns, name, (p) => {
        backoff = markCrashed(p, bad.name, this.site.now());
      });
      this.site.events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${bad.name} in pod ${name}_${ns}(${pod.metadata.uid ?? ''})`, { component: 'kubelet', host: info.node }, `spec.containers{${bad.name}}`);
      this.crashTimers.set(key, setTimeout(crash, backoff));
    };
    this.crashTimers.set(key, setTimeout(crash, firstCrashMs));
  }

  // ---- scheduler -------------------------------------------------------

  private schedulePending(): void {
    const pending = [...this.site.idx.unscheduled].map((k) => this.site.idx.pods.get(k)).filter((p): p is PodInfo => p !== undefined);
    if (pending.length === 0) return;
    const nodes = [...this.site.idx.nodes.values()];
    // Current load per node, in pods and CPU requests.
    const load = new Map<string, { pods: number; cpu: number }>();
    for (const n of nodes) {
      let cpu = 0;
      let count = 0;
      for (const k of this.site.idx.podsByNode.get(n.name) ?? []) {
        const p = this.site.idx.pods.get(k);
        if (!p || p.phase === 'Succeeded' || p.phase === 'Failed') continue;
        count++;
        cpu += p.cpuMillis;
      }
      load.set(n.name, { pods: count, cpu });
    }
    // Replicas of one owner per node, built once per pass, so spreading costs no scan per node.
    const spread = new Map<string, Map<string, number>>();
    const siblingsOn = (owner: string): Map<string, number> => {
      let m = spread.get(owner);
      if (!m) {
        m = new Map();
        for (const s of this.site.idx.podsOf(owner)) if (s.node) m.set(s.node, (m.get(s.node) ?? 0) + 1);
        spread.set(owner, m);
      }
      return m;
    };
    for (const p of pending) {
      try {
        this.schedulePod(p, nodes, load, siblingsOn);
      } catch (e) {
        // One odd pod must not stop scheduling for the whole site.
        console.error(`[${this.site.name}] cannot schedule ${p.key}: ${(e as Error).message}`);
      }
    }
  }

  private schedulePod(p: PodInfo, nodes: NodeInfo[], load: Map<string, { pods: number; cpu: number }>, siblingsOn: (owner: string) => Map<string, number>): void {
    const pod = this.store.getObject(PODS, p.ns, p.name);
    if (!pod) return;
    const spec = pod.spec as Template['spec'] & { schedulerName?: string };
    // Pods for another scheduler are that scheduler's business.
    if (spec.schedulerName && spec.schedulerName !== 'default-scheduler') return;
    if (!Array.isArray(spec.containers)) return;
    const reasons = new Map<string, number>();
    const why = (r: string): void => void reasons.set(r, (reasons.get(r) ?? 0) + 1);
    let best: NodeInfo | undefined;
    let bestScore = Infinity;
    for (const n of nodes) {
      const l = load.get(n.name) ?? { pods: 0, cpu: 0 };
      if (!n.ready) {
        why("node(s) had untolerated taint {node.kubernetes.io/unreachable: }");
        continue;
      }
      if (n.unschedulable) {
        why('node(s) were unschedulable');
        continue;
      }
      const untolerated = n.taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(spec.tolerations, t));
      if (untolerated) {
        why(`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`);
        continue;
      }
      if (spec.nodeSelector && !Object.entries(spec.nodeSelector).every(([k, v]) => n.labels[k] === v)) {
        why("node(s) didn't match Pod's node affinity/selector");
        continue;
      }
      if (l.pods >= n.maxPods) {
        why('Too many pods');
        continue;
      }
      if (n.cpuMillis > 0 && l.cpu + p.cpuMillis > n.cpuMillis) {
        why('Insufficient cpu');
        continue;
      }
      // Least allocated, spreading replicas of one owner across nodes.
      const siblings = p.ownerUid ? (siblingsOn(p.ownerUid).get(n.name) ?? 0) : 0;
      const score = siblings * 1000 + l.pods / n.maxPods + (n.cpuMillis ? l.cpu / n.cpuMillis : 0);
      if (score < bestScore) {
        bestScore = score;
        best = n;
      }
    }
    if (best) {
      const l = load.get(best.name) as { pods: number; cpu: number };
      l.pods++;
      l.cpu += p.cpuMillis;
      if (p.ownerUid) siblingsOn(p.ownerUid).set(best.name, (siblingsOn(p.ownerUid).get(best.name) ?? 0) + 1);
      this.bind(pod, best.name);
      return;
    }
    const message = `0/${nodes.length} nodes are available: ${[...reasons].map(([r, n]) => `${n} ${r}`).sort().join(', ')}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
    const cond = ((pod.status as { conditions?: { type: string; message?: string }[] }).conditions ?? []).find((c) => c.type === 'PodScheduled');
    if (cond?.message === message) return;
    this.store.mutate(PODS, p.ns, p.name, (o) => markUnschedulable(o, this.site.now(), message));
    this.site.events.record(pod, 'Warning', 'FailedScheduling', message, CONTROLLER_SOURCE.scheduler);
  }

  // ---- node lifecycle --------------------------------------------------

  private nodeChanged(name: string): void {
    const node = this.site.idx.nodes.get(name);
    const obj = this.store.getObject(NODES, undefined, name);
    if (!node || !obj) return;
    const now = this.site.now();
    if (!node.ready) {
      this.site.events.record(obj, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, CONTROLLER_SOURCE.node);
      this.store.mutate(NODES, undefined, name, (n) => {
        const spec = (n.spec ??= {}) as { taints?: (Taint & { timeAdded?: string })[] };
        const taints = spec.taints ?? [];
        if (taints.some((t) => t.key === 'node.kubernetes.io/unreachable')) return false;
        spec.taints = [
          ...taints,
          { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: k8sTime(now) },
        ];
      });
      for (const p of this.site.idx.podsOn(name)) this.store.mutate(PODS, p.ns, p.name, (o) => markNotReady(o, now));
      // The taint manager evicts pods without a toleration once the grace period ends.
      clearTimeout(this.evictionTimers.get(name));
      if (!this.notReadySince.has(name)) this.notReadySince.set(name, now);
      this.evictionTimers.set(name, setTimeout(() => this.evictFromNode(name), 0));
      return;
    }
    clearTimeout(this.evictionTimers.get(name));
    this.evictionTimers.delete(name);
    this.notReadySince.delete(name);
    this.store.mutate(NODES, undefined, name, (n) => {
      const spec = (n.spec ??= {}) as { taints?: Taint[] };
      const before = spec.taints?.length ?? 0;
      spec.taints = (spec.taints ?? []).filter((t) => !t.key.startsWith('node.kubernetes.io/unreachable') && !t.key.startsWith('node.kubernetes.io/not-ready'));
      if (spec.taints.length === 0) delete spec.taints;
      return (spec.taints?.length ?? 0) !== before;
    });
    this.site.events.record(obj, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`, { component: 'kubelet', host: name });
    // The kubelet is back: it finishes terminations and restarts what it runs.
    for (const p of this.site.idx.podsOn(name)) {
      if (p.terminating) this.store.delete(PODS, p.ns, p.name);
      else if (!p.ready) this.store.mutate(PODS, p.ns, p.name, (o) => markRunning(o, ((o.status as { podIP?: string }).podIP) ?? this.podIp(name), now));
    }
    this.enqueue('schedule:');
  }

  /**
   * The taint manager: a pod on an unreachable node goes when its toleration
   * for the NoExecute taint runs out (at once without one, never with one that
   * has no tolerationSeconds). Toleration time is scaled so that the default
   * 300 s lasts `nodeEvictionMs`, to keep training sessions short.
   */
  private evictFromNode(name: string): void {
    this.evictionTimers.delete(name);
    const node = this.site.idx.nodes.get(name);
    const since = this.notReadySince.get(name);
    if (!node || node.ready || since === undefined) return;
    const taint: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
    const scale = this.site.timing.nodeEvictionMs / 300_000;
    const elapsed = this.site.now() - since;
    let next = Infinity;
    for (const p of this.site.idx.podsOn(name)) {
      // DaemonSet pods tolerate the taint; mirror (static) pods belong to the kubelet, not the API.
      if (p.terminating || p.ownerKind === 'DaemonSet' || p.ownerKind === 'Node') continue;
      const pod = this.store.getObject(PODS, p.ns, p.name);
      if (!pod) continue;
      const matching = ((pod.spec as Template['spec']).tolerations ?? []).filter((t) => tolerates([t], taint)) as { tolerationSeconds?: number }[];
      if (matching.some((t) => t.tolerationSeconds === undefined)) continue;
      const due = matching.length === 0 ? 0 : Math.min(...matching.map((t) => Math.max(0, t.tolerationSeconds ?? 0))) * 1000 * scale;
      if (due > elapsed) {
        next = Math.min(next, due - elapsed);
        continue;
      }
      this.site.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${p.ns}/${p.name}`, { component: 'taint-eviction-controller' });
      this.site.deletePod(p.ns, p.name);
    }
    if (Number.isFinite(next)) this.evictionTimers.set(name, setTimeout(() => this.evictFromNode(name), next));
  }

  // ---- ReplicaSet ------------------------------------------------------

  /**
   * A new pod's name, as the API server makes one from `generateName`: a random suffix, drawn again when
   * it is taken (the real server answers 409 and the controller retries; after hours of churn a
   * five-character suffix does collide).
   */
  private generateName(ns: string, prefix: string): string {
    let name: string;
    do name = `${prefix}-${this.site.rng.suffix(5)}`;
    while (this.store.get(PODS, ns, name) !== undefined);
    return name;
  }

  private reconcileReplicaSet(ns: string, name: string): void {
    const rs = this.store.getObject(RS, ns, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const want = replicasOf(rs);
    const pods = this.site.idx.podsOf(rs.metadata.uid ?? '');
    const active = pods.filter((p) => !p.terminating && p.phase !== 'Failed' && p.phase !== 'Succeeded');
    const template = (rs.spec as { template: Template }).template;
    if (active.length < want) {
      for (let i = active.length; i < want; i++) {
        const pod = this.newPod(rs, template, this.generateName(ns, name));
        this.store.create(PODS, pod);
        this.site.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, CONTROLLER_SOURCE.rs);
      }
    } else if (active.length > want) {
      // Like the controller: unscheduled first, then not ready, then the youngest.
      const victims = [...active].sort((a, b) => Number(!!a.node) - Number(!!b.node) || Number(a.ready) - Number(b.ready) || b.name.localeCompare(a.name));
      for (const p of victims.slice(0, active.length - want)) {
        this.site.deletePod(p.ns, p.name);
        this.site.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.name}`, CONTROLLER_SOURCE.rs);
      }
    }
    const now = this.site.idx.podsOf(rs.metadata.uid ?? '').filter((p) => !p.terminating);
    const ready = now.filter((p) => p.ready).length;
    this.store.mutate(RS, ns, name, (o) => {
      const status: Record<string, unknown> = {
        replicas: now.length,
        fullyLabeledReplicas: now.length,
        observedGeneration: o.metadata.generation ?? 1,
      };
      if (ready > 0) {
        status.readyReplicas = ready;
        status.availableReplicas = ready;
      }
      if (JSON.stringify(o.status) === JSON.stringify(status)) return false;
      o.status = status;
    });
  }

  // ---- Deployment ------------------------------------------------------

  private reconcileDeployment(ns: string, name: string): void {
    const d = this.store.getObject(DEPLOY, ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = d.spec as { replicas?: number; template: Template; paused?: boolean; strategy?: { type?: string; rollingUpdate?: { maxSurge?: unknown; maxUnavailable?: unknown } } };
    const desired = replicasOf(d);
    const hash = templateHash(spec.template);
    const children = [...(this.site.idx.children.get(d.metadata.uid ?? '') ?? [])]
      .filter((c) => c.startsWith('apps/replicasets|'))
      .map((c) => c.slice('apps/replicasets|'.length).split('/')[1] as string)
      .map((n) => this.store.getObject(RS, ns, n))
      .filter((o): o is KObject => o !== undefined);
    // As the real controller's FindNewReplicaSet: the template decides, the hash label aside (a replayed
    // recording's templates lost their env values, so their hash labels no longer match what they hold).
    let current = children.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash) ?? children.find((rs) => sameTemplate(rs, spec.template));
    const revisions = children.map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0));
    const maxRevision = Math.max(0, ...revisions);
    if (spec.paused) return;
    const maxSurge = intOrPercent(spec.strategy?.rollingUpdate?.maxSurge ?? '25%', desired, true);
    let maxUnavailable = intOrPercent(spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', desired, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    const recreate = spec.strategy?.type === 'Recreate';
    const revisionOf = (rs: KObject): number => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

    if (!current) {
      const template = structuredClone(spec.template);
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
      const selector = structuredClone((d.spec as { selector?: { matchLabels?: Record<string, string> } }).selector ?? {});
      selector.matchLabels = { ...selector.matchLabels, 'pod-template-hash': hash };
      const rs: KObject = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace: ns,
          labels: { ...spec.template.metadata?.labels, 'pod-template-hash': hash },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(desired),
            'deployment.kubernetes.io/max-replicas': String(desired + maxSurge),
            'deployment.kubernetes.io/revision': String(maxRevision + 1),
          },
          ownerReferences: [ownerRef(d)],
        },
        spec: { replicas: 0, selector, template },
      };
      current = this.store.create(RS, rs);
      children.push(current);
    } else if (revisionOf(current) !== maxRevision && children.length > 1) {
      // Rolling back to an older template makes its ReplicaSet the newest revision again.
      current = this.store.mutate(RS, ns, current.metadata.name, (o) => {
        o.metadata.annotations = { ...o.metadata.annotations, 'deployment.kubernetes.io/revision': String(maxRevision + 1) };
      }) as KObject;
    }
    const olds = children.filter((rs) => rs.metadata.uid !== current.metadata.uid);
    // Ready pods beyond a ReplicaSet's spec are on their way out: a status that has
    // not caught up with a scale-down must not count them as available.
    const statusOf = (rs: KObject): { replicas: number; ready: number } => {
      const s = (rs.status ?? {}) as { replicas?: number; readyReplicas?: number };
      return { replicas: s.replicas ?? 0, ready: Math.min(s.readyReplicas ?? 0, replicasOf(rs)) };
    };
    const scaleRs = (rs: KObject, to: number): void => {
      const from = replicasOf(rs);
      if (from === to) return;
      this.store.mutate(RS, ns, rs.metadata.name, (o) => {
        (o.spec as { replicas: number }).replicas = to;
        o.metadata.annotations = { ...o.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(desired) };
      });
      rs.spec = { ...(rs.spec as object), replicas: to };
      this.site.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`, CONTROLLER_SOURCE.deploy);
    };
    const oldReplicas = olds.reduce((n, rs) => n + replicasOf(rs), 0);
    if (recreate) {
      for (const rs of olds) scaleRs(rs, 0);
      if (olds.every((rs) => statusOf(rs).replicas === 0)) scaleRs(current, desired);
    } else if (olds.length === 0 || oldReplicas === 0) {
      scaleRs(current, desired);
    } else {
      // Rolling update: surge the new ReplicaSet, then retire old pods as new ones become ready.
      const newCount = replicasOf(current);
      const room = desired + maxSurge - (newCount + oldReplicas);
      if (room > 0 && newCount < desired) scaleRs(current, Math.min(desired, newCount + room));
      const totalReady = statusOf(current).ready + olds.reduce((n, rs) => n + statusOf(rs).ready, 0);
      let canRemove = totalReady - (desired - maxUnavailable);
      // Old pods that are not ready cost no availability: remove them first.
      for (const rs of olds) {
        const s = statusOf(rs);
        const unready = Math.max(0, replicasOf(rs) - s.ready);
        const remove = Math.min(replicasOf(rs), unready + Math.max(0, canRemove));
        if (remove > 0) {
          scaleRs(rs, replicasOf(rs) - remove);
          canRemove -= Math.max(0, remove - unready);
        }
      }
    }
    this.deploymentStatus(d, current, olds, desired, maxUnavailable);
  }

  private deploymentStatus(d: KObject, current: KObject, olds: KObject[], desired: number, maxUnavailable: number): void {
    const all = [current, ...olds].map((rs) => (this.store.getObject(RS, rs.metadata.namespace, rs.metadata.name) ?? rs));
    const st = (rs: KObject): { replicas?: number; readyReplicas?: number; availableReplicas?: number } => (rs.status ?? {}) as never;
    const replicas = all.reduce((n, rs) => n + (st(rs).replicas ?? 0), 0);
    const ready = all.reduce((n, rs) => n + (st(rs).readyReplicas ?? 0), 0);
    const available = all.reduce((n, rs) => n + (st(rs).availableReplicas ?? 0), 0);
    const updated = st(all[0] as KObject).replicas ?? 0;
    const now = k8sTime(this.site.now());
    const availableOk = available >= desired - maxUnavailable;
    const complete = updated === desired && replicas === desired && available === desired;
    this.store.mutate(DEPLOY, d.metadata.namespace, d.metadata.name, (o) => {
      const prev = (o.status ?? {}) as { conditions?: { type: string; status: string; reason: string; lastTransitionTime?: string; lastUpdateTime?: string }[] };
      const cond = (type: string, status: boolean, reason: string, message: string): Record<string, unknown> => {
        const old = prev.conditions?.find((c) => c.type === type);
        const s = status ? 'True' : 'False';
        const same = old?.status === s && old.reason === reason;
        return { type, status: s, lastUpdateTime: same ? old?.lastUpdateTime : now, lastTransitionTime: old?.status === s ? old.lastTransitionTime : now, reason, message };
      };
      const status: Record<string, unknown> = {
        observedGeneration: o.metadata.generation ?? 1,
        replicas,
        updatedReplicas: updated,
        readyReplicas: ready,
        availableReplicas: available,
        conditions: [
          cond('Available', availableOk, availableOk ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', availableOk ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
          cond('Progressing', true, complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', complete ? `ReplicaSet "${current.metadata.name}" has successfully progressed.` : `ReplicaSet "${current.metadata.name}" is progressing.`),
        ],
      };
      if (replicas - available > 0) status.unavailableReplicas = replicas - available;
      if (ready === 0) delete status.readyReplicas;
      if (available === 0) delete status.availableReplicas;
      if (JSON.stringify(o.status) === JSON.stringify(status)) return false;
      o.status = status;
      o.metadata.annotations = { ...o.metadata.annotations, 'deployment.kubernetes.io/revision': current.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '1' };
    });
  }

  // ---- DaemonSet -------------------------------------------------------

  private reconcileDaemonSet(ns: string, name: string): void {
    const ds = this.store.getObject(DS, ns, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const template = (ds.spec as { template: Template }).template;
    const hash = this.revisionFor(ds.metadata.uid, templateHash(template));
    const tolerations = [...(template.spec.tolerations ?? []), ...DAEMON_TOLERATIONS];
    const pods = this.site.idx.podsOf(ds.metadata.uid ?? '').filter((p) => !p.terminating);
    const byNode = new Map(pods.map((p) => [p.node, p]));
    let desired = 0;
    for (const n of this.site.idx.nodes.values()) {
      const selected = !template.spec.nodeSelector || Object.entries(template.spec.nodeSelector).every(([k, v]) => n.labels[k] === v);
      const existing = byNode.get(n.name);
      // Like the DaemonSet controller: a running daemon stays unless a NoExecute taint
      // forbids it; a new one is placed only where NoSchedule taints allow too.
      const canRun = selected && n.taints.every((t) => t.effect !== 'NoExecute' || tolerates(tolerations, t));
      const canPlace = canRun && n.taints.every((t) => t.effect === 'PreferNoSchedule' || tolerates(tolerations, t));
      if (existing ? !canRun : !canPlace) {
        if (existing) this.site.deletePod(existing.ns, existing.name);
        continue;
      }
      desired++;
      if (!existing) {
        const pod = this.newPod(ds, { ...template, spec: { ...template.spec, tolerations } }, this.generateName(ns, name), { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) }, n.name);
        this.store.create(PODS, pod);
        this.site.events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, CONTROLLER_SOURCE.ds);
      }
    }
    // Rolling update: replace pods of an old template, at most maxUnavailable (default 1) down at a time.
    const strategy = (ds.spec as { updateStrategy?: { type?: string; rollingUpdate?: { maxUnavailable?: unknown } } }).updateStrategy;
    if (strategy?.type !== 'OnDelete') {
      const live = this.site.idx.podsOf(ds.metadata.uid ?? '').filter((p) => !p.terminating);
      const maxUnavailable = Math.max(1, intOrPercent(strategy?.rollingUpdate?.maxUnavailable ?? 1, desired, false));
      let budget = maxUnavailable - (desired - live.filter((p) => p.ready).length);
      for (const p of live.filter((x) => x.labels['controller-revision-hash'] !== hash).sort((a, b) => Number(a.ready) - Number(b.ready))) {
        if (!p.ready || budget > 0) {
          if (p.ready) budget--;
          this.site.deletePod(p.ns, p.name);
          this.site.events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.name}`, CONTROLLER_SOURCE.ds);
        }
      }
    }
    const now = this.site.idx.podsOf(ds.metadata.uid ?? '').filter((p) => !p.terminating);
    const ready = now.filter((p) => p.ready).length;
    this.store.mutate(DS, ns, name, (o) => {
      const status = {
        currentNumberScheduled: now.length,
        desiredNumberScheduled: desired,
        numberAvailable: ready,
        numberMisscheduled: 0,
        numberReady: ready,
        observedGeneration: o.metadata.generation ?? 1,
        updatedNumberScheduled: now.filter((p) => p.labels['controller-revision-hash'] === hash).length,
        ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}),
      };
      if (JSON.stringify(o.status) === JSON.stringify(status)) return false;
      o.status = status;
    });
  }

  // ---- StatefulSet -----------------------------------------------------

  private reconcileStatefulSet(ns: string, name: string): void {
    const sts = this.store.getObject(STS, ns, name);
    if (!sts || sts.metadata.deletionTimestamp) return;
    const spec = sts.spec as { template: Template; podManagementPolicy?: string; serviceName?: string };
    const want = replicasOf(sts);
    const revision = this.revisionFor(sts.metadata.uid, `${name}-${templateHash(spec.template)}`);
    const pods = this.site.idx.podsOf(sts.metadata.uid ?? '');
    const byOrdinal = new Map(pods.map((p) => [Number(p.name.slice(name.length + 1)), p]));
    const ordered = spec.podManagementPolicy !== 'Parallel';
    for (let i = 0; i < want; i++) {
      const p = byOrdinal.get(i);
      if (!p) {
        const pod = this.newPod(sts, spec.template, `${name}-${i}`, {
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': `${name}-${i}`,
          'apps.kubernetes.io/pod-index': String(i),
        });
        (pod.spec as Record<string, unknown>).hostname = `${name}-${i}`;
        if (spec.serviceName) (pod.spec as Record<string, unknown>).subdomain = spec.serviceName;
        this.store.create(PODS, pod);
        this.site.events.record(sts, 'Normal', 'SuccessfulCreate', `create Pod ${name}-${i} in StatefulSet ${name} successful`, CONTROLLER_SOURCE.sts);
        if (ordered) break;
      } else if (ordered && (!p.ready || p.terminating)) {
        break;
      }
    }
    // Scale down from the highest ordinal; OrderedReady removes one pod at a time.
    const extra = [...byOrdinal].filter(([i, p]) => i >= want && !p.terminating).sort((a, b) => b[0] - a[0]);
    const busy = pods.some((p) => p.terminating);
    for (const [, p] of ordered ? (busy ? [] : extra.slice(0, 1)) : extra) this.site.deletePod(p.ns, p.name);
    // Rolling update: replace the highest stale pod once everything is ready.
    const live = this.site.idx.podsOf(sts.metadata.uid ?? '').filter((p) => !p.terminating);
    if (live.length === want && live.every((p) => p.ready)) {
      const stale = live.filter((p) => p.labels['controller-revision-hash'] !== revision).sort((a, b) => b.name.localeCompare(a.name, 'en', { numeric: true }))[0];
      if (stale) this.site.deletePod(stale.ns, stale.name);
    }
    const ready = live.filter((p) => p.ready).length;
    const updated = live.filter((p) => p.labels['controller-revision-hash'] === revision).length;
    this.store.mutate(STS, ns, name, (o) => {
      const status = {
        observedGeneration: o.metadata.generation ?? 1,
        replicas: live.length,
        readyReplicas: ready,
        currentReplicas: updated,
        updatedReplicas: updated,
        availableReplicas: ready,
        currentRevision: revision,
        updateRevision: revision,
        collisionCount: 0,
      };
      if (JSON.stringify(o.status) === JSON.stringify(status)) return false;
      o.status = status;
    });
  }

  // ---- PodDisruptionBudgets --------------------------------------------

  pdbsFor(p: PodInfo): KObject[] {
    const out: KObject[] = [];
    for (const v of this.store.list(PDB, { namespace: p.ns }).items) {
      const pdb = JSON.parse(v.json) as KObject;
      const sel = selectorFromLabelSelectorObject((pdb.spec as { selector?: never }).selector);
      if (matchesLabels(sel, p.labels)) out.push(pdb);
    }
    return out;
  }

  private reconcilePdbs(ns: string): void {
    const pdbs = this.store.list(PDB, { namespace: ns }).items;
    if (pdbs.length === 0) return;
    const pods = [...(this.site.idx.podsByNs.get(ns) ?? [])].map((k) => this.site.idx.pods.get(k)).filter((p): p is PodInfo => p !== undefined && !p.terminating);
    for (const v of pdbs) {
      const pdb = JSON.parse(v.json) as KObject;
      const spec = (pdb.spec ?? {}) as { selector?: never; minAvailable?: unknown; maxUnavailable?: unknown };
      const sel = selectorFromLabelSelectorObject(spec.selector);
      const matching = pods.filter((p) => matchesLabels(sel, p.labels));
      const expected = matching.length;
      const healthy = matching.filter((p) => p.ready).length;
      const desiredHealthy =
        spec.minAvailable !== undefined
          ? intOrPercent(spec.minAvailable, expected, true)
          : Math.max(0, expected - intOrPercent(spec.maxUnavailable ?? 0, expected, true));
      const allowed = Math.max(0, healthy - desiredHealthy);
      this.store.mutate(PDB, ns, v.name, (o) => {
        const prev = (o.status ?? {}) as { conditions?: { status: string; lastTransitionTime?: string }[] };
        const s = allowed > 0 ? 'True' : 'False';
        const old = prev.conditions?.[0];
        const status = {
          currentHealthy: healthy,
          desiredHealthy,
          disruptionsAllowed: allowed,
          expectedPods: expected,
          observedGeneration: o.metadata.generation ?? 1,
          conditions: [{
            type: 'DisruptionAllowed',
            status: s,
            reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
            message: '',
            observedGeneration: o.metadata.generation ?? 1,
            lastTransitionTime: old?.status === s ? old.lastTransitionTime : k8sTime(this.site.now()),
          }],
        };
        if (JSON.stringify(o.status) === JSON.stringify(status)) return false;
        o.status = status;
      });
    }
  }

  // ---- garbage collection ----------------------------------------------

  collectGarbage(owner: KObject, policy: 'Foreground' | 'Background' | 'Orphan'): void {
    const uid = owner.metadata.uid ?? '';
    const pods = this.site.idx.podsOf(uid);
    const others = [...(this.site.idx.children.get(uid) ?? [])];
    setImmediate(() => {
      for (const p of pods) {
        if (policy === 'Orphan') this.store.mutate(PODS, p.ns, p.name, (o) => void (o.metadata.ownerReferences = o.metadata.ownerReferences?.filter((r) => r.uid !== uid)));
        else if (this.site.idx.pods.has(p.key)) this.site.deletePod(p.ns, p.name);
      }
      for (const c of others) {
        const [tkey, key] = c.split('|') as [string, string];
        const [group, plural] = tkey.split('/') as [string, string];
        const rt = resourceFor(group, plural);
        const [ns, name] = key.includes('/') ? (key.split('/') as [string, string]) : [undefined, key];
        if (!this.store.get(rt, ns, name)) continue;
        if (policy === 'Orphan') this.store.mutate(rt, ns, name, (o) => void (o.metadata.ownerReferences = o.metadata.ownerReferences?.filter((r) => r.uid !== uid)));
        else this.site.deleteObject(rt, ns, name, { propagationPolicy: policy });
      }
    });
  }

  /** Namespace deletion: everything in it goes, then the namespace itself. */
  emptyNamespace(ns: string): void {
    setImmediate(() => {
      for (const rt of RESOURCES.filter((r) => r.namespaced && r.plural !== 'pods' && !VIRTUAL.has(r.plural))) {
        for (const v of this.store.list(rt, { namespace: ns }).items) this.store.delete(rt, ns, v.name);
      }
      for (const p of [...(this.site.idx.podsByNs.get(ns) ?? [])]) {
        const info = this.site.idx.pods.get(p);
        if (info) this.store.delete(PODS, info.ns, info.name);
      }
      this.site.after(500, () => {
        if (this.store.get(resourceFor('', 'namespaces'), undefined, ns)) this.store.delete(resourceFor('', 'namespaces'), undefined, ns);
      });
    });
  }
}
