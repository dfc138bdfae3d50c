/**
 * The incident timeline's slice of the store: the entries (the newest
 * INCIDENT_KEEP, oldest first, as the host keeps them) and the operator's
 * Incident dialog with its note field. Plain data, no store imports, so
 * initialState can use it without an import cycle.
 */
import type { IncidentEntry } from '../../../shared/incident';

export interface IncidentState {
  /** Oldest first; never more than INCIDENT_KEEP (a war-room screen runs for days). */
  entries: IncidentEntry[];
  /** Why the timeline could not be read (it is still followed live). */
  loadError: string | undefined;
  /** The Incident dialog (operator consoles). */
  open: boolean;
  /** The note field as typed; kept here so closing the dialog by mistake loses nothing. */
  draft: string;
  /** An `incident.note` is on its way. */
  saving: boolean;
  /** The last refusal of a note, in the host's words (read-only connection, a credential in the text…). */
  error: string | undefined;
}

/** Nothing loaded, dialog closed. */
export function initialIncidentState(): IncidentState {
  return { entries: [], loadError: undefined, open: false, draft: '', saving: false, error: undefined };
}
