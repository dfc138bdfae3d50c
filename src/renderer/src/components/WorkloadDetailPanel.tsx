import { useMemo } from 'react';
import { findWorkloads, workloadPods } from '../store/selectors';
import { getAppStore, useActions, useApp } from '../store/store';
import { DetailSection } from './DetailSection';
import { PodTable } from './PodTable';
import { RunbookMenu } from '../runbooks/RunbookMenu';
import { EditYamlButton, isEditableKind } from '../editors/Editors';

interface Props {
  site: string;
  namespace: string;
  name: string;
  workloadKind?: string | undefined;
}

/**
 * A workload and its pods, from the mirror alone (no detail call exists for
 * workloads): where problems and palette hits on a workload lead. Follows the
 * derived views' pace, not every frame, since it scans the site's pods.
 */
export function WorkloadDetailPanel({ site, namespace, name, workloadKind }: Props) {
  const version = useApp((s) => s.derived[site]?.version);
  const { openDetail, openLogs } = useActions();
  const siteIds = useApp((s) => s.sites.map((x) => x.id).join(','));
  const { workloads, pods } = useMemo(() => {
    const m = getAppStore().getState().mirrors[site];
    if (m === undefined) return { workloads: [], pods: [] };
    const workloads = findWorkloads(m, namespace, name, workloadKind);
    // A Job's or bare ReplicaSet's pods have no WorkloadView; they are still grouped by owner.
    const kind = workloadKind ?? (workloads.length === 1 ? workloads[0]!.kind : undefined);
    return { workloads, pods: workloadPods(m, namespace, name, kind) };
  }, [site, namespace, name, workloadKind, version]);

  return (
    <div className="detail" data-testid="workload-detail">
      <h2 className="detail__title">
        <span className="detail__kind">{workloadKind ?? workloads[0]?.kind ?? 'Workload'}</span> <span className="muted">{namespace}/</span>
        {name}
      </h2>
      {(workloads[0] || workloadKind) && (
        <button
          type="button"
          data-testid="tail-logs"
          title="Follow this workload's logs in every site at once"
          onClick={() => {
            const kind = (workloadKind ?? workloads[0]?.kind) as 'Deployment' | 'StatefulSet' | 'DaemonSet';
            openLogs({ title: `${kind} ${namespace}/${name}`, sites: siteIds.split(','), target: { kind: 'workload', workload: kind, namespace, name } });
          }}
        >
          Tail logs in all sites
        </button>
      )}
      {(workloadKind ?? workloads[0]?.kind) && <RunbookMenu target={{ kind: 'workload', site, namespace, workloadKind: (workloadKind ?? workloads[0]?.kind) as string, name }} />}
      {isEditableKind(workloadKind ?? workloads[0]?.kind) && <EditYamlButton className="" target={{ site, kind: (workloadKind ?? workloads[0]?.kind) as string, namespace, name }} />}
      {workloads.length === 0 && <p className="muted">No Deployment, StatefulSet or DaemonSet of this name in the mirror.</p>}
      {workloads.map((w) => (
        <dl className="summary" key={w.kind}>
          <div>
            <dt>Kind</dt>
            <dd>{w.kind}</dd>
          </div>
          <div>
            <dt>Ready</dt>
            <dd className={w.ready < w.desired ? 'text-bad' : undefined}>
              {w.ready}/{w.desired}
            </dd>
          </div>
          <div>
            <dt>Up to date</dt>
            <dd>{w.updated}</dd>
          </div>
          <div>
            <dt>Available</dt>
            <dd>{w.available}</dd>
          </div>
          <div>
            <dt>Generation</dt>
            <dd>
              {w.observedGeneration}/{w.generation}
              {w.observedGeneration < w.generation ? ' (rolling out)' : ''}
            </dd>
          </div>
        </dl>
      ))}
      <DetailSection title={`Pods (${pods.length})`}>
        <PodTable pods={pods} showNode onOpen={(p) => openDetail({ kind: 'pod', site, namespace: p.namespace, name: p.name })} />
      </DetailSection>
    </div>
  );
}
