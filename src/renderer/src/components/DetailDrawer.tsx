import type { CSSProperties } from 'react';
import type { DetailTarget } from '../store/initialState';
import { siteById } from '../store/selectors';
import { useActions, useApp } from '../store/store';
import { NodeDetailPanel } from './NodeDetailPanel';
import { PodDetailPanel } from './PodDetailPanel';
import { SiteBand } from './SiteBand';
import { WorkloadDetailPanel } from './WorkloadDetailPanel';

function keyOf(t: DetailTarget): string {
  return t.kind === 'node' ? `node:${t.site}:${t.name}` : `${t.kind}:${t.site}:${t.namespace}/${t.name}`;
}

/** The side drawer for node, pod and workload detail; its band names the site the object belongs to. */
export function DetailDrawer() {
  const detail = useApp((s) => s.ui.detail);
  const site = useApp((s) => (s.ui.detail ? siteById(s.sites, s.ui.detail.site) : undefined));
  const { closeDetail } = useActions();
  if (detail === undefined) return null;
  return (
    <aside className="drawer" role="dialog" aria-label={`${detail.kind} detail, ${site?.name ?? detail.site}`} style={{ '--site-color': site?.color ?? 'transparent' } as CSSProperties}>
      <div className="drawer__head">
        {site ? <SiteBand site={site} /> : <span className="site-band">{detail.site}</span>}
        <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={closeDetail} autoFocus>
          ✕
        </button>
      </div>
      <div className="drawer__body">
        {detail.kind === 'node' && <NodeDetailPanel key={keyOf(detail)} site={detail.site} name={detail.name} />}
        {detail.kind === 'pod' && <PodDetailPanel key={keyOf(detail)} site={detail.site} namespace={detail.namespace} name={detail.name} />}
        {detail.kind === 'workload' && <WorkloadDetailPanel key={keyOf(detail)} site={detail.site} namespace={detail.namespace} name={detail.name} workloadKind={detail.workloadKind} />}
      </div>
    </aside>
  );
}
