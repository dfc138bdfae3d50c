/**
 * The run journal: one append-only JSONL file per run in
 * `<dataDir>/runbooks/<run>.jsonl`, each record fsync'd before the engine
 * goes on, so after a crash the file says exactly which steps ended. Only
 * the last line can be torn (a crash mid-write); reading skips it, and
 * reopening cuts it off so the next record starts on a line of its own.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readdirSync, writeSync, chmodSync } from 'node:fs';
import path from 'node:path';
import type { RunState, Runbook, StepState } from '../../../shared/runbooks';
import type { EnginePlan, ParamValue } from './types';

export type JournalRecord =
  | { type: 'run-start'; at: number; run: string; runbook: Runbook; params: Record<string, ParamValue>; plan: EnginePlan; startedBy: string }
  | { type: 'step-begin'; at: number; index: number; step: string }
  /** A value a step journals before acting on it (rollout-restart's restartedAt), or a fact worth keeping (a drain waiting on a budget). */
  | { type: 'step-state'; at: number; index: number; key: string; value: unknown }
  | { type: 'confirm'; at: number; index: number; by: string }
  | { type: 'step-end'; at: number; index: number; step: string; state: StepState; message: string; data?: Record<string, unknown> }
  | { type: 'pause'; at: number; by: string }
  | { type: 'resume'; at: number; by: string }
  | { type: 'abort'; at: number; by: string }
  | { type: 'run-end'; at: number; state: RunState; error?: string };

/** The journal folder under the data directory. */
export function journalDir(dataDir: string): string {
  return path.join(dataDir, 'runbooks');
}

export function journalFile(dataDir: string, run: string): string {
  return path.join(journalDir(dataDir), `${run}.jsonl`);
}

/** Flushes a folder's entries (a new file's name) to disk. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class Journal {
  private constructor(
    readonly file: string,
    private fd: number | undefined,
  ) {}

  /** A new run's journal, starting with `first`; fails if the file exists. */
  static create(dataDir: string, run: string, first: JournalRecord): Journal {
    const dir = journalDir(dataDir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    const file = journalFile(dataDir, run);
    const j = new Journal(file, openSync(file, 'wx', 0o600));
    j.append(first);
    syncDir(dir);
    return j;
  }

  /** Reopens a run's journal to go on with it: a torn last line is cut off first. */
  static reopen(file: string): Journal {
    const fd = openSync(file, 'r+');
    const text = readFileSync(fd, 'utf8');
    const end = text.endsWith('\n') || text === '' ? text.length : text.lastIndexOf('\n') + 1;
    if (end < text.length) {
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, end)));
      fsyncSync(fd);
    }
    closeSync(fd);
    return new Journal(file, openSync(file, 'a', 0o600));
  }

  /** Appends one record and waits until it is on disk. */
  append(rec: JournalRecord): void {
    if (this.fd === undefined) throw new Error(`journal ${this.file} is closed`);
    writeSync(this.fd, `${JSON.stringify(rec)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The records of a journal file; a torn (unparseable) last line is left out and reported. */
export function readJournal(file: string): { records: JournalRecord[]; torn: boolean } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const records: JournalRecord[] = [];
  let torn = false;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch (e) {
      // Only the last line can be torn by a crash; anywhere else the file was damaged otherwise.
      if (lines.slice(i + 1).some((l) => l.trim() !== '')) throw new Error(`${file}: line ${i + 1} is not JSON (${(e as Error).message})`, { cause: e });
      torn = true;
    }
  }
  return { records, torn };
}

/** What a journal says about a run. */
export interface Replay {
  start: Extract<JournalRecord, { type: 'run-start' }>;
  /** The run's last record is its end. */
  ended?: Extract<JournalRecord, { type: 'run-end' }>;
  /** How each step that ended ended. */
  ends: Map<number, Extract<JournalRecord, { type: 'step-end' }>>;
  /** Steps that began (maybe more than once: once per process that ran them). */
  begins: Map<number, number>;
  /** Values steps journalled, by step index. */
  state: Map<number, Record<string, unknown>>;
  confirmed: Set<number>;
  /** A pause was asked for and not resumed. */
  paused: boolean;
  aborted: boolean;
  /** The first step that has not ended (the plan's length when all have). */
  next: number;
}

/** Folds a journal's records into the run's state. */
export function replay(records: readonly JournalRecord[]): Replay {
  const first = records[0];
  if (first?.type !== 'run-start') throw new Error('a journal starts with run-start');
  const r: Replay = { start: first, ends: new Map(), begins: new Map(), state: new Map(), confirmed: new Set(), paused: false, aborted: false, next: 0 };
  for (const rec of records.slice(1)) {
    switch (rec.type) {
      case 'step-begin':
        r.begins.set(rec.index, (r.begins.get(rec.index) ?? 0) + 1);
        break;
      case 'step-end':
        r.ends.set(rec.index, rec);
        break;
      case 'step-state':
        r.state.set(rec.index, { ...r.state.get(rec.index), [rec.key]: rec.value });
        break;
      case 'confirm':
        r.confirmed.add(rec.index);
        break;
      case 'pause':
        r.paused = true;
        break;
      case 'resume':
        r.paused = false;
        break;
      case 'abort':
        r.aborted = true;
        break;
      case 'run-end':
        r.ended = rec;
        break;
      case 'run-start':
        throw new Error('a journal holds one run-start');
    }
  }
  const n = first.plan.steps.length;
  r.next = n;
  for (let i = 0; i < n; i++) {
    if (!r.ends.has(i)) {
      r.next = i;
      break;
    }
  }
  return r;
}

/** Journal files of runs that have no run-end, oldest first (run ids sort by start time). */
export function unfinishedRuns(dataDir: string): string[] {
  const dir = journalDir(dataDir);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.jsonl')).sort()) {
    const file = path.join(dir, f);
    let records: JournalRecord[];
    try {
      ({ records } = readJournal(file));
    } catch {
      // Damaged: the caller's replay of it reports why; the other journals still count.
      out.push(file);
      continue;
    }
    if (records.length === 0) continue;
    if (!records.some((r) => r.type === 'run-end')) out.push(file);
  }
  return out;
}
