import type { ReactNode } from 'react';
import type { AsyncState } from '../hooks/useAsync';

/**
 * The fetched part of a detail panel: a loading line, the error as an alert,
 * or, once the fetch has answered, what `children` builds from its value.
 */
export function DetailFetchState<T>({ state, children }: { state: AsyncState<T>; children: (value: T) => ReactNode }) {
  if (state.status === 'loading') return <p className="muted">Loading details…</p>;
  if (state.status === 'error') {
    return (
      <p className="error" role="alert">
        {state.error}
      </p>
    );
  }
  return <>{children(state.value)}</>;
}
