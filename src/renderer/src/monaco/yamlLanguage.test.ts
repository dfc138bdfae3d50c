import { afterEach, describe, expect, it } from 'vitest';
import type { MonacoApi } from './loadMonaco';
import { runbookModelUri, RUNBOOK_SCHEMA_URI, withLegacyWorkerApi } from './yamlLanguage';

describe('withLegacyWorkerApi', () => {
  afterEach(() => {
    globalThis.MonacoEnvironment = undefined;
  });

  it("creates monaco-yaml's worker through MonacoEnvironment and starts it as the worker's initialize expects", async () => {
    const sent: unknown[] = [];
    const worker = { postMessage: (m: unknown) => sent.push(m) } as unknown as Worker;
    const labels: string[] = [];
    globalThis.MonacoEnvironment = { getWorker: (_id, label) => (labels.push(label), worker) };
    let given: { worker: Promise<Worker> | Worker } | undefined;
    const monaco = { editor: { createWebWorker: (opts: { worker: Promise<Worker> | Worker }) => ((given = opts), 'client') }, languages: {} } as unknown as MonacoApi;

    const adapted = withLegacyWorkerApi(monaco) as unknown as { editor: { createWebWorker(o: unknown): unknown }; languages: unknown };
    const client = adapted.editor.createWebWorker({ label: 'yaml', moduleId: 'monaco-yaml/yaml.worker', createData: { validate: true } });

    expect(client).toBe('client');
    expect(labels).toEqual(['yaml']);
    // The new API gets the worker itself, once the start-up messages are out: a wake-up, then createData.
    expect(await given?.worker).toBe(worker);
    expect(sent).toEqual(['ignore', { validate: true }]);
    // Everything else is Monaco's own.
    expect(adapted.languages).toBe((monaco as unknown as { languages: unknown }).languages);
  });

  it('refuses to start without MonacoEnvironment (loadMonaco sets it)', () => {
    const monaco = { editor: { createWebWorker: () => 'client' } } as unknown as MonacoApi;
    const adapted = withLegacyWorkerApi(monaco) as unknown as { editor: { createWebWorker(o: unknown): unknown } };
    expect(() => adapted.editor.createWebWorker({ label: 'yaml' })).toThrow(/MonacoEnvironment/);
  });
});

describe('runbook models', () => {
  it("live where the shipped files' schema modeline resolves to the registered schema", () => {
    const modeline = './runbook.schema.json';
    expect(new URL(modeline, runbookModelUri('drain-node')).toString()).toBe(RUNBOOK_SCHEMA_URI);
    expect(runbookModelUri('a b')).toBe('file:///triptych/runbooks/a%20b.yaml');
  });
});
