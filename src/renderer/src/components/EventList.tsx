import type { EventView } from '../../../shared/model';
import { formatSince } from '../format';
import { useApp } from '../store/store';

/** Events, newest first, warnings marked; messages are untrusted text and stay text. */
export function EventList({ events }: { events: readonly EventView[] }) {
  const now = useApp((s) => s.now);
  if (events.length === 0) return <p className="muted">No events</p>;
  return (
    <table className="table events">
      <thead>
        <tr>
          <th>Type</th>
          <th>Reason</th>
          <th>Message</th>
          <th className="num">Count</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={`${e.namespace}/${e.name}`} className={e.type === 'Warning' ? 'row--warn' : undefined}>
            <td>{e.type}</td>
            <td>{e.reason}</td>
            <td className="events__message">{e.message}</td>
            <td className="num">{e.count}</td>
            <td title={e.lastSeen}>{formatSince(e.lastSeen, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
