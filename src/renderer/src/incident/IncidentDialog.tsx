import { useCallback, type FormEvent } from 'react';
import { INCIDENT_NOTE_MAX } from '../../../shared/incident';
import { useModalDialog } from '../hooks/useModalDialog';
import { siteById } from '../store/selectors';
import { useActions, useApp } from '../store/store';
import { IncidentTimeline } from './IncidentTimeline';
import { WarRoomLink } from './WarRoomLink';

/** Entries the dialog lists (the store keeps INCIDENT_KEEP). */
const DIALOG_ENTRIES = 200;

/**
 * The operator's incident dialog: a note field (Enter adds the note, which
 * every war-room screen shows at once) over the timeline, newest first. A
 * refusal (read-only connection, a credential in the text) shows above the
 * field in the host's words and the draft stays.
 */
export function IncidentDialog() {
  const open = useApp((s) => s.incident.open);
  if (!open) return null;
  return <IncidentModal />;
}

function IncidentModal() {
  const entries = useApp((s) => s.incident.entries);
  const draft = useApp((s) => s.incident.draft);
  const saving = useApp((s) => s.incident.saving);
  const error = useApp((s) => s.incident.error);
  const loadError = useApp((s) => s.incident.loadError);
  const sites = useApp((s) => s.sites);
  const { closeIncident, setIncidentDraft, addIncidentNote } = useActions();
  const { ref, onCancel } = useModalDialog(closeIncident);
  const siteName = useCallback((id: string) => siteById(sites, id)?.name ?? id, [sites]);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void addIncidentNote();
  };
  return (
    <dialog ref={ref} className="incident-dialog modal" data-testid="incident-dialog" aria-labelledby="incident-dialog-title" onCancel={onCancel}>
      <div className="modal__head incident-dialog__head">
        <h2 id="incident-dialog-title" className="modal__title">
          Incident timeline
        </h2>
        <WarRoomLink testId="incident-warroom-link" />
        <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={closeIncident}>
          ✕
        </button>
      </div>
      <form className="incident-dialog__form" onSubmit={submit}>
        <input
          type="text"
          className="incident-dialog__input"
          data-testid="incident-note-input"
          aria-label="Add a note to the incident timeline"
          placeholder="Add a note (Enter): what happened, what was decided"
          maxLength={INCIDENT_NOTE_MAX}
          value={draft}
          disabled={saving}
          onChange={(e) => setIncidentDraft(e.target.value)}
          autoFocus
        />
        <button type="submit" data-testid="incident-note-add" disabled={saving}>
          {saving ? 'Adding…' : 'Add note'}
        </button>
      </form>
      {error !== undefined && (
        <p className="incident-dialog__error" role="alert" data-testid="incident-error">
          {error}
        </p>
      )}
      {loadError !== undefined && <p className="incident-dialog__error">{loadError}</p>}
      <div className="incident-dialog__body">
        <IncidentTimeline entries={entries} limit={DIALOG_ENTRIES} siteName={siteName} testId="incident-timeline" />
      </div>
    </dialog>
  );
}
