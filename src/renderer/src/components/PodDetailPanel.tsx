import { fetchPodDetail } from '../data/details';
import { useAsync } from '../hooks/useAsync';
import { useActions, useApp } from '../store/store';
import { ContainerTable } from './ContainerTable';
import { DetailFetchState } from './DetailFetchState';
import { DetailSection } from './DetailSection';
import { EventList } from './EventList';
import { PodSummary } from './PodSummary';
import { YamlViewer } from './YamlViewer';
import { EditYamlButton } from '../editors/Editors';

interface Props {
  site: string;
  namespace: string;
  name: string;
}

/** A pod: live status from the mirror, then containers, events and its YAML fetched from the site. */
export function PodDetailPanel({ site, namespace, name }: Props) {
  const [detail, reload] = useAsync(() => fetchPodDetail(site, namespace, name), `${site}\u0000${namespace}\u0000${name}`);
  const live = useApp((s) => s.mirrors[site]?.pods.get(`${namespace}/${name}`));
  const pod = live ?? (detail.status === 'ok' ? detail.value.pod : undefined);
  const { openLogs, openShell } = useActions();
  const container = detail.status === 'ok' ? detail.value.containers[0]?.name : undefined;
  return (
    <div className="detail" data-testid="pod-detail" data-pod={`${namespace}/${name}`}>
      <div className="detail__title-row">
        <h2 className="detail__title">
          <span className="detail__kind">Pod</span> <span className="muted">{namespace}/</span>
          {name}
        </h2>
        <button type="button" className="small" data-testid="tail-logs" onClick={() => openLogs({ title: `Pod ${namespace}/${name}`, sites: [site], target: { kind: 'pods', pods: [{ namespace, name }] } })}>
          Tail logs
        </button>
        <button
          type="button"
          className="small"
          data-testid="open-shell"
          disabled={!container}
          title="A shell in the first container (operator consoles only; recorded in the audit log)"
          onClick={() => container && openShell({ site, namespace, pod: name, container })}
        >
          Shell
        </button>
        <EditYamlButton target={{ site, kind: 'Pod', namespace, name }} />
        <button type="button" className="small" onClick={reload}>
          Refresh
        </button>
      </div>
      {pod ? <PodSummary site={site} pod={pod} /> : detail.status !== 'loading' && <p className="muted">This pod is not in the site’s mirror (deleted?).</p>}
      <DetailFetchState state={detail}>
        {(d) => (
          <>
            <DetailSection title="Containers">
              <ContainerTable containers={d.containers} />
            </DetailSection>
            <DetailSection title="Events">
              <EventList events={d.events} />
            </DetailSection>
            <DetailSection title="YAML (read-only)" testId="pod-yaml">
              <YamlViewer yaml={d.yaml} />
            </DetailSection>
          </>
        )}
      </DetailFetchState>
    </div>
  );
}
