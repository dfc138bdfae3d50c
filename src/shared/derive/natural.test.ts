import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { naturalCompare } from './natural';

const sorted = (xs: string[]): string[] => [...xs].sort(naturalCompare);

describe('naturalCompare', () => {
  it('orders numbers by value', () => {
    expect(sorted(['A-10', 'A-2', 'A-1', 'B-1', 'A-20'])).toEqual(['A-1', 'A-2', 'A-10', 'A-20', 'B-1']);
    expect(sorted(['node-100', 'node-9', 'node-10'])).toEqual(['node-9', 'node-10', 'node-100']);
    expect(sorted(['fra-b-r10-u02', 'fra-b-r09-u40', 'fra-a-r10-u01', 'fra-b-r9-u1'])).toEqual([
      'fra-a-r10-u01',
      'fra-b-r9-u1',
      'fra-b-r09-u40',
      'fra-b-r10-u02',
    ]);
  });

  it('is case-insensitive first, then total', () => {
    expect(sorted(['b', 'A', 'a', 'B'])).toEqual(['A', 'a', 'B', 'b']);
    expect(naturalCompare('Rack', 'rack')).not.toBe(0);
    expect(naturalCompare('abc', 'ABD')).toBeLessThan(0);
  });

  it('puts fewer leading zeros first among equal numbers, and prefixes first', () => {
    expect(sorted(['A-07', 'A-7', 'A-007'])).toEqual(['A-7', 'A-07', 'A-007']);
    expect(sorted(['web-1-b', 'web-1', 'web'])).toEqual(['web', 'web-1', 'web-1-b']);
    expect(naturalCompare('x', 'x')).toBe(0);
    expect(naturalCompare('', 'a')).toBeLessThan(0);
  });

  it('compares numbers longer than a double without losing precision', () => {
    expect(naturalCompare('job-90071992547409930', 'job-90071992547409931')).toBeLessThan(0);
    expect(naturalCompare('job-123456789012345678901', 'job-99999999999999999999')).toBeGreaterThan(0);
  });

  it('is a total order: antisymmetric, transitive, 0 only for equal strings', () => {
    const name = fc.stringMatching(/^[a-cA-C0-9-]{0,8}$/);
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        const ab = Math.sign(naturalCompare(a, b));
        expect(Math.sign(naturalCompare(b, a))).toBe(-ab || 0);
        expect(ab === 0).toBe(a === b);
        if (ab <= 0 && naturalCompare(b, c) <= 0) expect(naturalCompare(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 3000 },
    );
  });
});
