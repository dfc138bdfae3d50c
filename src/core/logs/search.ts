/**
 * Search in the scrollback: a pure function over entries, so it is the same
 * whether it runs on the live ring or on a copy. Matching is on the text a
 * reader sees (SGR removed), by substring or regular expression; a hit
 * carries the ranges to mark.
 */
import { visibleText } from '../../shared/terminal/sanitize';
import { compilePattern } from './filters';
import type { LogEntry } from './types';

export type { SearchHit, SearchQuery, SearchResult } from '../../shared/logs';
import type { SearchHit, SearchQuery, SearchResult } from '../../shared/logs';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Searches `entries` given newest first (the scrollback's `backwards()`),
 * stopping after `limit` hits.
 */
export function searchEntries(newestFirst: Iterable<LogEntry>, q: SearchQuery, limit = 1000): SearchResult {
  const hits: SearchHit[] = [];
  let scanned = 0;
  if (q.text === '') return { hits, truncated: false, scanned };
  const re = compilePattern(q.regex ? q.text : escape(q.text), 'search', q.ignoreCase ?? !q.regex);
  const global = new RegExp(re.source, `${re.flags}g`);
  let truncated = false;
  for (const e of newestFirst) {
    // Markers are searched too: "when did ams break?" is a question asked of the buffer.
    if (e.kind === 'marker' && e.n < 0) continue;
    if ((q.site && e.site !== q.site) || (q.pod && e.pod !== q.pod) || (q.container && e.container !== q.container)) continue;
    scanned++;
    const text = visibleText(e.text);
    if (!re.test(text)) continue;
    if (hits.length === limit) {
      truncated = true;
      break;
    }
    const ranges: [number, number][] = [];
    for (const m of text.matchAll(global)) {
      if (m[0].length > 0) ranges.push([m.index, m.index + m[0].length]);
      if (ranges.length >= 100) break;
    }
    hits.push({ n: e.n, ranges });
  }
  hits.reverse();
  return { hits, truncated, scanned };
}
