/**
 * The journal on its own: records on disk in order, a torn last line skipped
 * and cut off on reopen, damage elsewhere refused, and the replay that tells
 * a restarted engine where a run stopped.
 */
import { mkdtemp, readFile, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, journalFile, readJournal, replay, unfinishedRuns, type JournalRecord } from './journal';
import type { EnginePlan } from './types';

let dir: string;
const plan = (n: number): EnginePlan => ({
  id: 'plan-1',
  runbook: 'r',
  title: 'R',
  params: {},
  blockers: [],
  plannedAt: 0,
  steps: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, source: `s${i}`, type: 'note', title: 't', site: 'fra', mutates: false, touches: [], notes: [], spec: { type: 'note', text: 'x' } })),
});
const start = (run: string, n = 3): JournalRecord => ({ type: 'run-start', at: 1, run, runbook: { name: 'r', title: 'R', target: 'none', params: [], steps: [], source: 'test' }, params: {}, plan: plan(n), startedBy: 'alice' });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triptych-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('journal', () => {
  it('appends records a line each, in a private file, and will not overwrite a run', async () => {
    const j = Journal.create(dir, 'run-a', start('run-a'));
    j.append({ type: 'step-begin', at: 2, index: 0, step: 's0' });
    j.close();
    expect((await stat(journalFile(dir, 'run-a'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'runbooks'))).mode & 0o777).toBe(0o700);
    expect(readJournal(journalFile(dir, 'run-a')).records.map((r) => r.type)).toEqual(['run-start', 'step-begin']);
    expect(() => Journal.create(dir, 'run-a', start('run-a'))).toThrow(/EEXIST/);
  });

  it('skips a torn last line, and cuts it off when the run is taken up again', async () => {
    const j = Journal.create(dir, 'run-b', start('run-b'));
    j.append({ type: 'step-begin', at: 2, index: 0, step: 's0' });
    j.close();
    const file = journalFile(dir, 'run-b');
    await appendFile(file, '{"type":"step-end","at":3,"ind');
    expect(readJournal(file)).toMatchObject({ torn: true, records: [{ type: 'run-start' }, { type: 'step-begin' }] });
    const again = Journal.reopen(file);
    again.append({ type: 'step-end', at: 4, index: 0, step: 's0', state: 'succeeded', message: 'ok' });
    again.close();
    expect(readJournal(file)).toMatchObject({ torn: false, records: [{ type: 'run-start' }, { type: 'step-begin' }, { type: 'step-end', at: 4 }] });
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(4);
  });

  it('refuses a journal damaged anywhere but at its end', async () => {
    const file = path.join(dir, 'bad.jsonl');
    await writeFile(file, `${JSON.stringify(start('x'))}\nnot json\n{"type":"pause","at":1,"by":"a"}\n`);
    expect(() => readJournal(file)).toThrow(/line 2 is not JSON/);
  });

  it('replays where a run stopped: the first step without an end, values journalled, confirmations, a pause', () => {
    const r = replay([
      start('run-c'),
      { type: 'step-begin', at: 2, index: 0, step: 's0' },
      { type: 'step-end', at: 3, index: 0, step: 's0', state: 'succeeded', message: '' },
      { type: 'step-begin', at: 4, index: 1, step: 's1' },
      { type: 'step-state', at: 5, index: 1, key: 'restartedAt', value: 'T' },
      { type: 'confirm', at: 6, index: 1, by: 'bob' },
      { type: 'pause', at: 7, by: 'bob' },
    ]);
    expect(r.next).toBe(1);
    expect(r.begins.get(1)).toBe(1);
    expect(r.state.get(1)).toEqual({ restartedAt: 'T' });
    expect(r.confirmed.has(1)).toBe(true);
    expect(r.paused).toBe(true);
    expect(r.ended).toBeUndefined();
  });

  it('lists the runs without a run-end, oldest first', () => {
    for (const id of ['2026-b', '2026-a', '2026-c']) {
      const j = Journal.create(dir, id, start(id));
      if (id === '2026-c') j.append({ type: 'run-end', at: 9, state: 'succeeded' });
      j.close();
    }
    expect(unfinishedRuns(dir).map((f) => path.basename(f))).toEqual(['2026-a.jsonl', '2026-b.jsonl']);
  });
});
