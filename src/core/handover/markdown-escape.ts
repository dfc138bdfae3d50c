/**
 * Escaping untrusted text for CommonMark / GitHub-flavoured Markdown, the
 * Markdown ticket systems render. After it, the text can make no HTML, no
 * link or image (inline, reference, autolink or GFM's bare-URL autolink), no
 * emphasis or code, no heading, list, quote or rule, and cannot end a table
 * cell or row. Every ASCII punctuation character CommonMark lets a backslash
 * escape is escaped where it can mean something; `-`, `.`, `=` and digits
 * only where they can (at the start of a line, `www.`), so names and
 * addresses stay readable in the raw text.
 */
import { oneLine, plainText } from './plain-text';

/**
 * Characters that mean something anywhere in a line: `$` and `^` for the
 * renderers with math and superscript, `@` for mentions. `(`, `)` and `!`
 * only mean something next to a `[` or `]`, which are always escaped.
 */
const ALWAYS = /[\\`*_{}[\]#+|<>~&^$@]/g;

function escapeLine(line: string): string {
  return (
    line
      .trim()
      .replace(ALWAYS, '\\$&')
      // GFM's bare-URL autolinks need `scheme://` and `www.` as written; `javascript:` and the like are escaped too.
      .replace(/:(?=\/)|(?<=[A-Za-z]):(?=\S)/g, '\\:')
      .replace(/(www)\./gi, '$1\\.')
      // Block syntax at the start of a line: list items, setext underlines, ordered lists.
      .replace(/^[-=]/, '\\$&')
      .replace(/^(\d+)([.)])/, '$1\\$2')
  );
}

/** For a table cell, heading or list item: one line, escaped. */
export function mdInline(s: string): string {
  return escapeLine(oneLine(s));
}

/**
 * For text whose lines matter (a note): each line escaped, joined by hard
 * line breaks indented by `indent` so they stay inside a list item.
 */
export function mdLines(s: string, indent = ''): string {
  // Blank lines are dropped: one would end the list item and let the rest start a block of its own.
  return plainText(s)
    .split('\n')
    .map(escapeLine)
    .filter((l) => l !== '')
    .join(`\\\n${indent}`);
}
