/**
 * The slim projections the console keeps of each site's objects. The watch
 * engine builds them from API objects (core/kube/projections.ts); everything
 * the views show comes from these, never from whole objects, so a site at
 * 150,000 pods stays within memory (target ≤ 1 KB retained per pod).
 */

/** A site as configured: from triptych.yaml plus its kubeconfig context. */
export interface SiteInfo {
  /** Stable id, e.g. `fra`. */
  id: string;
  /** Display name, e.g. `Frankfurt`. */
  name: string;
  /** CSS colour used on every view and dialog of this site (wrong-cluster safety). */
  color: string;
  /** kubeconfig context it connects with. */
  context: string;
  /** API server URL (for display). */
  server: string;
  /** Node label keys that place a node in its room, rack and unit. */
  labels: { room: string; rack: string; unit: string };
  /** True when this is the built-in training fleet. */
  training: boolean;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface NodeView {
  name: string;
  /** Room, rack and rack unit from labels or the inventory file; undefined when unknown. */
  room?: string;
  rack?: string;
  unit?: number;
  ready: ConditionStatus;
  unschedulable: boolean;
  /** Node conditions that are True and mean trouble: MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable. */
  pressure: string[];
  taints: { key: string; effect: string; value?: string }[];
  roles: string[];
  kubeletVersion: string;
  internalIP: string;
  podsAllocatable: number;
  cpuAllocatableMillis: number;
  createdAt: string;
  /** Who cordoned it and why, from the triptych.io/cordon-* annotations, when set. */
  cordon?: { by?: string; reason?: string; at?: string };
}

export interface PodView {
  namespace: string;
  name: string;
  node: string;
  phase: string;
  /** The status kubectl shows: Running, CrashLoopBackOff, Terminating, Pending, … */
  status: string;
  readyContainers: number;
  containers: number;
  restarts: number;
  /** Kind and name of the pod's controller (its controller ownerReference), e.g. `ReplicaSet`; empty for bare pods. */
  ownerKind: string;
  ownerName: string;
  /**
   * The Deployment behind a ReplicaSet owner: the owner's name minus the
   * pod's `pod-template-hash`. Only set when that label proves the link, so
   * views can group pods by workload without keeping labels.
   */
  deployment?: string;
  podIP: string;
  createdAt: string;
  terminating: boolean;
}

export interface EventView {
  namespace: string;
  name: string;
  type: 'Normal' | 'Warning' | string;
  reason: string;
  /** Truncated to 512 characters; untrusted text, never rendered as HTML. */
  message: string;
  objectKind: string;
  objectName: string;
  count: number;
  lastSeen: string;
}

export interface WorkloadView {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  updated: number;
  available: number;
  generation: number;
  observedGeneration: number;
}

export interface PdbView {
  namespace: string;
  name: string;
  disruptionsAllowed: number;
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
}

export interface NamespaceView {
  name: string;
  phase: string;
}
