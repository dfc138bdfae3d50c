import { useActions } from '../store/store';

/** The top bar's way into the shift handover: write one, or read the latest. */
export function HandoverButton() {
  const { openHandover } = useActions();
  return (
    <button type="button" data-testid="handover-open" onClick={() => void openHandover()} title="Write the shift handover, or open the latest one">
      Shift handover
    </button>
  );
}
