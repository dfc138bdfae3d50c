/**
 * The incident timeline: what happened during an incident, in order, as the
 * war-room screen shows it. Operators add notes; the console adds what it
 * saw itself (a site lost, an alert firing or resolved, a runbook started or
 * ended), so the room does not have to narrate the obvious.
 */

/** Longest note an operator can add, characters. */
export const INCIDENT_NOTE_MAX = 1000;
/** Entries kept (and shown); older ones stay in the file on disk. */
export const INCIDENT_KEEP = 500;

export type IncidentKind =
  /** An operator's note. */
  | 'note'
  /** A site's connection changed (lost, back). */
  | 'site'
  /** An alert started firing or resolved. */
  | 'alert'
  /** A runbook run started or ended. */
  | 'runbook'
  /** A training fault or scenario step (training fleet only). */
  | 'training';

export interface IncidentEntry {
  /** Unique, increasing within one console. */
  id: string;
  /** Epoch ms. */
  at: number;
  kind: IncidentKind;
  /** Plain text (never markup), at most INCIDENT_NOTE_MAX characters for notes. */
  text: string;
  site?: string;
  /** Who wrote a note (the Vault identity or the OS account). */
  who?: string;
  /** How loud the room should see it. */
  level: 'info' | 'warning' | 'critical' | 'ok';
}
