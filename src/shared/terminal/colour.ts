/**
 * Stable colours for the streams of a multiplexed log tail: the same site,
 * pod and container get the same colour in every session, on every screen,
 * so an operator learns to recognise them. A hash of the stream's name picks
 * from a palette, as stern does; equal colours for different streams are
 * possible (the prefix text still tells them apart).
 */
import { sanitizeLine } from './sanitize';

/**
 * xterm 256-colour indexes that read well on dark and light backgrounds and
 * are not the red/yellow the log levels themselves use.
 */
export const STREAM_PALETTE: readonly number[] = [39, 42, 170, 208, 75, 114, 177, 215, 45, 149, 141, 180, 81, 78, 213, 109];

/** FNV-1a over the UTF-16 units: small, fast, and the same in core and renderer. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The palette index of a stream (site, pod, container). */
export function streamColour(site: string, pod: string, container: string): number {
  return fnv1a(`${site}\u0000${pod}\u0000${container}`) % STREAM_PALETTE.length;
}

/**
 * The coloured `site pod/container ` prefix of a log line for a terminal.
 * Names come from API servers, so they are sanitised like the line itself.
 */
export function streamPrefix(site: string, pod: string, container: string, colour = streamColour(site, pod, container)): string {
  const c = STREAM_PALETTE[colour % STREAM_PALETTE.length] as number;
  const name = (s: string): string => sanitizeLine(s, { maxLength: 253, closeSgr: false }).replace(/\x1b\[[0-9;:]*m/g, ''); // eslint-disable-line no-control-regex
  return `\x1b[1m${name(site)}\x1b[22m \x1b[38;5;${c}m${name(pod)}/${name(container)}\x1b[39m `;
}
