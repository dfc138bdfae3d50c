import { describe, expect, it } from 'vitest';
import { resourceFor } from '../api/resources';
import type { KObject } from '../types';
import { Store, decodeContinue, type ChangeType, type Version } from './store';

const CM = resourceFor('', 'configmaps');
const cm = (ns: string, name: string, v = '1'): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { v } });

function filled(n: number, historySize = 1000): Store {
  const s = new Store({ historySize, now: () => Date.parse('2026-11-28T00:00:00Z') });
  s.load(CM, Array.from({ length: n }, (_, i) => cm(i % 2 ? 'b' : 'a', `cm-${String(i).padStart(3, '0')}`)));
  return s;
}

describe('Store', () => {
  it('assigns increasing resourceVersions and keeps identity fields on update', () => {
    const s = filled(0);
    const a = s.create(CM, cm('a', 'x'));
    const rv1 = Number(a.metadata.resourceVersion);
    const b = s.update(CM, { ...cm('a', 'x', '2'), metadata: { name: 'x', namespace: 'a', uid: 'forged' } });
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(rv1);
    expect(b.metadata.uid).toBe(a.metadata.uid);
  });

  it('an update that changes nothing is not a change', () => {
    const s = filled(0);
    s.create(CM, cm('a', 'x'));
    const rv = s.resourceVersion;
    s.update(CM, cm('a', 'x'));
    expect(s.resourceVersion).toBe(rv);
  });

  it('rejects a stale resourceVersion with 409 Conflict', () => {
    const s = filled(0);
    const a = s.create(CM, cm('a', 'x'));
    s.update(CM, cm('a', 'x', '2'));
    expect(() => s.update(CM, cm('a', 'x', '3'), a.metadata.resourceVersion)).toThrow(expect.objectContaining({ code: 409, reason: 'Conflict' }));
  });

  it('pages are served as of the first page, even while objects change', () => {
    const s = filled(10);
    const p1 = s.list(CM, { limit: 4 });
    expect(p1.items.map((v) => v.name)).toEqual(['cm-000', 'cm-002', 'cm-004', 'cm-006']);
    expect(p1.remainingItemCount).toBe(6);
    // Between pages: one object changes, one is deleted, one is added.
    s.update(CM, cm('a', 'cm-008', 'changed'));
    s.delete(CM, 'b', 'cm-001');
    s.create(CM, cm('a', 'cm-0075'));
    const p2 = s.list(CM, { limit: 4, continueToken: p1.continue });
    const p3 = s.list(CM, { limit: 4, continueToken: p2.continue });
    const names = [...p2.items, ...p3.items].map((v) => v.name);
    expect(names).toEqual(['cm-008', 'b/cm-001', 'cm-003', 'cm-005', 'cm-007', 'cm-009'].map((n) => n.replace('b/', '')));
    expect(p2.items[0]?.json).toContain('"v":"1"');
    expect(p3.continue).toBeUndefined();
    expect(decodeContinue(p1.continue as string).rv).toBe(p1.rv);
  });

  it('a namespace list only returns that namespace', () => {
    const s = filled(10);
    const page = s.list(CM, { namespace: 'b', limit: 3 });
    expect(page.items.map((v) => v.key)).toEqual(['b/cm-001', 'b/cm-003', 'b/cm-005']);
    const rest = s.list(CM, { namespace: 'b', continueToken: page.continue });
    expect(rest.items.map((v) => v.key)).toEqual(['b/cm-007', 'b/cm-009']);
  });

  it('continue tokens and watches older than the history are 410 Expired', () => {
    const s = filled(5, 3);
    const page = s.list(CM, { limit: 1 });
    const start = s.resourceVersion;
    for (let i = 0; i < 5; i++) s.create(CM, cm('c', `n${i}`));
    expect(() => s.list(CM, { continueToken: page.continue })).toThrow(expect.objectContaining({ code: 410, reason: 'Expired' }));
    expect(() => s.watch(CM, {}, start, { event: () => true, expire: () => {} })).toThrow(expect.objectContaining({ code: 410 }));
  });

  it('watch replays history after a resourceVersion, then follows, with selector transitions', () => {
    const s = filled(0);
    s.create(CM, { ...cm('a', 'x'), metadata: { name: 'x', namespace: 'a', labels: { app: 'web' } } });
    const from = s.resourceVersion;
    s.create(CM, { ...cm('a', 'y'), metadata: { name: 'y', namespace: 'a', labels: { app: 'web' } } });
    const seen: [ChangeType, string][] = [];
    const match = (v: Version): boolean => v.labels?.app === 'web';
    s.watch(CM, { match }, from, { event: (t, v) => (seen.push([t, v.name]), true), expire: () => {} });
    // x leaves the selector: DELETED for this watcher; comes back: ADDED.
    s.update(CM, { ...cm('a', 'x'), metadata: { name: 'x', namespace: 'a', labels: { app: 'db' } } });
    s.update(CM, { ...cm('a', 'x'), metadata: { name: 'x', namespace: 'a', labels: { app: 'web' } } });
    s.delete(CM, 'a', 'y');
    expect(seen).toEqual([['ADDED', 'y'], ['DELETED', 'x'], ['ADDED', 'x'], ['DELETED', 'y']]);
  });

  it('compact ends every watch with 410 and later watches need a relist', () => {
    const s = filled(3);
    const errors: number[] = [];
    s.watch(CM, {}, undefined, { event: () => true, expire: (e) => errors.push(e.code) });
    const rv = s.resourceVersion;
    s.create(CM, cm('a', 'late'));
    expect(s.compact()).toBe(1);
    expect(errors).toEqual([410]);
    expect(() => s.watch(CM, {}, rv, { event: () => true, expire: () => {} })).toThrow(expect.objectContaining({ code: 410 }));
    expect(s.watcherCount).toBe(0);
  });
});
