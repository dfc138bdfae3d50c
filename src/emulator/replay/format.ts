/**
 * Reading a recording (a JSONL file Triptych's recorder writes, see
 * src/core/record/format.ts for the writing side): a header line, the site's
 * state when recording began, then watch events and log lines with their
 * time offsets. What the file is (its name, version and resources) is
 * shared/recording's; the parsing is the emulator's own, as it stands alone.
 *
 * Every problem is reported with the file's name and line number and what
 * is wrong, so that a hand-edited or cut-off recording can be fixed.
 */

import { RECORDED_RESOURCES, RECORDING_FORMAT as FORMAT, RECORDING_VERSION as VERSION, type RecordingHeader } from '../../shared/recording';

export { FORMAT, VERSION, type RecordingHeader };
/** The resources a recording holds, with their API group, in the order they load (namespaces first). */
export const RECORDED = RECORDED_RESOURCES;

export interface RecordedObject {
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface ObjectEntry {
  /** Line in the file (1-based), for errors found while playing. */
  line: number;
  /** Offset from the start of the recording, ms. */
  t: number;
  type: 'INITIAL' | 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  object: RecordedObject;
}

export interface LogEntry {
  t: number;
  namespace: string;
  pod: string;
  container: string;
  line: string;
}

export interface Recording {
  name: string;
  header: RecordingHeader;
  /** The state when recording began. */
  initial: ObjectEntry[];
  /** Watch events, in time order. */
  events: ObjectEntry[];
  logs: LogEntry[];
  /** How the recording ended, when it says (a recording cut off by a crash has no end line). */
  end?: { t: number; state: string; error?: string };
  /** Offset of the last line, ms. */
  durationMs: number;
}

export class RecordingFormatError extends Error {}

const TYPES = new Set(['INITIAL', 'ADDED', 'MODIFIED', 'DELETED']);

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Parses a whole recording; throws RecordingFormatError naming the file, the line and the fault. */
export function parseRecording(text: string, name: string): Recording {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const fail = (n: number, what: string): never => {
    throw new RecordingFormatError(`${name}:${n}: ${what}`);
  };
  if (lines.length === 0 || !lines[0]?.trim()) fail(1, `the file is empty; a recording starts with a header line like {"format":"${FORMAT}","version":${VERSION},"site":"fra",...}`);
  const parse = (n: number): unknown => {
    try {
      return JSON.parse(lines[n - 1] as string);
    } catch (e) {
      const cut = n === lines.length && !text.endsWith('\n') ? ' (the last line is cut off: was the recording interrupted? delete that line to replay the rest)' : '';
      return fail(n, `not valid JSON: ${(e as Error).message}${cut}`);
    }
  };
  const h = parse(1);
  if (!isObj(h) || h.format !== FORMAT) fail(1, `not a recording: the first line must be a header with "format":"${FORMAT}" (found ${describe(isObj(h) ? h.format : h)})`);
  const header = h as unknown as RecordingHeader;
  if (header.version !== VERSION) fail(1, `format version ${describe(header.version)} is not supported; this fleet reads version ${VERSION}`);
  for (const k of ['site', 'server', 'startedAt'] as const) if (typeof header[k] !== 'string' || !header[k]) fail(1, `the header has no "${k}" (a non-empty string)`);

  const rec: Recording = { name, header, initial: [], events: [], logs: [], durationMs: 0 };
  let lastT = 0;
  for (let n = 2; n <= lines.length; n++) {
    if (!lines[n - 1]?.trim()) fail(n, 'empty line; every line after the header is one JSON entry');
    const e = parse(n);
    if (!isObj(e)) fail(n, `an entry must be a JSON object, found ${describe(e)}`);
    const v = e as Record<string, unknown>;
    if (typeof v.t !== 'number' || !Number.isFinite(v.t) || v.t < 0) fail(n, `"t" (the offset in ms) must be a number ≥ 0, found ${describe(v.t)}`);
    const t = v.t as number;
    if (t < lastT) fail(n, `t=${t} is earlier than the line before (t=${lastT}); entries must be in time order`);
    lastT = t;
    if (rec.end) fail(n, `an entry after the end line (line ${n - 1} or before); nothing may follow {"end":...}`);
    if ('log' in v) {
      const l = v.log;
      if (!isObj(l)) fail(n, '"log" must be an object {namespace, pod, container, line}');
      const log = l as Record<string, unknown>;
      for (const k of ['namespace', 'pod', 'container', 'line'] as const) if (typeof log[k] !== 'string') fail(n, `"log.${k}" must be a string, found ${describe(log[k])}`);
      rec.logs.push({ t, namespace: log.namespace as string, pod: log.pod as string, container: log.container as string, line: log.line as string });
      continue;
    }
    if ('end' in v) {
      const end = v.end;
      if (!isObj(end) || typeof end.state !== 'string') fail(n, '"end" must be an object with a "state" string');
      rec.end = { t, state: (end as { state: string }).state, ...(typeof (end as { error?: unknown }).error === 'string' ? { error: (end as { error: string }).error } : {}) };
      continue;
    }
    if (typeof v.type !== 'string' || !TYPES.has(v.type)) fail(n, `"type" must be one of ${[...TYPES].join(', ')} (or the line a "log" or "end" entry), found ${describe(v.type)}`);
    const kind = RECORDED.find((r) => r.resource === v.resource);
    if (!kind) fail(n, `"resource" ${describe(v.resource)} is not one a recording holds (${RECORDED.map((r) => r.resource).join(', ')})`);
    const o = v.object;
    if (!isObj(o) || !isObj(o.metadata) || typeof o.metadata.name !== 'string' || !o.metadata.name) fail(n, '"object" must be a Kubernetes object with metadata.name');
    const meta = (o as RecordedObject).metadata;
    if (kind?.namespaced && (typeof meta.namespace !== 'string' || !meta.namespace)) fail(n, `${v.resource as string} "${meta.name}" has no metadata.namespace`);
    if (!kind?.namespaced && meta.namespace !== undefined) fail(n, `${v.resource as string} are not namespaced, but "${meta.name}" has metadata.namespace`);
    const entry: ObjectEntry = { line: n, t, type: v.type as ObjectEntry['type'], resource: v.resource as string, object: o as RecordedObject };
    if (entry.type === 'INITIAL') {
      if (rec.events.length > 0) fail(n, `an INITIAL entry after watch events (line ${rec.events[0]?.line ?? 0}); the initial state comes first`);
      rec.initial.push(entry);
    } else rec.events.push(entry);
  }
  rec.durationMs = lastT;
  return rec;
}
