import type { PodView } from '../../../shared/model';
import { podWorkload } from '../../../shared/derive';
import { formatSince } from '../format';
import { useActions, useApp } from '../store/store';

/** The pod as the mirror has it now; its node and workload open in the drawer. */
export function PodSummary({ site, pod }: { site: string; pod: PodView }) {
  const now = useApp((s) => s.now);
  const { openDetail } = useActions();
  const ref = podWorkload(pod);
  return (
    <dl className="summary">
      <div>
        <dt>Status</dt>
        <dd data-testid="pod-status">{pod.status}</dd>
      </div>
      <div>
        <dt>Phase</dt>
        <dd>{pod.phase}</dd>
      </div>
      <div>
        <dt>Ready</dt>
        <dd>
          {pod.readyContainers}/{pod.containers}
        </dd>
      </div>
      <div>
        <dt>Restarts</dt>
        <dd className={pod.restarts > 0 ? 'text-warn' : undefined}>{pod.restarts}</dd>
      </div>
      <div>
        <dt>Node</dt>
        <dd>
          {pod.node ? (
            <button type="button" className="link" onClick={() => openDetail({ kind: 'node', site, name: pod.node })}>
              {pod.node}
            </button>
          ) : (
            'not scheduled'
          )}
        </dd>
      </div>
      <div>
        <dt>Workload</dt>
        <dd>
          {ref.kind === 'Pod' ? (
            'none (bare pod)'
          ) : (
            <button type="button" className="link" onClick={() => openDetail({ kind: 'workload', site, namespace: pod.namespace, name: ref.name, workloadKind: ref.kind })}>
              {ref.kind}/{ref.name}
            </button>
          )}
        </dd>
      </div>
      <div>
        <dt>Pod IP</dt>
        <dd>{pod.podIP || '–'}</dd>
      </div>
      <div>
        <dt>Age</dt>
        <dd title={pod.createdAt}>{formatSince(pod.createdAt, now)}</dd>
      </div>
      {pod.terminating && (
        <div>
          <dt>Deletion</dt>
          <dd className="text-warn">terminating</dd>
        </div>
      )}
    </dl>
  );
}
