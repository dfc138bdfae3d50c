import { useActions, useApp } from '../store/store';

/** Shown until the site list is known, or instead of the overview when the host cannot be reached. */
export function BootScreen() {
  const boot = useApp((s) => s.boot);
  const { start } = useActions();
  if (boot.phase === 'failed') {
    return (
      <div className="boot boot--failed" role="alert">
        <h2>Triptych cannot start</h2>
        <p>{boot.error}</p>
        <button type="button" onClick={() => void start()}>
          Try again
        </button>
      </div>
    );
  }
  return <div className="boot muted">Connecting to the sites…</div>;
}
