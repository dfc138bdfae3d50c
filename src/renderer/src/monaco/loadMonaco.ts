/**
 * Loads Monaco on first use (it is most of the bundle; the overview must not
 * wait for it). Under the console's CSP (`script-src 'self'`, no eval) every
 * editor worker must be a real file of the app's own origin: Vite builds the
 * module workers below (`new Worker(new URL(…, import.meta.url))` is what it
 * recognises) and `getWorker` hands them over, so Monaco never falls back to
 * a blob or data URL — in the browser host and under triptych:// alike.
 */
import type * as MonacoNs from 'monaco-editor/editor/editor.api';

export type MonacoApi = typeof MonacoNs;

/** The worker label monaco-yaml asks for (see ./yamlLanguage). */
export const YAML_WORKER_LABEL = 'yaml';

/**
 * The worker for a label: the YAML language service for monaco-yaml, the
 * editor's own worker (diffs, word completion, links) for everything else.
 */
export function createWorker(label: string): Worker {
  if (label === YAML_WORKER_LABEL) return new Worker(new URL('./yaml.worker.ts', import.meta.url), { type: 'module', name: 'monaco-yaml' });
  return new Worker(new URL('monaco-editor/editor/editor.worker.js', import.meta.url), { type: 'module', name: 'monaco-editor' });
}

let loading: Promise<MonacoApi> | undefined;

/** The Monaco API, loaded once; a failed load may be retried by calling again. */
export function loadMonaco(): Promise<MonacoApi> {
  loading ??= (async () => {
    self.MonacoEnvironment = { getWorker: (_workerId, label) => createWorker(label) };
    const [monaco] = await Promise.all([import('monaco-editor/editor/editor.api'), import('./contributions')]);
    return monaco;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
