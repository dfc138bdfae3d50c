import type { NodeView } from '../../../shared/model';

/** A node's taints as `key=value:Effect`, kubectl's notation. */
export function TaintList({ taints }: { taints: NodeView['taints'] }) {
  if (taints.length === 0) return <p className="muted">No taints</p>;
  return (
    <ul className="chips">
      {taints.map((t) => (
        <li className="chip" key={`${t.key}:${t.effect}`}>
          {t.key}
          {t.value ? `=${t.value}` : ''}:{t.effect}
        </li>
      ))}
    </ul>
  );
}
