import type { IncidentEntry } from '../../../shared/incident';
import { clockTime, displayText, kindLabel } from './timeline';
import './incident.css';

/**
 * Timeline entries, newest first: time, kind, site, text and who wrote a
 * note. Text is React text (never markup), control characters made visible.
 * Shows at most `limit` (the caller's list is already bounded), each text cut
 * at `maxChars` (a wall screen cuts shorter: one long note must not push the
 * rest of the timeline off it).
 */
export function IncidentTimeline({ entries, limit, siteName, className, testId, maxChars = 1000 }: { entries: readonly IncidentEntry[]; limit: number; siteName: (id: string) => string; className?: string; testId?: string; maxChars?: number }) {
  const shown: IncidentEntry[] = [];
  for (let i = entries.length - 1; i >= 0 && shown.length < limit; i--) shown.push(entries[i] as IncidentEntry);
  return (
    <ol className={`timeline ${className ?? ''}`} data-testid={testId} aria-label="Incident timeline">
      {shown.map((e) => (
        <li key={e.id} className={`timeline__entry timeline__entry--${e.level}`} data-kind={e.kind} data-level={e.level}>
          <time className="timeline__time" dateTime={new Date(e.at).toISOString()}>
            {clockTime(e.at)}
          </time>
          <span className="timeline__kind">{kindLabel(e.kind)}</span>
          {e.site !== undefined && <span className="timeline__site">{displayText(siteName(e.site), 24)}</span>}
          <span className="timeline__text">{displayText(e.text, maxChars)}</span>
          {e.who !== undefined && <span className="timeline__who">— {displayText(e.who, 64)}</span>}
        </li>
      ))}
      {shown.length === 0 && <li className="timeline__empty">Nothing on the timeline yet.</li>}
    </ol>
  );
}
