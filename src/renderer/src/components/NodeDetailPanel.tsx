import { fetchNodeDetail } from '../data/details';
import { useAsync } from '../hooks/useAsync';
import { useActions, useApp } from '../store/store';
import { ConditionsTable } from './ConditionsTable';
import { DetailFetchState } from './DetailFetchState';
import { DetailSection } from './DetailSection';
import { EventList } from './EventList';
import { KeyValueList } from './KeyValueList';
import { NodeSummary } from './NodeSummary';
import { PodTable } from './PodTable';
import { TaintList } from './TaintList';
import { RunbookMenu } from '../runbooks/RunbookMenu';
import { EditYamlButton } from '../editors/Editors';

/** A node: its live state from the mirror, then conditions, taints, labels, pods and events fetched from the site. */
export function NodeDetailPanel({ site, name }: { site: string; name: string }) {
  const [detail, reload] = useAsync(() => fetchNodeDetail(site, name), `${site}\u0000${name}`);
  const live = useApp((s) => s.mirrors[site]?.nodes.get(name));
  const { openDetail, openLogs } = useActions();
  return (
    <div className="detail" data-testid="node-detail" data-node={name}>
      <div className="detail__title-row">
        <h2 className="detail__title">
          <span className="detail__kind">Node</span> {name}
        </h2>
        <button type="button" className="small" data-testid="tail-logs" onClick={() => openLogs({ title: `Node ${name}`, sites: [site], target: { kind: 'node', node: name, namespaces: 'all' } })}>
          Tail logs
        </button>
        <RunbookMenu target={{ kind: 'node', site, node: name, rack: live?.rack }} />
        <EditYamlButton target={{ site, kind: 'Node', name }} />
        <button type="button" className="small" onClick={reload}>
          Refresh
        </button>
      </div>
      {live ? <NodeSummary node={live} /> : <p className="muted">This node is not in the site’s mirror (deleted, or not loaded yet).</p>}
      <DetailFetchState state={detail}>
        {(d) => (
          <>
            <DetailSection title="Conditions">
              <ConditionsTable conditions={d.conditions} />
            </DetailSection>
            <DetailSection title="Taints">
              <TaintList taints={(live ?? d.node).taints} />
            </DetailSection>
            <DetailSection title={`Pods (${d.pods.length})`} testId="node-pods">
              <PodTable pods={d.pods} onOpen={(p) => openDetail({ kind: 'pod', site, namespace: p.namespace, name: p.name })} />
            </DetailSection>
            <DetailSection title="Events">
              <EventList events={d.events} />
            </DetailSection>
            <DetailSection title="Labels">
              <KeyValueList entries={d.labels} />
            </DetailSection>
          </>
        )}
      </DetailFetchState>
    </div>
  );
}
