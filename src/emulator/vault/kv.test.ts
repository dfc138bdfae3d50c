import { describe, expect, it } from 'vitest';
import { VaultError } from './errors';
import { KV_MAX_VERSIONS, KvDeletedError, KvStore } from './kv';

const status = (fn: () => unknown): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof VaultError ? err.status : -1;
  }
};

describe('KvStore', () => {
  it('writes versions and reads the latest or a named one', () => {
    const kv = new KvStore();
    expect(kv.write('app/db', { data: { user: 'a' } }, 1000).version).toBe(1);
    expect(kv.write('/app/db/', { data: { user: 'b' } }, 2000).version).toBe(2);
    const latest = kv.read('app/db');
    expect(latest.data).toEqual({ user: 'b' });
    expect(latest.metadata).toMatchObject({ version: 2, deletion_time: '', destroyed: false });
    expect(latest.metadata.created_time).toBe(new Date(2000).toISOString());
    expect(kv.read('app/db', 1).data).toEqual({ user: 'a' });
    expect(status(() => kv.read('app/db', 7))).toBe(404);
    expect(status(() => kv.read('nope'))).toBe(404);
  });

  it('returns copies, so callers cannot mutate stored data', () => {
    const kv = new KvStore();
    const data = { nested: { x: 1 } };
    kv.write('p', { data }, 0);
    data.nested.x = 2;
    const read = kv.read('p').data as { nested: { x: number } };
    read.nested.x = 3;
    expect(kv.read('p').data).toEqual({ nested: { x: 1 } });
  });

  it('enforces check-and-set and requires a data object', () => {
    const kv = new KvStore();
    expect(status(() => kv.write('p', { data: 'x' }, 0))).toBe(400);
    expect(status(() => kv.write('p', {}, 0))).toBe(400);
    kv.write('p', { data: {}, options: { cas: 0 } }, 0);
    expect(status(() => kv.write('p', { data: {}, options: { cas: 0 } }, 0))).toBe(400);
    expect(kv.write('p', { data: {}, options: { cas: 1 } }, 0).version).toBe(2);
  });

  it('soft-deletes the latest version and reports it in the 404', () => {
    const kv = new KvStore();
    kv.write('p', { data: { a: 1 } }, 0);
    kv.softDelete('p', 5000);
    let caught: unknown;
    try {
      kv.read('p');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(KvDeletedError);
    expect((caught as KvDeletedError).body.metadata.deletion_time).toBe(new Date(5000).toISOString());
  });

  it('keeps only the last versions and lists folders', () => {
    const kv = new KvStore();
    for (let i = 0; i < KV_MAX_VERSIONS + 3; i++) kv.write('t/a', { data: { i } }, i);
    kv.write('t/sub/b', { data: {} }, 0);
    kv.write('u', { data: {} }, 0);
    const meta = kv.metadata('t/a');
    expect(meta.current_version).toBe(KV_MAX_VERSIONS + 3);
    expect(meta.oldest_version).toBe(4);
    expect(Object.keys(meta.versions as object)).toHaveLength(KV_MAX_VERSIONS);
    expect(kv.list('')).toEqual(['t/', 'u']);
    expect(kv.list('t/')).toEqual(['a', 'sub/']);
    expect(status(() => kv.list('zzz/'))).toBe(404);
  });
});
