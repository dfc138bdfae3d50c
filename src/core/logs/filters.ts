/**
 * The operator's patterns: which containers, which lines, what to highlight.
 * They arrive as strings from the UI; a bad one is refused up front in clear
 * words rather than failing later inside the pipeline.
 */
import { ContractError } from '../../shared/contract/rpc';
import { highlight } from '../../shared/terminal/highlight';
import type { LogTailOptions } from './types';

/** Longer patterns are refused: they are typed by people, and a huge one is a mistake or an attack. */
const MAX_PATTERN = 1000;
const MAX_PATTERNS = 50;

export function compilePattern(source: string, what: string, ignoreCase = false): RegExp {
  if (source.length > MAX_PATTERN) throw new ContractError('bad-request', `the ${what} pattern is longer than ${MAX_PATTERN} characters`);
  try {
    return new RegExp(source, ignoreCase ? 'i' : '');
  } catch (e) {
    throw new ContractError('bad-request', `the ${what} pattern ${JSON.stringify(source)} is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

function compileAll(list: string[] | undefined, what: string, ignoreCase: boolean): RegExp[] {
  if (!list) return [];
  if (list.length > MAX_PATTERNS) throw new ContractError('bad-request', `at most ${MAX_PATTERNS} ${what} patterns`);
  return list.filter((s) => s !== '').map((s) => compilePattern(s, what, ignoreCase));
}

export interface LineFilters {
  /** Whether a line (its visible text) is shown. */
  accepts(visible: string): boolean;
  /** The line with highlights applied (sanitised text in, sanitised text out). */
  decorate(sanitized: string): string;
  /** Whether a container is tailed. */
  container(name: string): boolean;
}

export function compileFilters(o: LogTailOptions): LineFilters {
  const ic = o.ignoreCase ?? false;
  const include = compileAll(o.include, 'include', ic);
  const exclude = compileAll(o.exclude, 'exclude', ic);
  const marks = compileAll(o.highlight, 'highlight', ic);
  const only = o.container ? compilePattern(o.container, 'container') : undefined;
  const not = o.excludeContainer ? compilePattern(o.excludeContainer, 'exclude-container') : undefined;
  return {
    accepts: (visible) => (include.length === 0 || include.some((r) => r.test(visible))) && !exclude.some((r) => r.test(visible)),
    decorate: (line) => (marks.length === 0 ? line : highlight(line, marks)),
    container: (name) => (!only || only.test(name)) && !not?.test(name),
  };
}
