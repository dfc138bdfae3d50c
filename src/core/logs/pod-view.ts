/**
 * What a log tail needs to know of a pod: its containers and whether each is
 * running, and which instance (restart count) it is on. A slim projection
 * for the pod watch's store, like the mirror's, never the whole object.
 */

export type ContainerRunState = 'running' | 'waiting' | 'terminated';

export interface LogContainer {
  name: string;
  /** Init and ephemeral containers run beside (or before) the main ones. */
  extra: boolean;
  state: ContainerRunState;
  /** The instance: how often the container has restarted. */
  restarts: number;
  /** For a terminated container: why, in a few words ("Completed, exit code 0"). */
  ended?: string;
}

export interface LogPod {
  uid: string;
  namespace: string;
  name: string;
  node?: string;
  containers: LogContainer[];
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { running?: object; waiting?: { reason?: string }; terminated?: { reason?: string; exitCode?: number } };
}

interface PodObject {
  metadata: { name: string; namespace?: string; uid?: string };
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[]; ephemeralContainerStatuses?: ContainerStatus[] };
}

function container(name: string, extra: boolean, s: ContainerStatus | undefined): LogContainer {
  const st = s?.state ?? {};
  const state: ContainerRunState = st.running ? 'running' : st.terminated ? 'terminated' : 'waiting';
  const c: LogContainer = { name, extra, state, restarts: s?.restartCount ?? 0 };
  if (st.terminated) c.ended = `${st.terminated.reason ?? 'terminated'}, exit code ${st.terminated.exitCode ?? '?'}`;
  return c;
}

export function projectLogPod(o: unknown): LogPod {
  const p = o as PodObject;
  const byName = (list: ContainerStatus[] | undefined): Map<string, ContainerStatus> => new Map((list ?? []).map((s) => [s.name, s]));
  const main = byName(p.status?.containerStatuses);
  const init = byName(p.status?.initContainerStatuses);
  const eph = byName(p.status?.ephemeralContainerStatuses);
  return {
    uid: p.metadata.uid ?? `${p.metadata.namespace}/${p.metadata.name}`,
    namespace: p.metadata.namespace ?? '',
    name: p.metadata.name,
    node: p.spec?.nodeName,
    containers: [
      ...(p.spec?.initContainers ?? []).map((c) => container(c.name, true, init.get(c.name))),
      ...(p.spec?.containers ?? []).map((c) => container(c.name, false, main.get(c.name))),
      ...(p.spec?.ephemeralContainers ?? []).map((c) => container(c.name, true, eph.get(c.name))),
    ],
  };
}
