import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KObject } from '../types';
import { serviceCatalog } from './catalog';
import { generateSite, type SiteObjects } from './generate';
import { isPodReady, parseQuantity, pdbStatus } from './objects';
import * as topology from './topology';

const NOW = Date.parse('2026-11-28T03:08:54Z');
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const j = (o: unknown): any => o;

const all = (s: SiteObjects): KObject[] => [
  ...s.nodes,
  ...s.namespaces,
  ...s.workloads,
  ...s.pods,
  ...s.services,
  ...s.pdbs,
  ...s.configmaps,
  ...s.leases,
  ...s.events,
];

const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined): boolean =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function podRequests(pod: KObject): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of j(pod.spec).containers) {
    cpu += parseQuantity(c.resources.requests?.cpu ?? c.resources.limits?.cpu);
    memory += parseQuantity(c.resources.requests?.memory ?? c.resources.limits?.memory);
  }
  return { cpu, memory };
}

describe('generateSite (default size)', () => {
  const site = generateSite({ site: 'fra', index: 0, seed: 'fleet', now: NOW });

  it('is byte-identical for the same seed and differs for another', () => {
    const again = generateSite({ site: 'fra', index: 0, seed: 'fleet', now: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(site));
    const other = generateSite({ site: 'fra', index: 0, seed: 'other', now: NOW });
    expect(JSON.stringify(other.pods.slice(0, 50))).not.toBe(JSON.stringify(site.pods.slice(0, 50)));
  });

  it('has a default-shaped topology and ~15 pods per node', () => {
    expect(site.topology.rooms).toHaveLength(3);
    expect(site.nodes.length).toBeGreaterThanOrEqual(96);
    expect(site.nodes.length).toBeLessThanOrEqual(144);
    const perNode = site.pods.length / site.nodes.length;
    expect(perNode).toBeGreaterThan(13.5);
    expect(perNode).toBeLessThan(16.5);
  });

  it('omits resourceVersion and managedFields everywhere, with past RFC3339 timestamps', () => {
    for (const o of all(site)) {
      expect(o.metadata.resourceVersion).toBeUndefined();
      expect(o.metadata.managedFields).toBeUndefined();
      expect(o.metadata.uid, `${o.kind}/${o.metadata.name}`).toBeTruthy();
      expect(o.metadata.creationTimestamp).toMatch(RFC3339);
      expect(Date.parse(o.metadata.creationTimestamp!)).toBeLessThanOrEqual(NOW);
    }
    // UIDs are unique (node events use the node name as involvedObject uid, not as their own uid).
    const uids = all(site).map((o) => o.metadata.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it('labels every node with the topology keys and keeps them healthy', () => {
    for (const n of site.nodes) {
      const l = n.metadata.labels!;
      expect(l[topology.LABEL_REGION]).toBe('fra');
      expect(l[topology.LABEL_ZONE]).toMatch(/^fra-[a-z]+$/);
      expect(l[topology.LABEL_RACK]).toMatch(/^[A-Z]+-\d{2}$/);
      expect(Number(l[topology.LABEL_RACK_UNIT])).toBeGreaterThanOrEqual(1);
      expect(l[topology.LABEL_HOSTNAME]).toBe(n.metadata.name);
      const ready = j(n.status).conditions.find((c: { type: string }) => c.type === 'Ready');
      expect(ready.status).toBe('True');
      for (const c of j(n.status).conditions) if (c.type !== 'Ready') expect(c.status).toBe('False');
    }
    expect(site.nodes.filter((n) => topology.LABEL_CONTROL_PLANE in n.metadata.labels!)).toHaveLength(3);
  });

  it('fits pods into node capacity (cpu, memory, 110 pods) and keeps tainted nodes for tolerating pods', () => {
    const byNode = new Map<string, KObject[]>();
    for (const p of site.pods) {
      const n = j(p.spec).nodeName as string | undefined;
      if (!n) continue;
      byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    for (const node of site.nodes) {
      const pods = byNode.get(node.metadata.name) ?? [];
      const alloc = j(node.status).allocatable;
      expect(pods.length).toBeLessThanOrEqual(Number(alloc.pods));
      let cpu = 0;
      let mem = 0;
      for (const p of pods) {
        const r = podRequests(p);
        cpu += r.cpu;
        mem += r.memory;
      }
      expect(cpu).toBeLessThanOrEqual(parseQuantity(alloc.cpu) + 1e-6);
      expect(mem).toBeLessThanOrEqual(parseQuantity(alloc.memory));
      if (j(node.spec).taints) {
        for (const p of pods) {
          const owner = p.metadata.ownerReferences![0]!.kind;
          expect(['DaemonSet', 'Node'], `${p.metadata.name} on control plane`).toContain(owner);
        }
      }
    }
    expect(site.pods.every((p) => j(p.spec).nodeName)).toBe(true);
  });

  it('keeps owner references and selectors consistent', () => {
    const byUid = new Map<string, KObject>();
    for (const o of [...site.workloads, ...site.nodes]) byUid.set(o.metadata.uid!, o);
    for (const p of site.pods) {
      const ref = p.metadata.ownerReferences![0]!;
      const owner = byUid.get(ref.uid);
      expect(owner, `owner of ${p.metadata.name}`).toBeDefined();
      expect(owner!.kind).toBe(ref.kind);
      expect(owner!.metadata.name).toBe(ref.name);
      expect(ref.controller).toBe(true);
      if (ref.kind !== 'Node') {
        expect(owner!.metadata.namespace).toBe(p.metadata.namespace);
        expect(matches(j(owner!.spec).selector.matchLabels, p.metadata.labels), p.metadata.name).toBe(true);
      }
    }
    for (const w of site.workloads) {
      // The pod template always satisfies the selector (the apiserver rejects anything else).
      expect(matches(j(w.spec).selector.matchLabels, j(w.spec).template.metadata.labels)).toBe(true);
      if (w.kind === 'ReplicaSet') {
        const ref = w.metadata.ownerReferences![0]!;
        const d = byUid.get(ref.uid)!;
        expect(d.kind).toBe('Deployment');
        expect(w.metadata.name).toBe(`${d.metadata.name}-${w.metadata.labels!['pod-template-hash']}`);
        expect(matches(j(d.spec).selector.matchLabels, w.metadata.labels)).toBe(true);
        const pods = site.pods.filter((p) => p.metadata.ownerReferences![0]!.uid === w.metadata.uid);
        expect(pods).toHaveLength(j(w.spec).replicas);
        for (const p of pods) expect(p.metadata.name.startsWith(`${w.metadata.name}-`)).toBe(true);
      }
      if (w.kind === 'Deployment') {
        const rss = site.workloads.filter((r) => r.kind === 'ReplicaSet' && r.metadata.ownerReferences![0]!.uid === w.metadata.uid);
        expect(rss.length).toBeGreaterThanOrEqual(1);
        expect(rss.filter((r) => j(r.spec).replicas > 0)).toHaveLength(1);
        const pods = site.pods.filter((p) => p.metadata.namespace === w.metadata.namespace && matches(j(w.spec).selector.matchLabels, p.metadata.labels));
        expect(pods).toHaveLength(j(w.spec).replicas);
        expect(j(w.status).readyReplicas ?? 0).toBe(pods.filter(isPodReady).length);
      }
      if (w.kind === 'StatefulSet') {
        const pods = site.pods.filter((p) => p.metadata.ownerReferences![0]!.uid === w.metadata.uid);
        expect(pods.map((p) => p.metadata.name).sort()).toEqual(
          Array.from({ length: j(w.spec).replicas }, (_, i) => `${w.metadata.name}-${i}`).sort(),
        );
      }
      if (w.kind === 'DaemonSet') {
        const pods = site.pods.filter((p) => p.metadata.ownerReferences![0]!.uid === w.metadata.uid);
        expect(pods).toHaveLength(j(w.status).desiredNumberScheduled);
        expect(new Set(pods.map((p) => j(p.spec).nodeName)).size).toBe(pods.length);
      }
    }
  });

  it('reports PDB status consistent with the pods it covers', () => {
    expect(site.pdbs.length).toBeGreaterThan(20);
    for (const pdb of site.pdbs) {
      const pods = site.pods.filter((p) => p.metadata.namespace === pdb.metadata.namespace && matches(j(pdb.spec).selector.matchLabels, p.metadata.labels));
      const st = j(pdb.status);
      expect(st.expectedPods).toBe(pods.length);
      expect(st.currentHealthy).toBe(pods.filter(isPodReady).length);
      expect(st).toEqual(pdbStatus(pdb, { expectedPods: pods.length, currentHealthy: st.currentHealthy }, Date.parse(st.conditions[0].lastTransitionTime)));
    }
  });

  it('gives services unique ClusterIPs in 10.96.0.0/12 that select existing pods', () => {
    const ips = site.services.map((s) => j(s.spec).clusterIP).filter((ip) => ip !== 'None');
    expect(new Set(ips).size).toBe(ips.length);
    for (const ip of ips) {
      const [a, b] = ip.split('.').map(Number);
      expect(a).toBe(10);
      expect(b).toBeGreaterThanOrEqual(96);
      expect(b).toBeLessThanOrEqual(111);
    }
    expect(j(site.services.find((s) => s.metadata.name === 'kubernetes')!.spec).clusterIP).toBe('10.96.0.1');
    expect(j(site.services.find((s) => s.metadata.name === 'kube-dns')!.spec).clusterIP).toBe('10.96.0.10');
    for (const s of site.services) {
      const sel = j(s.spec).selector;
      if (!sel) continue;
      expect(site.pods.some((p) => p.metadata.namespace === s.metadata.namespace && matches(sel, p.metadata.labels)), s.metadata.name).toBe(true);
    }
    const lb = site.services.find((s) => j(s.spec).type === 'LoadBalancer')!;
    expect(j(lb.status).loadBalancer.ingress[0].ip).toMatch(/^10\.20\.255\.\d+$/);
  });

  it("allocates pod IPs from the node's podCIDR, uniquely; hostNetwork pods use the node IP", () => {
    const nodes = new Map(site.nodes.map((n) => [n.metadata.name, n]));
    const seen = new Set<string>();
    for (const p of site.pods) {
      const st = j(p.status);
      const node = nodes.get(j(p.spec).nodeName)!;
      expect(st.hostIP).toBe(j(node.status).addresses[0].address);
      if (j(p.spec).hostNetwork) {
        expect(st.podIP).toBe(st.hostIP);
        continue;
      }
      const prefix = j(node.spec).podCIDR.replace(/0\/24$/, '');
      expect(st.podIP.startsWith(prefix)).toBe(true);
      expect(seen.has(st.podIP)).toBe(false);
      seen.add(st.podIP);
    }
  });

  it('spreads replicas across rooms', () => {
    const zoneOf = new Map(site.nodes.map((n) => [n.metadata.name, n.metadata.labels![topology.LABEL_ZONE]]));
    for (const w of site.workloads.filter((x) => x.kind === 'ReplicaSet' && j(x.spec).replicas >= 3)) {
      const zones = new Set(
        site.pods.filter((p) => p.metadata.ownerReferences![0]!.uid === w.metadata.uid).map((p) => zoneOf.get(j(p.spec).nodeName)),
      );
      expect(zones.size, w.metadata.name).toBe(3);
    }
  });

  it.each(['fleet', 1, 2, 3, 'x', 'y'])('adds a little realism (seed %s): restarts in 1–2 services, at most one CrashLoopBackOff', (seed) => {
    const site = generateSite({ site: 'fra', index: 0, seed, now: NOW });
    const crashing = site.pods.filter((p) => j(p.status).containerStatuses?.some((c: { state: { waiting?: { reason: string } } }) => c.state.waiting?.reason === 'CrashLoopBackOff'));
    expect(crashing.length).toBeLessThanOrEqual(1);
    const restarted = site.pods.filter((p) => !crashing.includes(p) && j(p.status).containerStatuses.some((c: { restartCount: number }) => c.restartCount > 0));
    const services = new Set(restarted.map((p) => `${p.metadata.namespace}/${p.metadata.labels!['app.kubernetes.io/name']}`));
    expect(services.size).toBeGreaterThanOrEqual(1);
    expect(services.size).toBeLessThanOrEqual(2);
    for (const p of restarted) expect(j(p.status).containerStatuses[0].lastState.terminated.reason).toMatch(/^(OOMKilled|Error)$/);
    const notRunning = site.pods.filter((p) => !isPodReady(p));
    expect(notRunning.length).toBe(crashing.length);
  });

  it('has kube-root-ca.crt in every namespace and a lease per node', () => {
    for (const ns of site.namespaces) {
      const cm = site.configmaps.find((c) => c.metadata.namespace === ns.metadata.name && c.metadata.name === 'kube-root-ca.crt');
      expect(cm, ns.metadata.name).toBeDefined();
      expect(j(cm).data['ca.crt']).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    }
    for (const n of site.nodes) {
      expect(site.leases.some((l) => l.metadata.namespace === 'kube-node-lease' && l.metadata.name === n.metadata.name)).toBe(true);
    }
    expect(site.leases.some((l) => l.metadata.name === 'kube-scheduler')).toBe(true);
    // Every ConfigMap a pod mounts exists.
    for (const p of site.pods) {
      for (const v of j(p.spec).volumes ?? []) {
        if (!v.configMap) continue;
        expect(site.configmaps.some((c) => c.metadata.namespace === p.metadata.namespace && c.metadata.name === v.configMap.name), v.configMap.name).toBe(true);
      }
    }
  });

  it('has a few recent events about existing objects', () => {
    expect(site.events.length).toBeGreaterThan(0);
    const uids = new Set(all(site).map((o) => o.metadata.uid));
    for (const e of site.events) {
      const ev = j(e);
      expect(NOW - Date.parse(ev.lastTimestamp)).toBeLessThan(3_600_000);
      expect(ev.eventTime).toBeNull();
      expect(ev.count).toBeGreaterThanOrEqual(1);
      if (ev.involvedObject.kind === 'Node') expect(site.nodes.some((n) => n.metadata.name === ev.involvedObject.name)).toBe(true);
      else expect(uids.has(ev.involvedObject.uid)).toBe(true);
    }
  });

  it('runs the same services in every site, with slightly different replica counts', () => {
    const sites = ['fra', 'ams', 'dub'].map((name, index) => generateSite({ site: name, index, seed: 'fleet', now: NOW, nodes: 120 }));
    const key = (w: KObject): string => `${w.kind}/${w.metadata.namespace}/${w.metadata.name}`;
    const names = sites.map((s) => s.workloads.filter((w) => w.kind !== 'ReplicaSet').map(key).sort());
    expect(names[1]).toEqual(names[0]);
    expect(names[2]).toEqual(names[0]);
    const replicas = sites.map((s) => s.workloads.filter((w) => w.kind === 'Deployment').map((w) => j(w.spec).replicas as number));
    expect(replicas[1]).not.toEqual(replicas[0]);
    // Different sites have different node names and pod networks.
    expect(sites[1]!.nodes[0]!.metadata.name.startsWith('ams-')).toBe(true);
    expect(j(sites[1]!.nodes[0]!.spec).podCIDR).not.toBe(j(sites[0]!.nodes[0]!.spec).podCIDR);
    expect(serviceCatalog().filter((s) => s.kind === 'Deployment').length).toBe(replicas[0]!.length);
  });

  it('leaves pods Pending with a scheduler message when the site is full', () => {
    const full = generateSite({ site: 'fra', index: 0, seed: 1, now: NOW, nodes: 8, podsPerNode: 100 });
    const pending = full.pods.filter((p) => j(p.status).phase === 'Pending');
    expect(pending.length).toBeGreaterThan(0);
    for (const p of pending) {
      expect(j(p.spec).nodeName).toBeUndefined();
      expect(j(p.status).conditions[0]).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' });
      expect(j(p.status).conditions[0].message).toMatch(/^0\/8 nodes are available: /);
    }
  });

  it('rejects nonsense pods-per-node', () => {
    expect(() => generateSite({ site: 'fra', index: 0, seed: 1, now: NOW, podsPerNode: 0 })).toThrow(RangeError);
    expect(() => generateSite({ site: 'fra', index: 0, seed: 1, now: NOW, podsPerNode: 500 })).toThrow(RangeError);
  });
});

describe('docs/fleet-labels.md', () => {
  it('documents every exported label key', () => {
    const doc = readFileSync(new URL('../../../docs/fleet-labels.md', import.meta.url), 'utf8');
    for (const [name, value] of Object.entries(topology)) {
      if (name.startsWith('LABEL_') && typeof value === 'string') expect(doc, name).toContain(`\`${value}\``);
    }
  });
});

describe('generateSite at scale', () => {
  it('builds 5,000 nodes × 30 pods in a few seconds', () => {
    const t0 = performance.now();
    const site = generateSite({ site: 'dub', index: 2, seed: 'scale', now: NOW, nodes: 5000, podsPerNode: 30 });
    const ms = performance.now() - t0;
    expect(site.nodes).toHaveLength(5000);
    expect(site.pods.length).toBeGreaterThan(145_000);
    expect(site.pods.length).toBeLessThan(155_000);
    expect(site.pods.every((p) => j(p.spec).nodeName)).toBe(true);
    // Racks ≤ 40 nodes, rooms ≤ 20 racks.
    for (const room of site.topology.rooms) {
      expect(room.racks.length).toBeLessThanOrEqual(20);
      for (const rack of room.racks) expect(rack.nodes.length).toBeLessThanOrEqual(40);
    }
    let bytes = 0;
    for (let i = 0; i < site.pods.length; i += 50) bytes += JSON.stringify(site.pods[i]).length;
    const perPod = bytes / Math.ceil(site.pods.length / 50);
    const figures = `${site.pods.length} pods in ${ms.toFixed(0)} ms, ~${perPod.toFixed(0)} B JSON per pod`;
    // Generous bound for slow CI machines; ~2 s on a laptop.
    expect(ms, figures).toBeLessThan(20_000);
    expect(perPod, figures).toBeLessThan(4500);
  });
});
