/**
 * The simulated cluster behaves as a real one does after faults and admin
 * actions: replacements land on schedulable nodes, PDB status follows pods,
 * bad rollouts crash-loop and stall, a rack that loses power is evacuated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resourceFor } from '../api/resources';
import { Fleet } from '../fleet';
import { eventually } from '../testing/fleet-fixture';
import type { KObject } from '../types';
import { markNotReady } from './kubelet';
import { LABEL_RACK } from './topology';

const NODES = resourceFor('', 'nodes');
const DEPLOY = resourceFor('apps', 'deployments');
const PDB = resourceFor('policy', 'poddisruptionbudgets');
const EVENTS = resourceFor('', 'events');

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function start(): Promise<Fleet> {
  fleet = await Fleet.start({ sites: 1, seed: 'ctl', timing: { podStartMs: 50, podStopMs: 20, nodeEvictionMs: 300, crashAfterMs: 100 } });
  return fleet;
}

function eventReasons(f: Fleet): string[] {
  return [...f.sites[0]!.site.store.all(EVENTS)].map((v) => (JSON.parse(v.json) as { reason: string }).reason);
}

describe('simulated controllers', () => {
  it('a rack losing power: pods are marked not ready, evicted, and replaced on other racks', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    const rack = 'B-02';
    const rackNodes = new Set([...site.idx.nodes.values()].filter((n) => n.labels[LABEL_RACK] === rack).map((n) => n.name));
    const before = [...site.idx.pods.values()].filter((p) => rackNodes.has(p.node) && p.ownerKind === 'ReplicaSet');
    expect(before.length).toBeGreaterThan(10);
    await f.faults.apply({ fault: 'rack-power-loss', site: site.name, rack });
    await eventually(() => before.every((p) => site.idx.pods.get(p.key)?.terminating), 'rack pods to be evicted');
    // Every ReplicaSet is back at full strength, off the rack, its new pods ready.
    const existed = new Set(site.idx.pods.keys());
    const RS = resourceFor('apps', 'replicasets');
    await eventually(() => {
      const rss = new Map(before.map((p) => [p.ownerUid, p]));
      return [...rss.values()].every((p) => {
        const want = (site.store.getObject(RS, p.ns, p.ownerName)?.spec as { replicas: number }).replicas;
        const live = site.idx.podsOf(p.ownerUid).filter((x) => !x.terminating);
        return live.length === want && live.every((x) => !rackNodes.has(x.node) && (existed.has(x.key) || x.ready));
      });
    }, 'replacements to be ready elsewhere');
    expect(eventReasons(f)).toEqual(expect.arrayContaining(['NodeNotReady', 'TaintManagerEviction', 'SuccessfulCreate', 'Scheduled']));
    // Power back: the kubelets confirm the deletions and the nodes are Ready again.
    await f.faults.apply({ fault: 'rack-power-restore', site: site.name, rack });
    await eventually(() => before.every((p) => !site.idx.pods.has(p.key)), 'terminating pods to be gone');
    expect([...rackNodes].every((n) => site.idx.nodes.get(n)?.ready)).toBe(true);
    const node = site.store.getObject(NODES, undefined, [...rackNodes][0] as string) as KObject;
    expect((node.spec as { taints?: unknown[] }).taints ?? []).toEqual([]);
  });

  it('cordoned nodes receive no replacement pods', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    const workers = [...site.idx.nodes.values()].filter((n) => !n.labels['node-role.kubernetes.io/control-plane']);
    const cordoned = new Set(workers.slice(0, Math.floor(workers.length * 0.8)).map((n) => n.name));
    for (const n of cordoned) site.store.mutate(NODES, undefined, n, (o) => void ((o.spec as Record<string, unknown>).unschedulable = true));
    const d = [...site.store.all(DEPLOY)].map((v) => JSON.parse(v.json) as KObject).find((o) => ((o.spec as { replicas: number }).replicas ?? 0) >= 3) as KObject;
    site.store.mutate(DEPLOY, d.metadata.namespace, d.metadata.name, (o) => void ((o.spec as { replicas: number }).replicas += 5));
    await eventually(() => ((site.store.getObject(DEPLOY, d.metadata.namespace, d.metadata.name)?.status as { readyReplicas?: number }).readyReplicas ?? 0) === (d.spec as { replicas: number }).replicas + 5, 'scale-up');
    const scheduledTo = [...site.store.all(EVENTS)]
      .map((v) => JSON.parse(v.json) as { reason: string; message: string; involvedObject: { name: string } })
      .filter((e) => e.reason === 'Scheduled' && e.involvedObject.name.startsWith(d.metadata.name))
      .map((e) => e.message.split(' to ')[1] as string);
    expect(scheduledTo).toHaveLength(5);
    expect(scheduledTo.filter((n) => cordoned.has(n))).toEqual([]);
  });

  it('a bad rollout crash-loops the new pods and stalls with the old ones serving; undo recovers', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    await f.faults.apply({ fault: 'bad-rollout', site: site.name, namespace: 'checkout', deployment: 'checkout-api' });
    const rollout = (): { updated: number; available: number; replicas: number } => {
      const d = site.store.getObject(DEPLOY, 'checkout', 'checkout-api') as KObject;
      const st = d.status as { updatedReplicas?: number; availableReplicas?: number };
      return { updated: st.updatedReplicas ?? 0, available: st.availableReplicas ?? 0, replicas: (d.spec as { replicas: number }).replicas };
    };
    await eventually(() => [...site.store.all(resourceFor('', 'pods'))].some((v) => v.ns === 'checkout' && v.json.includes('CrashLoopBackOff') && v.name.startsWith('checkout-api-')), 'a CrashLoopBackOff pod');
    const r = rollout();
    expect(r.available).toBeGreaterThanOrEqual(r.replicas - Math.floor(r.replicas * 0.25));
    expect(r.updated).toBeLessThan(r.replicas);
    expect(eventReasons(f)).toContain('BackOff');
    // Roll back to the previous image: the healthy ReplicaSet takes over again.
    const image = (site.store.getObject(DEPLOY, 'checkout', 'checkout-api')?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]?.image as string;
    site.crashImages.delete(image);
    site.store.mutate(DEPLOY, 'checkout', 'checkout-api', (o) => {
      const c = (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0] as { image: string };
      c.image = image.replace(/(\d+)$/, (n) => String(Number(n) - 1));
    });
    await eventually(() => {
      const x = rollout();
      return x.available === x.replicas && x.updated === x.replicas;
    }, 'the rollback to complete');
  });

  it('PodDisruptionBudget status follows pod readiness, and eviction honours it', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    const pdbs = [...site.store.all(PDB)].map((v) => JSON.parse(v.json) as KObject);
    expect(pdbs.length).toBeGreaterThan(5);
    await eventually(() => pdbs.every((p) => (site.store.getObject(PDB, p.metadata.namespace, p.metadata.name)?.status as { expectedPods?: number }).expectedPods !== undefined), 'PDB status');
    const tight = [...site.store.all(PDB)].map((v) => JSON.parse(v.json) as KObject).find((p) => (p.status as { disruptionsAllowed: number }).disruptionsAllowed === 1) as KObject;
    expect(tight).toBeDefined();
    const victims = [...site.idx.pods.values()].filter((p) => p.ns === tight.metadata.namespace && p.ready && site.controllers.pdbsFor(p).some((x) => x.metadata.name === tight.metadata.name));
    site.evict(tight.metadata.namespace as string, (victims[0] as { name: string }).name, {});
    expect(() => site.evict(tight.metadata.namespace as string, (victims[1] as { name: string }).name, {})).toThrow(expect.objectContaining({ code: 429, reason: 'TooManyRequests' }));
    // The replacement becomes ready, the budget allows one disruption again.
    await eventually(() => (site.store.getObject(PDB, tight.metadata.namespace, tight.metadata.name)?.status as { disruptionsAllowed: number }).disruptionsAllowed === 1, 'the budget to recover');
    site.evict(tight.metadata.namespace as string, (victims[1] as { name: string }).name, {});
  });

  it('a DaemonSet rolls a new template out, one node at a time by default', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    const DS = resourceFor('apps', 'daemonsets');
    const ds = site.store.getObject(DS, 'monitoring', 'node-exporter') as KObject;
    const image = 'quay.io/prometheus/node-exporter:v9.9.9';
    site.store.mutate(DS, 'monitoring', 'node-exporter', (o) => {
      ((o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0] as { image: string }).image = image;
    });
    await eventually(() => {
      const o = site.store.getObject(DS, 'monitoring', 'node-exporter') as KObject;
      const st = o.status as { observedGeneration: number; updatedNumberScheduled: number; desiredNumberScheduled: number; numberReady: number };
      // As kubectl rollout status does: only a status that has seen the new generation counts.
      return st.observedGeneration === o.metadata.generation && st.updatedNumberScheduled === st.desiredNumberScheduled && st.numberReady === st.desiredNumberScheduled;
    }, 'the DaemonSet rollout', 30_000);
    const pods = site.idx.podsOf(ds.metadata.uid as string).filter((p) => !p.terminating);
    expect(pods.length).toBeGreaterThan(50);
    for (const p of pods) expect(site.store.get(resourceFor('', 'pods'), p.ns, p.name)?.json).toContain(image);
  });

  it('taken over from a replay, DaemonSets and StatefulSets keep their pods until their template changes', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    const DS = resourceFor('apps', 'daemonsets');
    const STS = resourceFor('apps', 'statefulsets');
    const PODS = resourceFor('', 'pods');
    const ds = site.store.getObject(DS, 'monitoring', 'node-exporter') as KObject;
    const sts = site.store.getObject(STS, 'cart', 'cart-redis') as KObject;
    const owned = (uid: string | undefined): string[] => site.idx.podsOf(uid as string).filter((p) => !p.terminating).map((p) => p.name).sort();
    const before = { ds: owned(ds.metadata.uid), sts: owned(sts.metadata.uid) };
    site.pause('replay');
    // As a replay loads them: the DaemonSet's template without its env values (recordings drop them), the
    // StatefulSet's pods and status with a real cluster's revision, which our hash of its template never gives.
    site.store.mutate(DS, 'monitoring', 'node-exporter', (o) => {
      for (const c of (o.spec as { template: { spec: { containers: { env?: { value?: string }[] }[] } } }).template.spec.containers) for (const e of c.env ?? []) delete e.value;
    });
    site.store.mutate(STS, 'cart', 'cart-redis', (o) => void ((o.status as { updateRevision?: string }).updateRevision = 'cart-redis-5d8f7c9b6'));
    for (const name of before.sts) site.store.mutate(PODS, 'cart', name, (o) => void (o.metadata.labels = { ...o.metadata.labels, 'controller-revision-hash': 'cart-redis-5d8f7c9b6' }));
    site.resume();
    await eventually(() => {
      const o = site.store.getObject(DS, 'monitoring', 'node-exporter') as KObject;
      const st = o.status as { observedGeneration: number; updatedNumberScheduled: number; desiredNumberScheduled: number };
      return st.observedGeneration === o.metadata.generation && st.updatedNumberScheduled === st.desiredNumberScheduled;
    }, 'the DaemonSet reconciled after the replay');
    expect(owned(ds.metadata.uid)).toEqual(before.ds);
    expect(owned(sts.metadata.uid)).toEqual(before.sts);
    expect((site.store.getObject(STS, 'cart', 'cart-redis')?.status as { updateRevision?: string }).updateRevision).toBe('cart-redis-5d8f7c9b6');
    // A new template is a rollout again.
    site.store.mutate(DS, 'monitoring', 'node-exporter', (o) => {
      ((o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0] as { image: string }).image = 'quay.io/prometheus/node-exporter:v9.9.9';
    });
    await eventually(() => owned(ds.metadata.uid).some((n) => !before.ds.includes(n)), 'the DaemonSet to roll its new template out');
  });

  it('taken over from a replay, the kubelets finish what it left: a terminating pod goes, a bound Pending pod starts', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    const PODS = resourceFor('', 'pods');
    const [going, starting] = [...site.idx.pods.values()].filter((p) => p.ready && p.ownerKind === 'ReplicaSet');
    site.pause('replay');
    // As a recording can end: one pod in its grace period, one bound with its containers still being created.
    site.store.mutate(PODS, going!.ns, going!.name, (o) => {
      o.metadata.deletionTimestamp = new Date(Date.now() + 30_000).toISOString();
      o.metadata.deletionGracePeriodSeconds = 30;
    });
    site.store.mutate(PODS, starting!.ns, starting!.name, (o) => void (o.status = { phase: 'Pending', hostIP: '10.0.0.1', conditions: [{ type: 'PodScheduled', status: 'True' }] }));
    site.resume();
    await eventually(() => !site.store.get(PODS, going!.ns, going!.name), 'the terminating pod to go');
    await eventually(() => site.idx.pods.get(starting!.key)?.phase === 'Running', 'the Pending pod to start');
  });

  it('taken over from a replay that ended as a node came back: its taints go, its pods report Ready again', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    const PODS = resourceFor('', 'pods');
    const node = [...site.idx.nodes.values()].find((n) => n.ready && site.idx.podsOn(n.name).some((p) => p.ownerKind === 'ReplicaSet' && p.ready))!;
    const marked = site.idx.podsOn(node.name).filter((p) => p.ready && !p.terminating).map((p) => p.key);
    const elsewhere = [...site.idx.pods.values()].find((p) => p.node !== node.name && p.ready && p.ownerKind === 'ReplicaSet')!;
    site.pause('replay');
    // As a recording stopped right after the kubelet reported Ready can end: the node lifecycle controller's
    // unreachable taints and its MarkPodsNotReady still in place. A pod its kubelet says is not ready stays so.
    site.store.mutate(NODES, undefined, node.name, (o) => {
      (o.spec as { taints?: unknown[] }).taints = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: new Date().toISOString() }];
    });
    for (const k of marked) {
      const p = site.idx.pods.get(k)!;
      site.store.mutate(PODS, p.ns, p.name, (o) => markNotReady(o, Date.now()));
    }
    site.store.mutate(PODS, elsewhere.ns, elsewhere.name, (o) => {
      const st = o.status as { conditions: { type: string; status: string; reason?: string; message?: string }[]; containerStatuses: { ready: boolean }[] };
      for (const c of st.conditions) if (c.type === 'Ready' || c.type === 'ContainersReady') Object.assign(c, { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
      for (const cs of st.containerStatuses) cs.ready = false;
    });
    expect(marked.every((k) => !site.idx.pods.get(k)?.ready)).toBe(true);
    site.resume();
    await eventually(() => site.idx.nodes.get(node.name)?.taints.length === 0 && marked.every((k) => site.idx.pods.get(k)?.ready), 'the node untainted and its pods Ready');
    expect(site.idx.pods.get(elsewhere.key)?.ready).toBe(false);
    // Their Deployment counts them available again.
    const rsPod = marked.map((k) => site.idx.pods.get(k)!).find((p) => p.ownerKind === 'ReplicaSet')!;
    const rs = site.store.getObject(resourceFor('apps', 'replicasets'), rsPod.ns, site.store.getObject(PODS, rsPod.ns, rsPod.name)!.metadata.ownerReferences![0]!.name)!;
    const deploy = rs.metadata.ownerReferences![0]!.name;
    await eventually(() => {
      const d = site.store.getObject(DEPLOY, rsPod.ns, deploy)!;
      return (d.status as { availableReplicas?: number }).availableReplicas === (d.spec as { replicas: number }).replicas;
    }, `${rsPod.ns}/${deploy} available again`);
  });

  it('an OrderedReady StatefulSet scales down one ordinal at a time, highest first', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    const STS = resourceFor('apps', 'statefulsets');
    const sts = site.store.getObject(STS, 'cart', 'cart-redis') as KObject;
    const seen: number[][] = [];
    const off = site.store.onChange((c) => {
      if (c.tkey !== '/pods' || !c.cur.name.startsWith('cart-redis-')) return;
      seen.push(site.idx.podsOf(sts.metadata.uid as string).filter((p) => p.terminating).map((p) => Number(p.name.split('-').pop())));
    });
    site.store.mutate(STS, 'cart', 'cart-redis', (o) => void ((o.spec as { replicas: number }).replicas = 0));
    await eventually(() => site.idx.podsOf(sts.metadata.uid as string).length === 0, 'the StatefulSet to reach zero', 20_000);
    off();
    expect(Math.max(...seen.map((t) => t.length))).toBe(1);
    const order = [...new Set(seen.flat())];
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });

  it('pods of a deleted node are garbage-collected; a pod tolerating unreachable forever stays', async () => {
    const f = await start();
    const { site } = f.sites[0]!;
    const victim = [...site.idx.nodes.values()].find((n) => !n.labels['node-role.kubernetes.io/control-plane'] && site.idx.podsOn(n.name).length > 3) as { name: string };
    site.store.delete(NODES, undefined, victim.name);
    await eventually(() => site.idx.podsOn(victim.name).length === 0, 'pods of the deleted node to go');
    // A pod that tolerates unreachable without a time limit is never evicted.
    const node = [...site.idx.nodes.values()].find((n) => !n.labels['node-role.kubernetes.io/control-plane']) as { name: string };
    const PODS = resourceFor('', 'pods');
    site.store.create(PODS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stubborn', namespace: 'default' }, spec: { nodeName: node.name, containers: [{ name: 'c', image: 'r/c:1' }], tolerations: [{ operator: 'Exists' }] }, status: { phase: 'Pending' } });
    await eventually(() => site.idx.pods.get('default/stubborn')?.ready, 'the pod to run');
    await f.faults.apply({ fault: 'node-not-ready', site: site.name, node: node.name });
    await eventually(() => site.idx.podsOn(node.name).some((p) => p.terminating), 'other pods to be evicted');
    expect(site.idx.pods.get('default/stubborn')?.terminating).toBe(false);
  });
});
