import type { ObjectRef } from '../../../shared/runbooks';
import { countKind, groupTouches, refName } from './view';

/** Up to this many objects of a kind are listed inline; more collapse behind their count. */
const INLINE = 3;

/**
 * What a step touches, by kind: a few objects by name, many (a drain's
 * pods) as a count that opens to the whole list.
 */
export function TouchList({ touches, verb }: { touches: readonly ObjectRef[]; verb: string }) {
  const groups = groupTouches(touches);
  const sites = new Set(groups.map((g) => g.site));
  return (
    <div className="rb-touches" data-testid="runbook-touches">
      <span className="muted">{verb}:</span>
      {groups.map((g) => {
        const where = sites.size > 1 ? ` at ${g.site}` : '';
        return g.refs.length <= INLINE ? (
          <span key={`${g.site}/${g.kind}`} className="rb-touches__inline">
            {g.kind}
            {where} <span className="mono">{g.refs.map(refName).join(', ')}</span>
          </span>
        ) : (
          <details key={`${g.site}/${g.kind}`} className="rb-touches__group">
            <summary>
              {countKind(g.refs.length, g.kind)}
              {where}
            </summary>
            <ul className="rb-touches__list mono">
              {g.refs.map((r) => (
                <li key={refName(r)}>{refName(r)}</li>
              ))}
            </ul>
          </details>
        );
      })}
    </div>
  );
}
