import { isTrainingFleet } from '../store/selectors';
import { useActions, useApp } from '../store/store';
import { ThemeToggle } from './ThemeToggle';
import { VaultBadge } from './VaultBadge';
import { AuditButton } from '../audit/AuditButton';
import { HandoverButton } from '../handover/HandoverButton';
import { RunsButton } from '../runbooks/RunsButton';
import { RunbookEditorButton } from '../editors/Editors';
import { IncidentButton } from '../incident/IncidentButton';
import { RecordingsButton } from '../recordings/RecordingsButton';
import { WarRoomLink } from '../incident/WarRoomLink';
import { TrainingButton } from '../training/TrainingButton';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Product name, the training-fleet notice, the palette button, the runbook runs, the shift handover and audit trail, the Vault sign-in and the theme toggle. */
export function TopBar() {
  const training = useApp((s) => isTrainingFleet(s.sites));
  const { setPaletteOpen } = useActions();
  return (
    <header className="top-bar">
      <span className="top-bar__title">Triptych</span>
      {training && (
        <span className="tag tag--training" data-testid="training-badge" title="These are the built-in emulated sites, not real clusters">
          training fleet
        </span>
      )}
      <span className="top-bar__spacer" />
      <button type="button" className="search-button" onClick={() => setPaletteOpen(true)} aria-keyshortcuts="Control+K Meta+K">
        Search nodes, pods, workloads, racks <kbd>{MAC ? '⌘' : 'Ctrl'} K</kbd>
      </button>
      <TrainingButton />
      <RunsButton />
      <RunbookEditorButton />
      <IncidentButton />
      <RecordingsButton />
      <WarRoomLink />
      <HandoverButton />
      <AuditButton />
      <VaultBadge />
      <ThemeToggle />
    </header>
  );
}
