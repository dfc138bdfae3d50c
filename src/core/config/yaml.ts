/**
 * YAML reading shared by the kubeconfig, triptych.yaml and inventory loaders:
 * syntax errors with line and column, alias bombs refused, and helpers to walk
 * the syntax tree so that validation errors can point at the offending node.
 */
import { isAlias, isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { ConfigError, type ConfigIssue } from './errors';

/**
 * Alias expansions allowed per file (yaml's own default). A "billion laughs"
 * file nests aliases so that a few hundred bytes expand to gigabytes; yaml
 * counts expansions against this limit and stops.
 */
export const MAX_ALIAS_COUNT = 100;

/** A parsed YAML file: its syntax tree, its plain value, and where things are. */
export interface YamlFile {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain data (null for an empty file). */
  value: unknown;
}

export interface YamlOptions {
  /** Honour `<<` merge keys (YAML 1.1, which kubectl's parser supports). */
  merge?: boolean;
}

// yaml's messages are written for programmers; these say what to do instead.
const FRIENDLIER: Record<string, string> = {
  DUPLICATE_KEY: 'duplicate key: each key may appear only once in a mapping',
  MULTIPLE_DOCS: 'the file holds several YAML documents (separated by ---); keep everything in one',
};

/** Parses `text`; throws ConfigError with file:line:column for syntax errors, unknown tags and alias bombs. */
export function parseYaml(text: string, file: string, opts: YamlOptions = {}): YamlFile {
  const lines = new LineCounter();
  // The core schema only: no custom tags, so nothing in the file can construct objects, let alone run code.
  // Duplicate keys are found below with a Set: yaml's own uniqueKeys check compares every pair (40,000 keys took 16 s).
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, merge: opts.merge ?? false, schema: 'core' });
  // Warnings are unresolved tags and the like: data we would silently misread, so they are errors here.
  const problems: ConfigIssue[] = [...doc.errors, ...doc.warnings].map((e) => ({ file, ...position(lines, e.pos[0]), message: `YAML: ${FRIENDLIER[e.code] ?? e.message.split('\n')[0]}` }));
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const k = pair.key.value;
        if (opts.merge && k === '<<') continue;
        if (seen.has(k)) problems.push({ file, ...position(lines, pair.key.range?.[0] ?? 0), message: `YAML: ${FRIENDLIER.DUPLICATE_KEY}` });
        seen.add(k);
      }
    },
  });
  if (problems.length > 0) throw new ConfigError(problems);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof ReferenceError) {
      throw new ConfigError([{ file, message: `YAML: refusing to expand aliases: more than ${MAX_ALIAS_COUNT} alias expansions (the shape of a "billion laughs" attack)` }]);
    }
    throw err;
  }
  return { file, text, doc, lines, value };
}

/** Line and column (1-based) of a character offset. */
export function position(lines: LineCounter, offset: number): { line: number; column: number } {
  const p = lines.linePos(offset);
  return { line: p.line, column: p.col };
}

/** Line and column of a node, or of the file's start when there is none. */
export function where(y: YamlFile, node: Node | null | undefined): { line: number; column: number } {
  return node?.range ? position(y.lines, node.range[0]) : { line: 1, column: 1 };
}

/** An issue located at `node`. */
export function issueAt(y: YamlFile, node: Node | null | undefined, message: string): ConfigIssue {
  return { file: y.file, ...where(y, node), message };
}

/** Follows an alias to the node it names; null for absent values. */
export function deref(y: YamlFile, node: unknown): Node | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return (node.resolve(y.doc) as Node | undefined) ?? null;
  return node as Node;
}

/** One `key: value` of a mapping, with the key's node for error positions. */
export interface Entry {
  key: string;
  keyNode: Node | null;
  value: Node | null;
}

/** The entries of a mapping node; non-scalar keys are reported into `issues` and skipped. */
export function entries(y: YamlFile, map: Node, issues: ConfigIssue[]): Entry[] {
  if (!isMap(map)) return [];
  const out: Entry[] = [];
  for (const pair of map.items) {
    const keyNode = deref(y, pair.key);
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
      issues.push(issueAt(y, keyNode ?? map, 'keys must be plain names'));
      continue;
    }
    out.push({ key: String(keyNode.value), keyNode, value: deref(y, pair.value) });
  }
  return out;
}

/** True for an absent value: no node, or `key:` with nothing after it (a null scalar, which keeps its position and comment). */
export function isNothing(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** The value of a scalar node, or undefined for anything else. */
export function scalarValue(node: Node | null): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** A short description of what a node holds, for "expected a string, found a list" messages. */
export function describe(node: Node | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'nothing';
    // Long values are cut: the position already says where the rest is.
    if (typeof v === 'string') return `'${v.length > 60 ? `${v.slice(0, 57)}…` : v}'`;
    return `${typeof v} ${String(v)}`;
  }
  return 'a list';
}
