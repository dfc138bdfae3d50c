import { useEffect } from 'react';
import { BootScreen } from './components/BootScreen';
import { CommandPalette } from './components/CommandPalette';
import { DetailDrawer } from './components/DetailDrawer';
import { LogPanel } from './components/LogPanel';
import { TerminalPanel } from './components/TerminalPanel';
import { Overview } from './components/Overview';
import { TopBar } from './components/TopBar';
import { VaultDialog } from './components/VaultDialog';
import { AuditView } from './audit/AuditView';
import { HandoverDialog } from './handover/HandoverDialog';
import { IncidentDialog } from './incident/IncidentDialog';
import { TrainingPanel } from './training/TrainingPanel';
import { RecordingsDialog } from './recordings/RecordingsDialog';
import { PlanDialog } from './runbooks/PlanDialog';
import { RunDock } from './runbooks/RunDock';
import { Editors } from './editors/Editors';
import { useGlobalKeys } from './hooks/useGlobalKeys';
import { useThemeSync } from './hooks/useThemeSync';
import { allLoaded } from './store/selectors';
import { useActions, useApp } from './store/store';

/** The console: top bar, the sites side by side, the detail drawer, the palette, the Vault, handover and audit dialogs, and the runbook plan and run dock. */
export function App() {
  const phase = useApp((s) => s.boot.phase);
  const loaded = useApp(allLoaded);
  const paletteOpen = useApp((s) => s.ui.paletteOpen);
  const { start } = useActions();
  useThemeSync();
  useGlobalKeys();

  useEffect(() => {
    // No stop on cleanup: StrictMode's dev double-mount must not tear down the one connection.
    void start();
  }, [start]);

  useEffect(() => {
    // End-to-end tests and benchmarks wait for this; it never goes back (a resync keeps the data on screen).
    if (loaded) document.documentElement.dataset.appState = 'loaded';
  }, [loaded]);

  return (
    <div className="app">
      <TopBar />
      <main className="app__main">{phase === 'ready' ? <Overview /> : <BootScreen />}</main>
      <DetailDrawer />
      <LogPanel />
      <TerminalPanel />
      <RunDock />
      <TrainingPanel />
      {paletteOpen && <CommandPalette />}
      <VaultDialog />
      <HandoverDialog />
      <IncidentDialog />
      <RecordingsDialog />
      <AuditView />
      <PlanDialog />
      <Editors />
    </div>
  );
}
