/**
 * Label and field selectors, parsed and matched the way the Kubernetes
 * apiserver does it (k8s.io/apimachinery pkg/labels and pkg/fields).
 *
 * Error messages deliberately copy the apiserver's wording: kubectl prints
 * them verbatim after "Error from server (BadRequest)", and people grep for
 * them. Callers turn a thrown {@link SelectorError} into a 400 BadRequest.
 */

/** Thrown for any malformed selector; `message` matches the apiserver's text. */
export class SelectorError extends Error {
  override name = 'SelectorError';
}

// ---------------------------------------------------------------------------
// Label selectors: types and matching
// ---------------------------------------------------------------------------

/**
 * Requirement operators. `=` and `==` both parse to `Equals` because the
 * apiserver treats them identically.
 */
export type LabelOperator = 'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

/** One comma-separated clause of a label selector. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and de-duplicated; empty for Exists/DoesNotExist. */
  readonly values: readonly string[];
}

/**
 * A parsed label selector: the AND of its requirements. `matchesNothing`
 * exists because a nil `spec.selector` selects nothing, which no list of
 * requirements can express.
 */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  readonly matchesNothing: boolean;
}

/** The selector that matches every object (what an empty string parses to). */
export const EVERYTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]), matchesNothing: false });

/** The selector that matches no object (what a nil LabelSelector converts to). */
export const NOTHING: LabelSelector = Object.freeze({ requirements: Object.freeze([]), matchesNothing: true });

/** True when `sel` matches a label set; `undefined` labels behave like `{}`. */
export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  if (sel.matchesNothing) return false;
  const ls = labels ?? {};
  return sel.requirements.every((r) => requirementMatches(r, ls));
}

/** True when the selector would match every label set (lets callers skip filtering). */
export function isEverything(sel: LabelSelector): boolean {
  return !sel.matchesNothing && sel.requirements.length === 0;
}

function requirementMatches(r: LabelRequirement, ls: Record<string, string>): boolean {
  const has = Object.hasOwn(ls, r.key);
  const value = has ? ls[r.key] : undefined;
  switch (r.operator) {
    case 'Equals':
    case 'In':
      return value !== undefined && r.values.includes(value);
    // A missing label satisfies "!=" and "notin": kubectl relies on this for
    // selectors like `tier!=frontend` to include unlabelled objects.
    case 'NotEquals':
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const actual = value === undefined ? undefined : parseInt64(value);
      const bound = r.values[0] === undefined ? undefined : parseInt64(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'Gt' ? actual > bound : actual < bound;
    }
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Mirrors Go's strconv.ParseInt(s, 10, 64): optional sign, digits, in range. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/**
 * Renders a selector in the apiserver's canonical string form (requirements
 * sorted by key), e.g. for a scale subresource's `status.selector`.
 * Both EVERYTHING and NOTHING render as "", as they do upstream.
 */
export function formatLabelSelector(sel: LabelSelector): string {
  return sel.requirements.map(formatRequirement).join(',');
}

function formatRequirement(r: LabelRequirement): string {
  const v = r.values.join(',');
  switch (r.operator) {
    case 'Equals':
      return `${r.key}=${v}`;
    case 'NotEquals':
      return `${r.key}!=${v}`;
    case 'In':
      return `${r.key} in (${v})`;
    case 'NotIn':
      return `${r.key} notin (${v})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    case 'Gt':
      return `${r.key}>${v}`;
    case 'Lt':
      return `${r.key}<${v}`;
  }
}

// ---------------------------------------------------------------------------
// Label key/value validation (k8s.io/apimachinery/pkg/util/validation)
// ---------------------------------------------------------------------------

const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character " +
  "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and " +
  "end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and " +
  "end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is " +
  "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Problems with a label key (`[prefix/]name`); empty when it is valid. */
export function labelKeyErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN_RE.test(prefix)) errs.push(`prefix part ${DNS1123_SUBDOMAIN_MSG}`);
    }
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME_RE.test(name)) errs.push(`name part ${QUALIFIED_NAME_MSG}`);
  return errs;
}

/** Problems with a label value (may be empty, else ≤63 chars of [-A-Za-z0-9_.]); empty when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE_RE.test(value)) errs.push(LABEL_VALUE_MSG);
  return errs;
}

/** Formats like Go's field.Invalid(path, value, detail).Error(). */
function invalid(path: string, value: string | readonly string[], detail: string): string {
  const shown = typeof value === 'string' ? JSON.stringify(value) : goStringSlice(value);
  return `${path}: Invalid value: ${shown}: ${detail}`;
}

/** Go's %#v of a []string, which is how upstream prints bad value sets. */
function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** Joins errors the way utilerrors.NewAggregate prints them. */
function aggregate(errs: readonly string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/**
 * Builds a validated requirement like labels.NewRequirement: values are
 * checked against the operator's arity and the label value grammar.
 */
function newRequirement(key: string, operator: LabelOperator, values: readonly string[]): LabelRequirement {
  const errs: string[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length > 0) errs.push(invalid('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case 'Equals':
    case 'NotEquals':
      if (values.length !== 1) errs.push(invalid('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) errs.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  values.forEach((v, i) => {
    const valueErrs = labelValueErrors(v);
    if (valueErrs.length > 0) errs.push(invalid(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length > 0) throw new SelectorError(aggregate(errs));
  return { key, operator, values: [...new Set(values)].sort() };
}

function sortedByKey(reqs: LabelRequirement[]): LabelRequirement[] {
  // Upstream sorts by key so String() is deterministic; a stable sort keeps
  // same-key requirements in the order the user wrote them.
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

// ---------------------------------------------------------------------------
// Label selector string syntax: lexer + recursive-descent parser
// ---------------------------------------------------------------------------

type TokenKind = 'id' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'eos';

interface Token {
  readonly kind: TokenKind;
  readonly lit: string;
}

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && WHITESPACE.has(s[i] ?? '')) i++;
    const ch = s[i];
    if (ch === undefined) {
      out.push({ kind: 'eos', lit: '' });
      return out;
    }
    if (SPECIAL.has(ch)) {
      // Every single special character is a token, and "==" / "!=" are the
      // only two-character ones, so longest match needs one char lookahead.
      const two = s.slice(i, i + 2);
      const lit = two === '==' || two === '!=' ? two : ch;
      out.push({ kind: lit as TokenKind, lit });
      i += lit.length;
      continue;
    }
    let j = i;
    while (j < s.length && !SPECIAL.has(s[j] ?? '') && !WHITESPACE.has(s[j] ?? '')) j++;
    const lit = s.slice(i, j);
    out.push({ kind: lit === 'in' || lit === 'notin' ? lit : 'id', lit });
    i = j;
  }
}

/**
 * Where a token is read matters: in value position "in"/"notin" are plain
 * identifiers (so `a=in` and a key named `in` work), in operator position
 * they are keywords.
 */
type Context = 'values' | 'operator';

class LabelParser {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(ctx: Context): Token {
    // lex() always ends with 'eos' and we never advance past it.
    const t = this.tokens[Math.min(this.pos, this.tokens.length - 1)] as Token;
    return ctx === 'values' && (t.kind === 'in' || t.kind === 'notin') ? { kind: 'id', lit: t.lit } : t;
  }

  private next(ctx: Context): Token {
    const t = this.peek(ctx);
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const t = this.peek('values');
      if (t.kind === 'eos') return reqs;
      if (t.kind !== 'id' && t.kind !== '!') {
        throw new SelectorError(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      }
      try {
        reqs.push(this.requirement());
      } catch (e) {
        if (e instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const sep = this.next('values');
      if (sep.kind === 'eos') return reqs;
      if (sep.kind !== ',') throw new SelectorError(`found '${sep.lit}', expected: ',' or 'end of string'`);
      const after = this.peek('values');
      if (after.kind !== 'id' && after.kind !== '!') {
        throw new SelectorError(`found '${after.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelRequirement {
    let t = this.next('values');
    const negated = t.kind === '!';
    if (negated) t = this.next('values');
    if (t.kind !== 'id') throw new SelectorError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = labelKeyErrors(key);
    // Upstream validates here with a nil field path, hence the odd "<nil>".
    if (keyErrs.length > 0) throw new SelectorError(invalid('<nil>', key, keyErrs.join('; ')));
    if (negated) return newRequirement(key, 'DoesNotExist', []);
    const la = this.peek('values').kind;
    if (la === 'eos' || la === ',') return newRequirement(key, 'Exists', []);

    const op = this.next('operator');
    switch (op.kind) {
      case 'in':
        return newRequirement(key, 'In', this.valueSet());
      case 'notin':
        return newRequirement(key, 'NotIn', this.valueSet());
      case '=':
      case '==':
        return newRequirement(key, 'Equals', [this.exactValue()]);
      case '!=':
        return newRequirement(key, 'NotEquals', [this.exactValue()]);
      case '>':
        return newRequirement(key, 'Gt', [this.exactValue()]);
      case '<':
        return newRequirement(key, 'Lt', [this.exactValue()]);
      default:
        throw new SelectorError(`found '${op.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  /** `(a,b,c)`; empty slots like `(,a)` or `()` contribute the empty value. */
  private valueSet(): string[] {
    const open = this.next('values');
    // Sic: upstream's message lacks the comma after the quote here.
    if (open.kind !== '(') throw new SelectorError(`found '${open.lit}' expected: '('`);
    const first = this.peek('values');
    if (first.kind === ')') {
      this.next('values');
      return [''];
    }
    if (first.kind !== 'id' && first.kind !== ',') {
      throw new SelectorError(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
    const values: string[] = [];
    for (;;) {
      const t = this.next('values');
      if (t.kind === 'id') {
        values.push(t.lit);
        const la = this.peek('values');
        if (la.kind === ')') break;
        if (la.kind !== ',') throw new SelectorError(`found '${la.lit}', expected: ',' or ')'`);
      } else if (t.kind === ',') {
        if (values.length === 0) values.push('');
        const la = this.peek('values').kind;
        if (la === ')') {
          values.push('');
          break;
        }
        if (la === ',') {
          this.next('values');
          values.push('');
        }
      } else {
        throw new SelectorError(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    this.next('values'); // the ')' seen by the lookahead that ended the loop
    return values;
  }

  /** The single value after `=`, `!=`, `>`, `<`; absent means the empty value. */
  private exactValue(): string {
    const la = this.peek('values').kind;
    if (la === 'eos' || la === ',') return '';
    const t = this.next('values');
    if (t.kind !== 'id') throw new SelectorError(`found '${t.lit}', expected: identifier`);
    return t.lit;
  }
}

/**
 * Parses a `labelSelector` query parameter, e.g.
 * `app=web,tier in (a,b),!canary,env!=prod`. The empty (or all-whitespace)
 * string matches everything.
 * @throws SelectorError with the apiserver's message on malformed input.
 */
export function parseLabelSelector(s: string): LabelSelector {
  const reqs = new LabelParser(lex(s)).parse();
  return { requirements: sortedByKey(reqs), matchesNothing: false };
}

/** A `matchExpressions` entry as found in a spec; `operator` is In, NotIn, Exists or DoesNotExist. */
export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: string[] | null;
}

/** The `metav1.LabelSelector` shape used by Deployment, ReplicaSet, PDB, … `spec.selector`. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirementObject[] | null;
}

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
};

/**
 * Converts a structured selector like metav1.LabelSelectorAsSelector:
 * `undefined`/`null` matches nothing (a PDB or Service without a selector
 * must not grab every pod), while `{}` matches everything.
 * @throws SelectorError for unknown operators or invalid keys/values.
 */
export function selectorFromLabelSelectorObject(obj: LabelSelectorObject | null | undefined): LabelSelector {
  if (obj === undefined || obj === null) return NOTHING;
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(obj.matchLabels ?? {})) reqs.push(newRequirement(k, 'Equals', [v]));
  for (const expr of obj.matchExpressions ?? []) {
    const op = Object.hasOwn(EXPRESSION_OPERATORS, expr.operator) ? EXPRESSION_OPERATORS[expr.operator] : undefined;
    if (op === undefined) throw new SelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, expr.values ?? []));
  }
  return { requirements: sortedByKey(reqs), matchesNothing: false };
}

// ---------------------------------------------------------------------------
// Field selectors (k8s.io/apimachinery/pkg/fields)
// ---------------------------------------------------------------------------

/** One `field=value` / `field!=value` term, value already unescaped. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: 'Equals' | 'NotEquals';
  readonly value: string;
}

/** A parsed field selector: the AND of its terms. No terms matches everything. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

/** Splits on commas that are not backslash-escaped, keeping escapes intact. */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/**
 * Splits at the first operator. Field names cannot be escaped, so the first
 * `!=`, `==` or `=` wins; `==` is tried before `=` so it is not left on the value.
 */
function splitTerm(term: string): [string, '=' | '==' | '!=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  let out = '';
  let escaped = false;
  for (const c of s) {
    if (escaped) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '=') {
      // Upstream formats the offending rune with %v, i.e. as its code point.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (escaped) throw new SelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * Parses a `fieldSelector` query parameter such as `spec.nodeName=n1,status.phase!=Running`.
 * Values may escape `\,` `\=` `\\`. Field names are not trimmed, as upstream.
 * @param allowed the field labels the resource supports (e.g. `metadata.name`).
 * @throws SelectorError on syntax errors or `field label not supported: <field>`.
 */
export function parseFieldSelector(s: string, allowed: readonly string[]): FieldSelector {
  // Upstream sorts terms before parsing, which decides which error wins when
  // several terms are bad; copying that keeps messages identical.
  const terms = splitTerms(s).sort();
  const reqs: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (split === undefined) throw new SelectorError(`invalid selector: '${s}'; can't understand '${term}'`);
    const [field, op, raw] = split;
    reqs.push({ field, operator: op === '!=' ? 'NotEquals' : 'Equals', value: unescapeValue(raw) });
  }
  for (const r of reqs) {
    if (!allowed.includes(r.field)) throw new SelectorError(`field label not supported: ${r.field}`);
  }
  return { requirements: reqs };
}

/** True when every term holds; a field missing from `fields` compares as "". */
export function matchesFields(sel: FieldSelector, fields: Record<string, string>): boolean {
  return sel.requirements.every((r) => {
    const actual = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
    return r.operator === 'Equals' ? actual === r.value : actual !== r.value;
  });
}

/**
 * The value an equality term pins `field` to, if any — lets the store use an
 * index for e.g. `spec.nodeName=X`. With several equality terms on the same
 * field the first is returned; matchesFields still has to run on candidates.
 */
export function exactValue(sel: FieldSelector, field: string): string | undefined {
  return sel.requirements.find((r) => r.field === field && r.operator === 'Equals')?.value;
}
