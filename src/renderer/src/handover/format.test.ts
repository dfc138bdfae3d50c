import { describe, expect, it } from 'vitest';
import type { RunbookRun, SiteDiff } from '../../../shared/handover';
import { fileName, nodesText, runActions, runSites, siteChanges, utcTime, warningCount } from './format';

describe('utcTime', () => {
  it('shows UTC, minutes or seconds; says what it cannot read', () => {
    expect(utcTime('2025-06-01T18:04:05.123Z')).toBe('2025-06-01 18:04 UTC');
    expect(utcTime('2025-06-01T20:04:05+02:00', true)).toBe('2025-06-01 18:04:05 UTC');
    expect(utcTime(undefined)).toBe('–');
    expect(utcTime('soon')).toBe('soon');
  });
});

describe('siteChanges', () => {
  const none: SiteDiff = { site: 'fra', name: 'Frankfurt', compared: true, notReady: [], recovered: [], cordoned: [], uncordoned: [], crashloopsStarted: [], crashloopsEnded: [], maintenanceStarted: [], maintenanceEnded: [] };

  it('says nothing when nothing changed', () => {
    expect(siteChanges(none)).toEqual([]);
  });

  it('names each change, nodes grouped by rack', () => {
    const lines = siteChanges({
      ...none,
      notReady: [
        { name: 'n1', rack: 'A-01' },
        { name: 'n2', rack: 'A-01' },
        { name: 'n3' },
      ],
      cordoned: [{ name: 'n4', rack: 'B-02' }],
      crashloopsStarted: [{ namespace: 'shop', kind: 'Deployment', name: 'cart' }],
      maintenanceStarted: [{ scope: 'node/n4', holder: 'userpass-operator', since: '2025-06-01T12:00:00Z' }],
    });
    expect(lines).toEqual(['became NotReady: n1, n2 (rack A-01), n3', 'cordoned: n4 (rack B-02)', 'crashloop started: shop/Deployment/cart', 'maintenance started: node/n4 by userpass-operator']);
  });

  it('groups nodes by rack', () => {
    expect(nodesText([])).toBe('');
  });
});

describe('runbook runs and counts', () => {
  const run: RunbookRun = { run: 'r1', runbook: 'drain-node', site: 'fra', sites: ['fra'], who: 'op', result: 'running', actions: 3, failedActions: 0 };

  it('names where a run acted and how many actions failed', () => {
    expect(runSites(run)).toBe('fra');
    expect(runSites({ ...run, sites: ['fra', 'ams'] })).toBe('fra, ams');
    expect(runActions(run)).toBe('3');
    expect(runActions({ ...run, failedActions: 1 })).toBe('3 (1 failed)');
  });

  it('says when the report lists only the newest warning events', () => {
    expect(warningCount(3, 3)).toBe('3');
    expect(warningCount(20, 134)).toBe('newest 20 of 134');
  });

  it('makes a safe file name of an id', () => {
    expect(fileName('handover-20250601-180000', 'md')).toBe('handover-20250601-180000.md');
    expect(fileName('../x y', 'md')).toBe('_._x_y.md');
  });
});
