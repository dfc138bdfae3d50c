import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit';
import { EMPTY_FORM, filterToForm, formToFilter, isAuditEntry, matchesFilter, objectText, prependLive, runbookText } from './query';

function entry(seq: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return { seq, at: `2025-06-01T12:${String(seq % 60).padStart(2, '0')}:00.000Z`, who: 'userpass-operator', verb: 'cordon', site: 'fra', result: 'ok', prev: '0'.repeat(64), hash: 'f'.repeat(64), ...over };
}

describe('formToFilter', () => {
  it('leaves empty fields out and trims the rest', () => {
    expect(formToFilter(EMPTY_FORM)).toEqual({});
    expect(formToFilter({ ...EMPTY_FORM, site: 'fra', who: ' alice ', verb: 'cordon ', text: ' r01 ' })).toEqual({ site: 'fra', who: 'alice', verb: 'cordon', text: 'r01' });
  });

  it('reads times as UTC and lets "to" include the whole minute it names', () => {
    expect(formToFilter({ ...EMPTY_FORM, from: '2025-06-01T12:00', to: '2025-06-01T12:05' })).toEqual({
      from: Date.parse('2025-06-01T12:00:00Z'),
      to: Date.parse('2025-06-01T12:05:59.999Z'),
    });
    // With seconds given, "to" is that very second.
    expect(formToFilter({ ...EMPTY_FORM, to: '2025-06-01T12:05:30' })).toEqual({ to: Date.parse('2025-06-01T12:05:30Z') });
  });

  it('says what is wrong with a time or a range that ends before it starts', () => {
    expect(formToFilter({ ...EMPTY_FORM, from: 'yesterday' })).toEqual({ problem: expect.stringMatching(/"yesterday" is not a time/) });
    expect(formToFilter({ ...EMPTY_FORM, from: '2025-06-01T13:00', to: '2025-06-01T12:00' })).toEqual({ problem: 'the time range ends before it starts' });
  });
});

describe('filterToForm', () => {
  it('gives back the form a filter came from', () => {
    const forms = [EMPTY_FORM, { ...EMPTY_FORM, site: 'fra', who: 'alice', verb: 'drain', text: 'r01', from: '2025-06-01T12:00', to: '2025-06-01T12:05' }, { ...EMPTY_FORM, from: '2025-06-01T12:00:30', to: '2025-06-01T12:05:30' }];
    for (const form of forms) {
      const f = formToFilter(form);
      expect('problem' in f).toBe(false);
      expect(filterToForm(f as Exclude<typeof f, { problem: string }>)).toEqual(form);
    }
  });
});

describe('matchesFilter', () => {
  const e = entry(5, { object: { kind: 'Node', name: 'fra-a-r01-u04' }, detail: 'PSU swap' });

  it('matches site, who and verb exactly, as the host does', () => {
    expect(matchesFilter({}, e)).toBe(true);
    expect(matchesFilter({ site: 'fra', who: 'userpass-operator', verb: 'cordon' }, e)).toBe(true);
    expect(matchesFilter({ site: 'ams' }, e)).toBe(false);
    expect(matchesFilter({ verb: 'cordo' }, e)).toBe(false);
    expect(matchesFilter({ who: 'userpass' }, e)).toBe(false);
  });

  it('finds text in the object name or the detail, ignoring case', () => {
    expect(matchesFilter({ text: 'R01' }, e)).toBe(true);
    expect(matchesFilter({ text: 'psu' }, e)).toBe(true);
    expect(matchesFilter({ text: 'cordon' }, e)).toBe(false);
  });

  it('keeps to the time range, bounds included', () => {
    const at = Date.parse(e.at);
    expect(matchesFilter({ from: at, to: at }, e)).toBe(true);
    expect(matchesFilter({ from: at + 1 }, e)).toBe(false);
    expect(matchesFilter({ to: at - 1 }, e)).toBe(false);
  });
});

describe('prependLive', () => {
  it('puts newer entries on top, newest first, each once, within the limit', () => {
    const shown = [entry(3), entry(2), entry(1)];
    const out = prependLive(shown, [entry(4), entry(5), entry(4), entry(2)], 4);
    expect(out.map((x) => x.seq)).toEqual([5, 4, 3, 2]);
  });

  it('keeps the list as it was when nothing is newer', () => {
    expect(prependLive([entry(3)], [entry(3), entry(1)], 10).map((x) => x.seq)).toEqual([3]);
  });
});

describe('entry text', () => {
  it('names the object and the runbook step', () => {
    expect(objectText(entry(1, { object: { kind: 'Deployment', namespace: 'shop', name: 'cart' } }))).toBe('Deployment shop/cart');
    expect(objectText(entry(1, { object: { kind: 'Node', name: 'n1' } }))).toBe('Node n1');
    expect(objectText(entry(1))).toBe('');
    expect(runbookText(entry(1, { runbook: { run: 'run-1', name: 'drain-node', step: 'cordon' } }))).toBe('drain-node · cordon (run-1)');
  });

  it('accepts only entries with the fields the table reads', () => {
    expect(isAuditEntry(entry(1))).toBe(true);
    expect(isAuditEntry({ seq: '1' })).toBe(false);
    expect(isAuditEntry(null)).toBe(false);
  });
});
