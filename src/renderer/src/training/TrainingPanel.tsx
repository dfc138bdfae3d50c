import { useActions, useApp } from '../store/store';
import { DebriefView } from './DebriefView';
import { TraineeView } from './TraineeView';
import { TrainerView } from './TrainerView';
import type { TrainingTab } from './state';
import './training.css';

const TABS: { tab: TrainingTab; label: string }[] = [
  { tab: 'trainee', label: 'Scenario' },
  { tab: 'trainer', label: 'Trainer' },
  { tab: 'debrief', label: 'Debrief' },
];

/**
 * The training panel: not modal, so the trainee keeps working in the
 * console (rack map, runbooks, editors) with the goals in view. Tabs: the
 * scenario as the trainee sees it, the trainer's controls, the debrief.
 */
export function TrainingPanel() {
  const open = useApp((s) => s.training.open);
  const available = useApp((s) => s.training.status?.available === true);
  if (!open || !available) return null;
  return <Panel />;
}

function Panel() {
  const tab = useApp((s) => s.training.tab);
  const error = useApp((s) => s.training.error);
  const { setTrainingTab, closeTraining } = useActions();
  return (
    <aside className="training-panel" data-testid="training-panel" data-tab={tab} aria-labelledby="training-panel-title">
      <div className="training-panel__head">
        <h2 id="training-panel-title" className="training-panel__title">
          Training
        </h2>
        <div className="training-panel__tabs" role="tablist" aria-label="Training views">
          {TABS.map((t) => (
            <button key={t.tab} type="button" role="tab" aria-selected={tab === t.tab} data-testid={`training-tab-${t.tab}`} className={tab === t.tab ? 'training-tab training-tab--on' : 'training-tab'} onClick={() => setTrainingTab(t.tab)}>
              {t.label}
            </button>
          ))}
        </div>
        <button type="button" className="icon-button" aria-label="Close the training panel" title="Close (the scenario goes on)" data-testid="training-close" onClick={closeTraining}>
          ✕
        </button>
      </div>
      {error !== undefined && (
        <p className="error training-panel__error" role="alert" data-testid="training-error">
          {error}
        </p>
      )}
      <div className="training-panel__body" role="tabpanel">
        {tab === 'trainee' && <TraineeView />}
        {tab === 'trainer' && <TrainerView />}
        {tab === 'debrief' && <DebriefView />}
      </div>
    </aside>
  );
}
