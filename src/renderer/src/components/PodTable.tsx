import type { PodView } from '../../../shared/model';
import { podTrouble } from '../store/selectors';

interface Props {
  pods: readonly PodView[];
  onOpen(pod: PodView): void;
  /** Show the node column (not on a node's own page). */
  showNode?: boolean;
  limit?: number;
}

/** Pods, worst first, each opening its detail. */
export function PodTable({ pods, onOpen, showNode = false, limit = 300 }: Props) {
  if (pods.length === 0) return <p className="muted">No pods</p>;
  const sorted = [...pods].sort((a, b) => podTrouble(a) - podTrouble(b) || (a.namespace + a.name < b.namespace + b.name ? -1 : 1));
  const shown = sorted.slice(0, limit);
  return (
    <>
      <table className="table pods">
        <thead>
          <tr>
            <th>Pod</th>
            <th>Status</th>
            <th className="num">Ready</th>
            <th className="num">Restarts</th>
            {showNode && <th>Node</th>}
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={`${p.namespace}/${p.name}`} className={podTrouble(p) <= 1 ? 'row--bad' : podTrouble(p) === 2 ? 'row--warn' : undefined}>
              <td>
                <button type="button" className="link" data-testid="pod-link" onClick={() => onOpen(p)}>
                  <span className="muted">{p.namespace}/</span>
                  {p.name}
                </button>
              </td>
              <td>{p.status}</td>
              <td className="num">
                {p.readyContainers}/{p.containers}
              </td>
              <td className="num">{p.restarts}</td>
              {showNode && <td>{p.node || '–'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > shown.length && <p className="muted">and {sorted.length - shown.length} more</p>}
    </>
  );
}
