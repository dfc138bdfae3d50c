/**
 * The handover as a standalone, static HTML page for printing to PDF
 * (Electron's printToPDF, the browser's print): inline CSS, no scripts, no
 * external resources, and a Content-Security-Policy saying so, in case a
 * viewer ever runs it somewhere scripts could run. Every string from the
 * report is HTML-escaped text.
 */
import { reportDocument, type Block } from './document';
import { oneLine, plainText } from './plain-text';
import type { HandoverReport } from './types';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for element content or a quoted attribute: cleaned (see plain-text.ts) and escaped. */
export function htmlText(s: string): string {
  return plainText(s).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

const inline = (s: string): string => htmlText(oneLine(s));

const CSS = `
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #111; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 16pt 0 6pt; padding-bottom: 2pt; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
p { margin: 4pt 0; }
.muted { color: #555; }
.warning { border-left: 3pt solid #d55e00; padding: 2pt 6pt; background: #fdf0e8; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; table-layout: auto; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eee; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
ul { margin: 4pt 0; padding-left: 16pt; }
li { margin: 2pt 0; overflow-wrap: anywhere; }
li.note { list-style: none; margin-left: -14pt; white-space: pre-wrap; }
.box { display: inline-block; width: 12pt; }
`;

/** The report as a complete HTML document. */
export function toHtml(report: HandoverReport): string {
  const doc = reportDocument(report);
  const title = doc.find((b) => b.kind === 'heading')?.text ?? report.id;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${inline(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    ...doc.map(block),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${inline(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${inline(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items
        .map((i) => (i.checked === undefined ? `<li>${inline(i.text)}</li>` : `<li class="note"><span class="box">${i.checked ? '☑' : '☐'}</span>${htmlText(i.text)}</li>`))
        .join('')}</ul>`;
    case 'table': {
      const td = (c: string, i: number): string => (b.align?.[i] === 'right' ? `<td class="num">${inline(c)}</td>` : `<td>${inline(c)}</td>`);
      const head = `<thead><tr>${b.columns.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead>`;
      const rows = b.rows.map((r) => `<tr>${b.columns.map((_, i) => td(r[i] ?? '', i)).join('')}</tr>`).join('\n');
      return `<table>${head}<tbody>\n${rows}\n</tbody></table>`;
    }
  }
}
