/**
 * pods/exec against the training fleet over WebSocket + TLS with kubeconfig
 * credentials — the production path: commands, exit codes, an interactive
 * tty (resize, Ctrl-C), the v4 protocol, the operator-only rule and the audit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFleet, type TestFleet } from '../../emulator/testing/fleet-fixture';
import { ContractError } from '../../shared/contract/rpc';
import type { KubeHttp } from '../kube/http';
import { deploy, runningPods, siteHttp } from '../logs/fleet-logs-fixture';
import type { ExecAuditRecord } from './audit';
import { V4, V5 } from './channel';
import { openExec, type ExecRequest, type ExecSession } from './exec-session';
import { TerminalOutput } from './terminal-output';

let t: TestFleet;
let site: string;
let pod: string;
let operator: KubeHttp;
let viewer: KubeHttp;

beforeAll(async () => {
  t = await startTestFleet({ sites: 1, nodes: 6 });
  site = t.fleet.sites[0]?.site.name as string;
  await deploy(t, site, { namespace: 'sh', name: 'box', replicas: 1, containers: ['app'], rate: 1 });
  [pod] = (await runningPods(t, site, 'sh', 'box', 1)) as [string];
  operator = siteHttp(t, site, 'operator');
  viewer = siteHttp(t, site, 'viewer');
});
afterAll(async () => {
  operator?.close();
  viewer?.close();
  await t?.close();
});

/** Opens a session that records its output and audit entries. */
async function exec(command: string[], o: Partial<ExecRequest> = {}): Promise<{ s: ExecSession; out: () => string; err: () => string; audit: [ExecAuditRecord, string][]; waitFor: (pred: (out: string) => boolean) => Promise<string> }> {
  let out = '';
  let err = '';
  const audit: [ExecAuditRecord, string][] = [];
  const waiters = new Set<() => void>();
  const s = await openExec({
    site,
    http: operator,
    role: 'operator',
    who: 'alice',
    namespace: 'sh',
    pod,
    container: 'app',
    command,
    tty: false,
    stdin: false,
    audit: (r, phase) => audit.push([r, phase]),
    onOutput: (d, stream) => {
      if (stream === 'stdout') out += d.toString('utf8');
      else err += d.toString('utf8');
      for (const w of [...waiters]) w();
    },
    ...o,
  });
  const waitFor = (pred: (all: string) => boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; output so far: ${JSON.stringify(out.slice(-500))}`)), 10_000);
      const check = (): void => {
        if (!pred(out)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(out);
      };
      waiters.add(check);
      check();
    });
  return { s, out: () => out, err: () => err, audit, waitFor };
}

describe('openExec against the training fleet', () => {
  it('runs hostname: its output, exit status 0, v5, and an audit entry at start and end', async () => {
    const x = await exec(['hostname']);
    expect(x.s.protocol).toBe(V5);
    const exit = await x.s.exited;
    expect(exit).toMatchObject({ exitCode: 0, summary: 'exited with status 0' });
    expect(x.out()).toBe(`${pod}\n`);
    expect(x.audit.map(([, p]) => p)).toEqual(['start', 'end']);
    const [start, end] = x.audit.map(([r]) => r) as [ExecAuditRecord, ExecAuditRecord];
    expect(start).toMatchObject({ who: 'alice', site, namespace: 'sh', pod, container: 'app', command: ['hostname'], protocol: V5 });
    expect(start.endedAt).toBeUndefined();
    expect(end).toMatchObject({ id: start.id, startedAt: start.startedAt, outcome: 'exited', exitCode: 0 });
    expect(Date.parse(end.endedAt as string)).toBeGreaterThanOrEqual(Date.parse(start.startedAt));
  });

  it('reports a failing command\'s exit code, and stderr apart from stdout without a tty', async () => {
    const x = await exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(await x.s.exited).toMatchObject({ exitCode: 3, reason: 'NonZeroExitCode', summary: 'exited with status 3' });
    expect(x.out()).toBe('out\n');
    expect(x.err()).toBe('err\n');
    expect(x.audit.at(-1)?.[0]).toMatchObject({ outcome: 'exited', exitCode: 3 });
  });

  it('a command that cannot start has no exit code and says why', async () => {
    const x = await exec(['no-such-program']);
    const exit = await x.s.exited;
    expect(exit.exitCode).toBeUndefined();
    expect(exit.summary).toMatch(/^failed: .*no-such-program/);
    expect(x.audit.at(-1)?.[0]).toMatchObject({ outcome: 'failed', error: exit.summary });
  });

  it('an interactive tty: resize reflows output, Ctrl-C interrupts, the exit status of the shell', async () => {
    const x = await exec(['sh'], { tty: true, stdin: true, size: { cols: 24, rows: 10 } });
    await x.waitFor((o) => o.endsWith('# '));
    x.s.write('ls /\r');
    let out = await x.waitFor((o) => o.split('# ').length === 3);
    const narrow = out.split('# ')[1] ?? '';
    expect(narrow.split('\r\n').length).toBeGreaterThan(4);
    x.s.resize(200, 50);
    x.s.write('ls /\r');
    out = await x.waitFor((o) => o.split('# ').length === 4);
    expect((out.split('# ')[2] ?? '').split('\r\n')).toHaveLength(3);

    const before = Date.now();
    x.s.write('sleep 30\r');
    await x.waitFor((o) => o.endsWith('sleep 30\r\n'));
    x.s.interrupt();
    out = await x.waitFor((o) => o.split('# ').length === 5);
    expect(out).toMatch(/sleep 30\r\n\^C\r\n[^\r\n]*# $/);
    expect(Date.now() - before).toBeLessThan(5000);

    x.s.write('exit 4\r');
    expect(await x.s.exited).toMatchObject({ exitCode: 4 });
    // The whole session is fit for a terminal once sanitised (and a shell's output passes as it is).
    const term = new TerminalOutput();
    expect(term.write(Buffer.from(x.out())) + term.end()).toBe(x.out());
  });

  it('closes stdin on v5: cat sees end of input and exits 0', async () => {
    const x = await exec(['cat'], { stdin: true });
    x.s.write('hello\n');
    await x.waitFor((o) => o === 'hello\n');
    expect(x.s.closeStdin()).toBe(true);
    expect(await x.s.exited).toMatchObject({ exitCode: 0 });
  });

  it('speaks v4 when that is all that is offered or known: output and exit codes', async () => {
    const x = await exec(['sh', '-c', 'hostname; exit 5'], { protocols: [V4] });
    expect(x.s.protocol).toBe(V4);
    expect(await x.s.exited).toMatchObject({ exitCode: 5 });
    expect(x.out()).toBe(`${pod}\n`);
    // v4 cannot half-close stdin.
    expect(x.s.closeStdin()).toBe(false);
  });

  it('hanging up ends the session and is audited as closed', async () => {
    const x = await exec(['sleep', '60'], { tty: true, stdin: true });
    x.s.close();
    const exit = await x.s.exited;
    expect(exit.exitCode).toBeUndefined();
    expect(x.audit.at(-1)?.[0]).toMatchObject({ outcome: 'closed' });
  });

  it('refuses a viewer connection without connecting, and audits the refusal', async () => {
    const audit: [ExecAuditRecord, string][] = [];
    const err = await openExec({ site, http: operator, role: 'viewer', who: 'bob', namespace: 'sh', pod, container: 'app', command: ['sh'], audit: (r, p) => audit.push([r, p]), onOutput: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe('forbidden');
    expect((err as Error).message).toBe('a shell in a container needs the operator role; this connection is viewer');
    expect(audit).toEqual([[expect.objectContaining({ who: 'bob', outcome: 'refused', command: ['sh'] }), 'end']]);
  });

  it('passes on the API server\'s refusal in its words: viewer credentials (RBAC), a missing pod', async () => {
    const audit: ExecAuditRecord[] = [];
    const base = { site, role: 'operator' as const, who: 'carol', namespace: 'sh', container: 'app', command: ['sh'], audit: (r: ExecAuditRecord) => void audit.push(r), onOutput: () => {} };
    const refused = (p: Promise<unknown>): Promise<ContractError> => p.then(() => { throw new Error('opened'); }, (e: unknown) => e as ContractError);
    const rbac = await refused(openExec({ ...base, http: viewer, pod }));
    expect(rbac.code).toBe('forbidden');
    expect(rbac.message).toMatch(/^not allowed to open a shell in sh\/.* at .*: pods(\/exec)? ".*" is forbidden: User "viewer@.*" cannot create resource "pods\/exec"/);
    const missing = await refused(openExec({ ...base, http: operator, pod: 'nope' }));
    expect(missing.code).toBe('not-found');
    expect(audit.map((r) => r.outcome)).toEqual(['failed', 'failed']);
  });
});
