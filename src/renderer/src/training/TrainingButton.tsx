import { useActions, useApp } from '../store/store';
import { playing } from './format';

/**
 * The top bar's way into training, shown only where training is possible
 * (the training fleet). While a run plays it counts the goals met, so the
 * trainee sees progress with the panel closed.
 */
export function TrainingButton() {
  const status = useApp((s) => s.training.status);
  const open = useApp((s) => s.training.open);
  const { openTraining, closeTraining } = useActions();
  if (status?.available !== true) return null;
  const run = playing(status) ? status.run : undefined;
  const met = run ? run.goals.filter((g) => g.met).length : 0;
  return (
    <button
      type="button"
      data-testid="training-open"
      aria-pressed={open}
      className={run ? 'training-button training-button--playing' : 'training-button'}
      onClick={() => (open ? closeTraining() : void openTraining())}
      title={run ? `Scenario playing: ${met} of ${run.goals.length} goals met` : 'Training: start a scenario, inject a fault, read a debrief'}
    >
      {run ? `Training ${met}/${run.goals.length}` : 'Training'}
    </button>
  );
}
