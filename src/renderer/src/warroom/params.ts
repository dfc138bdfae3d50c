/**
 * What the war-room screen's address asks for: `?view=warroom` (with the
 * console's `token`), and `rotate=<seconds>` between its views (default 20;
 * 0 keeps the first view). A bad value is not fatal on a wall screen: the
 * default is used and the screen says what to fix in the address.
 */

/** The war-room screen's views, in rotation order. */
export const WARROOM_VIEWS = ['sites', 'timeline'] as const;
export type WarRoomView = (typeof WARROOM_VIEWS)[number];

export const DEFAULT_ROTATE_S = 20;
/** Shorter than this nobody can read a view before it goes; longer than an hour is no rotation. */
export const MIN_ROTATE_S = 5;
export const MAX_ROTATE_S = 3_600;

export interface WarRoomParams {
  /** Milliseconds per view; 0 = no rotation. */
  rotateMs: number;
  /** What was wrong with the address, to show on screen. */
  problem?: string;
}

/** True when the page was opened as a war-room screen. */
export function isWarRoom(search: string): boolean {
  return new URLSearchParams(search).get('view') === 'warroom';
}

/** The rotation the address asks for. */
export function warRoomParams(search: string): WarRoomParams {
  const raw = new URLSearchParams(search).get('rotate');
  if (raw === null || raw === '') return { rotateMs: DEFAULT_ROTATE_S * 1_000 };
  const n = Number(raw);
  if (/^\d+$/.test(raw) && (n === 0 || (n >= MIN_ROTATE_S && n <= MAX_ROTATE_S))) return { rotateMs: n * 1_000 };
  return {
    rotateMs: DEFAULT_ROTATE_S * 1_000,
    problem: `rotate=${raw.slice(0, 20)} is not a rotation: use whole seconds from ${MIN_ROTATE_S} to ${MAX_ROTATE_S}, or rotate=0 to stay on one view (showing every ${DEFAULT_ROTATE_S} s meanwhile)`,
  };
}

/** The view shown at `now`, the ms until the next and the view changes so far, for a rotation that began at `since`. */
export function rotationAt(rotateMs: number, since: number, now: number): { view: WarRoomView; index: number; nextInMs: number | undefined; rotations: number } {
  if (rotateMs <= 0) return { view: WARROOM_VIEWS[0], index: 0, nextInMs: undefined, rotations: 0 };
  const elapsed = Math.max(0, now - since);
  const rotations = Math.floor(elapsed / rotateMs);
  const index = rotations % WARROOM_VIEWS.length;
  return { view: WARROOM_VIEWS[index] as WarRoomView, index, nextInMs: rotateMs - (elapsed % rotateMs), rotations };
}

/** The address without its token: what the address bar shows once connected. */
export function withoutToken(href: string): string {
  const u = new URL(href);
  u.searchParams.delete('token');
  return u.toString();
}
