/**
 * Highlighting matches of the operator's patterns in a sanitised log line.
 * Patterns match what a reader sees (the text without its SGR sequences),
 * never the escape codes — `31` must not match a colour — and the
 * highlight is inserted as SGR inverse video around each match, between
 * existing sequences, so the line's own colours keep working.
 */

const ON = '\x1b[7m';
const OFF = '\x1b[27m';

/**
 * Wraps every match of `patterns` (global regexes are not required; each is
 * run with the `g` flag) in inverse video. `line` must be sanitised text:
 * only SGR sequences may contain ESC.
 */
export function highlight(line: string, patterns: readonly RegExp[]): string {
  if (patterns.length === 0) return line;
  // Visible text, and for each visible index its index in the line.
  let visible = '';
  const at: number[] = [];
  for (let i = 0; i < line.length; i++) {
    if (line.charCodeAt(i) === 0x1b) {
      const m = line.indexOf('m', i);
      if (m > i) {
        i = m;
        continue;
      }
    }
    visible += line[i];
    at.push(i);
  }
  // Marked visible positions: +1 where a match starts, -1 where it ends; overlapping matches merge.
  const depth = new Int32Array(visible.length + 1);
  let any = false;
  for (const p of patterns) {
    const re = new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`);
    for (const m of visible.matchAll(re)) {
      if (m[0].length === 0) continue;
      const start = m.index;
      depth[start] = (depth[start] as number) + 1;
      depth[start + m[0].length] = (depth[start + m[0].length] as number) - 1;
      any = true;
    }
  }
  if (!any) return line;
  let out = '';
  let level = 0;
  let from = 0;
  for (let v = 0; v <= visible.length; v++) {
    const d = depth[v] as number;
    if (d === 0) continue;
    const before = level;
    level += d;
    if ((before === 0) === (level === 0)) continue;
    const raw = v < at.length ? (at[v] as number) : line.length;
    out += line.slice(from, raw) + (level > 0 ? ON : OFF);
    from = raw;
  }
  return out + line.slice(from);
}
