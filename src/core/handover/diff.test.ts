/** The diff between two handovers, on small literal reports. */
import { describe, expect, it } from 'vitest';
import { diff, MAINTENANCE_PROBLEM } from './diff';
import type { HandoverReport, SiteHandover } from './types';

function site(id: string, o: Partial<SiteHandover> = {}): SiteHandover {
  return { site: id, name: id.toUpperCase(), reachable: true, problems: [], notReadyNodes: [], cordonedNodes: [], maintenance: [], crashloops: [], warningEvents: [], warningEventsTotal: 0, ...o };
}

function report(id: string, sites: SiteHandover[], notes: HandoverReport['notes'] = []): HandoverReport {
  return { version: 1, id, createdAt: '2026-11-28T08:00:00.000Z', by: 'alice', shiftStart: '2026-11-27T20:00:00.000Z', sites, runbooks: [], notes, notices: [] };
}

const crash = (name: string) => ({ namespace: 'shop', kind: 'Deployment', name, pods: 1, restarts: 4 });
const lease = (scope: string, holder: string, since: string) => ({ scope, holder, since });

describe('diff', () => {
  it('lists what started and what ended at each site', () => {
    const before = report('h1', [
      site('fra', {
        notReadyNodes: [{ name: 'n1', rack: 'A-01', ready: 'Unknown' }, { name: 'n2', ready: 'False' }],
        cordonedNodes: [{ name: 'n5', rack: 'B-02', by: 'alice' }],
        crashloops: [crash('cart'), crash('web')],
        maintenance: [lease('rack/B-02', 'alice', '2026-11-28T01:00:00Z')],
      }),
    ]);
    const after = report('h2', [
      site('fra', {
        notReadyNodes: [{ name: 'n2', ready: 'False' }, { name: 'n3', rack: 'A-01', ready: 'Unknown' }],
        cordonedNodes: [{ name: 'n6', rack: 'B-03' }],
        crashloops: [crash('web'), { ...crash('api'), kind: 'StatefulSet' }],
        // Bob took the rack over: one maintenance ended, another started.
        maintenance: [lease('rack/B-02', 'bob', '2026-11-28T07:00:00Z')],
      }),
    ]);
    expect(diff(before, after).sites).toEqual([
      {
        site: 'fra',
        name: 'FRA',
        compared: true,
        notReady: [{ name: 'n3', rack: 'A-01' }],
        recovered: [{ name: 'n1', rack: 'A-01' }],
        cordoned: [{ name: 'n6', rack: 'B-03' }],
        uncordoned: [{ name: 'n5', rack: 'B-02' }],
        crashloopsStarted: [{ namespace: 'shop', kind: 'StatefulSet', name: 'api' }],
        crashloopsEnded: [{ namespace: 'shop', kind: 'Deployment', name: 'cart' }],
        maintenanceStarted: [lease('rack/B-02', 'bob', '2026-11-28T07:00:00Z')],
        maintenanceEnded: [lease('rack/B-02', 'alice', '2026-11-28T01:00:00Z')],
      },
    ]);
  });

  it('compares nothing at a site either report could not see: empty lists there are not "all clear"', () => {
    const problems = report('h1', [site('fra', { notReadyNodes: [{ name: 'n1', ready: 'Unknown' }] }), site('ams', { reachable: false }), site('par')]);
    const now = report('h2', [site('fra', { reachable: false }), site('ams'), site('par'), site('lon')]);
    expect(diff(problems, now).sites.map((s) => [s.site, s.compared, s.why, s.recovered])).toEqual([
      ['fra', false, 'unreachable now', []],
      ['ams', false, 'unreachable at the previous handover', []],
      ['par', true, undefined, []],
      ['lon', false, 'not in the previous handover', []],
    ]);
  });

  it('leaves maintenance out of the comparison when either read of the Leases failed', () => {
    const before = report('h1', [site('fra', { maintenance: [lease('rack/A-01', 'alice', '2026-11-28T01:00:00Z')] })]);
    const now = report('h2', [site('fra', { problems: [`${MAINTENANCE_PROBLEM}: timeout`], cordonedNodes: [{ name: 'n1' }] })]);
    const d = diff(before, now).sites[0];
    expect(d).toMatchObject({ compared: true, maintenanceEnded: [], maintenanceStarted: [], cordoned: [{ name: 'n1' }] });
  });

  it('names the notes closed and added', () => {
    const note = (id: string, open: boolean) => ({ id, text: id, open, by: 'alice', since: '2026-11-27T20:00:00.000Z' });
    const before = report('h1', [], [note('h0/1', true), note('h0/2', true), note('h1/1', true)]);
    const now = report('h2', [], [note('h0/1', false), note('h0/2', true), note('h1/1', true), note('h2/1', true)]);
    const d = diff(before, now);
    expect(d.previous).toEqual({ id: 'h1', createdAt: before.createdAt, by: 'alice' });
    expect(d.notesClosed.map((n) => n.id)).toEqual(['h0/1']);
    expect(d.notesAdded.map((n) => n.id)).toEqual(['h2/1']);
  });
});
