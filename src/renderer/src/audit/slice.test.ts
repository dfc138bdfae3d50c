import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditQuery, AuditVerification } from '../../../shared/audit';
import { createAppStore } from '../store/store';
import { fakeClient, manualDeps, settle, siteInfo, type FakeOverrides } from '../store/testing';
import { REVERIFY_MS } from './slice';
import { AUDIT_VIEW_LIMIT } from './state';

function entry(seq: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return { seq, at: new Date(Date.parse('2025-06-01T12:00:00Z') + seq * 1000).toISOString(), who: 'userpass-operator', verb: 'cordon', site: 'fra', result: 'ok', prev: '0'.repeat(64), hash: 'f'.repeat(64), ...over };
}

/** A host whose audit queries wait until the test answers them, in any order. */
function auditHost(over: FakeOverrides = {}) {
  const queries: { q: AuditQuery; answer(entries: AuditEntry[] | Error): void }[] = [];
  let verifications = 0;
  const verification: AuditVerification = { ok: true, entries: 3 };
  const exports: [AuditQuery, string][] = [];
  const fake = fakeClient([siteInfo('fra'), siteInfo('ams')], [], {
    audit: {
      query: (q) =>
        new Promise((resolve, reject) => {
          queries.push({ q, answer: (a) => (a instanceof Error ? reject(a) : resolve(a)) });
        }),
      verify: () => (verifications++, Promise.resolve(verification)),
      export: (q, format) => (exports.push([q, format]), Promise.resolve(`${format} text`)),
      ...over.audit,
    },
  });
  const deps = manualDeps(fake.client);
  const store = createAppStore(deps);
  return { fake, deps, store, actions: store.getState().actions, queries, exports, verifications: () => verifications };
}

describe('audit view', () => {
  it('opens: follows audit.entry, asks for the newest entries up to the view limit, checks the chain', async () => {
    const h = auditHost();
    const opened = h.actions.openAudit();
    await settle();
    expect(h.fake.log).toContain('on:audit.entry');
    expect(h.queries.map((x) => x.q)).toEqual([{ limit: AUDIT_VIEW_LIMIT }]);
    h.queries[0]?.answer([entry(3), entry(2), entry(1)]);
    await opened;
    const a = h.store.getState().audit;
    expect(a.open).toBe(true);
    expect(a.loading).toBe(false);
    expect(a.entries.map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(a.verification).toEqual({ ok: true, entries: 3 });
  });

  it('prepends live entries that match the filter, and only those', async () => {
    const h = auditHost();
    const opened = h.actions.openAudit();
    await settle();
    h.queries[0]?.answer([entry(1)]);
    await opened;
    const filtered = h.actions.filterAudit({ verb: 'cordon', site: 'fra' });
    await settle();
    expect(h.queries[1]?.q).toEqual({ verb: 'cordon', site: 'fra', limit: AUDIT_VIEW_LIMIT });
    h.queries[1]?.answer([entry(1)]);
    await filtered;
    h.fake.emit('audit.entry', entry(2));
    h.fake.emit('audit.entry', entry(3, { verb: 'drain' }));
    h.fake.emit('audit.entry', entry(4, { site: 'ams' }));
    h.fake.emit('audit.entry', { nonsense: true } as never);
    expect(h.store.getState().audit.entries.map((e) => e.seq)).toEqual([2, 1]);
  });

  it('keeps entries that arrive while a query is out, once each, on top of its answer', async () => {
    const h = auditHost();
    const opened = h.actions.openAudit();
    await settle();
    // 5 arrives before the host read the trail (the answer lacks it), 4 after (the answer has it).
    h.fake.emit('audit.entry', entry(4));
    h.fake.emit('audit.entry', entry(5));
    h.queries[0]?.answer([entry(4), entry(3)]);
    await opened;
    expect(h.store.getState().audit.entries.map((e) => e.seq)).toEqual([5, 4, 3]);
  });

  it('drops the answer of a filter that was replaced meanwhile', async () => {
    const h = auditHost();
    const opened = h.actions.openAudit();
    await settle();
    const first = h.actions.filterAudit({ site: 'fra' });
    const second = h.actions.filterAudit({ site: 'ams' });
    await settle();
    expect(h.queries.map((x) => x.q.site)).toEqual([undefined, 'fra', 'ams']);
    h.queries[2]?.answer([entry(9, { site: 'ams' })]);
    h.queries[1]?.answer([entry(8, { site: 'fra' })]);
    h.queries[0]?.answer([entry(7)]);
    await Promise.all([opened, first, second]);
    const a = h.store.getState().audit;
    expect(a.filter).toEqual({ site: 'ams' });
    expect(a.entries.map((e) => e.seq)).toEqual([9]);
  });

  it('keeps at most the view limit when live entries keep coming', async () => {
    const h = auditHost();
    const opened = h.actions.openAudit();
    await settle();
    h.queries[0]?.answer(Array.from({ length: AUDIT_VIEW_LIMIT }, (_, i) => entry(AUDIT_VIEW_LIMIT - i)));
    await opened;
    h.fake.emit('audit.entry', entry(AUDIT_VIEW_LIMIT + 1));
    const entries = h.store.getState().audit.entries;
    expect(entries).toHaveLength(AUDIT_VIEW_LIMIT);
    expect(entries[0]?.seq).toBe(AUDIT_VIEW_LIMIT + 1);
    expect(entries.at(-1)?.seq).toBe(2);
  });

  it('walks the chain again once after a burst of new entries', async () => {
    const h = auditHost();
    const opened = h.actions.openAudit();
    await settle();
    h.queries[0]?.answer([]);
    await opened;
    expect(h.verifications()).toBe(1);
    h.fake.emit('audit.entry', entry(1));
    h.fake.emit('audit.entry', entry(2, { verb: 'drain' }));
    h.deps.advance(REVERIFY_MS - 1);
    expect(h.verifications()).toBe(1);
    h.deps.advance(1);
    await settle();
    expect(h.verifications()).toBe(2);
  });

  it('closes: no more live entries, no answer of a query still out', async () => {
    const h = auditHost();
    const opened = h.actions.openAudit();
    await settle();
    h.actions.closeAudit();
    h.queries[0]?.answer([entry(1)]);
    await opened;
    h.fake.emit('audit.entry', entry(2));
    h.deps.advance(REVERIFY_MS);
    const a = h.store.getState().audit;
    expect(a.open).toBe(false);
    expect(a.entries).toEqual([]);
    expect(h.verifications()).toBe(1);
  });

  it('exports every entry matching the filter, in the format asked for', async () => {
    const h = auditHost();
    const opened = h.actions.openAudit();
    await settle();
    h.queries[0]?.answer([]);
    await opened;
    const filtered = h.actions.filterAudit({ verb: 'cordon' });
    await settle();
    h.queries[1]?.answer([]);
    await filtered;
    expect(await h.actions.exportAudit('csv')).toBe('csv text');
    // No limit: the export is the whole filtered trail, not the rows on screen.
    expect(h.exports).toEqual([[{ verb: 'cordon' }, 'csv']]);
  });

  it('says why a query, an export or the chain check failed', async () => {
    const h = auditHost({ audit: { export: () => Promise.reject(new Error('disk gone')), verify: () => Promise.reject(new Error('cannot read the trail')) } });
    const opened = h.actions.openAudit();
    await settle();
    h.queries[0]?.answer(new Error('the trail is not readable'));
    await opened;
    expect(h.store.getState().audit).toMatchObject({ loading: false, error: 'the trail is not readable', verifyError: 'cannot read the trail' });
    expect(await h.actions.exportAudit('jsonl')).toBeUndefined();
    expect(h.store.getState().audit.error).toBe('disk gone');
  });
});
