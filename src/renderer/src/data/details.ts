/**
 * On-demand detail, fetched through the contract when a drawer opens (the
 * mirror keeps only slim views; conditions, labels and YAML live here).
 */
import { getClient } from '../api';
import type { NodeDetail, PodDetail } from '../../../shared/contract/triptych';

/** Conditions, taints, labels, pods and events of a node. */
export async function fetchNodeDetail(site: string, name: string): Promise<NodeDetail> {
  return (await getClient()).api.nodes.detail(site, name);
}

/** Status, containers, events and YAML of a pod. */
export async function fetchPodDetail(site: string, namespace: string, name: string): Promise<PodDetail> {
  return (await getClient()).api.pods.detail(site, namespace, name);
}
