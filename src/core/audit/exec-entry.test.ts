/**
 * Shell sessions written to the audit trail through execAuditSink, the
 * drop-in for the exec service: a real session at the training fleet leaves
 * a start and an end entry on its pod, a refusal one entry, and a token typed
 * on the command line is redacted, not written.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { openExec } from '../exec';
import type { KubeHttp } from '../kube/http';
import { siteHttp } from '../logs/fleet-logs-fixture';
import { AuditLog } from './audit-log';
import { execAuditRecord, execAuditSink } from './exec-entry';

let t: TestFleet;
let site: string;
let operator: KubeHttp;
let dir: string;
let pod: { name: string; namespace: string; container: string };

beforeAll(async () => {
  t = await startTestFleet({ sites: 1, nodes: 3 });
  site = t.fleet.sites[0]?.site.name as string;
  operator = siteHttp(t, site, 'operator');
  dir = mkdtempSync(path.join(os.tmpdir(), 'triptych-exec-audit-'));
  const pods = await operator.getJson<{ items: { metadata: { name: string; namespace: string }; spec: { containers: { name: string }[] } }[] }>('/api/v1/pods', { fieldSelector: 'status.phase=Running', limit: 1 });
  const p = pods.items[0];
  pod = { name: p?.metadata.name as string, namespace: p?.metadata.namespace as string, container: p?.spec.containers[0]?.name as string };
});
afterAll(async () => {
  operator?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('execAuditSink', () => {
  it('writes a session as a start and an end entry on the pod, with the command and exit code', async () => {
    const log = new AuditLog(path.join(dir, 'session.jsonl'));
    const s = await openExec({ site, http: operator, role: 'operator', who: 'userpass-alice', namespace: pod.namespace, pod: pod.name, container: pod.container, command: ['sh', '-c', 'exit 3'], tty: false, stdin: false, audit: execAuditSink(log), onOutput: () => {} });
    const exit = await s.exited;
    expect(exit.exitCode).toBe(3);

    const [end, start] = log.query();
    const object = { kind: 'Pod', namespace: pod.namespace, name: pod.name };
    expect(start).toMatchObject({ seq: 1, who: 'userpass-alice', verb: 'exec', site, object, result: 'ok', detail: `opened a shell: sh -c exit 3 in container ${pod.container}`, data: { phase: 'start', command: ['sh', '-c', 'exit 3'], protocol: s.protocol } });
    expect(end).toMatchObject({ seq: 2, verb: 'exec', object, result: 'ok', detail: `shell ended: sh -c exit 3 in container ${pod.container} exited with code 3`, data: { phase: 'end', outcome: 'exited', exitCode: 3 } });
    expect((end?.data as { session: string }).session).toBe((start?.data as { session: string }).session);
    expect(log.verify()).toEqual({ ok: true, entries: 2 });
  });

  it('writes a refused session as one entry with the reason', async () => {
    const log = new AuditLog(path.join(dir, 'refused.jsonl'));
    await expect(openExec({ site, http: operator, role: 'viewer', who: 'userpass-bob', namespace: pod.namespace, pod: pod.name, container: pod.container, command: ['sh'], audit: execAuditSink(log), onOutput: () => {} })).rejects.toThrow(/operator role/);
    expect(log.query()).toEqual([expect.objectContaining({ seq: 1, result: 'refused', detail: expect.stringMatching(/^shell refused: sh in container .*: a shell in a container needs the operator role/) })]);
  });

  it('redacts a token typed on the command line instead of refusing the record', () => {
    const log = new AuditLog(path.join(dir, 'token.jsonl'));
    const token = 'hvs.CAESIJ4kxmmxXdQkVYv1gTuWNZbeUdEyLZfIc';
    execAuditSink(log)({ id: 's1', who: 'userpass-alice', site, namespace: 'ns', pod: 'p', container: 'c', command: ['vault', 'login', token], tty: true, startedAt: new Date().toISOString() }, 'start');
    expect(readFileSync(log.file, 'utf8')).not.toContain(token);
    expect(log.query()[0]?.data).toMatchObject({ command: ['vault', 'login', '[redacted]'] });
    expect(execAuditRecord({ id: 's1', who: 'a', site, namespace: 'ns', pod: 'p', container: 'c', command: ['sh'], tty: true, startedAt: '', endedAt: '', outcome: 'failed', error: 'connection reset', protocol: 'v5.channel.k8s.io' }, 'end').detail).toBe('shell broke off: sh in container c: connection reset');
  });
});
