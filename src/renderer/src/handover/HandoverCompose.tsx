import type { FormEvent } from 'react';
import type { HandoverNote } from '../../../shared/handover';
import { useActions, useApp } from '../store/store';
import { utcTime } from './format';
import { openNotes, splitNotes } from './notes';

/**
 * The notes form: the previous handover's open notes (tick those this shift
 * closes), the notes for the next shift, "Write the handover", and "Open
 * the latest handover" for the admin taking over.
 */
export function HandoverCompose() {
  const draft = useApp((s) => s.handover.draft);
  const saving = useApp((s) => s.handover.saving);
  const { setHandoverDraft, createHandover, openLatestHandover } = useActions();
  const count = splitNotes(draft).length;

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    void createHandover();
  };

  return (
    <form className="handover-compose" onSubmit={onSubmit}>
      <PreviousNotes />
      <label className="handover-compose__field">
        <span>Notes for the next shift</span>
        <textarea
          data-testid="handover-notes"
          rows={7}
          value={draft}
          onChange={(e) => setHandoverDraft(e.target.value)}
          placeholder={'Fans of rack A-03 loud, ticket OPS-1234 open.\n\nfra-a-r01-u04: PSU swapped, watch it overnight.'}
          aria-describedby="handover-notes-hint"
        />
      </label>
      <p id="handover-notes-hint" className="handover-compose__hint muted">
        One note per paragraph: leave an empty line between two notes (a note may span several lines). {count === 0 ? 'No new notes.' : `${count} new note${count === 1 ? '' : 's'}.`}
      </p>
      <div className="handover-compose__actions">
        <button type="submit" className="primary" data-testid="handover-create" disabled={saving}>
          {saving ? 'Writing the handover…' : 'Write the handover'}
        </button>
        <button type="button" data-testid="handover-latest" onClick={() => void openLatestHandover()} disabled={saving}>
          Open the latest handover
        </button>
      </div>
      <p className="handover-compose__hint muted">
        The report covers every site: NotReady and cordoned nodes, maintenance in progress, crashlooping workloads, warning events and the runbooks run since the last handover. It is stored in the clusters (a ConfigMap in
        triptych-system at every reachable site), so the next admin opens it from any console.
      </p>
    </form>
  );
}

/** The open notes of the previous handover, each with its "close" tick. */
function PreviousNotes() {
  const latest = useApp((s) => s.handover.latest);
  const loading = useApp((s) => s.handover.loadingLatest);
  const closing = useApp((s) => s.handover.closing);
  const { setHandoverNoteClosed } = useActions();
  const notes = openNotes(latest);

  let body;
  if (latest === undefined) body = <p className="muted">{loading ? 'Reading the last handover from the sites…' : 'The last handover could not be read.'}</p>;
  else if (latest === null) body = <p className="muted">No handover is stored at the sites yet: this will be the first.</p>;
  else if (notes.length === 0) body = <p className="muted">The last handover ({utcTime(latest.createdAt)} by {latest.by}) left no open notes.</p>;
  else
    body = (
      <ul className="handover-open-notes" data-testid="handover-open-notes">
        {notes.map((n) => (
          <OpenNote key={n.id} note={n} closed={closing.includes(n.id)} onChange={(closed) => setHandoverNoteClosed(n.id, closed)} />
        ))}
      </ul>
    );
  return (
    <fieldset className="handover-compose__previous">
      <legend>Open notes from the last handover</legend>
      {body}
    </fieldset>
  );
}

function OpenNote({ note, closed, onChange }: { note: HandoverNote; closed: boolean; onChange(closed: boolean): void }) {
  return (
    <li className="handover-open-note" data-testid="handover-open-note" data-id={note.id}>
      <label>
        <input type="checkbox" checked={closed} onChange={(e) => onChange(e.target.checked)} /> close
      </label>
      <span className="handover-note__text">{note.text}</span>
      <span className="handover-note__meta muted">
        {note.by}, {utcTime(note.since)}
      </span>
    </li>
  );
}
