/**
 * Monaco for editing YAML: monaco-yaml's language service (syntax errors,
 * and for runbooks the JSON Schema's validation, completion and hovers) plus
 * the editor features typing needs. Loaded only when an editor opens; the
 * read-only viewer makes do with ./loadMonaco.
 */
import type { MonacoYaml } from 'monaco-yaml';
import { loadMonaco, YAML_WORKER_LABEL, type MonacoApi } from './loadMonaco';

/**
 * Where runbook models live. The shipped files start with the modeline
 * `# yaml-language-server: $schema=./runbook.schema.json`, which the language
 * service resolves against the model's URI: registering the schema at the
 * very URI it resolves to means it is never fetched (schema requests are off).
 */
export const RUNBOOK_MODEL_DIR = 'file:///triptych/runbooks/';
export const RUNBOOK_SCHEMA_URI = `${RUNBOOK_MODEL_DIR}runbook.schema.json`;

/** The URI of a runbook draft's model (one per name: the language service keys its state by URI). */
export function runbookModelUri(name: string): string {
  return `${RUNBOOK_MODEL_DIR}${encodeURIComponent(name)}.yaml`;
}

/** Options for monaco-worker-manager's `createWebWorker` call (the pre-0.55 Monaco API it was written for). */
interface LegacyWorkerOptions {
  label?: string;
  createData?: unknown;
  keepIdleModels?: boolean;
}

/**
 * Monaco as monaco-yaml expects it. Since Monaco 0.55 `editor.createWebWorker`
 * takes a ready Worker instead of a label and `createData`; monaco-yaml 5
 * (through monaco-worker-manager) still passes the old options and would get
 * no worker at all (remcohaszing/monaco-yaml#272). This shim does what
 * Monaco's own language features do now: create the worker through
 * MonacoEnvironment, send the two start-up messages the worker's `initialize`
 * expects (a wake-up, then `createData`), and hand the worker to the new API.
 */
export function withLegacyWorkerApi(monaco: MonacoApi): MonacoApi {
  const createWebWorker = (opts: LegacyWorkerOptions) => {
    const env = globalThis.MonacoEnvironment;
    if (env?.getWorker === undefined) throw new Error('MonacoEnvironment.getWorker is not set (loadMonaco sets it)');
    const worker = Promise.resolve(env.getWorker('workerMain.js', opts.label ?? YAML_WORKER_LABEL)).then((w) => {
      w.postMessage('ignore');
      w.postMessage(opts.createData);
      return w;
    });
    return monaco.editor.createWebWorker({ worker, ...(opts.keepIdleModels === undefined ? {} : { keepIdleModels: opts.keepIdleModels }) });
  };
  return { ...monaco, editor: { ...monaco.editor, createWebWorker } } as MonacoApi;
}

let loading: Promise<MonacoApi> | undefined;
let yaml: MonacoYaml | undefined;

/** Monaco with the YAML language service configured, loaded once; a failed load may be retried. */
export function loadYamlEditing(): Promise<MonacoApi> {
  loading ??= (async () => {
    // The schema is generated from the host's parser (core/runbooks/format/write-schema.ts); it comes with the editor, not the overview.
    const [monaco, { configureMonacoYaml }, { default: runbookSchema }] = await Promise.all([
      loadMonaco(),
      import('monaco-yaml'),
      import('../../../../resources/runbooks/runbook.schema.json'),
      import('./editContributions'),
    ]);
    // `$schema` names draft 2020-12; the language service reads the keywords it knows and would only warn about the dialect.
    const { $schema: _dialect, ...schema } = runbookSchema as Record<string, unknown>;
    yaml ??= configureMonacoYaml(withLegacyWorkerApi(monaco) as unknown as Parameters<typeof configureMonacoYaml>[0], {
      enableSchemaRequest: false,
      completion: true,
      hover: true,
      validate: true,
      // Formatting would reflow the admin's comments and flow mappings; nobody asked for it.
      format: { enable: false },
      schemas: [{ uri: RUNBOOK_SCHEMA_URI, fileMatch: [`${RUNBOOK_MODEL_DIR}*.yaml`], schema }],
    });
    return monaco;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
