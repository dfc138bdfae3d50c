/**
 * The pods/log answer for a container whose lines a replay recorded: the lines
 * played so far, with the options log clients rely on honoured as the kubelet
 * honours them — `timestamps` (when the replay played the line), `sinceTime` /
 * `sinceSeconds` (whole seconds), `tailLines`, `limitBytes`. The console's log
 * view asks for timestamps and resumes an ended follow from the last second it
 * saw: without both it would read every replayed line again at each reconnect.
 * A follow ends after the lines played so far (the client asks again).
 */
import type { PodLogQuery } from '../api/logs';
import { kubeletTimestamp } from '../sim/logs';

/** A recorded log line as the replay played it: epoch ms and text. */
export interface ReplayedLine {
  at: number;
  line: string;
}

export function replayedLogBody(lines: readonly ReplayedLine[], q: PodLogQuery, now: number): Buffer {
  let since = -Infinity;
  if (q.sinceSeconds !== undefined) since = now - q.sinceSeconds * 1000;
  if (q.sinceTime !== undefined && q.sinceTime !== 0) since = Math.max(since, Math.floor(q.sinceTime / 1000) * 1000);
  // As the kubelet: the tail is picked first, then older lines are dropped.
  const first = q.tailLines !== undefined ? Math.max(0, lines.length - q.tailLines) : 0;
  let body = '';
  for (let i = first; i < lines.length; i++) {
    const l = lines[i] as ReplayedLine;
    if (l.at < since) continue;
    body += q.timestamps ? `${kubeletTimestamp({ time: l.at, nanos: 0 })} ${l.line}\n` : `${l.line}\n`;
  }
  const bytes = Buffer.from(body);
  return q.limitBytes !== undefined && bytes.length > q.limitBytes ? bytes.subarray(0, q.limitBytes) : bytes;
}
