/**
 * The audit trail on disk: the chain across reopening, every kind of
 * tampering verify() must name, a torn last line after a crash, queries,
 * exports that a spreadsheet cannot turn into formulas, and the file's mode.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../shared/audit';
import { AuditLog, DEFAULT_QUERY_LIMIT } from './audit-log';
import { GENESIS } from './chain';
import { AuditSecretError } from './secret-guard';
import { verifyChain } from './verify-chain';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'triptych-audit-'));
  file = path.join(dir, 'audit', 'trail.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cordon = (node: string, o: Partial<AuditRecord> = {}): AuditRecord => ({ who: 'userpass-alice', verb: 'cordon', site: 'fra', object: { kind: 'Node', name: node }, result: 'ok', detail: 'psu swap', ...o });
const lines = (): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const rewrite = (ls: string[]): void => writeFileSync(file, ls.map((l) => `${l}\n`).join(''));

/** A log of `n` cordons (fra-w-01 …). */
function logOf(n: number): AuditLog {
  const log = new AuditLog(file);
  for (let i = 1; i <= n; i++) log.append(cordon(`fra-w-0${i}`));
  return log;
}

describe('AuditLog: the chain', () => {
  it('numbers entries, links each to the one before, and hashes prev + the sorted-key JSON of the rest', () => {
    let t = Date.parse('2026-11-28T08:30:00.123Z');
    const log = new AuditLog(file, { now: () => t++ });
    const a = log.append(cordon('fra-w-01'));
    const b = log.append({ ...cordon('fra-w-02'), data: { z: 1, a: { y: [2, { c: 3, b: 4 }] } } });
    expect(a).toMatchObject({ seq: 1, at: '2026-11-28T08:30:00.123Z', prev: GENESIS, who: 'userpass-alice', verb: 'cordon' });
    expect(b).toMatchObject({ seq: 2, at: '2026-11-28T08:30:00.124Z', prev: a.hash });
    // Computed here by hand, keys written out in sorted order.
    const canonical = `{"at":"2026-11-28T08:30:00.124Z","data":{"a":{"y":[2,{"b":4,"c":3}]},"z":1},"detail":"psu swap","object":{"kind":"Node","name":"fra-w-02"},"prev":"${a.hash}","result":"ok","seq":2,"site":"fra","verb":"cordon","who":"userpass-alice"}`;
    expect(b.hash).toBe(createHash('sha256').update(a.hash + canonical).digest('hex'));
    expect(lines().map((l) => JSON.parse(l) as unknown)).toEqual([a, b]);
    expect(log.head).toEqual({ seq: 2, hash: b.hash });
  });

  it('keeps only the fields of a record, so extra properties cannot slip into the trail', () => {
    const log = new AuditLog(file);
    const e = log.append({ ...cordon('fra-w-01'), token: 'x' } as AuditRecord);
    expect(e).not.toHaveProperty('token');
    expect(lines()[0]).not.toContain('token');
  });

  it('continues the chain after reopening the file', () => {
    const first = logOf(2);
    const again = new AuditLog(file);
    expect(again.head).toEqual(first.head);
    const third = again.append(cordon('fra-w-03'));
    expect(third).toMatchObject({ seq: 3, prev: first.head.hash });
    expect(again.torn).toBeUndefined();
    expect(again.verify()).toEqual({ ok: true, entries: 3 });
  });

  it('does not care in what order a line spells its keys: the hash is over the canonical form', () => {
    logOf(2);
    rewrite(lines().map((l) => JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(l) as object).reverse()))));
    expect(new AuditLog(file).verify()).toEqual({ ok: true, entries: 2 });
  });

  it('keeps one chain when two AuditLogs in one process append to the same file', () => {
    const a = new AuditLog(file);
    const b = new AuditLog(file);
    a.append(cordon('fra-w-01'));
    b.append(cordon('fra-w-02'));
    a.append(cordon('fra-w-03'));
    expect(lines().map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2, 3]);
    expect(a.verify()).toEqual({ ok: true, entries: 3 });
  });

  it('writes the file 0600 in a folder it creates 0700, and narrows a wider existing file to 0600', () => {
    const log = logOf(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const wide = path.join(dir, 'wide.jsonl');
    writeFileSync(wide, '', { mode: 0o644 });
    new AuditLog(wide).append(cordon('fra-w-01'));
    expect(statSync(wide).mode & 0o777).toBe(0o600);
    expect(log.verify().ok).toBe(true);
  });

  it('refuses malformed records and writes nothing', () => {
    const log = logOf(1);
    expect(() => log.append({ ...cordon('x'), who: '' })).toThrow(/who is required/);
    expect(() => log.append({ ...cordon('x'), result: 'maybe' as 'ok' })).toThrow(/result must be one of/);
    expect(lines()).toHaveLength(1);
  });
});

describe('AuditLog.verify: tampering', () => {
  it('names an edited field', () => {
    logOf(3);
    const ls = lines();
    ls[1] = (ls[1] as string).replace('psu swap', 'nothing to see');
    rewrite(ls);
    expect(new AuditLog(file).verify()).toEqual({ ok: false, entries: 3, brokenAt: { line: 2, reason: expect.stringMatching(/entry 2 was edited/) } });
  });

  it('names the link after an entry that was edited and re-hashed', () => {
    logOf(3);
    const ls = lines();
    const e = JSON.parse(ls[1] as string) as Record<string, unknown>;
    e.detail = 'nothing to see';
    const { hash: _h, ...rest } = e;
    const sorted = JSON.stringify(Object.fromEntries(Object.entries(rest).sort(([x], [y]) => (x < y ? -1 : 1))));
    e.hash = createHash('sha256').update(String(e.prev) + sorted).digest('hex');
    ls[1] = JSON.stringify(e);
    rewrite(ls);
    expect(new AuditLog(file).verify().brokenAt).toEqual({ line: 3, reason: expect.stringMatching(/does not link to the entry before it/) });
  });

  it('names a deleted line', () => {
    logOf(4);
    rewrite(lines().filter((_, i) => i !== 1));
    expect(new AuditLog(file).verify()).toEqual({ ok: false, entries: 3, brokenAt: { line: 2, reason: 'entry 2 is missing: deleted from the trail' } });
  });

  it('names a deleted first line', () => {
    logOf(2);
    rewrite(lines().slice(1));
    expect(new AuditLog(file).verify().brokenAt).toEqual({ line: 1, reason: 'entry 1 is missing: deleted from the trail' });
  });

  it('names swapped lines as out of order, not as deleted', () => {
    logOf(4);
    const ls = lines();
    [ls[1], ls[2]] = [ls[2] as string, ls[1] as string];
    rewrite(ls);
    expect(new AuditLog(file).verify().brokenAt).toEqual({ line: 2, reason: expect.stringMatching(/out of order: seq 3 comes before seq 2 \(line 3\)/) });
  });

  it('names a line that is not an entry', () => {
    logOf(2);
    rewrite([...lines().slice(0, 1), '{"at":"2026-01-01","note":"inserted"}', ...lines().slice(1)]);
    expect(new AuditLog(file).verify().brokenAt).toEqual({ line: 2, reason: expect.stringMatching(/not a complete entry/) });
  });
});

describe('AuditLog: a torn last line', () => {
  it('is reported on open, kept in the file, and the next entry starts a new line linked to the last whole one', () => {
    const before = logOf(3);
    const whole = readFileSync(file, 'utf8');
    // What a crash in the middle of writing the fourth entry leaves: half a line, no newline.
    const half = JSON.stringify({ seq: 4, at: new Date().toISOString(), who: 'userpass-alice', verb: 'drain' }).slice(0, 40);
    appendFileSync(file, half);

    const log = new AuditLog(file);
    expect(log.torn).toEqual({ offset: Buffer.byteLength(whole), bytes: Buffer.byteLength(half) });
    expect(log.head).toEqual(before.head);
    expect(log.verify()).toEqual({ ok: false, entries: 3, brokenAt: { line: 4, reason: expect.stringMatching(/^torn write: the last line is incomplete/) } });

    const next = log.append(cordon('fra-w-04'));
    expect(next).toMatchObject({ seq: 4, prev: before.head.hash });
    expect(readFileSync(file, 'utf8')).toBe(`${whole}${half}\n${lines()[4]}\n`);
    // Nothing before it was lost; the torn line is still named, and the chain goes on past it.
    expect(log.verify()).toEqual({ ok: false, entries: 4, brokenAt: { line: 4, reason: expect.stringMatching(/torn write/) } });
    expect(log.query().map((e) => e.seq)).toEqual([4, 3, 2, 1]);
  });

  it('is noticed by a log that is already open (the file changed under it)', () => {
    const log = logOf(1);
    appendFileSync(file, '{"seq":2,"at":"20');
    log.append(cordon('fra-w-02'));
    expect(lines()).toHaveLength(3);
    expect(log.verify()).toMatchObject({ ok: false, entries: 2, brokenAt: { line: 2 } });
  });

  it('is not torn when a whole entry only lacks its newline: the line is finished and the chain is intact', () => {
    logOf(2);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n$/, ''));
    const log = new AuditLog(file);
    expect(log.torn).toBeUndefined();
    log.append(cordon('fra-w-03'));
    expect(log.verify()).toEqual({ ok: true, entries: 3 });
  });

  it('starts a chain after lines of an older format, and verify() names them', () => {
    const old = path.join(dir, 'old.jsonl');
    writeFileSync(old, '{"at":"2026-01-01T00:00:00.000Z","kind":"exec","phase":"start"}\n');
    const log = new AuditLog(old);
    expect(log.append(cordon('fra-w-01'))).toMatchObject({ seq: 1, prev: GENESIS });
    expect(log.verify()).toEqual({ ok: false, entries: 1, brokenAt: { line: 1, reason: expect.stringMatching(/not a complete entry/) } });
  });
});

describe('AuditLog.query', () => {
  let log: AuditLog;
  beforeEach(() => {
    let t = Date.parse('2026-11-28T08:00:00.000Z');
    log = new AuditLog(file, { now: () => (t += 60_000) });
    log.append(cordon('fra-w-01'));
    log.append(cordon('ams-w-07', { site: 'ams', who: 'userpass-bob' }));
    log.append({ who: 'userpass-bob', verb: 'scale', site: 'fra', object: { kind: 'Deployment', namespace: 'shop', name: 'checkout' }, result: 'failed', detail: 'Forbidden by PDB' });
    log.append({ who: 'userpass-alice', verb: 'runbook.start', result: 'ok', runbook: { run: 'r1', name: 'drain-rack' } });
  });

  it('returns the newest first', () => {
    expect(log.query().map((e) => e.seq)).toEqual([4, 3, 2, 1]);
  });

  it('filters by site, who and verb', () => {
    expect(log.query({ site: 'fra' }).map((e) => e.seq)).toEqual([3, 1]);
    expect(log.query({ who: 'userpass-bob' }).map((e) => e.seq)).toEqual([3, 2]);
    expect(log.query({ verb: 'cordon', site: 'ams' }).map((e) => e.seq)).toEqual([2]);
  });

  it("finds text in the object's name or the detail, in any case", () => {
    expect(log.query({ text: 'CHECKOUT' }).map((e) => e.seq)).toEqual([3]);
    expect(log.query({ text: 'pdb' }).map((e) => e.seq)).toEqual([3]);
    expect(log.query({ text: 'w-0' }).map((e) => e.seq)).toEqual([2, 1]);
  });

  it('bounds by time, both ends inclusive', () => {
    const at2 = Date.parse('2026-11-28T08:02:00.000Z');
    expect(log.query({ from: at2 }).map((e) => e.seq)).toEqual([4, 3, 2]);
    expect(log.query({ to: at2 }).map((e) => e.seq)).toEqual([2, 1]);
    expect(log.query({ from: at2, to: at2 + 60_000 }).map((e) => e.seq)).toEqual([3, 2]);
  });

  it('returns at most limit entries, 500 unless told', () => {
    expect(log.query({ limit: 2 }).map((e) => e.seq)).toEqual([4, 3]);
    for (let i = 0; i < DEFAULT_QUERY_LIMIT; i++) log.append(cordon(`n${i}`));
    const all = log.query();
    expect(all).toHaveLength(DEFAULT_QUERY_LIMIT);
    expect(all[0]?.seq).toBe(DEFAULT_QUERY_LIMIT + 4);
  });
});

/** RFC 4180 parsing, written independently of the exporter. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('AuditLog.export', () => {
  it('writes CSV with a header, quotes what needs it, and defuses formulas in untrusted values', () => {
    const log = new AuditLog(file);
    log.append(cordon('=HYPERLINK("http://evil.example","x")', { detail: 'said "hi", then\nleft' }));
    log.append(cordon('+cmd', { detail: '-2+3', who: '@alice' }));
    log.append(cordon('web-1', { detail: '\tindent', data: { exitCode: -1 } }));
    const csv = log.export({}, 'csv');
    const rows = parseCsv(csv);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(rows[0]).toEqual(['seq', 'at', 'who', 'verb', 'site', 'kind', 'namespace', 'name', 'result', 'detail', 'runbook', 'run', 'step', 'data', 'prev', 'hash']);
    const col = (r: number, c: string): string | undefined => rows[r]?.[(rows[0] as string[]).indexOf(c)];
    // Oldest first, as a file is read.
    expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2', '3']);
    expect(col(1, 'name')).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(col(1, 'detail')).toBe('said "hi", then\nleft');
    expect(col(2, 'name')).toBe("'+cmd");
    expect(col(2, 'detail')).toBe("'-2+3");
    expect(col(2, 'who')).toBe("'@alice");
    expect(col(3, 'detail')).toBe("'\tindent");
    expect(col(3, 'data')).toBe('{"exitCode":-1}');
    expect(col(3, 'name')).toBe('web-1');
    expect(csv).toContain('"said ""hi"", then\nleft"');
  });

  it('writes JSONL oldest first: a whole trail exported verifies as a chain', () => {
    const log = logOf(3);
    const jsonl = log.export({}, 'jsonl');
    expect(jsonl).toBe(readFileSync(file, 'utf8'));
    expect(verifyChain(jsonl)).toEqual({ ok: true, entries: 3 });
    expect(log.export({ text: 'fra-w-02' }, 'jsonl').trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([2]);
  });
});

describe('AuditLog: never secrets', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLWJ5dGVz';

  it('refuses a record holding a JWT, a Vault token or a bearer credential, without echoing it', () => {
    const log = logOf(1);
    const cases: [AuditRecord, RegExp][] = [
      [cordon('n', { detail: `token ${jwt}` }), /detail holds what looks like a JSON Web Token/],
      [cordon('n', { data: { command: ['vault', 'login', 'hvs.CAESIJ4kxmmxXdQkVYv1gTuWNZbeUdEyLZfIc'] } }), /data\.command\[2\] holds what looks like a Vault token/],
      [cordon('n', { detail: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz' }), /bearer credential/],
    ];
    for (const [record, message] of cases) {
      const err = (() => {
        try {
          log.append(record);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(err).toBeInstanceOf(AuditSecretError);
      expect(err?.message).toMatch(message);
      expect(err?.message).not.toMatch(/eyJ|hvs\.|abcdefgh/);
    }
    expect(lines()).toHaveLength(1);
  });

  it('lets names that merely have dots in them through', () => {
    const log = new AuditLog(file);
    expect(() => log.append(cordon('fra-w-01.rack-b07.example.internal', { detail: 'image registry.example/web:1.2.3 and v1.32.0-rc.1' }))).not.toThrow();
  });
});
