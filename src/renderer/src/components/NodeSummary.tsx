import type { NodeView } from '../../../shared/model';
import { nodeState } from '../../../shared/derive';

/** The node as the mirror has it now (live, unlike the fetched detail below it). */
export function NodeSummary({ node }: { node: NodeView }) {
  const state = nodeState(node);
  return (
    <dl className="summary">
      <div>
        <dt>State</dt>
        <dd className={`state-${state}`} data-testid="node-state">
          {state}
        </dd>
      </div>
      <div>
        <dt>Ready</dt>
        <dd>{node.ready}</dd>
      </div>
      <div>
        <dt>Place</dt>
        <dd>{node.rack ? `${node.room ?? '?'} · ${node.rack} U${node.unit ?? '?'}` : 'unknown'}</dd>
      </div>
      <div>
        <dt>Roles</dt>
        <dd>{node.roles.join(', ') || '–'}</dd>
      </div>
      <div>
        <dt>Kubelet</dt>
        <dd>{node.kubeletVersion}</dd>
      </div>
      <div>
        <dt>Internal IP</dt>
        <dd>{node.internalIP}</dd>
      </div>
      <div>
        <dt>Pod capacity</dt>
        <dd>{node.podsAllocatable}</dd>
      </div>
      {node.pressure.length > 0 && (
        <div>
          <dt>Pressure</dt>
          <dd className="text-warn">{node.pressure.join(', ')}</dd>
        </div>
      )}
      {node.unschedulable && (
        <div>
          <dt>Cordoned</dt>
          <dd>
            {node.cordon?.by ? `by ${node.cordon.by}` : 'by unknown'}
            {node.cordon?.reason ? `: ${node.cordon.reason}` : ' (no reason recorded)'}
          </dd>
        </div>
      )}
    </dl>
  );
}
