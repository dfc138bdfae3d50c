import { describe, expect, it } from 'vitest';
import { DEFAULT_ROTATE_S, isWarRoom, rotationAt, warRoomParams, withoutToken } from './params';

describe('war-room address', () => {
  it('is a war-room screen only with view=warroom', () => {
    expect(isWarRoom('?token=x&view=warroom')).toBe(true);
    expect(isWarRoom('?token=x')).toBe(false);
    expect(isWarRoom('?view=WARROOM')).toBe(false);
  });

  it('rotates every 20 s by default, as asked, or not at all; says what to fix in a bad value', () => {
    expect(warRoomParams('?view=warroom')).toEqual({ rotateMs: DEFAULT_ROTATE_S * 1000 });
    expect(warRoomParams('?rotate=45')).toEqual({ rotateMs: 45_000 });
    expect(warRoomParams('?rotate=0')).toEqual({ rotateMs: 0 });
    for (const bad of ['abc', '-5', '2', '1.5', '99999']) {
      const p = warRoomParams(`?rotate=${bad}`);
      expect(p.rotateMs).toBe(20_000);
      expect(p.problem).toMatch(new RegExp(`rotate=${bad.replace('.', '\\.')} is not a rotation: use whole seconds from 5 to 3600, or rotate=0`));
    }
  });

  it('knows the view at a time, the time to the next and the rotations so far', () => {
    expect(rotationAt(20_000, 0, 0)).toEqual({ view: 'sites', index: 0, nextInMs: 20_000, rotations: 0 });
    expect(rotationAt(20_000, 0, 25_000)).toEqual({ view: 'timeline', index: 1, nextInMs: 15_000, rotations: 1 });
    expect(rotationAt(20_000, 0, 41_000)).toMatchObject({ view: 'sites', rotations: 2 });
    expect(rotationAt(0, 0, 99_000)).toEqual({ view: 'sites', index: 0, nextInMs: undefined, rotations: 0 });
  });

  it('drops the token from the address, keeping the rest', () => {
    expect(withoutToken('http://127.0.0.1:4000/?token=s3cret&view=warroom&rotate=0')).toBe('http://127.0.0.1:4000/?view=warroom&rotate=0');
  });
});
