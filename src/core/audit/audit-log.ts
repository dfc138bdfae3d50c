/**
 * The audit trail on disk: one JSON entry per line, each hash-chained to the
 * one before (tamper-evident), flushed to disk before append() returns (a
 * crash loses nothing acknowledged), readable only by the user (file 0600,
 * folder 0700).
 *
 * Appends are synchronous, so two in one process can never interleave. If the
 * file changed under us anyway (a second AuditLog on the same file), the end
 * of the chain is read again before writing, so the chain stays one chain.
 */
import { closeSync, fchmodSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { AuditEntry, AuditQuery, AuditRecord, AuditResult, AuditVerification } from '../../shared/audit';
import { auditCsv } from './audit-csv';
import { plainJson } from './canonical-json';
import { entryHash, entryLine, GENESIS, parseEntry } from './chain';
import { readChainTail, type ChainTail, type TornTail } from './chain-tail';
import { assertNoSecrets } from './secret-guard';
import { verifyChain } from './verify-chain';

export type { TornTail } from './chain-tail';

/** What query() returns at most when the query sets no limit. */
export const DEFAULT_QUERY_LIMIT = 500;

const RESULTS: readonly AuditResult[] = ['ok', 'failed', 'refused'];

export interface AuditLogOptions {
  /** The clock for `at` (tests). */
  now?: () => number;
}

export class AuditLog {
  private seq = 0;
  private prev = GENESIS;
  /** The file's size after our last write; any other size means someone else wrote. */
  private size = -1;
  private needsNewline = false;
  private tornTail: TornTail | undefined;
  private readonly listeners = new Set<(entry: AuditEntry) => void>();
  private readonly now: () => number;

  /** Opens (or creates) the trail in `file` and finds where its chain ends. */
  constructor(
    readonly file: string,
    o: AuditLogOptions = {},
  ) {
    this.now = o.now ?? Date.now;
    // Only folders this creates get 0700: an existing one may be shared and is not ours to change.
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const fd = this.open();
    try {
      this.tornTail = this.readTail(fd, fstatSync(fd).size).torn;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The torn last line found on open (the app stopped while writing it), or
   * undefined when the file ended cleanly. It stays in the file (nothing is
   * rewritten); the next entry goes on a new line after it and links to the
   * last whole entry, and verify() reports the torn line.
   */
  get torn(): TornTail | undefined {
    return this.tornTail;
  }

  /** The last entry's seq and hash (0 and 64 zeros before the first): keep a copy elsewhere to detect a cut-off end. */
  get head(): { seq: number; hash: string } {
    return { seq: this.seq, hash: this.prev };
  }

  /** Calls `listener` with every entry after it is on disk (e.g. to mirror it); returns the unsubscribe. */
  onAppend(listener: (entry: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Writes `record` as the next entry and returns it. Throws when the record
   * is malformed, holds something that looks like a credential
   * (AuditSecretError), or the disk refuses the write.
   */
  append(record: AuditRecord): AuditEntry {
    checkRecord(record);
    assertNoSecrets(record);
    const fd = this.open();
    let entry: AuditEntry;
    try {
      const size = fstatSync(fd).size;
      if (size !== this.size) this.readTail(fd, size);
      const body = plainJson({
        seq: this.seq + 1,
        at: new Date(this.now()).toISOString(),
        who: record.who,
        verb: record.verb,
        site: record.site,
        object: record.object && { kind: record.object.kind, namespace: record.object.namespace, name: record.object.name },
        result: record.result,
        detail: record.detail,
        runbook: record.runbook && { run: record.runbook.run, name: record.runbook.name, step: record.runbook.step },
        data: record.data,
        prev: this.prev,
      });
      entry = { ...body, hash: entryHash(body) };
      const bytes = Buffer.from(`${this.needsNewline ? '\n' : ''}${entryLine(entry)}\n`);
      // One write per entry: whatever a crash leaves is at most one torn line at the end.
      let done = 0;
      while (done < bytes.length) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
      this.size = size + bytes.length;
      this.seq = entry.seq;
      this.prev = entry.hash;
      this.needsNewline = false;
    } catch (err) {
      // Part of the line may be on disk: the next append reads the end again.
      this.size = -1;
      throw err;
    } finally {
      closeSync(fd);
    }
    for (const l of this.listeners) {
      try {
        l(entry);
      } catch {
        // A listener's failure (a mirror) must not turn a written entry into a failed append.
      }
    }
    return entry;
  }

  /** Checks every hash and link in the file; names the first line that breaks the chain and why. */
  verify(): AuditVerification {
    return verifyChain(this.readAll());
  }

  /** Entries matching `q`, newest first, at most `q.limit` (default 500). Lines that are not entries are skipped. */
  query(q: AuditQuery = {}): AuditEntry[] {
    const limit = q.limit ?? DEFAULT_QUERY_LIMIT;
    const match = matcher(q);
    const out: AuditEntry[] = [];
    const lines = this.readAll().split('\n');
    for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
      const e = parseEntry(lines[i] as string);
      if (e && match(e)) out.push(e);
    }
    return out;
  }

  /**
   * The entries matching `q` as a file, oldest first (the order to read or
   * re-verify them in), all of them unless `q.limit` is set.
   */
  export(q: AuditQuery, format: 'jsonl' | 'csv'): string {
    const entries = this.query({ ...q, limit: q.limit ?? Number.POSITIVE_INFINITY }).reverse();
    if (format === 'csv') return auditCsv(entries);
    return entries.map((e) => `${entryLine(e)}\n`).join('');
  }

  private open(): number {
    // Read-write: the end of the chain is read through the same descriptor the entry is written with.
    const fd = openSync(this.file, 'a+', 0o600);
    try {
      // The mode given to open applies only to a new file; an existing one may have been created wider.
      fchmodSync(fd, 0o600);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return fd;
  }

  /** Continues the chain from where the file ends now. */
  private readTail(fd: number, size: number): ChainTail {
    const tail = readChainTail(fd, size);
    this.seq = tail.last?.seq ?? 0;
    this.prev = tail.last?.hash ?? GENESIS;
    this.needsNewline = tail.needsNewline;
    this.size = size;
    return tail;
  }

  private readAll(): string {
    try {
      return readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  }
}

function checkRecord(r: AuditRecord): void {
  const problems: string[] = [];
  if (typeof r.who !== 'string' || r.who === '') problems.push('who is required');
  if (typeof r.verb !== 'string' || r.verb === '') problems.push('verb is required');
  if (!RESULTS.includes(r.result)) problems.push(`result must be one of ${RESULTS.join(', ')}`);
  if (r.object && (typeof r.object.kind !== 'string' || typeof r.object.name !== 'string' || r.object.name === '')) problems.push('object needs a kind and a name');
  if (problems.length > 0) throw new TypeError(`audit record refused: ${problems.join('; ')}`);
}

function matcher(q: AuditQuery): (e: AuditEntry) => boolean {
  const text = q.text?.toLowerCase();
  return (e) => {
    if (q.site !== undefined && e.site !== q.site) return false;
    if (q.who !== undefined && e.who !== q.who) return false;
    if (q.verb !== undefined && e.verb !== q.verb) return false;
    if (text && !(String(e.object?.name ?? '').toLowerCase().includes(text) || String(e.detail ?? '').toLowerCase().includes(text))) return false;
    if (q.from !== undefined || q.to !== undefined) {
      const t = Date.parse(e.at);
      if (q.from !== undefined && !(t >= q.from)) return false;
      if (q.to !== undefined && !(t <= q.to)) return false;
    }
    return true;
  };
}
