import type { PodDetail } from '../../../shared/contract/triptych';

/** A pod's containers: image, readiness, restarts and state (with its reason). */
export function ContainerTable({ containers }: { containers: PodDetail['containers'] }) {
  if (containers.length === 0) return <p className="muted">No containers</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Container</th>
          <th>Image</th>
          <th>Ready</th>
          <th className="num">Restarts</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {containers.map((c) => (
          <tr key={c.name} className={!c.ready ? 'row--bad' : undefined}>
            <td>{c.name}</td>
            <td className="mono">{c.image}</td>
            <td>{c.ready ? 'yes' : 'no'}</td>
            <td className="num">{c.restarts}</td>
            <td>
              {c.state}
              {c.reason ? ` (${c.reason})` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
