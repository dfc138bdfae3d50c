import type { NodeDetail } from '../../../shared/contract/triptych';
import { formatSince } from '../format';
import { useApp } from '../store/store';

/** Conditions whose value means trouble: Ready must be True, the others False. */
function troubled(c: NodeDetail['conditions'][number]): boolean {
  return c.type === 'Ready' ? c.status !== 'True' : c.status === 'True';
}

/** A node's conditions, the troubled ones marked. */
export function ConditionsTable({ conditions }: { conditions: NodeDetail['conditions'] }) {
  const now = useApp((s) => s.now);
  if (conditions.length === 0) return <p className="muted">No conditions reported</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Type</th>
          <th>Status</th>
          <th>Reason</th>
          <th>Message</th>
          <th>Since</th>
        </tr>
      </thead>
      <tbody>
        {conditions.map((c) => (
          <tr key={c.type} className={troubled(c) ? 'row--bad' : undefined}>
            <td>{c.type}</td>
            <td>{c.status}</td>
            <td>{c.reason ?? ''}</td>
            <td>{c.message ?? ''}</td>
            <td title={c.lastTransitionTime}>{formatSince(c.lastTransitionTime, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
