import { fetchNodeDetail } from '../data/details';
import { useAsync } from '../hooks/useAsync';
import { useActions, useApp } from '../store/store';
import { ConditionsTable } from './ConditionsTable';
import { DetailSection } from './DetailSection';
import { EventList } from './EventList';
import { KeyValueList } from './KeyValueList';
import { NodeSummary } from './NodeSummary';
import { PodTable } from './PodTable';
import { TaintList } from './TaintList';

/** A node: its live state from the mirror, then conditions, taints, labels, pods and events fetched from the site. */
export function NodeDetailPanel({ site, name }: { site: string; name: string }) {
  const [detail, reload] = useAsync(() => fetchNodeDetail(site, name), `${site}\u0000${name}`);
  const live = useApp((s) => s.mirrors[site]?.nodes.get(name));
  const { openDetail } = useActions();
  return (
    <div className="detail" data-testid="node-detail" data-node={name}>
      <div className="detail__title-row">
        <h2 className="detail__title">
          <span className="detail__kind">Node</span> {name}
        </h2>
        <button type="button" className="small" onClick={reload}>
          Refresh
        </button>
      </div>
      {live ? <NodeSummary node={live} /> : <p className="muted">This node is not in the site’s mirror (deleted, or not loaded yet).</p>}
      {detail.status === 'loading' && <p className="muted">Loading details…</p>}
      {detail.status === 'error' && (
        <p className="error" role="alert">
          {detail.error}
        </p>
      )}
      {detail.status === 'ok' && (
        <>
          <DetailSection title="Conditions">
            <ConditionsTable conditions={detail.value.conditions} />
          </DetailSection>
          <DetailSection title="Taints">
            <TaintList taints={(live ?? detail.value.node).taints} />
          </DetailSection>
          <DetailSection title={`Pods (${detail.value.pods.length})`} testId="node-pods">
            <PodTable pods={detail.value.pods} onOpen={(p) => openDetail({ kind: 'pod', site, namespace: p.namespace, name: p.name })} />
          </DetailSection>
          <DetailSection title="Events">
            <EventList events={detail.value.events} />
          </DetailSection>
          <DetailSection title="Labels">
            <KeyValueList entries={detail.value.labels} />
          </DetailSection>
        </>
      )}
    </div>
  );
}
