import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EVERYTHING,
  NOTHING,
  SelectorError,
  exactValue,
  formatLabelSelector,
  isEverything,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  selectorFromLabelSelectorObject,
} from './selectors';
import type { LabelSelector } from './selectors';

const matches = (s: string, labels?: Record<string, string>): boolean => matchesLabels(parseLabelSelector(s), labels);

/** The message a parse throws, asserting it is a SelectorError. */
function labelError(s: string): string {
  try {
    parseLabelSelector(s);
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorError);
    return (e as SelectorError).message;
  }
  throw new Error(`expected ${JSON.stringify(s)} to be rejected`);
}

const NAME_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
  "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('parseLabelSelector / matchesLabels', () => {
  it('treats empty and blank selectors as match-everything, even for unlabelled objects', () => {
    for (const s of ['', '   ', '\t\n']) {
      const sel = parseLabelSelector(s);
      expect(isEverything(sel)).toBe(true);
      expect(matchesLabels(sel, undefined)).toBe(true);
      expect(matchesLabels(sel, { a: 'b' })).toBe(true);
    }
  });

  it('supports =, == and != with a missing label satisfying !=', () => {
    expect(matches('app=web', { app: 'web' })).toBe(true);
    expect(matches('app==web', { app: 'web' })).toBe(true);
    expect(matches('app=web', { app: 'db' })).toBe(false);
    expect(matches('app=web', undefined)).toBe(false);
    expect(matches('app!=web', { app: 'db' })).toBe(true);
    expect(matches('app!=web', { app: 'web' })).toBe(false);
    expect(matches('app!=web', {})).toBe(true);
  });

  it('supports in / notin with a missing label satisfying notin', () => {
    expect(matches('env in (prod,staging)', { env: 'staging' })).toBe(true);
    expect(matches('env in (prod,staging)', { env: 'dev' })).toBe(false);
    expect(matches('env in (prod,staging)', {})).toBe(false);
    expect(matches('env notin (prod,staging)', { env: 'dev' })).toBe(true);
    expect(matches('env notin (prod,staging)', { env: 'prod' })).toBe(false);
    expect(matches('env notin (prod)', {})).toBe(true);
  });

  it('supports existence and non-existence', () => {
    expect(matches('canary', { canary: '' })).toBe(true);
    expect(matches('canary', {})).toBe(false);
    expect(matches('!canary', {})).toBe(true);
    expect(matches('!canary', { canary: 'true' })).toBe(false);
  });

  it('ANDs comma-separated requirements and tolerates whitespace everywhere', () => {
    const s = '  app = web ,tier in ( a , b ),  !canary , env!=prod ';
    expect(matches(s, { app: 'web', tier: 'b' })).toBe(true);
    expect(matches(s, { app: 'web', tier: 'b', env: 'prod' })).toBe(false);
    expect(matches(s, { app: 'web', tier: 'c' })).toBe(false);
    expect(matches(s, { app: 'web', tier: 'a', canary: 'x' })).toBe(false);
  });

  it('reads an omitted value as the empty string, as upstream does', () => {
    expect(matches('a=', { a: '' })).toBe(true);
    expect(matches('a=', { a: 'x' })).toBe(false);
    expect(matches('a=,b', { a: '', b: '1' })).toBe(true);
    expect(matches('a in ()', { a: '' })).toBe(true);
    expect(matches('a in (,x)', { a: '' })).toBe(true);
    expect(matches('a in (x,)', { a: 'x' })).toBe(true);
  });

  it('treats in/notin as plain words outside operator position', () => {
    expect(matches('in=notin', { in: 'notin' })).toBe(true);
    expect(matches('notin in (in)', { notin: 'in' })).toBe(true);
    expect(matches('x in (notin)', { x: 'notin' })).toBe(true);
  });

  it('supports the integer comparisons > and <', () => {
    expect(matches('gen>3', { gen: '4' })).toBe(true);
    expect(matches('gen>3', { gen: '3' })).toBe(false);
    expect(matches('gen<3', { gen: '-1' })).toBe(true);
    expect(matches('gen>3', { gen: 'four' })).toBe(false);
    expect(matches('gen>3', {})).toBe(false);
    expect(labelError('gen>-1')).toMatch(/values\[0\]\[gen\]: Invalid value: "-1": a valid label must be/);
    expect(labelError('gen>x')).toBe(
      `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
  });

  it('accepts prefixed keys and rejects keys that break the prefix/name rules', () => {
    expect(matches('app.kubernetes.io/name=web', { 'app.kubernetes.io/name': 'web' })).toBe(true);
    expect(matches(`${'k'.repeat(63)}=v`, { ['k'.repeat(63)]: 'v' })).toBe(true);
    expect(labelError('-a')).toBe(`unable to parse requirement: <nil>: Invalid value: "-a": ${NAME_RULE}`);
    expect(labelError(`${'k'.repeat(64)}=v`)).toBe(
      `unable to parse requirement: <nil>: Invalid value: "${'k'.repeat(64)}": name part must be no more than 63 characters`,
    );
    expect(labelError('example.com/')).toBe(
      `unable to parse requirement: <nil>: Invalid value: "example.com/": name part must be non-empty; ${NAME_RULE}`,
    );
    expect(labelError('Example.com/x')).toMatch(/^unable to parse requirement: <nil>: Invalid value: "Example.com\/x": prefix part a lowercase RFC 1123 subdomain/);
    expect(labelError('a/b/c')).toMatch(/Invalid value: "a\/b\/c": a qualified name must consist of .* with an optional DNS subdomain prefix/);
  });

  it('rejects invalid and over-long values', () => {
    expect(labelError('a=-b')).toMatch(/^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-b": a valid label must be an empty string/);
    expect(labelError(`a=${'v'.repeat(64)}`)).toMatch(/Invalid value: "v{64}": must be no more than 63 characters$/);
    expect(labelError('a in (ok,b/c)')).toMatch(/^unable to parse requirement: values\[1\]\[a\]: Invalid value: "b\/c"/);
  });

  it('reports syntax errors with the apiserver wording', () => {
    expect(labelError('a=b c')).toBe("found 'c', expected: ',' or 'end of string'");
    expect(labelError('a=b,')).toBe("found '', expected: identifier after ','");
    expect(labelError(',a')).toBe("found ',', expected: !, identifier, or 'end of string'");
    expect(labelError('a b')).toBe("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    expect(labelError('a in b')).toBe("unable to parse requirement: found 'b' expected: '('");
    expect(labelError('a in (b c)')).toBe("unable to parse requirement: found 'c', expected: ',' or ')'");
    expect(labelError('a in (b')).toBe("unable to parse requirement: found '', expected: ',' or ')'");
    expect(labelError('a in (=)')).toBe("unable to parse requirement: found '=', expected: ',', ')' or identifier");
    expect(labelError('a=!b')).toBe("unable to parse requirement: found '!', expected: identifier");
    expect(labelError('!')).toBe("unable to parse requirement: found '', expected: identifier");
    expect(labelError('!a=b')).toBe("found '=', expected: ',' or 'end of string'");
  });

  it('formats canonically: sorted by key, values sorted and de-duplicated', () => {
    const sel = parseLabelSelector('b==1, a in (y,x,y), !c, d notin (z), e, f!=2, g>1, h<2');
    expect(formatLabelSelector(sel)).toBe('a in (x,y),b=1,!c,d notin (z),e,f!=2,g>1,h<2');
  });
});

describe('selectorFromLabelSelectorObject', () => {
  it('maps undefined/null to nothing and {} to everything', () => {
    expect(matchesLabels(selectorFromLabelSelectorObject(undefined), {})).toBe(false);
    expect(matchesLabels(selectorFromLabelSelectorObject(null), { a: 'b' })).toBe(false);
    expect(selectorFromLabelSelectorObject(undefined)).toBe(NOTHING);
    expect(isEverything(selectorFromLabelSelectorObject({}))).toBe(true);
    expect(matchesLabels(selectorFromLabelSelectorObject({ matchLabels: null, matchExpressions: [] }), undefined)).toBe(true);
  });

  it('combines matchLabels and matchExpressions', () => {
    const sel = selectorFromLabelSelectorObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'track', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    expect(matchesLabels(sel, { app: 'web', tier: 'a', track: 's' })).toBe(true);
    expect(matchesLabels(sel, { app: 'web', tier: 'a', track: 's', canary: '1' })).toBe(false);
    expect(matchesLabels(sel, { app: 'web', tier: 'a' })).toBe(false);
    expect(matchesLabels(sel, { app: 'web', tier: 'a', track: 's', env: 'prod' })).toBe(false);
    expect(formatLabelSelector(sel)).toBe('app=web,!canary,env notin (prod),tier in (a,b),track');
  });

  it('rejects bad operators, empty value sets and stray values', () => {
    const err = (obj: Parameters<typeof selectorFromLabelSelectorObject>[0]): unknown => {
      try {
        selectorFromLabelSelectorObject(obj);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const bogus = err({ matchExpressions: [{ key: 'a', operator: 'Equals' }] });
    expect(bogus).toBeInstanceOf(SelectorError);
    expect((bogus as Error).message).toBe('"Equals" is not a valid label selector operator');
    expect((err({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }) as Error).message).toBe(
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    );
    expect((err({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x', 'y'] }] }) as Error).message).toBe(
      'values: Invalid value: []string{"x", "y"}: values set must be empty for exists and does not exist',
    );
    expect((err({ matchLabels: { 'bad key': 'v' } }) as Error).message).toMatch(/^key: Invalid value: "bad key": name part/);
  });

  it('property: matchLabels selects exactly the label sets that contain it', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    const labels = fc.dictionary(name, name, { maxKeys: 5 });
    fc.assert(
      fc.property(labels, labels, (required, extra) => {
        const sel = selectorFromLabelSelectorObject({ matchLabels: required });
        const merged = { ...extra, ...required };
        expect(matchesLabels(sel, merged)).toBe(true);
        const contained = Object.entries(required).every(([k, v]) => extra[k] === v);
        expect(matchesLabels(sel, extra)).toBe(contained);
      }),
      { numRuns: 200 },
    );
  });
});

describe('label selector round trip', () => {
  it('property: parse(format(sel)) reproduces sel and its verdicts', () => {
    const word = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,5}[a-z0-9])?$/);
    const prefix = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join('.'));
    const key = fc.oneof(word, fc.tuple(prefix, word).map(([p, n]) => `${p}/${n}`));
    const requirement = fc.oneof(
      fc.tuple(key, fc.constantFrom('=', '!='), word).map(([k, op, v]) => `${k}${op}${v}`),
      fc.tuple(key, fc.constantFrom('in', 'notin'), fc.array(word, { minLength: 1, maxLength: 3 })).map(
        ([k, op, vs]) => `${k} ${op} (${vs.join(',')})`,
      ),
      key,
      key.map((k) => `!${k}`),
      // Non-negative only: "-1" is not a valid label value, so upstream rejects `a>-1`.
      fc.tuple(key, fc.constantFrom('>', '<'), fc.nat(99)).map(([k, op, n]) => `${k}${op}${n}`),
    );
    fc.assert(
      fc.property(fc.array(requirement, { maxLength: 5 }), fc.dictionary(word, word, { maxKeys: 4 }), (reqs, labels) => {
        const sel: LabelSelector = parseLabelSelector(reqs.join(','));
        const again = parseLabelSelector(formatLabelSelector(sel));
        expect(again).toEqual(sel);
        expect(matchesLabels(again, labels)).toBe(matchesLabels(sel, labels));
      }),
      { numRuns: 200 },
    );
  });

  it('EVERYTHING and NOTHING behave as named', () => {
    expect(matchesLabels(EVERYTHING, undefined)).toBe(true);
    expect(matchesLabels(NOTHING, {})).toBe(false);
    expect(isEverything(NOTHING)).toBe(false);
  });
});

describe('parseFieldSelector / matchesFields', () => {
  const POD_FIELDS = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase'] as const;
  const fieldError = (s: string): string => {
    try {
      parseFieldSelector(s, POD_FIELDS);
    } catch (e) {
      expect(e).toBeInstanceOf(SelectorError);
      return (e as Error).message;
    }
    throw new Error(`expected ${JSON.stringify(s)} to be rejected`);
  };

  it('supports =, == and != joined by commas', () => {
    const sel = parseFieldSelector('spec.nodeName=n1,status.phase!=Succeeded,metadata.namespace==default', POD_FIELDS);
    const pod = { 'spec.nodeName': 'n1', 'status.phase': 'Running', 'metadata.namespace': 'default' };
    expect(matchesFields(sel, pod)).toBe(true);
    expect(matchesFields(sel, { ...pod, 'status.phase': 'Succeeded' })).toBe(false);
    expect(matchesFields(sel, { ...pod, 'spec.nodeName': 'n2' })).toBe(false);
  });

  it('matches everything when empty and skips empty terms', () => {
    expect(matchesFields(parseFieldSelector('', POD_FIELDS), {})).toBe(true);
    const sel = parseFieldSelector('spec.nodeName=n1,,status.phase=Running', POD_FIELDS);
    expect(sel.requirements).toHaveLength(2);
  });

  it('compares a missing field as the empty string (how `spec.nodeName=` finds unscheduled pods)', () => {
    const unscheduled = parseFieldSelector('spec.nodeName=', POD_FIELDS);
    expect(matchesFields(unscheduled, {})).toBe(true);
    expect(matchesFields(unscheduled, { 'spec.nodeName': 'n1' })).toBe(false);
    expect(matchesFields(parseFieldSelector('spec.nodeName!=', POD_FIELDS), { 'spec.nodeName': 'n1' })).toBe(true);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d', POD_FIELDS);
    expect(sel.requirements).toEqual([{ field: 'metadata.name', operator: 'Equals', value: 'a,b=c\\d' }]);
  });

  it('rejects unsupported fields with the apiserver message', () => {
    expect(fieldError('spec.foo=bar')).toBe('field label not supported: spec.foo');
    expect(fieldError('=x')).toBe('field label not supported: ');
    // Field names are not trimmed upstream either.
    expect(fieldError('status.phase=Running, spec.nodeName=n1')).toBe('field label not supported:  spec.nodeName');
  });

  it('rejects malformed terms and escapes', () => {
    expect(fieldError('metadata.name')).toBe("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
    expect(fieldError('status.phase=Running,oops')).toBe("invalid selector: 'status.phase=Running,oops'; can't understand 'oops'");
    // Upstream prints the rune with %v, i.e. its code point ('=' is 61).
    expect(fieldError('metadata.name=a=b')).toBe('invalid field selector: unescaped character in value: 61');
    expect(fieldError('metadata.name=a\\x')).toBe('invalid field selector: invalid escape sequence: \\x');
    expect(fieldError('metadata.name=a\\')).toBe('invalid field selector: invalid escape sequence: \\');
  });

  it('exposes the value an equality term pins a field to', () => {
    const sel = parseFieldSelector('status.phase!=Failed,spec.nodeName=n7', POD_FIELDS);
    expect(exactValue(sel, 'spec.nodeName')).toBe('n7');
    expect(exactValue(sel, 'status.phase')).toBeUndefined();
    expect(exactValue(sel, 'metadata.name')).toBeUndefined();
    expect(exactValue(parseFieldSelector('spec.nodeName==n8', POD_FIELDS), 'spec.nodeName')).toBe('n8');
  });

  it('property: any value survives escaping and matches only itself', () => {
    const escape = (v: string): string => v.replace(/[\\,=]/g, (c) => `\\${c}`);
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (v, other) => {
        const sel = parseFieldSelector(`metadata.name=${escape(v)}`, POD_FIELDS);
        expect(exactValue(sel, 'metadata.name')).toBe(v);
        expect(matchesFields(sel, { 'metadata.name': other })).toBe(other === v);
      }),
      { numRuns: 300 },
    );
  });
});
