import { describe, expect, it } from 'vitest';
import { podWorkload, refString } from './owner';
import { pod } from './test-fleet';

describe('podWorkload', () => {
  it('names the Deployment behind a ReplicaSet, else the owner, else the pod itself', () => {
    expect(podWorkload(pod('web-6d4cf56db6-x2kfp'))).toEqual({ kind: 'Deployment', name: 'web' });
    expect(podWorkload(pod('rs-abcde', { ownerName: 'rs', deployment: undefined }))).toEqual({ kind: 'ReplicaSet', name: 'rs' });
    expect(podWorkload(pod('db-0', { ownerKind: 'StatefulSet', ownerName: 'db', deployment: undefined }))).toEqual({ kind: 'StatefulSet', name: 'db' });
    expect(podWorkload(pod('debug', { ownerKind: '', ownerName: '', deployment: undefined }))).toEqual({ kind: 'Pod', name: 'debug' });
    expect(refString({ kind: 'Deployment', name: 'web' })).toBe('Deployment/web');
  });
});
