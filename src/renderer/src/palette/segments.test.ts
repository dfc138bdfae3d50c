import { describe, expect, it } from 'vitest';
import { segments } from './segments';

describe('segments', () => {
  it('groups matched and unmatched runs', () => {
    expect(segments('checkout-api', [0, 1, 2, 9, 10, 11])).toEqual([
      { text: 'che', hit: true },
      { text: 'ckout-', hit: false },
      { text: 'api', hit: true },
    ]);
    expect(segments('abc', [])).toEqual([{ text: 'abc', hit: false }]);
    expect(segments('', [0])).toEqual([]);
  });
});
