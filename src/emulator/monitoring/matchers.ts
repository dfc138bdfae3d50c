/**
 * Label matchers as Alertmanager's API takes them in `filter=` parameters:
 * `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"` (quotes
 * optional for plain values). Regexes are anchored, as in Alertmanager.
 */

export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  test(labels: Readonly<Record<string, string>>): boolean;
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s,{}]*))\s*$/;

/** Parses one filter; throws an Error whose message is Alertmanager-like and says what shape is expected. */
export function parseMatcher(input: string): Matcher {
  const m = MATCHER.exec(input);
  if (!m) throw new Error(`bad matcher format: ${input} (expected name="value", name!="value", name=~"regex" or name!~"regex")`);
  const name = m[1] as string;
  const op = m[2] as Matcher['op'];
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  try {
    return makeMatcher(name, op, value);
  } catch (err) {
    throw new Error(`bad matcher format: ${input} (invalid regular expression: ${(err as Error).message})`, { cause: err });
  }
}

/** A matcher from its parts; throws when a regex does not compile. */
export function makeMatcher(name: string, op: Matcher['op'], value: string): Matcher {
  const re = op === '=~' || op === '!~' ? new RegExp(`^(?:${value})$`) : undefined;
  const test = (labels: Readonly<Record<string, string>>): boolean => {
    const v = labels[name] ?? '';
    switch (op) {
      case '=':
        return v === value;
      case '!=':
        return v !== value;
      case '=~':
        return (re as RegExp).test(v);
      case '!~':
        return !(re as RegExp).test(v);
    }
  };
  return { name, op, value, test };
}
