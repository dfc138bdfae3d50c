import { connectionView } from '../store/selectors';
import { useApp } from '../store/store';

/**
 * A site's connection state word and, under it, what it means right now
 * (data age while stale, the error when unreachable). The only part of a
 * column that follows the one-second clock.
 */
export function ConnectionBadge({ site }: { site: string }) {
  const status = useApp((s) => s.status[site]);
  const receivedAt = useApp((s) => s.statusAt[site]);
  const now = useApp((s) => s.now);
  const view = connectionView(status, now, receivedAt);
  return (
    <div className={`conn conn--${view.state}`}>
      <span className="conn__dot" aria-hidden="true" />
      <span className="conn__state" data-testid={`site-state-${site}`} data-state={view.state}>
        {view.state}
      </span>
      {view.detail && (
        <span className="conn__detail" data-testid={`site-state-detail-${site}`}>
          {view.detail}
        </span>
      )}
    </div>
  );
}
