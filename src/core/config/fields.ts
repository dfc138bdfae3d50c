/**
 * Field readers shared by the triptych.yaml sections: each reports a problem
 * at the offending node and says what to write instead.
 */
import { isScalar, type Node } from 'yaml';
import { didYouMean, type ConfigIssue } from './errors';
import { describe, issueAt, type Entry, type YamlFile } from './yaml';

export function unknownKey(y: YamlFile, e: Entry, allowed: readonly string[], where: string): ConfigIssue {
  return issueAt(y, e.keyNode, `unknown key '${e.key}' ${where}${didYouMean(e.key, allowed)}; allowed: ${allowed.join(', ')}`);
}

/** A non-empty string; numbers and booleans are refused with the quoting that fixes them. */
export function readText(y: YamlFile, e: Entry, label: string, issues: ConfigIssue[]): string | undefined {
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') {
    issues.push(issueAt(y, e.value, `${label}: '${e.key}' must be text; YAML read ${String(v)} as a ${typeof v}, so quote it: ${e.key}: "${sourceOf(y, e.value) ?? String(v)}"`));
  } else {
    issues.push(issueAt(y, e.value ?? e.keyNode, `${label}: '${e.key}' must be non-empty text, found ${describe(e.value)}`));
  }
  return undefined;
}

/** The text as written in the file (`007`, not the number 7 YAML made of it). */
export function sourceOf(y: YamlFile, node: Node | null): string | undefined {
  return node?.range ? y.text.slice(node.range[0], node.range[1]) : undefined;
}
