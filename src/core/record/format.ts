/**
 * The recording file, as the recorder writes it (JSONL, one entry a line):
 *
 *   {"format":"triptych-recording","version":1,"site":"fra","server":"https://…","startedAt":"2026-…Z"}
 *   {"t":0,"type":"INITIAL","resource":"nodes","object":{…}}          the state when recording began
 *   {"t":1234,"type":"MODIFIED","resource":"pods","object":{…}}        then every watch event, t = ms offset
 *   {"t":1300,"log":{"namespace":"…","pod":"…","container":"…","line":"…"}}
 *   {"t":60000,"end":{"state":"done"}}                                 how it ended (error when it failed)
 *
 * Recordings get passed around, so nothing secret goes in: Secrets are never
 * listed, objects lose their managedFields, the last-applied-configuration
 * annotation (a copy of whatever was applied) and the values of env vars, and
 * whatever looks like a token anywhere in a line (a JWT in a container's args,
 * a `Bearer …` in a log line) becomes `[redacted]`, as in the audit trail.
 * The emulator reads the same format (src/emulator/replay/format.ts).
 */
import { redactSecrets } from '../../shared/secrets';
import { RECORDED_RESOURCES as RECORDED } from '../../shared/recording';

export { RECORDING_FORMAT as FORMAT, RECORDING_VERSION as VERSION, type RecordingHeader } from '../../shared/recording';

/** What is recorded: collection paths by resource name (never secrets). */
export const RECORDED_RESOURCES: readonly { resource: string; path: string }[] = RECORDED.map((r) => ({ resource: r.resource, path: `${r.group ? `/apis/${r.group}` : '/api'}/v1/${r.resource}` }));

export type ObjectLine = { t: number; type: 'INITIAL' | 'ADDED' | 'MODIFIED' | 'DELETED'; resource: string; object: unknown };
export type LogLine = { t: number; log: { namespace: string; pod: string; container: string; line: string } };
export type EndLine = { t: number; end: { state: 'done' | 'failed'; error?: string } };

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A copy of a Kubernetes object fit to be passed around: no managedFields, no
 * last-applied-configuration, no env var values (anywhere: pods, and the pod
 * templates of workloads). Env var names and `valueFrom` references stay, they
 * say where a value comes from, not what it is.
 */
export function redact<T>(obj: T): T {
  const walk = (v: unknown, parentKey: string): unknown => {
    if (Array.isArray(v)) {
      if (parentKey === 'env') {
        return v.map((e: unknown) => {
          if (typeof e !== 'object' || e === null) return e;
          const { value: _value, ...rest } = e as Record<string, unknown>;
          return rest;
        });
      }
      return v.map((x) => walk(x, ''));
    }
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'managedFields' && parentKey === 'metadata') continue;
      if (k === 'annotations' && parentKey === 'metadata' && typeof x === 'object' && x !== null) {
        const { [LAST_APPLIED]: _gone, ...keep } = x as Record<string, unknown>;
        out[k] = keep;
        continue;
      }
      out[k] = walk(x, k);
    }
    return out;
  };
  return walk(obj, '') as T;
}

/**
 * An object or log entry as its line in the file: redacted, then any token-shaped text replaced (the
 * replacement holds no quote or backslash, and the patterns match none, so the line stays valid JSON).
 */
export function entryLine(entry: ObjectLine | LogLine): string {
  return redactSecrets(JSON.stringify('object' in entry ? { ...entry, object: redact(entry.object) } : entry));
}
