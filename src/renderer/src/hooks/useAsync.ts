import { useCallback, useEffect, useState } from 'react';

export type AsyncState<T> = { status: 'loading' } | { status: 'ok'; value: T } | { status: 'error'; error: string };

const LOADING = { status: 'loading' } as const;

/**
 * Runs `fn` when `key` changes and on `reload()`. The state is tagged with
 * its key: a slow answer for the previous node can never show under the
 * current one, while a reload keeps the old answer on screen until the new
 * one arrives.
 */
export function useAsync<T>(fn: () => Promise<T>, key: string): [AsyncState<T>, () => void] {
  const [state, setState] = useState<{ key: string; value: AsyncState<T> }>({ key, value: LOADING });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    fn().then(
      (value) => current && setState({ key, value: { status: 'ok', value } }),
      (e: unknown) => current && setState({ key, value: { status: 'error', error: e instanceof Error ? e.message : String(e) } }),
    );
    return () => {
      current = false;
    };
    // `fn` is a fresh closure on every render; `key` and `round` say when it means something new.
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return [state.key === key ? state.value : LOADING, reload];
}
