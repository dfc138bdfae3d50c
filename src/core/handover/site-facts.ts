/**
 * One site's part of a handover, from the console's cached views: nodes
 * that are NotReady or cordoned, workloads whose pods crashloop, and the
 * warning events of the shift. Pure functions over the views.
 */
import type { EventView, NodeView, PodView, WorkloadView } from '../../shared/model';
import { text } from '../kube/projections';
import type { CordonedNode, CrashloopingWorkload, MaintenanceEntry, NotReadyNode, WarningEvent } from './types';
import type { MaintenanceInfo } from './sources';

/** Node names and the like as the API gives them; free text (reasons, messages) keeps the projections' 512. */
const NAME = 253;

const byRackThenName = (a: { name: string; rack?: string }, b: { name: string; rack?: string }): number =>
  (a.rack ?? '').localeCompare(b.rack ?? '', 'en', { numeric: true }) || a.name.localeCompare(b.name, 'en', { numeric: true });

/**
 * Nodes whose Ready condition is not True. `since` is the newest NodeNotReady
 * event the node controller left for the node; when the event has expired
 * (the API server keeps events for an hour), the time the previous handover
 * knew, if the node was NotReady then too.
 */
export function notReadyNodes(nodes: Iterable<NodeView>, events: Iterable<EventView>, previous?: readonly NotReadyNode[]): NotReadyNode[] {
  const out: NotReadyNode[] = [];
  for (const n of nodes) {
    if (n.ready === 'True') continue;
    const node: NotReadyNode = { name: text(n.name, NAME), ready: n.ready };
    if (n.rack) node.rack = text(n.rack, NAME);
    out.push(node);
  }
  if (out.length === 0) return out;
  const wanted = new Map(out.map((n) => [n.name, n]));
  for (const e of events) {
    if (e.reason !== 'NodeNotReady' || e.objectKind !== 'Node') continue;
    const node = wanted.get(e.objectName);
    if (node && validTime(e.lastSeen) && (node.since === undefined || Date.parse(e.lastSeen) > Date.parse(node.since))) node.since = e.lastSeen;
  }
  for (const p of previous ?? []) {
    const node = wanted.get(p.name);
    if (node && node.since === undefined && p.since !== undefined) node.since = p.since;
  }
  return out.sort(byRackThenName);
}

/** Cordoned (unschedulable) nodes, with who and why from Triptych's cordon annotations when present. */
export function cordonedNodes(nodes: Iterable<NodeView>): CordonedNode[] {
  const out: CordonedNode[] = [];
  for (const n of nodes) {
    if (!n.unschedulable) continue;
    const node: CordonedNode = { name: text(n.name, NAME) };
    if (n.rack) node.rack = text(n.rack, NAME);
    // The projections already cleaned and capped these; the caps are repeated because a source may not use them.
    if (n.cordon?.by) node.by = text(n.cordon.by, NAME);
    if (n.cordon?.reason) node.reason = text(n.cordon.reason);
    if (n.cordon?.at) node.at = text(n.cordon.at, 64);
    out.push(node);
  }
  return out.sort(byRackThenName);
}

/** Maintenance still held (lapsed Leases left out), oldest first, its text cleaned: Lease annotations are anyone's to write. */
export function maintenanceEntries(all: readonly MaintenanceInfo[]): MaintenanceEntry[] {
  const out: MaintenanceEntry[] = [];
  for (const m of all) {
    if (m.expired === true) continue;
    const e: MaintenanceEntry = { scope: text(m.scope, NAME), holder: text(m.holder, NAME), since: text(m.since, 64) };
    if (m.runbook) e.runbook = text(m.runbook, NAME);
    if (m.run) e.run = text(m.run, NAME);
    if (m.reason) e.reason = text(m.reason);
    out.push(e);
  }
  return out.sort((a, b) => a.since.localeCompare(b.since) || a.scope.localeCompare(b.scope));
}

/** kubectl's STATUS for a crashlooping container, an init container's included (`Init:CrashLoopBackOff`). */
const CRASHLOOP = /(^|:)CrashLoopBackOff$/;

/**
 * Pods in CrashLoopBackOff grouped by the workload behind them: the
 * Deployment of a ReplicaSet's pod (when the pod-template-hash proves it),
 * else the controller owner, else the pod itself.
 */
export function crashloopingWorkloads(pods: Iterable<PodView>, workloads: Iterable<WorkloadView>): CrashloopingWorkload[] {
  const groups = new Map<string, CrashloopingWorkload>();
  for (const p of pods) {
    if (!CRASHLOOP.test(p.status) || p.terminating) continue;
    const [kind, name] = p.deployment ? ['Deployment', p.deployment] : p.ownerKind ? [p.ownerKind, p.ownerName] : ['Pod', p.name];
    const key = `${p.namespace}\u0000${kind}\u0000${name}`;
    let g = groups.get(key);
    if (!g) {
      g = { namespace: text(p.namespace, NAME), kind: text(kind, 64), name: text(name, NAME), pods: 0, restarts: 0 };
      groups.set(key, g);
    }
    g.pods++;
    g.restarts += Math.max(0, p.restarts);
  }
  if (groups.size > 0) {
    for (const w of workloads) {
      const g = groups.get(`${w.namespace}\u0000${w.kind}\u0000${w.name}`);
      if (g) {
        g.ready = w.ready;
        g.desired = w.desired;
      }
    }
  }
  return [...groups.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

/** Warning events of the shift, newest first, at most `max`; `total` counts them all. */
export function warningEvents(events: Iterable<EventView>, fromMs: number, max: number): { events: WarningEvent[]; total: number } {
  const all: EventView[] = [];
  for (const e of events) {
    if (e.type !== 'Warning') continue;
    const t = Date.parse(e.lastSeen);
    // An event without a usable time cannot be placed in the shift; reporting it would be a guess.
    if (Number.isFinite(t) && t >= fromMs) all.push(e);
  }
  all.sort((a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const shown = all.slice(0, Math.max(0, max)).map(
    (e): WarningEvent => ({
      namespace: text(e.namespace, NAME),
      object: text(`${e.objectKind}/${e.objectName}`, 320),
      reason: text(e.reason, 128),
      message: text(e.message),
      count: Math.max(1, Math.floor(e.count) || 1),
      lastSeen: text(e.lastSeen, 64),
    }),
  );
  return { events: shown, total: all.length };
}

function validTime(s: string): boolean {
  return Number.isFinite(Date.parse(s));
}
