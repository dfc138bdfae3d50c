import { describe, expect, it } from 'vitest';
import { warRoomHref } from './warRoomHref';

describe('the war-room link', () => {
  it("is this host's /warroom with the console's token (the host redirects to the viewer's)", () => {
    expect(warRoomHref('http://127.0.0.1:4000/?token=abc')).toBe('http://127.0.0.1:4000/warroom?token=abc');
  });

  it('is nothing without a token or off http(s)', () => {
    expect(warRoomHref('http://127.0.0.1:4000/')).toBeUndefined();
    expect(warRoomHref('triptych://app/index.html?token=abc')).toBeUndefined();
    expect(warRoomHref('not a url')).toBeUndefined();
  });
});
