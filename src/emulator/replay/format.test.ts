import { describe, expect, it } from 'vitest';
import { parseRecording, RecordingFormatError } from './format';

const header = JSON.stringify({ format: 'triptych-recording', version: 1, site: 'fra', server: 'https://127.0.0.1:6443', startedAt: '2026-11-28T10:00:00.000Z' });
const node = (name: string): object => ({ kind: 'Node', apiVersion: 'v1', metadata: { name } });
const pod = (name: string, namespace?: string): object => ({ kind: 'Pod', apiVersion: 'v1', metadata: { name, ...(namespace ? { namespace } : {}) } });
const file = (...lines: unknown[]): string => [header, ...lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)))].join('\n') + '\n';

function error(text: string): string {
  try {
    parseRecording(text, 'rec.jsonl');
  } catch (e) {
    expect(e).toBeInstanceOf(RecordingFormatError);
    return (e as Error).message;
  }
  throw new Error('parsed without an error');
}

describe('reading a recording', () => {
  it('reads the header, the initial state, events, log lines and the end', () => {
    const rec = parseRecording(
      file(
        { t: 0, type: 'INITIAL', resource: 'nodes', object: node('n1') },
        { t: 0, type: 'INITIAL', resource: 'pods', object: pod('p1', 'shop') },
        { t: 120, type: 'MODIFIED', resource: 'nodes', object: node('n1') },
        { t: 130, log: { namespace: 'shop', pod: 'p1', container: 'app', line: 'boom' } },
        { t: 200, type: 'DELETED', resource: 'pods', object: pod('p1', 'shop') },
        { t: 5000, end: { state: 'done' } },
      ),
      'rec.jsonl',
    );
    expect(rec.header.site).toBe('fra');
    expect(rec.initial).toHaveLength(2);
    expect(rec.events.map((e) => [e.line, e.type])).toEqual([[4, 'MODIFIED'], [6, 'DELETED']]);
    expect(rec.logs).toEqual([{ t: 130, namespace: 'shop', pod: 'p1', container: 'app', line: 'boom' }]);
    expect(rec.end).toEqual({ t: 5000, state: 'done' });
    expect(rec.durationMs).toBe(5000);
  });

  it('names the file, the line and what is wrong', () => {
    expect(error('')).toBe('rec.jsonl:1: the file is empty; a recording starts with a header line like {"format":"triptych-recording","version":1,"site":"fra",...}');
    expect(error('{"kind":"PodList"}\n')).toMatch(/^rec\.jsonl:1: not a recording: the first line must be a header with "format":"triptych-recording"/);
    expect(error(header.replace('"version":1', '"version":7') + '\n')).toBe('rec.jsonl:1: format version 7 is not supported; this fleet reads version 1');
    expect(error(header.replace('"site":"fra",', '') + '\n')).toBe('rec.jsonl:1: the header has no "site" (a non-empty string)');
    expect(error(file('{"t":0,"type":'))).toMatch(/^rec\.jsonl:2: not valid JSON: /);
    expect(error(file({ t: 0, type: 'INITIAL', resource: 'nodes', object: node('n1') }).trimEnd() + '\n{"t":5,"type":"MOD')).toMatch(/^rec\.jsonl:3: not valid JSON: .*the last line is cut off: was the recording interrupted\? delete that line to replay the rest\)$/);
    expect(error(file({ t: -1, type: 'ADDED', resource: 'nodes', object: node('n1') }))).toBe('rec.jsonl:2: "t" (the offset in ms) must be a number ≥ 0, found -1');
    expect(error(file({ t: 50, type: 'ADDED', resource: 'nodes', object: node('a') }, { t: 40, type: 'ADDED', resource: 'nodes', object: node('b') }))).toBe(
      'rec.jsonl:3: t=40 is earlier than the line before (t=50); entries must be in time order',
    );
    expect(error(file({ t: 1, type: 'PATCHED', resource: 'nodes', object: node('n1') }))).toBe(
      'rec.jsonl:2: "type" must be one of INITIAL, ADDED, MODIFIED, DELETED (or the line a "log" or "end" entry), found "PATCHED"',
    );
    expect(error(file({ t: 1, type: 'ADDED', resource: 'secrets', object: node('s') }))).toMatch(/^rec\.jsonl:2: "resource" "secrets" is not one a recording holds \(namespaces, nodes, /);
    expect(error(file({ t: 1, type: 'ADDED', resource: 'pods', object: { metadata: {} } }))).toBe('rec.jsonl:2: "object" must be a Kubernetes object with metadata.name');
    expect(error(file({ t: 1, type: 'ADDED', resource: 'pods', object: pod('p1') }))).toBe('rec.jsonl:2: pods "p1" has no metadata.namespace');
    expect(error(file({ t: 1, type: 'ADDED', resource: 'nodes', object: pod('n1', 'x') }))).toBe('rec.jsonl:2: nodes are not namespaced, but "n1" has metadata.namespace');
    expect(error(file({ t: 1, log: { namespace: 'a', pod: 'b', container: 'c' } }))).toBe('rec.jsonl:2: "log.line" must be a string, found undefined');
    expect(error(file({ t: 1, type: 'ADDED', resource: 'nodes', object: node('a') }, { t: 1, type: 'INITIAL', resource: 'nodes', object: node('b') }))).toBe(
      'rec.jsonl:3: an INITIAL entry after watch events (line 2); the initial state comes first',
    );
    expect(error(file({ t: 1, end: { state: 'done' } }, { t: 2, type: 'ADDED', resource: 'nodes', object: node('a') }))).toBe('rec.jsonl:3: an entry after the end line (line 2 or before); nothing may follow {"end":...}');
    expect(error(file({ t: 1, type: 'ADDED', resource: 'nodes', object: node('a') }, '', { t: 2, type: 'ADDED', resource: 'nodes', object: node('b') }))).toBe(
      'rec.jsonl:3: empty line; every line after the header is one JSON entry',
    );
    expect(error(file([1, 2]))).toBe('rec.jsonl:2: an entry must be a JSON object, found [1,2]');
  });
});
