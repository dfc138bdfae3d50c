import { useActions, useApp } from '../store/store';

/** The top bar's way into the incident timeline: read it, add a note, open a war-room screen. */
export function IncidentButton() {
  const { openIncident } = useActions();
  const count = useApp((s) => s.incident.entries.length);
  return (
    <button type="button" data-testid="incident-open" onClick={openIncident} title={`The incident timeline (${count} entries): notes and what the console saw`}>
      Incident
    </button>
  );
}
