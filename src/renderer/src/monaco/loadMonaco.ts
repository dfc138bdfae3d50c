/**
 * Loads Monaco on first use (it is most of the bundle; the overview must not
 * wait for it). Under the console's CSP (`script-src 'self'`, no eval) the
 * editor's worker must be a real file: Vite builds the module worker below
 * and `getWorker` hands it over, so Monaco never falls back to a blob or
 * data URL.
 */
import type * as MonacoNs from 'monaco-editor/editor/editor.api';

export type MonacoApi = typeof MonacoNs;

let loading: Promise<MonacoApi> | undefined;

/** The Monaco API, loaded once; a failed load may be retried by calling again. */
export function loadMonaco(): Promise<MonacoApi> {
  loading ??= (async () => {
    self.MonacoEnvironment = {
      getWorker: () => new Worker(new URL('monaco-editor/editor/editor.worker.js', import.meta.url), { type: 'module', name: 'monaco-editor' }),
    };
    const [monaco] = await Promise.all([import('monaco-editor/editor/editor.api'), import('./contributions')]);
    return monaco;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
