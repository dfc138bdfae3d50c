import { describe, expect, it } from 'vitest';
import { parseRunbook } from './parse';
import type { ParsedStep } from './parse';
import { STEP_EXAMPLES, STEP_TYPES } from './schema';

const FILE = '/etc/triptych/runbooks/test.yaml';
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** A runbook whose steps start on line 7 (the first `- ` of `steps`). */
const runbook = (target: string, ...steps: string[]): string =>
  yaml('apiVersion: triptych.io/v1', 'kind: Runbook', 'metadata: { name: test, title: Test }', 'spec:', `  target: ${target}`, '  steps:', ...steps.map((s) => `    ${s}`));

/** Issues as `line:column message`, asserting that no runbook came back. */
function problems(text: string): string[] {
  const result = parseRunbook(text, FILE);
  expect(result.runbook).toBeUndefined();
  expect(result.issues.length).toBeGreaterThan(0);
  for (const i of result.issues) expect(i.file).toBe(FILE);
  return result.issues.map((i) => `${i.line}:${i.column} ${i.message}`);
}

describe('parseRunbook: valid files', () => {
  it('reads the example of the shared types, resolving durations and defaults', () => {
    const { runbook, issues } = parseRunbook(
      yaml(
        'apiVersion: triptych.io/v1',
        'kind: Runbook',
        'metadata: { name: drain-node, title: Drain a node for maintenance }',
        'spec:',
        '  target: node',
        '  params:',
        '    - { name: reason, type: string, default: maintenance }',
        '  lease: { scope: "node/${node}", duration: 1h30m }',
        '  steps:',
        '    - check: { guard: geo-redundancy }',
        '    - confirm: { message: "Drain ${node} at ${site}?" }',
        '    - cordon: { node: "${node}", reason: "${reason}" }',
        '      id: cordon',
        '      title: Cordon ${node}',
        '    - drain: { node: "${node}", gracePeriodSeconds: 30 }',
      ),
      FILE,
    );
    expect(issues).toEqual([]);
    expect(runbook).toEqual({
      name: 'drain-node',
      title: 'Drain a node for maintenance',
      target: 'node',
      params: [{ name: 'reason', type: 'string', default: 'maintenance' }],
      lease: { scope: 'node/${node}', duration: 90 * 60_000 },
      steps: [
        { id: '1-check', spec: { type: 'check', guard: 'geo-redundancy' } },
        { id: '2-confirm', spec: { type: 'confirm', message: 'Drain ${node} at ${site}?' } },
        { id: 'cordon', title: 'Cordon ${node}', spec: { type: 'cordon', node: '${node}', reason: '${reason}' } },
        // timeout omitted: its default, 10m.
        { id: '4-drain', spec: { type: 'drain', node: '${node}', gracePeriodSeconds: 30, timeout: 600_000 } },
      ],
      source: FILE,
    });
  });

  it('accepts every step type in its documented example form', () => {
    for (const type of STEP_TYPES) {
      const target = /\$\{(name|namespace|kind)\}/.test(STEP_EXAMPLES[type]) ? 'workload' : 'node';
      const { runbook: r, issues } = parseRunbook(runbook_(target, `- ${type}: ${STEP_EXAMPLES[type]}`, [{ name: 'reason', type: 'string', default: 'x' }]), FILE);
      expect({ type, issues }).toEqual({ type, issues: [] });
      expect(r?.steps[0]?.spec.type).toBe(type);
    }
  });

  it('turns replicas into text, keeps ${} in enum fields, and defaults patchType to merge', () => {
    const { runbook: r, issues } = parseRunbook(
      runbook(
        'workload',
        '- scale: { workload: "${name}", namespace: "${namespace}", kind: Deployment, replicas: 3 }',
        '- rollout-restart: { workload: "${name}", namespace: "${namespace}", kind: "${kind}" }',
        '- patch: { object: { kind: Deployment, namespace: "${namespace}", name: "${name}" }, patch: { spec: { paused: true } } }',
      ),
      FILE,
    );
    expect(issues).toEqual([]);
    expect(r?.steps.map((s) => s.spec)).toEqual([
      { type: 'scale', workload: '${name}', namespace: '${namespace}', kind: 'Deployment', replicas: '3' },
      { type: 'rollout-restart', workload: '${name}', namespace: '${namespace}', kind: '${kind}' },
      { type: 'patch', object: { kind: 'Deployment', namespace: '${namespace}', name: '${name}' }, patch: { spec: { paused: true } }, patchType: 'merge' },
    ]);
  });

  it('binds ${node} inside forEachNode and ${site} inside forEachSite', () => {
    const { runbook: r, issues } = parseRunbook(
      runbook('rack', '- cordon: { node: "${node}" }', '  forEachNode: rack', '- check: { guard: site-healthy }', '  forEachSite: others', '  title: ${site} healthy'),
      FILE,
    );
    expect(issues).toEqual([]);
    const steps = r?.steps as ParsedStep[];
    expect(steps.map((s) => [s.forEachNode, s.forEachSite])).toEqual([
      ['rack', undefined],
      [undefined, 'others'],
    ]);
  });

  it('lets a runbook without target use ${site} in steps that loop over sites', () => {
    const { issues } = parseRunbook(runbook('none', '- check: { guard: site-healthy }', '  forEachSite: all', '  title: Is ${site} healthy?', '- report: { kind: summary }'), FILE);
    expect(issues).toEqual([]);
  });

  it('takes $${ as a literal ${ rather than a reference', () => {
    const { runbook: r, issues } = parseRunbook(runbook('node', '- note: { text: "run: echo $${HOME} on ${node}" }'), FILE);
    expect(issues).toEqual([]);
    expect(r?.steps[0]?.spec).toEqual({ type: 'note', text: 'run: echo $${HOME} on ${node}' });
  });
});

/** `runbook` with declared params (inserted before the steps, so steps start on line 7 + params). */
function runbook_(target: string, step: string, params: { name: string; type: string; default?: string }[]): string {
  return yaml(
    'apiVersion: triptych.io/v1',
    'kind: Runbook',
    'metadata: { name: test, title: Test }',
    'spec:',
    `  target: ${target}`,
    '  params:',
    ...params.map((p) => `    - { name: ${p.name}, type: ${p.type}${p.default === undefined ? '' : `, default: ${p.default}`} }`),
    '  steps:',
    `    ${step}`,
  );
}

describe('parseRunbook: malformed YAML and hostile input', () => {
  it('reports a syntax error with its line and column', () => {
    expect(problems(runbook('node', '- cordon: { node: "${node}"', '- uncordon: { node: x }'))).toEqual([expect.stringMatching(/^8:\d+ YAML: /)]);
  });

  it('refuses a YAML bomb without expanding it', () => {
    const lol = (n: number, prev: string) => `${'l'.repeat(n)}: &${'l'.repeat(n)} [${Array(9).fill(`*${prev}`).join(', ')}]`;
    const bomb = yaml('a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]', lol(2, 'a'), lol(3, 'll'), lol(4, 'lll'), lol(5, 'llll'), lol(6, 'lllll'));
    expect(problems(bomb)).toEqual(['1:1 YAML: refusing to expand aliases: more than 100 alias expansions (the shape of a "billion laughs" attack)']);
  });

  it('refuses explicit tags, even the core ones', () => {
    expect(problems(runbook('node', '- cordon: { node: !!str n1 }'))).toEqual([
      "7:23 tags such as '!!str' are not allowed in runbooks: write the plain value (quote text that looks like a number)",
    ]);
    expect(problems(runbook('node', '- cordon: { node: !ruby/object n1 }'))).toEqual([expect.stringMatching(/^7:\d+ YAML: .*tag/i)]);
  });

  it('refuses a file over 1 MiB unparsed', () => {
    const huge = runbook('node', `- note: { text: "${'x'.repeat(2 * 1024 * 1024)}" }`);
    expect(problems(huge)).toEqual(['1:1 the file is larger than 1 MiB; a runbook is a page of steps, so this is not one']);
  });

  it('refuses several documents in one file', () => {
    const two = `${runbook('node', '- uncordon: { node: x }')}---\n${runbook('node', '- uncordon: { node: y }')}`;
    expect(problems(two)).toEqual([expect.stringMatching(/^\d+:\d+ YAML: the file holds several YAML documents \(separated by ---\); keep everything in one$/)]);
  });

  it('explains an empty file and a file that is not a mapping', () => {
    expect(problems('')).toEqual([expect.stringMatching(/^1:1 the file is empty: a runbook starts with 'apiVersion: triptych.io\/v1'/)]);
    expect(problems('- cordon: x\n')).toEqual([expect.stringMatching(/^1:1 expected a mapping at the top, found a list/)]);
  });

  it('refuses a mapping or list far larger than any runbook needs, before the slow duplicate-key check', () => {
    const keys = runbook('node', '- note: { text: x }', ...Array.from({ length: 50_000 }, (_, i) => `  k${i}: 1`));
    const started = Date.now();
    expect(problems(keys)).toEqual(["7:7 this mapping has 50001 keys; a runbook's mappings have at most 256, so this is not one"]);
    // yaml's own check would take tens of seconds on this file.
    expect(Date.now() - started).toBeLessThan(5000);
    const steps = runbook('node', ...Array.from({ length: 5000 }, () => '- note: { text: x }'));
    expect(problems(steps)).toEqual(["7:5 this list has 5000 items; a runbook's lists have at most 1000, so this is not one"]);
  });

  it('stops after 100 problems and says so', () => {
    const issues = problems(runbook('node', ...Array.from({ length: 150 }, (_, i) => `- note: { text: x, k${i}: 1 }`)));
    expect(issues).toHaveLength(101);
    expect(issues.at(-1)).toMatch(/stopped after 100 problems: this does not look like a runbook/);
  });

  it('does not mistake a name from Object.prototype for a target', () => {
    expect(problems(runbook('constructor', '- note: { text: "${x}" }'))).toEqual(["5:11 'spec.target' must be one of node, rack, site, workload, none, found 'constructor'"]);
  });

  it('refuses a merge key rather than honouring it', () => {
    expect(problems(yaml('base: &b { apiVersion: triptych.io/v1 }', '<<: *b', 'kind: Runbook'))).toContain("1:1 unknown key 'base' at the top level; allowed: apiVersion, kind, metadata, spec");
  });
});

describe('parseRunbook: steps', () => {
  it('names an unknown step type, suggests the close one and lists the known ones', () => {
    expect(problems(runbook('node', '- drian: { node: "${node}" }'))).toEqual([
      `7:7 unknown step type 'drian' in step 1 (did you mean 'drain'?); step types: ${STEP_TYPES.join(', ')} (a step may also have id, title, forEachSite, forEachNode)`,
    ]);
  });

  it('names a missing required argument', () => {
    expect(problems(runbook('node', '- cordon: { reason: x }'))).toEqual(['7:15 step 1 (cordon) has no \'node\' (The node, usually "${node}".)']);
  });

  it('refuses a step with two types or none', () => {
    expect(problems(runbook('node', '- cordon: { node: a }', '  uncordon: { node: a }'))).toEqual([
      "8:7 step 1 has two step types, 'cordon' and 'uncordon': a step does one thing, so split it into two steps",
    ]);
    expect(problems(runbook('node', '- id: lonely'))).toEqual([`7:7 step 1 has no step type: add one of ${STEP_TYPES.join(', ')}`]);
    expect(problems(runbook('node', '- cordon'))).toEqual([expect.stringMatching(/^7:7 step 1 must be a mapping with one step type/)]);
  });

  it('shows an example when the arguments are not a mapping', () => {
    expect(problems(runbook('node', '- uncordon: n1'))).toEqual([`7:17 the arguments of step 1 (uncordon) must be a mapping, found 'n1'; for example: uncordon: ${STEP_EXAMPLES.uncordon}`]);
  });

  it('reports wrong types with the fix', () => {
    expect(problems(runbook('node', '- drain: { node: 5, timeout: 600, gracePeriodSeconds: "30", deleteEmptyDirData: yes }'))).toEqual([
      '7:22 step 1 (drain) \'node\' must be non-empty text of at most 253 characters, found number 5; YAML read it as a number, so quote it: node: "5"',
      "7:34 step 1 (drain) 'timeout' must be a duration such as 30s, 10m, 2h or 1h30m (units d, h, m, s, in that order), found number 600; durations need a unit, such as timeout: 600s or timeout: 600m",
      "7:59 step 1 (drain) 'gracePeriodSeconds' must be a whole number of seconds between 0 and 86400, found '30'; write the number without quotes: gracePeriodSeconds: 30",
      "7:85 step 1 (drain) 'deleteEmptyDirData' must be true or false, found 'yes'",
    ]);
  });

  it('refuses zero and absurd durations', () => {
    expect(problems(runbook('node', '- wait: { for: { condition: node-ready, node: "${node}" }, timeout: 0s }', '- drain: { node: "${node}", timeout: 200h }'))).toEqual([
      "7:73 step 1 (wait) 'timeout' must be longer than zero: nothing can happen in 0s, found '0s'",
      "8:42 step 2 (drain) 'timeout' must be at most 7d (168h), found '200h'",
    ]);
  });

  it('suggests the close enum value and the close key', () => {
    expect(problems(runbook('node', '- wait: { for: { condition: node-reday, nod: "${node}" } }', '- check: { guard: geo-redundancy, headrom: 1 }'))).toEqual([
      "7:33 step 1 (wait) 'for.condition' must be one of node-empty, node-ready, workload-ready, pods-ready (did you mean 'node-ready'?), found 'node-reday'",
      "8:39 unknown key 'headrom' in step 2 (check) (did you mean 'headroom'?); allowed: guard, headroom",
    ]);
    expect(problems(runbook('node', '- wait: { for: { condition: node-ready, nod: "${node}" } }'))).toEqual([
      "7:20 step 1 (wait) 'for' has no 'node' (The node, usually \"${node}\".)",
      "7:45 unknown key 'nod' in step 1 (wait) 'for' (did you mean 'node'?); allowed: condition, node",
    ]);
  });

  it('refuses an enum value spelt differently, and a parameter where none may go', () => {
    expect(problems(runbook('workload', '- rollout-restart: { workload: "${name}", namespace: "${namespace}", kind: deployment }'))).toEqual([
      "7:80 step 1 (rollout-restart) 'kind' must be one of Deployment, StatefulSet, DaemonSet, or a parameter such as \"${kind}\", found 'deployment'",
    ]);
    expect(problems(runbook('node', '- drain: { node: "${node}", timeout: "${t}" }'))).toEqual([
      "7:42 step 1 (drain) 'timeout' must be a duration such as 30s, 10m, 2h or 1h30m (units d, h, m, s, in that order), found '${t}'; parameters can only be used in text fields",
    ]);
  });

  it('checks label keys', () => {
    expect(problems(runbook('node', '- label: { object: { kind: Node, name: "${node}" }, set: { "bad key": x, ok/fine: null } }'))).toEqual([
      '7:64 step 1 (label) \'set\': key \'bad key\' must be a Kubernetes key: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or "."',
    ]);
  });

  it('refuses duplicate step ids, explicit or default', () => {
    expect(problems(runbook('node', '- uncordon: { node: a }', '  id: back', '- uncordon: { node: b }', '  id: back', '- note: { text: x }', '  id: 4-note', '- note: { text: y }'))).toEqual([
      "10:11 step 2: id 'back' is already used by step 1; step ids must be unique (the run's journal names steps by id)",
      // Step 4 has no id, so it gets the default '4-note', which step 3 took.
      "13:7 step 4: id '4-note' is already used by step 3; step ids must be unique (the run's journal names steps by id)",
    ]);
  });

  it('checks loops against the target', () => {
    expect(problems(runbook('node', '- cordon: { node: "${node}" }', '  forEachNode: rack'))).toEqual([
      "8:20 step 1 (cordon): forEachNode: rack needs target rack (this runbook's target is node); use forEachNode: site for every node of the site",
    ]);
    expect(problems(runbook('rack', '- cordon: { node: "${node}" }', '  forEachNode: rack', '  forEachSite: all'))).toEqual([
      '8:20 step 1 (cordon) has both forEachSite and forEachNode: a step loops over sites or over nodes, not both',
    ]);
    expect(problems(runbook('none', '- cordon: { node: n1 }'))).toEqual([
      "7:7 step 1 (cordon) acts at a site, but a runbook with target none has no site: add 'forEachSite: all', or give the runbook a target",
    ]);
  });
});

describe('parseRunbook: parameters', () => {
  it('points at the exact ${reference} to an undeclared parameter', () => {
    expect(problems(runbook('node', '- cordon: { node: "${node}", reason: "for ${reson}" }'))).toEqual([
      "7:47 step 1 (cordon): unknown parameter '${reson}'; declare it under spec.params, or use one of: ${site}, ${node}",
    ]);
    expect(problems(runbook_('node', '- cordon: { node: "${node}", reason: "${reson}" }', [{ name: 'reason', type: 'string' }]))).toEqual([
      "9:43 step 1 (cordon): unknown parameter '${reson}' (did you mean 'reason'?); declare it under spec.params, or use one of: ${site}, ${node}, ${reason}",
    ]);
  });

  it('finds references in block text, titles and the lease scope', () => {
    const text = yaml(
      'apiVersion: triptych.io/v1',
      'kind: Runbook',
      'metadata: { name: test, title: Test }',
      'spec:',
      '  target: rack',
      '  lease: { scope: "rack/${rak}", duration: 1h }',
      '  steps:',
      '    - note:',
      '        text: |',
      '          First line',
      '          then ${ rack } here',
      '      title: On ${node}',
    );
    expect(problems(text)).toEqual([
      "6:25 spec.lease.scope: unknown parameter '${rak}' (did you mean 'rack'?); declare it under spec.params, or use one of: ${site}, ${rack}",
      "11:16 step 1 (note): '${ rack }' is not a parameter reference: write ${name} with a parameter name (letters, digits, _), or $${ for a literal ${",
      "12:17 step 1 (note): unknown parameter '${node}'; in a rack runbook ${node} exists only in steps with forEachNode: rack; declare it under spec.params, or use one of: ${site}, ${rack}",
    ]);
  });

  it('gives the target-implied parameters to a workload runbook and to no other', () => {
    const refs = '- note: { text: "${site} ${namespace} ${kind} ${name}" }';
    expect(parseRunbook(runbook('workload', refs), FILE).issues).toEqual([]);
    expect(problems(runbook('site', refs))).toHaveLength(3);
  });

  it('checks declared parameters: reserved and implied names, duplicates, defaults of the wrong type', () => {
    const text = yaml(
      'apiVersion: triptych.io/v1',
      'kind: Runbook',
      'metadata: { name: test, title: Test }',
      'spec:',
      '  target: rack',
      '  params:',
      '    - { name: rack, type: rack }',
      '    - { name: node, type: node }',
      '    - { name: count, type: number, default: "3" }',
      '    - { name: count, type: number }',
      '    - { name: target, type: site, default: Frankfurt }',
      '    - { name: 1st, type: sting }',
      '  steps:',
      '    - note: { text: x }',
    );
    expect(problems(text)).toEqual([
      '7:15 parameter \'rack\' comes with target rack (which gives site, rack); remove it from params',
      "8:15 parameter name 'node' is reserved: forEachSite and forEachNode set ${node}; choose another name or use target node",
      "9:45 default of parameter 'count' must be a number, got '3'; write it without quotes: default: 3",
      "10:15 parameter 'count' is declared twice (also params[2]); each name once",
      "11:44 default of parameter 'target' must be a site id (lower-case letters, digits and '-'), got 'Frankfurt'",
      "12:15 'spec.params[5].name' must be a name of letters, digits and _ that does not start with a digit (at most 63), found '1st'",
      "12:26 'spec.params[5].type' must be one of site, node, rack, namespace, workload, string, number, boolean (did you mean 'string'?), found 'sting'",
    ]);
  });
});

describe('parseRunbook: the document around the steps', () => {
  it('collects every problem in one pass, in reading order', () => {
    const text = yaml(
      'apiVersion: triptych.io/v2',
      'kind: Runbook',
      'metadata:',
      '  name: Drain_Node',
      '  titel: Drain',
      'spec:',
      '  target: nod',
      '  lease: { scope: x, duration: 2x }',
      '  steps: []',
    );
    expect(problems(text)).toEqual([
      "1:13 'apiVersion' must be triptych.io/v1, found 'triptych.io/v2'",
      '4:3 \'metadata\' has no \'title\' (What the menus show, e.g. "Drain a node for maintenance".)',
      "4:9 'metadata.name' must be a DNS label: lower-case letters, digits and '-', at most 63 characters, such as drain-node, found 'Drain_Node'",
      "5:3 unknown key 'titel' in 'metadata' (did you mean 'title'?); allowed: name, title, description",
      "7:11 'spec.target' must be one of node, rack, site, workload, none (did you mean 'node'?), found 'nod'",
      "8:32 'spec.lease.duration' must be a duration such as 30s, 10m, 2h or 1h30m (units d, h, m, s, in that order), found '2x'",
      "9:10 'spec.steps' must be a list of 1 to 200 steps, found an empty list",
    ]);
  });

  it('names what is missing at the top', () => {
    expect(problems('apiVersion: triptych.io/v1\nkind: Runbook\n')).toEqual([
      "1:1 the runbook has no 'metadata' (What the runbook is called.)",
      "1:1 the runbook has no 'spec' (What the runbook does.)",
    ]);
  });
});
