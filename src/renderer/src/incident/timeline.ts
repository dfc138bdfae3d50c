/**
 * Pure helpers for the incident timeline on screen: merging what the host
 * answered with what arrived as events meanwhile, and the words and times
 * shown beside each entry.
 */
import { INCIDENT_KEEP, INCIDENT_NOTE_MAX, type IncidentEntry } from '../../../shared/incident';
import { sanitizeText } from '../../../shared/text';

const KINDS = new Set(['note', 'site', 'alert', 'runbook', 'training']);
const LEVELS = new Set(['info', 'warning', 'critical', 'ok']);

/** An entry worth showing: the host is trusted, but a malformed one must not break a wall screen. */
export function isIncidentEntry(v: unknown): v is IncidentEntry {
  if (v === null || typeof v !== 'object') return false;
  const x = v as Partial<IncidentEntry>;
  return typeof x.id === 'string' && typeof x.at === 'number' && typeof x.text === 'string' && typeof x.kind === 'string' && KINDS.has(x.kind) && typeof x.level === 'string' && LEVELS.has(x.level);
}

/**
 * `list` with `incoming` added: by id (an entry seen twice is kept once),
 * oldest first, the newest `max` kept. Returns `list` itself when nothing
 * new came, so subscribers see no change.
 */
export function mergeEntries(list: readonly IncidentEntry[], incoming: readonly IncidentEntry[], max = INCIDENT_KEEP): IncidentEntry[] {
  const seen = new Set(list.map((e) => e.id));
  const fresh = incoming.filter((e) => isIncidentEntry(e) && !seen.has(e.id) && (seen.add(e.id), true));
  if (fresh.length === 0) return list as IncidentEntry[];
  const all = [...list, ...fresh];
  // Events usually arrive in order; a sort is only needed when the answer and the events interleave.
  if (!isSorted(all)) all.sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id));
  return all.length > max ? all.slice(all.length - max) : all;
}

function isSorted(l: readonly IncidentEntry[]): boolean {
  for (let i = 1; i < l.length; i++) if ((l[i] as IncidentEntry).at < (l[i - 1] as IncidentEntry).at) return false;
  return true;
}

/** What is wrong with a note before it is sent, or undefined when it can go. */
export function noteProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return 'Write the note first (what happened, what was decided).';
  if (t.length > INCIDENT_NOTE_MAX) return `A note is at most ${INCIDENT_NOTE_MAX} characters (this one has ${t.length}); split it in two.`;
  return undefined;
}

/** `14:03:07`, local time: the room reads times against the wall clock. */
export function clockTime(at: number): string {
  const d = new Date(at);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const KIND_LABEL: Record<IncidentEntry['kind'], string> = { note: 'Note', site: 'Site', alert: 'Alert', runbook: 'Runbook', training: 'Training' };

/** The short word before an entry's text. */
export function kindLabel(kind: IncidentEntry['kind']): string {
  return KIND_LABEL[kind] ?? kind;
}

/** Untrusted text for one line on screen (alert text and event messages come from the clusters): control characters visible as U+FFFD, at most `max` characters. */
export function displayText(s: string, max = 300): string {
  return sanitizeText(s, { max });
}
