/**
 * Which workload a pod belongs to, as an operator names it: the Deployment
 * rather than its ReplicaSet of the day, so crash loops and stuck pods of one
 * rollout group under one name across ReplicaSet generations.
 */
import type { PodView } from '../model';

/** A pod's workload: `Deployment`, `StatefulSet`, `DaemonSet`, `Job`, … or `Pod` for a bare pod. */
export interface WorkloadRef {
  kind: string;
  name: string;
}

/** The workload a pod belongs to; a pod without an owner is its own. */
export function podWorkload(pod: Pick<PodView, 'name' | 'ownerKind' | 'ownerName' | 'deployment'>): WorkloadRef {
  if (pod.deployment) return { kind: 'Deployment', name: pod.deployment };
  if (pod.ownerKind && pod.ownerName) return { kind: pod.ownerKind, name: pod.ownerName };
  return { kind: 'Pod', name: pod.name };
}

/** `Kind/name`, the way kubectl names an object (`Deployment/checkout`). */
export function refString(ref: WorkloadRef): string {
  return `${ref.kind}/${ref.name}`;
}
