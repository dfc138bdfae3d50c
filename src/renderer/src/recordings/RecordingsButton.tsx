import { useActions, useApp } from '../store/store';

/** The top bar's way into recordings; counts those running so a recording left on is not forgotten. */
export function RecordingsButton() {
  const running = useApp((s) => s.recordings.list.filter((r) => r.state === 'recording').length);
  const { openRecordings } = useActions();
  return (
    <button type="button" data-testid="recordings-open" onClick={() => void openRecordings()} title="Record a site's events and logs; replay a recording into the training fleet">
      {running > 0 ? `Recordings (${running} recording)` : 'Recordings'}
    </button>
  );
}
