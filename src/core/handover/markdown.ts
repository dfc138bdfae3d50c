/**
 * The handover as Markdown (CommonMark with GitHub's tables and task lists),
 * for pasting into a ticket. Every string from the report is escaped (see
 * markdown-escape.ts): a hostile node annotation or event message shows as
 * text, never as a link, HTML or a broken table.
 */
import { reportDocument, type Block } from './document';
import { mdInline, mdLines } from './markdown-escape';
import type { HandoverReport } from './types';

/** The report as a Markdown document ending in a newline. */
export function toMarkdown(report: HandoverReport): string {
  return `${reportDocument(report).map(block).join('\n\n')}\n`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${mdInline(b.text)}`;
    case 'paragraph': {
      const t = mdInline(b.text);
      return b.tone === 'warning' ? `> **Warning:** ${t}` : b.tone === 'muted' ? `*${t}*` : t;
    }
    case 'list':
      // A note keeps its lines, indented past the marker so they stay in the item; other items are one line.
      return b.items.map((i) => (i.checked === undefined ? `- ${mdInline(i.text)}` : `- [${i.checked ? 'x' : ' '}] ${mdLines(i.text, '  ')}`)).join('\n');
    case 'table': {
      const row = (cells: string[]): string => `| ${cells.map((c) => mdInline(c) || ' ').join(' | ')} |`;
      const rule = `|${b.columns.map((_, i) => (b.align?.[i] === 'right' ? ' ---: ' : ' --- ')).join('|')}|`;
      // Every row gets exactly the header's cells: a short row would shift columns, a long one lose its tail silently.
      const fit = (cells: string[]): string[] => b.columns.map((_, i) => cells[i] ?? '');
      return [row(b.columns), rule, ...b.rows.map((r) => row(fit(r)))].join('\n');
    }
  }
}
