import { describe, expect, it } from 'vitest';
import { entryLine, redact } from './format';

describe('redaction of recorded objects', () => {
  it('drops managedFields, last-applied-configuration and env var values, keeping the rest', () => {
    const deploy = {
      kind: 'Deployment',
      metadata: {
        name: 'api',
        namespace: 'shop',
        managedFields: [{ manager: 'kubectl', fieldsV1: {} }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{"env":[{"name":"DB_PASSWORD","value":"hunter2"}]}}', 'team': 'payments' },
      },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', image: 'api:1', env: [{ name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }] }],
            initContainers: [{ name: 'init', env: [{ name: 'X', value: 'secret-x' }] }],
          },
        },
      },
    };
    const out = redact(deploy);
    const text = JSON.stringify(out);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret-x');
    expect(text).not.toContain('managedFields');
    expect(text).not.toContain('last-applied-configuration');
    expect(out.metadata.annotations).toEqual({ team: 'payments' });
    expect(out.spec.template.spec.containers[0]).toEqual({ name: 'app', image: 'api:1', env: [{ name: 'DB_PASSWORD' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }] });
    // The original is untouched: the recorder keeps it as the state it diffs against.
    expect(deploy.metadata.managedFields).toHaveLength(1);
  });

  it('leaves objects without anything to redact equal', () => {
    const node = { kind: 'Node', metadata: { name: 'n1', labels: { a: 'b' } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
    expect(redact(node)).toEqual(node);
  });

  it('replaces token-shaped text anywhere in a line, objects and log lines alike, keeping valid JSON', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2lnbmF0dXJlLXBhcnQ';
    const pod = { kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', args: [`--token=${jwt}`] }] } };
    const objectLine = entryLine({ t: 5, type: 'ADDED', resource: 'pods', object: pod });
    expect(objectLine).not.toContain(jwt);
    expect(JSON.parse(objectLine).object.spec.containers[0].args).toEqual(['--token=[redacted]']);
    const logLine = entryLine({ t: 6, log: { namespace: 'n', pod: 'p', container: 'c', line: 'GET /api Authorization: Bearer s3cr3tT0kenValue1234 -> 401' } });
    expect(JSON.parse(logLine).log.line).toBe('GET /api Authorization: [redacted] -> 401');
  });
});
