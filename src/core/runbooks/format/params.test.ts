import { describe, expect, it } from 'vitest';
import type { Runbook, StepSpec } from '../../../shared/runbooks';
import { bindParams, IMPLIED_PARAMS, interpolate, interpolateText, InterpolationError, paramsOf, tokenize } from './params';

const nodeRunbook: Pick<Runbook, 'target' | 'params'> = {
  target: 'node',
  params: [
    { name: 'reason', type: 'string', default: 'maintenance' },
    { name: 'count', type: 'number' },
    { name: 'force', type: 'boolean', default: false },
  ],
};

describe('interpolate', () => {
  it('substitutes every reference in every text field', () => {
    expect(interpolate({ type: 'cordon', node: '${node}', reason: '${reason} (${site})' }, { node: 'n1', reason: 'PSU', site: 'fra' })).toEqual({
      type: 'cordon',
      node: 'n1',
      reason: 'PSU (fra)',
    });
    expect(interpolate({ type: 'wait', for: { condition: 'workload-ready', namespace: '${namespace}', kind: '${kind}', name: '${name}' }, timeout: 60_000 }, { namespace: 'shop', kind: 'Deployment', name: 'web' })).toEqual({
      type: 'wait',
      for: { condition: 'workload-ready', namespace: 'shop', kind: 'Deployment', name: 'web' },
      timeout: 60_000,
    });
  });

  it('never expands a value again: values are data', () => {
    const spec = interpolate({ type: 'note', text: 'reason: ${reason}' }, { reason: '${node} $${x} ${ bad', node: 'n1' });
    expect(spec).toEqual({ type: 'note', text: 'reason: ${node} $${x} ${ bad' });
  });

  it('turns $${ into a literal ${', () => {
    expect(interpolateText('echo $${HOME} on ${node}', { node: 'n1' })).toBe('echo ${HOME} on n1');
  });

  it('fails on a missing value or a malformed reference instead of leaving it in', () => {
    expect(() => interpolateText('on ${node}', {})).toThrow(new InterpolationError('no value for ${node}'));
    expect(() => interpolateText('on ${ node }', { node: 'n1' })).toThrow(/'\$\{ node \}' is not a parameter reference/);
  });

  it('gives a whole-value reference in a patch body its parameter type, and leaves keys alone', () => {
    const spec = interpolate(
      { type: 'patch', object: { kind: 'Deployment', namespace: '${namespace}', name: '${name}' }, patch: { spec: { replicas: '${count}', paused: '${pause}' }, metadata: { annotations: { '${k}': 'n=${count}' } } }, patchType: 'merge' },
      { namespace: 'shop', name: 'web', count: 3, pause: true, k: 'x' },
    );
    expect(spec).toEqual({
      type: 'patch',
      object: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      patch: { spec: { replicas: 3, paused: true }, metadata: { annotations: { '${k}': 'n=3' } } },
      patchType: 'merge',
    });
  });

  it('interpolates label values and keeps removals', () => {
    expect(interpolate({ type: 'label', object: { kind: 'Node', name: '${node}' }, set: { 'triptych.io/by': '${user}', old: null } }, { node: 'n1', user: 'ana' })).toEqual({
      type: 'label',
      object: { kind: 'Node', name: 'n1' },
      set: { 'triptych.io/by': 'ana', old: null },
    });
  });

  it('checks what a parameter resolved to where the step needs a fixed set', () => {
    // The parser lets `kind` be a reference; StepSpec's kind type does not say so yet (hence the cast).
    const restart = { type: 'rollout-restart', workload: '${name}', namespace: 'ns', kind: '${kind}' } as unknown as StepSpec;
    expect(interpolate(restart, { name: 'web', kind: 'StatefulSet' })).toMatchObject({ kind: 'StatefulSet' });
    expect(() => interpolate(restart, { name: 'web', kind: 'ReplicaSet' })).toThrow('rollout-restart: kind must be one of Deployment, StatefulSet, DaemonSet, got \'ReplicaSet\'');
    const scale = { type: 'scale', workload: 'web', namespace: 'ns', kind: 'Deployment', replicas: '${n}' } as const;
    expect(interpolate(scale, { n: 2 })).toMatchObject({ replicas: '2' });
    expect(() => interpolate(scale, { n: -1 })).toThrow("scale: replicas must be a whole number from 0 to 10000, got '-1'");
    expect(() => interpolate(scale, { n: '3; rm -rf' })).toThrow(InterpolationError);
  });
});

describe('tokenize', () => {
  it('splits text, references, escapes and mistakes with their offsets', () => {
    expect(tokenize('a ${b} $${c} ${d')).toEqual([
      { kind: 'text', text: 'a ', at: 0 },
      { kind: 'ref', name: 'b', at: 2, length: 4 },
      { kind: 'text', text: ' ', at: 6 },
      { kind: 'text', text: '${', at: 7 },
      { kind: 'text', text: 'c} ', at: 10 },
      { kind: 'bad', text: '${d', at: 13 },
    ]);
  });
});

describe('bindParams', () => {
  it('fills in defaults and keeps what the admin gave', () => {
    expect(bindParams(nodeRunbook, { site: 'fra', node: 'worker-1.fra', count: 2 })).toEqual({
      params: { site: 'fra', node: 'worker-1.fra', reason: 'maintenance', count: 2, force: false },
      issues: [],
    });
  });

  it('names every missing, mistyped and unknown parameter', () => {
    const { params, issues } = bindParams(nodeRunbook, { site: 'Frankfurt', count: '2', force: 'yes', reasn: 'x' });
    expect(issues).toEqual([
      { param: 'site', message: "parameter 'site' must be a site id (lower-case letters, digits and '-'), got 'Frankfurt'" },
      { param: 'node', message: "parameter 'node' is required (The node the runbook was started from.)" },
      { param: 'count', message: "parameter 'count' must be a number, got '2'" },
      { param: 'force', message: "parameter 'force' must be true or false, got 'yes'" },
      { param: 'reasn', message: "unknown parameter 'reasn' (did you mean 'reason'?); this runbook takes: site, node, reason, count, force" },
    ]);
    // Only the values that passed, so nothing half-checked reaches a step.
    expect(params).toEqual({ reason: 'maintenance' });
  });

  it('checks the shape of names and refuses control characters', () => {
    const rack = { target: 'rack', params: [{ name: 'note', type: 'string' }] } as const;
    const check = (given: Record<string, unknown>) => bindParams({ ...rack, params: [...rack.params] }, { site: 'fra', rack: 'R1', note: 'ok', ...given }).issues.map((i) => i.message);
    expect(check({})).toEqual([]);
    expect(check({ rack: 'Room A / Rack 3' })).toEqual([]);
    expect(check({ rack: '' })).toEqual(["parameter 'rack' must be a rack name of 1 to 128 characters, got ''"]);
    expect(check({ rack: 'x'.repeat(129) })).toEqual([expect.stringMatching(/^parameter 'rack' must be a rack name of 1 to 128 characters/)]);
    expect(check({ rack: 'R1\n' })).toEqual(["parameter 'rack' must not contain control characters or bidirectional overrides"]);
    expect(check({ note: 'abc\u202edef' })).toEqual(["parameter 'note' must not contain control characters or bidirectional overrides"]);
    expect(check({ note: 'x'.repeat(1001) })).toEqual(["parameter 'note' must be at most 1000 characters, got 1001"]);
    expect(check({ site: 'fra;ams' })).toEqual(["parameter 'site' must be a site id (lower-case letters, digits and '-'), got 'fra;ams'"]);
    expect(check({ note: 3 })).toEqual(["parameter 'note' must be text, got number 3"]);
  });

  it('checks node, namespace and workload names as Kubernetes does', () => {
    const wl = (given: Record<string, unknown>) => bindParams({ target: 'workload', params: [] }, { site: 'fra', namespace: 'shop', kind: 'Deployment', name: 'web', ...given }).issues.map((i) => i.message);
    expect(wl({})).toEqual([]);
    expect(wl({ namespace: 'Shop' })).toEqual(["parameter 'namespace' must be a namespace (lower-case letters, digits and '-', at most 63), got 'Shop'"]);
    expect(wl({ name: 'web/../x' })).toEqual(["parameter 'name' must be a workload name (a DNS name: lower-case letters, digits, '-' and '.'), got 'web/../x'"]);
    expect(wl({ kind: 'Pod' })).toEqual(["parameter 'kind' must be one of Deployment, StatefulSet, DaemonSet, ReplicaSet, got 'Pod'"]);
    const node = bindParams({ target: 'node', params: [] }, { site: 'fra', node: 'Worker_1' }).issues.map((i) => i.message);
    expect(node).toEqual(["parameter 'node' must be a node name (a DNS name: lower-case letters, digits, '-' and '.'), got 'Worker_1'"]);
  });

  it('does not take a value from the prototype chain', () => {
    const given = Object.create({ node: 'n1' }) as Record<string, unknown>;
    given.site = 'fra';
    expect(bindParams({ target: 'node', params: [] }, given).issues).toEqual([{ param: 'node', message: "parameter 'node' is required (The node the runbook was started from.)" }]);
  });
});

describe('implied parameters', () => {
  it('come from the target, before the declared ones', () => {
    expect(IMPLIED_PARAMS.workload.map((p) => p.name)).toEqual(['site', 'namespace', 'kind', 'name']);
    expect(IMPLIED_PARAMS.none).toEqual([]);
    expect(paramsOf(nodeRunbook).map((p) => p.name)).toEqual(['site', 'node', 'reason', 'count', 'force']);
  });
});
