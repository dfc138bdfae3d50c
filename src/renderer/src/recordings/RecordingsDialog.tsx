import { useState } from 'react';
import { useModalDialog } from '../hooks/useModalDialog';
import { displayText } from '../incident/timeline';
import { useActions, useApp } from '../store/store';
import { formatBytes, formatDuration, minutesProblem, replayText, speedProblem } from './format';
import './recordings.css';

/**
 * Recordings: record a site's watch events and failing pods' logs for N
 * minutes, stop it, list what was recorded, and (on the training fleet only)
 * replay a recording into a training site at a chosen speed.
 */
export function RecordingsDialog() {
  const open = useApp((s) => s.recordings.open);
  if (!open) return null;
  return <RecordingsModal />;
}

function RecordingsModal() {
  const { list, replay, busy, error } = useApp((s) => s.recordings);
  const sites = useApp((s) => s.sites);
  const now = useApp((s) => s.now);
  const training = useApp((s) => s.training.status?.available === true);
  const { closeRecordings, startRecording, stopRecording, replayRecording } = useActions();
  const { ref, onCancel } = useModalDialog(closeRecordings);
  const [site, setSite] = useState(sites[0]?.id ?? '');
  const [minutes, setMinutes] = useState('10');
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [target, setTarget] = useState(sites[0]?.id ?? '');
  const [speed, setSpeed] = useState('10');
  const minutesError = minutesProblem(minutes);
  const speedError = speedProblem(speed);
  const siteName = (id: string): string => displayText(sites.find((s) => s.id === id)?.name ?? id, 60);

  return (
    <dialog ref={ref} className="recordings-dialog modal" data-testid="recordings-dialog" aria-labelledby="recordings-title" onCancel={onCancel}>
      <div className="modal__head">
        <h2 id="recordings-title" className="modal__title">
          Recordings
        </h2>
        <span className="top-bar__spacer" />
        <button type="button" className="icon-button" aria-label="Close" title="Close (Esc)" onClick={closeRecordings}>
          ✕
        </button>
      </div>
      <div className="recordings-dialog__body">
        {error !== undefined && (
          <p className="recordings-dialog__error" role="alert" data-testid="recordings-error">
            {displayText(error, 500)}
          </p>
        )}
        <form
          className="recordings-dialog__row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!minutesError && site) void startRecording(site, Number(minutes));
          }}
        >
          <label>
            Site{' '}
            <select data-testid="recording-site" value={site} onChange={(e) => setSite(e.target.value)}>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {siteName(s.id)}
                </option>
              ))}
            </select>
          </label>
          <label>
            for{' '}
            <input data-testid="recording-minutes" type="number" min={1} max={1440} value={minutes} aria-invalid={minutesError !== undefined} onChange={(e) => setMinutes(e.target.value)} /> minutes
          </label>
          <button type="submit" data-testid="recording-start" disabled={busy || minutesError !== undefined || !site}>
            Record
          </button>
          {minutesError && <span className="recordings-dialog__hint">{minutesError}</span>}
        </form>
        {replay && (
          <p className="recordings-dialog__replay" data-testid="replay-status" data-state={replay.state}>
            {displayText(replayText(replay), 500)}
          </p>
        )}
        {list.length === 0 ? (
          <p className="recordings-dialog__empty">No recordings yet.</p>
        ) : (
          <table className="recordings-dialog__table" data-testid="recordings-list">
            <thead>
              <tr>
                <th>Recording</th>
                <th>Site</th>
                <th>State</th>
                <th>Duration</th>
                <th>Events</th>
                <th>Log lines</th>
                <th>Size</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id} data-testid="recording-row" data-id={r.id} data-state={r.state} aria-selected={chosen === r.id}>
                  <td>{displayText(r.id, 100)}</td>
                  <td>{siteName(r.site)}</td>
                  <td title={r.error ? displayText(r.error, 500) : undefined}>{r.state === 'failed' && r.error ? `failed: ${displayText(r.error, 120)}` : r.state}</td>
                  <td>{formatDuration(r, now)}</td>
                  <td>{r.events}</td>
                  <td>{r.logLines}</td>
                  <td>{formatBytes(r.bytes)}</td>
                  <td>
                    {r.state === 'recording' ? (
                      <button type="button" data-testid="recording-stop" disabled={busy} onClick={() => void stopRecording(r.id)}>
                        Stop
                      </button>
                    ) : (
                      training && (
                        <button type="button" data-testid="recording-choose" aria-pressed={chosen === r.id} onClick={() => setChosen(r.id)}>
                          Replay…
                        </button>
                      )
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {training && chosen !== undefined && (
          <form
            className="recordings-dialog__row"
            data-testid="replay-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (!speedError && target) void replayRecording(chosen, target, Number(speed));
            }}
          >
            <span>Replay {displayText(chosen, 100)} into</span>
            <select data-testid="replay-site" aria-label="Training site" value={target} onChange={(e) => setTarget(e.target.value)}>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {siteName(s.id)}
                </option>
              ))}
            </select>
            <label>
              at{' '}
              <input data-testid="replay-speed" type="number" min={0.1} max={1000} step="any" value={speed} aria-invalid={speedError !== undefined} onChange={(e) => setSpeed(e.target.value)} />× speed
            </label>
            <button type="submit" data-testid="replay-start" disabled={busy || speedError !== undefined || replay?.state === 'playing'}>
              Replay
            </button>
            {speedError && <span className="recordings-dialog__hint">{speedError}</span>}
            <span className="recordings-dialog__hint">The site&apos;s simulation pauses while the recording plays, and resumes when it ends.</span>
          </form>
        )}
      </div>
    </dialog>
  );
}
