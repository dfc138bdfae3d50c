import { describe, expect, it } from 'vitest';
import type { PlacedNode, PlacedRack } from '../rack/layout';
import { clockTime, countKind, groupTouches, maintainedAt, maintenanceText, menuFor, planParams, targetOfHit, type RunbookTargetRef } from './view';
import { drainRack, rackLease, runbookOf } from './testing';

const library = [
  runbookOf('drain-node', 'node'),
  runbookOf('collect-node-diagnostics', 'node'),
  drainRack(),
  runbookOf('return-rack', 'rack'),
  runbookOf('evacuate-site', 'site'),
  runbookOf('restart-service', 'workload'),
  runbookOf('shift-handover', 'none'),
];
const names = (target: RunbookTargetRef) => menuFor(target, library).map((g) => [g.label, g.entries.map((e) => e.runbook.name)]);

describe('menuFor', () => {
  it('offers a node its runbooks, then its rack’s, each on the right target', () => {
    const groups = menuFor({ kind: 'node', site: 'fra', node: 'fra-b-r07-u01', rack: 'B-07' }, library);
    expect(groups.map((g) => [g.label, g.entries.map((e) => e.runbook.name)])).toEqual([
      ['Node fra-b-r07-u01', ['drain-node', 'collect-node-diagnostics']],
      ['Rack B-07', ['drain-rack', 'return-rack']],
    ]);
    expect(groups[1]!.entries[0]!.target).toEqual({ kind: 'rack', site: 'fra', rack: 'B-07' });
  });

  it('offers a rack, a site and a workload only the runbooks of their target; never those of target none', () => {
    expect(names({ kind: 'node', site: 'fra', node: 'x' })).toEqual([['Node x', ['drain-node', 'collect-node-diagnostics']]]);
    expect(names({ kind: 'rack', site: 'fra', rack: 'B-07' })).toEqual([['Rack B-07', ['drain-rack', 'return-rack']]]);
    expect(names({ kind: 'site', site: 'fra' })).toEqual([['Site', ['evacuate-site']]]);
    expect(names({ kind: 'workload', site: 'fra', namespace: 'shop', workloadKind: 'Deployment', name: 'cart' })).toEqual([['Deployment cart', ['restart-service']]]);
  });

  it('offers a Job nothing: a runbook cannot take that kind', () => {
    expect(names({ kind: 'workload', site: 'fra', namespace: 'ops', workloadKind: 'Job', name: 'backup' })).toEqual([]);
  });
});

describe('targetOfHit', () => {
  it('makes a right-click on a node about the node and its rack, and one on a rack’s label about the rack', () => {
    const node = { name: 'fra-b-r07-u01', rack: 'B-07' } as PlacedNode;
    const rack = { name: 'B-07' } as PlacedRack;
    expect(targetOfHit('fra', { kind: 'node', node })).toEqual({ kind: 'node', site: 'fra', node: 'fra-b-r07-u01', rack: 'B-07' });
    expect(targetOfHit('fra', { kind: 'rack', rack })).toEqual({ kind: 'rack', site: 'fra', rack: 'B-07' });
  });
});

describe('planParams', () => {
  const rb = runbookOf('x', 'workload', [
    { name: 'reason', type: 'string', default: 'maintenance' },
    { name: 'replicas', type: 'number', default: 3 },
    { name: 'force', type: 'boolean', default: false },
    { name: 'ticket', type: 'string' },
  ]);
  const target: RunbookTargetRef = { kind: 'workload', site: 'ams', namespace: 'shop', workloadKind: 'StatefulSet', name: 'db' };

  it('sends the target’s parameters and the declared ones typed', () => {
    expect(planParams(rb, target, { reason: 'PSU', replicas: ' 5 ', force: true, ticket: 'OPS-1' })).toEqual({
      site: 'ams',
      namespace: 'shop',
      kind: 'StatefulSet',
      name: 'db',
      reason: 'PSU',
      replicas: 5,
      force: true,
      ticket: 'OPS-1',
    });
  });

  it('leaves out emptied fields (the default applies, or the host says it is required) and sends a bad number as typed', () => {
    expect(planParams(rb, target, { reason: '', replicas: 'five', force: false, ticket: '' })).toEqual({
      site: 'ams',
      namespace: 'shop',
      kind: 'StatefulSet',
      name: 'db',
      replicas: 'five',
      force: false,
    });
  });

  it('sends a string parameter exactly as typed (spaces are the admin’s), after the target’s parameters', () => {
    expect(planParams(drainRack(), { kind: 'rack', site: 'fra', rack: 'B-07' }, { reason: '  swap PSU ' })).toEqual({ site: 'fra', rack: 'B-07', reason: '  swap PSU ' });
  });
});

describe('touches and counts', () => {
  it('groups a drain’s objects by site and kind, in order', () => {
    const touches = [
      { site: 'fra', kind: 'Node', name: 'n1' },
      { site: 'fra', kind: 'Pod', namespace: 'shop', name: 'a' },
      { site: 'fra', kind: 'Pod', namespace: 'shop', name: 'b' },
      { site: 'ams', kind: 'Node', name: 'm1' },
    ];
    expect(groupTouches(touches).map((g) => [g.site, g.kind, g.refs.length])).toEqual([
      ['fra', 'Node', 1],
      ['fra', 'Pod', 2],
      ['ams', 'Node', 1],
    ]);
  });

  it('counts kinds in English', () => {
    expect([countKind(1, 'Pod'), countKind(3, 'Pod'), countKind(2, 'NetworkPolicy'), countKind(2, 'Ingress')]).toEqual(['1 Pod', '3 Pods', '2 NetworkPolicies', '2 Ingresses']);
  });
});

describe('maintenance', () => {
  const now = new Date(2025, 5, 1, 12, 0).getTime();

  it('reads as every console shows it, in local time', () => {
    const since = new Date(2025, 5, 1, 8, 30).toISOString();
    expect(maintenanceText(rackLease('fra', 'B-07', { since }), now)).toBe('rack B-07 under maintenance by userpass-operator since 08:30 (drain-rack)');
    expect(maintenanceText({ site: 'fra', scope: 'site', holder: 'alice', since }, now)).toBe('site under maintenance by alice since 08:30');
  });

  it('gives the date of a maintenance that began another day, and an unparsable time as it is', () => {
    expect(clockTime(new Date(2025, 4, 31, 22, 5).toISOString(), now)).toBe('2025-05-31 22:05');
    expect(clockTime('yesterday', now)).toBe('yesterday');
  });

  it('sorts one site’s Leases into racks, nodes and the whole site', () => {
    const m = maintainedAt([rackLease('fra', 'B-07'), rackLease('ams', 'A-01'), { site: 'fra', scope: 'node/fra-a-r01-u04', holder: 'x', since: '' }], 'fra');
    expect([...m.racks.keys()]).toEqual(['B-07']);
    expect([...m.nodes.keys()]).toEqual(['fra-a-r01-u04']);
    expect(m.whole).toBeUndefined();
  });
});
