/**
 * Log entries as terminal text: a coloured `site pod/container` prefix, the
 * (already sanitised) line, markers dimmed between rules. Pure, so what the
 * view writes into xterm is unit-tested.
 */
import type { LogEntry } from '../../../shared/logs';
import { streamPrefix } from '../../../shared/terminal/colour';
import { visibleText } from '../../../shared/terminal/sanitize';

export interface FormatOptions {
  /** Cut lines at this many visible columns instead of wrapping (undefined: wrap). */
  cutAt?: number;
}

/** One entry as the terminal shows it, ending in CRLF. */
export function formatEntry(e: LogEntry, o: FormatOptions = {}): string {
  if (e.kind === 'marker') {
    const where = e.pod ? `${e.site ?? ''} ${e.pod}${e.container ? `/${e.container}` : ''}: ` : e.site ? `${e.site}: ` : '';
    const style = e.type === 'error' || e.type === 'interrupted' ? '\x1b[31m' : e.type === 'gap' || e.type === 'dropped' || e.type === 'scrollback' ? '\x1b[33m' : '\x1b[2m';
    return `${style}── ${cut(visibleText(`${where}${e.text}`), o.cutAt)}\x1b[0m\r\n`;
  }
  const ts = e.ts ? `\x1b[2m${e.ts}\x1b[22m ` : '';
  const text = o.cutAt === undefined ? e.text : cutSgr(e.text, Math.max(10, o.cutAt - visibleText(streamPrefix(e.site, e.pod, e.container, e.colour)).length - (e.ts ? e.ts.length + 1 : 0)));
  return `${streamPrefix(e.site, e.pod, e.container, e.colour)}${ts}${text}\x1b[0m\r\n`;
}

function cut(s: string, at: number | undefined): string {
  return at === undefined || s.length <= at ? s : `${s.slice(0, Math.max(1, at - 1))}…`;
}

/** Cuts text holding SGR sequences at `at` visible characters, keeping the sequences intact. */
export function cutSgr(s: string, at: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < s.length; ) {
    if (s[i] === '\x1b') {
      const m = /^\x1b\[[0-9;:]*m/.exec(s.slice(i, i + 64)); // eslint-disable-line no-control-regex
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    if (visible === at - 1 && visibleText(s.slice(i)).length > 1) return `${out}…`;
    out += s[i];
    visible++;
    i++;
  }
  return out;
}
