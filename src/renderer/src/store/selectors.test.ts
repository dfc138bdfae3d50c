import { describe, expect, it } from 'vitest';
import { siteHealth, type Problem } from '../../../shared/derive';
import { node, pod, workload } from '../../../shared/derive/test-fleet';
import { mirrorFromSnapshot } from './mirror';
import {
  allLoaded,
  connectionView,
  findWorkloads,
  isSiteId,
  isTrainingFleet,
  mirrorsKey,
  podPhases,
  problemTarget,
  resolvedTheme,
  topProblems,
  workloadPods,
} from './selectors';
import { emptySnapshot, siteInfo } from './testing';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('connectionView', () => {
  it('shows the state word and what to do about it', () => {
    expect(connectionView(undefined, NOW)).toEqual({ state: 'connecting', detail: '' });
    expect(connectionView({ site: 'fra', state: 'live', rttMs: 12 }, NOW)).toEqual({ state: 'live', detail: '' });
    expect(connectionView({ site: 'fra', state: 'stale', lastSyncAt: NOW - 42_000 }, NOW)).toEqual({ state: 'stale', detail: 'last sync 42 s ago' });
    expect(connectionView({ site: 'fra', state: 'stale', lastSyncAt: NOW - 180_000, error: 'connect ECONNREFUSED', retryInMs: 4_000 }, NOW).detail).toBe(
      'last sync 3 min ago · connect ECONNREFUSED · retry in 4 s',
    );
    const retrying = { site: 'fra', state: 'unreachable', error: 'refused', retryInMs: 8_000 } as const;
    expect(connectionView(retrying, NOW, NOW - 3_000).detail).toBe('refused · retry in 5 s');
    expect(connectionView(retrying, NOW, NOW - 9_000).detail).toBe('refused · retrying');
    expect(connectionView({ site: 'fra', state: 'unreachable', error: 'connect ECONNREFUSED 127.0.0.1:6443' }, NOW)).toEqual({ state: 'unreachable', detail: 'connect ECONNREFUSED 127.0.0.1:6443' });
    const cred = connectionView({ site: 'fra', state: 'credentials-expired', error: '401 Unauthorized' }, NOW);
    expect(cred.state).toBe('credentials-expired');
    expect(cred.detail).toContain('401 Unauthorized');
  });

  it('says what a site waiting for Vault credentials waits for', () => {
    const error = 'Sign in to Vault to connect to fra: its credentials come from Vault kubernetes-fra/creds/operator (namespace default).';
    expect(connectionView({ site: 'fra', state: 'awaiting-credentials', error, retryInMs: 800 }, NOW)).toEqual({ state: 'awaiting-credentials', detail: error });
    // After a sign-out the data on screen is as old as the last sync.
    expect(connectionView({ site: 'fra', state: 'awaiting-credentials', error: 'Vault is sealed (503)', lastSyncAt: NOW - 120_000 }, NOW).detail).toBe('Vault is sealed (503) · last sync 2 min ago');
    expect(connectionView({ site: 'fra', state: 'awaiting-credentials' }, NOW).detail).toBe('waiting for credentials from Vault');
  });
});

describe('site list', () => {
  it('calls it the training fleet only when every site is', () => {
    expect(isTrainingFleet([siteInfo('fra'), siteInfo('ams')])).toBe(true);
    expect(isTrainingFleet([siteInfo('fra'), siteInfo('ams', { training: false })])).toBe(false);
    expect(isTrainingFleet([])).toBe(false);
  });

  it('is loaded once every site has a mirror', () => {
    const sites = [siteInfo('fra'), siteInfo('ams')];
    const fra = mirrorFromSnapshot(emptySnapshot('fra', 0));
    expect(allLoaded({ boot: { phase: 'starting' }, sites: [], mirrors: {} })).toBe(false);
    expect(allLoaded({ boot: { phase: 'ready' }, sites, mirrors: { fra } })).toBe(false);
    expect(allLoaded({ boot: { phase: 'ready' }, sites, mirrors: { fra, ams: mirrorFromSnapshot(emptySnapshot('ams', 0)) } })).toBe(true);
  });

  it('accepts only contract site ids as keys', () => {
    expect(isSiteId('fra')).toBe(true);
    expect(isSiteId('__proto__')).toBe(false);
    expect(isSiteId('constructor')).toBe(true);
    expect(isSiteId(7)).toBe(false);
  });

  it('keys mirrors by version', () => {
    const fra = mirrorFromSnapshot(emptySnapshot('fra', 0));
    expect(mirrorsKey([siteInfo('fra'), siteInfo('ams')], { fra })).toBe('fra:0,ams:-1');
  });
});

describe('theme', () => {
  it('follows the system unless overridden', () => {
    expect(resolvedTheme({ themePref: 'system', systemDark: true })).toBe('dark');
    expect(resolvedTheme({ themePref: 'system', systemDark: false })).toBe('light');
    expect(resolvedTheme({ themePref: 'light', systemDark: true })).toBe('light');
  });
});

describe('health views', () => {
  const health = siteHealth({
    nodes: [node('n1', { ready: 'False' }), node('n2')],
    pods: [pod('a'), pod('b', { phase: 'Pending', status: 'Pending' }), pod('c', { phase: 'Weird' })],
    events: [],
    workloads: [],
    now: NOW,
  });

  it('orders pod phases the usual way, extra phases last', () => {
    expect(podPhases(health)).toEqual([
      ['Running', 1],
      ['Pending', 1],
      ['Failed', 0],
      ['Succeeded', 0],
      ['Unknown', 0],
      ['Weird', 1],
    ]);
  });

  it('caps the problems list', () => {
    expect(topProblems(health, 15).map((p) => p.kind)).toEqual(['node-not-ready', 'pods-pending']);
    expect(topProblems(health, 1).map((p) => p.kind)).toEqual(['node-not-ready']);
    expect(topProblems(undefined)).toEqual([]);
  });
});

describe('problemTarget', () => {
  const p = (kind: Problem['kind'], subject: string): Problem => ({ id: `${kind}:${subject}`, kind, severity: 'warning', subject, title: '' });
  it('opens the node, the workload, or the bare pod', () => {
    expect(problemTarget('fra', p('node-cordoned', 'fra-a-r01-u01'))).toEqual({ kind: 'node', site: 'fra', name: 'fra-a-r01-u01' });
    expect(problemTarget('fra', p('crash-loop', 'shop/Deployment/web'))).toEqual({ kind: 'workload', site: 'fra', namespace: 'shop', name: 'web', workloadKind: 'Deployment' });
    expect(problemTarget('fra', p('pods-pending', 'shop/Pod/debug'))).toEqual({ kind: 'pod', site: 'fra', namespace: 'shop', name: 'debug' });
    expect(problemTarget('fra', p('crash-loop', 'nonsense'))).toBeUndefined();
  });
});

describe('workload lookups', () => {
  const m = mirrorFromSnapshot(
    emptySnapshot('fra', 0, {
      workloads: [workload('web'), workload('web', { kind: 'StatefulSet' })],
      pods: [pod('web-1'), pod('web-2', { status: 'CrashLoopBackOff' }), pod('other', { deployment: 'other' }), pod('web-x', { namespace: 'else' })],
    }),
  );
  it('finds workloads by name with or without the kind', () => {
    expect(findWorkloads(m, 'shop', 'web').map((w) => w.kind)).toEqual(['Deployment', 'StatefulSet']);
    expect(findWorkloads(m, 'shop', 'web', 'StatefulSet')).toHaveLength(1);
    expect(findWorkloads(m, 'shop', 'nope')).toEqual([]);
  });
  it('lists a workload’s pods worst first', () => {
    expect(workloadPods(m, 'shop', 'web', 'Deployment').map((p) => p.name)).toEqual(['web-2', 'web-1']);
  });
});
