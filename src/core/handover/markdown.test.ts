/**
 * Markdown and HTML of a report whose every string is hostile: nothing the
 * clusters (or an edited ConfigMap) say may become markup, a link, or a
 * broken table. Literal reports: the renderers are pure.
 */
import { describe, expect, it } from 'vitest';
import { htmlText, toHtml } from './html';
import { mdInline, mdLines } from './markdown-escape';
import { toMarkdown } from './markdown';
import type { HandoverReport } from './types';

/** Everything Markdown, HTML and a terminal could take for syntax, with every kind of line break. */
const H = [
  'a | b <script>alert(1)</script> [x](javascript:alert(1)) ![i](http://evil.example/t.png) `code` \u001b[31mred\u001b[0m',
  '# heading',
  '| a | b |',
  '1. ordered',
  '- item',
  '---',
  '===',
  '> quote',
  '    indented code',
  'www.evil.example https://evil.example <http://x> foo@bar.example &lt;b&gt; &#60;script&#62; \\| **bold** _it_ ~~s~~ $x$',
  '[ref]: http://x',
  '\u202eevil\u2028after a line separator\r\nafter CRLF\u0085after NEL\ttab',
].join('\n');

function hostileReport(): HandoverReport {
  const site = {
    site: 'fra',
    name: H,
    reachable: true,
    problems: [H],
    notReadyNodes: [{ name: H, rack: H, ready: 'Unknown' as const, since: H }],
    cordonedNodes: [{ name: H, rack: H, by: H, reason: H, at: H }],
    maintenance: [{ scope: H, holder: H, since: H, runbook: H, run: H, reason: H }],
    crashloops: [{ namespace: H, kind: H, name: H, pods: 1, restarts: 2, ready: 0, desired: 1 }],
    warningEvents: [{ namespace: H, object: H, reason: H, message: H, count: 1, lastSeen: H }],
    warningEventsTotal: 3,
    alerts: { firing: [{ name: H, severity: H, target: H, summary: H, startsAt: H, silenced: true }], total: 2, problem: H },
  };
  const node = { name: H, rack: H };
  const workload = { namespace: H, kind: H, name: H };
  const m = site.maintenance[0] as HandoverReport['sites'][0]['maintenance'][0];
  const note = { id: H, text: H, open: true, by: H, since: H };
  return {
    version: 1,
    id: H,
    createdAt: '2026-11-28T08:00:00.000Z',
    by: H,
    shiftStart: H,
    sites: [site, { ...site, site: 'ams', reachable: false }],
    runbooks: [{ run: H, runbook: H, site: H, sites: [H], who: H, started: H, ended: H, result: 'failed', actions: 3, failedActions: 1 }],
    notes: [note, { ...note, open: false, closedBy: H }],
    diff: {
      previous: { id: H, createdAt: H, by: H },
      sites: [
        { site: 'fra', name: H, compared: true, notReady: [node], recovered: [node], cordoned: [node], uncordoned: [node], crashloopsStarted: [workload], crashloopsEnded: [workload], maintenanceStarted: [m], maintenanceEnded: [m] },
        { site: 'ams', name: H, compared: false, why: H, notReady: [], recovered: [], cordoned: [], uncordoned: [], crashloopsStarted: [], crashloopsEnded: [], maintenanceStarted: [], maintenanceEnded: [] },
      ],
      notesAdded: [note],
      notesClosed: [note],
    },
    notices: [H],
  };
}

/** What must not reach a reader: terminal escapes and other controls, line separators, bidi overrides. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

/** Unescaped occurrences of `ch`: not preceded by an odd run of backslashes. */
function unescaped(line: string, ch: string): number {
  let n = 0;
  for (let i = line.indexOf(ch); i >= 0; i = line.indexOf(ch, i + 1)) {
    let slashes = 0;
    for (let j = i - 1; j >= 0 && line[j] === '\\'; j--) slashes++;
    if (slashes % 2 === 0) n++;
  }
  return n;
}

describe('toMarkdown', () => {
  const md = toMarkdown(hostileReport());
  const lines = md.split('\n');

  it('lets no cluster text become HTML, a link, an image, code or emphasis', () => {
    for (const line of lines) {
      for (const ch of ['<', '[', ']', '`', '_', '~', '$', '&']) {
        // The only brackets are the task-list boxes of notes; the only unescaped `*` are our own emphasis.
        const allowed = ch === '[' || ch === ']' ? (/^- \[[x ]\] /.test(line) ? 1 : 0) : 0;
        expect(unescaped(line, ch), `${ch} in ${line}`).toBe(allowed);
      }
      expect(line).not.toMatch(/https?:\/\/|javascript:|www\./i);
      expect(line).not.toMatch(CONTROL);
    }
  });

  it('starts no block from cluster text: every line is ours or escaped', () => {
    for (const line of lines) {
      if (line === '') continue;
      // Ours: headings, the muted and warning lines, list items, note continuations, table rows.
      expect(line).toMatch(/^(#{1,3} \S|\*\S|> \*\*Warning:\*\* |- (\[[x ]\] )?\S| {2}\S|\| )/);
      // A continuation line (two spaces) starts with escaped text, never with block syntax.
      if (line.startsWith('  ')) expect(line.slice(2)).not.toMatch(/^([#>|=+*-]|\d+[.)]| {2})/);
    }
    expect(lines.filter((l) => l.startsWith('#')).map((l) => l.replace(/ .*/, ''))).toEqual(['#', '##', '##', '##', '##', '###', '###', '###', '###', '###', '###', '##', '###']);
  });

  it('keeps every table row at its header’s cells, with line breaks shown as ⏎', () => {
    const tables = md.split('\n\n').filter((b) => b.startsWith('|'));
    // Runbooks, then six per reachable site (alerts first); the unreachable one has its alerts only.
    expect(tables).toHaveLength(8);
    for (const t of tables) {
      const rows = t.split('\n').filter((l) => l !== '');
      const cells = unescaped(rows[0] as string, '|');
      for (const r of rows) expect(unescaped(r, '|'), r).toBe(cells);
    }
    expect(md).toContain('\\# heading ⏎ \\| a \\| b \\| ⏎ 1. ordered ⏎ - item');
  });

  it('says what it cannot show: an unreachable site, a site not compared, events not listed', () => {
    expect(md).toMatch(/## .*\(ams\)\n\n> \*\*Warning:\*\* /);
    expect(md).toContain(': not compared (');
    expect(md).toContain('### Warning events during the shift (newest 1 of 3)');
  });
});

describe('mdInline and mdLines', () => {
  it.each([
    ['plain text', 'plain text'],
    ['fra-a-r01-u03 at 08:44:00', 'fra-a-r01-u03 at 08:44:00'],
    ['- leading dash', '\\- leading dash'],
    ['12. not a list', '12\\. not a list'],
    ['3) nor this', '3\\) nor this'],
    ['=== nor a heading', '\\=== nor a heading'],
    ['a|b', 'a\\|b'],
    ['back\\slash|pipe', 'back\\\\slash\\|pipe'],
    ['ends in a backslash \\', 'ends in a backslash \\\\'],
    ['[x](javascript:alert(1))', '\\[x\\](javascript\\:alert(1))'],
    ['see https://x.example/a', 'see https\\://x.example/a'],
    ['WWW.example.com', 'WWW\\.example.com'],
    ['<img src=x>', '\\<img src=x\\>'],
    ['&amp;', '\\&amp;'],
    ['one\ntwo\r\nthree', 'one ⏎ two ⏎ three'],
    ['\u001b[31mred\u001b[0m', '\\[31mred\\[0m'],
    ['\u202egnp.exe', 'gnp.exe'],
    ['Readiness probe failed: Get', 'Readiness probe failed: Get'],
  ])('mdInline(%j) is %j', (input, output) => {
    expect(mdInline(input)).toBe(output);
  });

  it('mdLines keeps lines as hard breaks inside the item, drops blank ones, escapes each line start', () => {
    expect(mdLines('first\n\n# second\n- third\n', '  ')).toBe('first\\\n  \\# second\\\n  \\- third');
  });
});

describe('toHtml', () => {
  const html = toHtml(hostileReport());

  it('is one static page: no script, link, image, frame or style from outside', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<(script|a|img|iframe|object|embed|link|base|form|svg|math)\b/i);
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(CONTROL);
  });

  it('shows the cluster text as text', () => {
    expect(html).toContain('a | b &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))');
    expect(html).toContain('&amp;lt;b&amp;gt; &amp;#60;script&amp;#62;');
    expect(htmlText(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });
});
