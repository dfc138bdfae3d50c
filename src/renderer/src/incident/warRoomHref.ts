/**
 * The address of the war-room screen for this console: the host's
 * `/warroom`, which answers with a redirect to the screen carrying the
 * viewer token (an operator's token must not end up on a wall screen; only
 * the host knows the viewer's). Only a browser console has one; the Electron
 * window has no token in its address (its contract comes over IPC), and war-
 * room screens are served by the browser host (`npm run web`).
 */
export function warRoomHref(current: string): string | undefined {
  if (typeof window !== 'undefined' && window.triptych !== undefined) return undefined;
  let u: URL;
  try {
    u = new URL(current);
  } catch {
    return undefined;
  }
  const token = u.searchParams.get('token');
  if (token === null || token === '' || (u.protocol !== 'http:' && u.protocol !== 'https:')) return undefined;
  const out = new URL('/warroom', u);
  out.searchParams.set('token', token);
  return out.toString();
}
