import { describe, expect, it } from 'vitest';
import { buildPolicies, isAllowed, policiesFor } from './policy';

const policies = buildPolicies(['a', 'b']);
const can = (role: 'admin' | 'operator' | 'viewer' | 'root', path: string, cap: Parameters<typeof isAllowed>[3]) =>
  isAllowed(policies, policiesFor(role), path, cap);

describe('policy model', () => {
  it('lets a viewer read KV under triptych/ only', () => {
    expect(can('viewer', 'secret/data/triptych/db', 'read')).toBe(true);
    expect(can('viewer', 'secret/data/triptych/deep/er', 'read')).toBe(true);
    expect(can('viewer', 'secret/data/other', 'read')).toBe(false);
    expect(can('viewer', 'secret/data/triptych/db', 'update')).toBe(false);
    expect(can('viewer', 'secret/metadata/triptych/', 'list')).toBe(true);
    expect(can('viewer', 'secret/metadata/', 'list')).toBe(false);
  });

  it('lets an operator write under triptych/ but not elsewhere', () => {
    expect(can('operator', 'secret/data/triptych/db', 'create')).toBe(true);
    expect(can('operator', 'secret/data/triptych/db', 'update')).toBe(true);
    expect(can('operator', 'secret/data/triptych/db', 'delete')).toBe(false);
    expect(can('operator', 'secret/data/other', 'read')).toBe(false);
  });

  it('grants Kubernetes roles at or below the user role, per site mount', () => {
    expect(can('viewer', 'kubernetes-a/creds/viewer', 'update')).toBe(true);
    expect(can('viewer', 'kubernetes-a/creds/operator', 'update')).toBe(false);
    expect(can('viewer', 'kubernetes-a/creds/admin', 'update')).toBe(false);
    expect(can('operator', 'kubernetes-b/creds/operator', 'update')).toBe(true);
    expect(can('operator', 'kubernetes-b/creds/admin', 'update')).toBe(false);
    expect(can('admin', 'kubernetes-b/creds/admin', 'update')).toBe(true);
    expect(can('admin', 'kubernetes-z/creds/admin', 'update')).toBe(false);
  });

  it('gives every token the self-service token and lease paths', () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      expect(can(role, 'auth/token/lookup-self', 'read')).toBe(true);
      expect(can(role, 'auth/token/renew-self', 'update')).toBe(true);
      expect(can(role, 'sys/leases/revoke', 'update')).toBe(true);
    }
  });

  it('lets root do anything', () => {
    expect(can('root', 'anything/at/all', 'delete')).toBe(true);
  });

  it('uses the longest glob, not the union of all globs (Vault semantics)', () => {
    const p = new Map([
      ['wide', [{ path: 'secret/*', capabilities: ['read', 'update'] as const }]],
      ['narrow', [{ path: 'secret/data/x/*', capabilities: ['read'] as const }]],
    ]);
    expect(isAllowed(p, ['wide', 'narrow'], 'secret/data/x/y', 'update')).toBe(false);
    expect(isAllowed(p, ['wide', 'narrow'], 'secret/data/z', 'update')).toBe(true);
  });
});
