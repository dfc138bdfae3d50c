import type { Hit } from '../rack/layout';

interface Props {
  hit: Hit;
  /** Pointer position within the map, CSS px. */
  x: number;
  y: number;
  /** Map width, to keep the tooltip inside it. */
  width: number;
}

const STATE_TEXT = { ready: 'Ready', notready: 'NotReady', unknown: 'not reporting (Unknown)', cordoned: 'cordoned', pressure: 'under pressure' } as const;

/** What the pointer is over on the rack map: the node (state, pods, place) or the rack. */
export function RackTooltip({ hit, x, y, width }: Props) {
  const left = x + 240 > width ? Math.max(0, x - 232) : x + 14;
  return (
    <div className="rack-tooltip" data-testid="rack-tooltip" style={{ left, top: y + 14 }} role="tooltip">
      {hit.kind === 'node' ? (
        <>
          <strong className="rack-tooltip__name">{hit.node.name}</strong>
          <span className={`rack-tooltip__state state-${hit.node.state}`}>{STATE_TEXT[hit.node.state]}</span>
          <span>
            {hit.node.podCount}/{hit.node.podCapacity} pods
          </span>
          <span className="muted">{hit.node.rack !== undefined ? `${hit.node.rack} U${hit.node.unit ?? '?'}` : 'no rack position'}</span>
        </>
      ) : (
        <>
          <strong className="rack-tooltip__name">{hit.rack.name}</strong>
          <span className="muted">
            {hit.rack.room} · {hit.rack.count} nodes
          </span>
        </>
      )}
    </div>
  );
}
