import { readFileSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { KObject } from '../types';
import { execOnce, imageFlavor, startProcess, type ExecTarget } from './shell';

const NOW = Date.parse('2025-03-04T05:06:07Z');

function pod(overrides: { containers?: Record<string, unknown>[]; spec?: Record<string, unknown> } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'orders-5f7d8c9b4-q8z2x', namespace: 'shop', uid: 'aaaaaaaa-0000-4000-8000-000000000001', labels: { app: 'orders' }, creationTimestamp: '2025-03-01T00:00:00Z' },
    spec: {
      serviceAccountName: 'orders',
      nodeName: 'fra-a-r01-u07',
      containers: overrides.containers ?? [
        {
          name: 'app',
          image: 'registry.example/orders:2.3.1-alpine',
          command: ['/app/orders'],
          args: ['--port=8080'],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
            { name: 'DSN', value: 'postgres://$(NODE):5432/$(MISSING)' },
            { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
          ],
        },
        { name: 'deb', image: 'python:3.12-slim' },
        { name: 'dl', image: 'gcr.io/distroless/static-debian12:nonroot' },
        { name: 'user', image: 'busybox:1.37', securityContext: { runAsUser: 1000, runAsGroup: 3000 } },
      ],
      ...overrides.spec,
    },
    status: { phase: 'Running', podIP: '10.244.9.17', startTime: '2025-03-01T00:00:05Z' },
  };
}

const target = (container = 'app', p: KObject = pod()): ExecTarget => ({ pod: p, container, now: () => NOW });

async function sh(script: string, container = 'app', shell = 'sh'): Promise<{ code: number; out: string; err: string }> {
  const r = await execOnce(target(container), [shell, '-c', script]);
  if (!r.ok) throw new Error(r.error);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

async function run(argv: string[], container = 'app', stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const r = await execOnce(target(container), argv, stdin);
  if (!r.ok) throw new Error(r.error);
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
}

/** An interactive tty session: type into it, wait for output. */
function terminal(container = 'app', argv = ['sh']) {
  let screen = '';
  let wake: (() => void) | undefined;
  const started = startProcess(target(container), argv, {
    tty: true,
    stdin: true,
    output: (fd, text) => {
      expect(fd).toBe(1);
      screen += text;
      wake?.();
    },
  });
  if (!started.ok) throw new Error(started.error);
  const proc = started.process;
  return {
    proc,
    get screen() {
      return screen;
    },
    type: (s: string) => proc.write(Buffer.from(s, 'utf8')),
    async until(test: (s: string) => boolean): Promise<string> {
      const deadline = Date.now() + 3000;
      while (!test(screen)) {
        if (Date.now() > deadline) throw new Error(`timed out; screen: ${JSON.stringify(screen)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return screen;
    },
  };
}

describe('imageFlavor', () => {
  it('tells busybox, Debian and distroless images apart', () => {
    expect(imageFlavor('nginx:1.27-alpine')).toBe('busybox');
    expect(imageFlavor('busybox:1.37')).toBe('busybox');
    expect(imageFlavor('registry.example/shop/api:1.0')).toBe('busybox');
    expect(imageFlavor('nginx:1.27')).toBe('debian');
    expect(imageFlavor('python:3.12-slim')).toBe('debian');
    expect(imageFlavor('registry.k8s.io/kube-proxy:v1.32.0')).toBe('debian');
    expect(imageFlavor('gcr.io/distroless/static-debian12')).toBe('distroless');
    expect(imageFlavor('registry.k8s.io/coredns/coredns:v1.11.3')).toBe('distroless');
    expect(imageFlavor('registry.k8s.io/pause:3.10')).toBe('distroless');
  });
});

describe('non-interactive commands', () => {
  it('hostname is the pod name; -i the pod IP', async () => {
    expect(await run(['hostname'])).toEqual({ code: 0, out: 'orders-5f7d8c9b4-q8z2x\n', err: '' });
    expect((await run(['hostname', '-i'])).out).toBe('10.244.9.17\n');
    // Never the machine the emulator runs on.
    expect((await run(['hostname'])).out).not.toContain(os.hostname());
  });

  it('env shows the pod environment in container order', async () => {
    const { out } = await run(['env']);
    expect(out.split('\n').filter(Boolean)).toEqual([
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOSTNAME=orders-5f7d8c9b4-q8z2x',
      'LOG_LEVEL=info',
      'NODE=fra-a-r01-u07',
      'APP=orders',
      'DSN=postgres://fra-a-r01-u07:5432/$(MISSING)',
      'KUBERNETES_SERVICE_HOST=10.96.0.1',
      'KUBERNETES_SERVICE_PORT=443',
      'KUBERNETES_SERVICE_PORT_HTTPS=443',
      'KUBERNETES_PORT=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443',
      'KUBERNETES_PORT_443_TCP_PROTO=tcp',
      'KUBERNETES_PORT_443_TCP_PORT=443',
      'KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1',
      'HOME=/root',
    ]);
    expect(await run(['printenv', 'LOG_LEVEL', 'HOME'])).toEqual({ code: 0, out: 'info\n/root\n', err: '' });
    expect((await run(['printenv', 'NOPE'])).code).toBe(1);
  });

  it('adds TERM only with a tty', async () => {
    expect((await run(['env'])).out).not.toContain('TERM=');
    let out = '';
    const p = startProcess(target(), ['printenv', 'TERM'], { tty: true, stdin: false, output: (_fd, t) => (out += t) });
    if (!p.ok) throw new Error(p.error);
    expect(await p.process.exited).toBe(0);
    expect(out).toBe('xterm\r\n');
  });

  it('lists the fake filesystem, never the host', async () => {
    expect((await run(['ls', '/'])).out).toBe(['app', 'bin', 'dev', 'etc', 'home', 'lib', 'proc', 'root', 'sbin', 'sys', 'tmp', 'usr', 'var', ''].join('\n'));
    expect((await run(['ls', '/etc'])).out).toBe('alpine-release\ngroup\nhostname\nhosts\nos-release\npasswd\nresolv.conf\n');
    expect((await run(['ls', '/var/run/secrets/kubernetes.io/serviceaccount'])).out).toBe('ca.crt\nnamespace\ntoken\n');
    expect((await run(['ls', '/tmp', '/proc'])).out).toBe('/tmp:\n\n/proc:\n1\nloadavg\nuptime\nversion\n');
    const long = await run(['ls', '-l', '/app']);
    expect(long.out).toMatch(/^-rw-r--r-- +1 root +root +\d+ Jan 1[89] 00:00 config\.yaml\n$/);
    expect((await run(['ls', '-a', '/tmp'])).out).toBe('.\n..\n');
  });

  it('reports missing paths in each userland’s words', async () => {
    expect(await run(['ls', '/nope'])).toEqual({ code: 1, out: '', err: 'ls: /nope: No such file or directory\n' });
    expect(await run(['ls', '/nope'], 'deb')).toEqual({ code: 2, out: '', err: "ls: cannot access '/nope': No such file or directory\n" });
    expect(await run(['cat', '/nope'])).toEqual({ code: 1, out: '', err: "cat: can't open '/nope': No such file or directory\n" });
    expect(await run(['cat', '/nope'], 'deb')).toEqual({ code: 1, out: '', err: 'cat: /nope: No such file or directory\n' });
    expect((await run(['cat', '/etc'], 'deb')).err).toBe('cat: /etc: Is a directory\n');
  });

  it('cats the pod’s files', async () => {
    expect((await run(['cat', '/etc/hostname'])).out).toBe('orders-5f7d8c9b4-q8z2x\n');
    expect((await run(['cat', '/etc/resolv.conf'])).out).toBe('search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const hosts = (await run(['cat', '/etc/hosts'])).out;
    expect(hosts.startsWith('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n')).toBe(true);
    expect(hosts.endsWith('10.244.9.17\torders-5f7d8c9b4-q8z2x\n')).toBe(true);
    expect((await run(['cat', '/etc/os-release'])).out).toContain('ID=alpine');
    expect((await run(['cat', '/etc/os-release'], 'deb')).out).toContain('VERSION_CODENAME=bookworm');
    expect((await run(['cat', '/app/config.yaml'])).out).toContain('  namespace: shop\n');
    expect((await run(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace'])).out).toBe('shop');
    const token = (await run(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'])).out;
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
    expect(payload.sub).toBe('system:serviceaccount:shop:orders');
    // Deterministic: the same pod has the same token.
    expect((await run(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'])).out).toBe(token);
    // The container's /etc/passwd is its own, not the host's.
    const passwd = (await run(['cat', '/etc/passwd'])).out;
    expect(passwd.startsWith('root:x:0:0:root:/root:/bin/sh\n')).toBe(true);
    let hostPasswd = '';
    try {
      hostPasswd = readFileSync('/etc/passwd', 'utf8');
    } catch {
      // no host passwd to compare with
    }
    if (hostPasswd) expect(passwd).not.toBe(hostPasswd);
  });

  it('has no service account mount when automounting is off', async () => {
    const p = pod({ spec: { automountServiceAccountToken: false } });
    const r = await execOnce(target('app', p), ['ls', '/var/run']);
    expect(r).toMatchObject({ ok: true, stdout: '' });
  });

  it('ps shows the entrypoint as PID 1, then the shell and ps', async () => {
    const { out } = await sh('ps');
    const rows = out.split('\n').filter(Boolean);
    expect(rows[0]).toBe('PID   USER     TIME  COMMAND');
    expect(rows[1]).toMatch(/^ {4}1 root +\d+:\d\d \/app\/orders --port=8080$/);
    expect(rows[2]).toMatch(/^ +\d+ root +0:00 sh -c ps$/);
    expect(rows[3]).toMatch(/^ +\d+ root +0:00 ps$/);
    expect(rows).toHaveLength(4);
    const pidOf = (row: string | undefined): number => Number(row?.trim().split(/\s+/)[0]);
    expect(pidOf(rows[3])).toBeGreaterThan(pidOf(rows[2]));
    // An image without a command runs its usual entrypoint.
    const nginx = await execOnce(target('web', pod({ containers: [{ name: 'web', image: 'nginx:1.27' }] })), ['ps']);
    expect(nginx.ok && nginx.stdout.split('\n')[1]).toMatch(/nginx: master process nginx -g daemon off;$/);
  });

  it('answers who and where', async () => {
    expect((await run(['pwd'])).out).toBe('/app\n');
    expect((await run(['whoami'])).out).toBe('root\n');
    expect((await run(['id'])).out).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
    expect((await run(['uname'])).out).toBe('Linux\n');
    expect((await run(['uname', '-a'])).out).toBe('Linux orders-5f7d8c9b4-q8z2x 6.8.0-49-generic #49-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024 x86_64 Linux\n');
    expect((await run(['uname', '-a'], 'deb')).out.endsWith(' x86_64 GNU/Linux\n')).toBe(true);
    expect((await run(['uname', '-r'])).out).toBe('6.8.0-49-generic\n');
    expect((await run(['date'])).out).toBe('Tue Mar  4 05:06:07 UTC 2025\n');
    expect((await run(['date', '+%Y-%m-%dT%H:%M:%S %s'])).out).toBe('2025-03-04T05:06:07 1741064767\n');
  });

  it('knows non-root users by number only when /etc/passwd does not', async () => {
    expect(await run(['whoami'], 'user')).toEqual({ code: 1, out: '', err: 'whoami: unknown uid 1000\n' });
    expect((await run(['id'], 'user')).out).toBe('uid=1000 gid=3000 groups=3000\n');
    const t = terminal('user');
    await t.until((s) => s.endsWith('/app $ '));
    t.proc.kill();
    expect(await t.proc.exited).toBe(137);
  });

  it('echo, true, false, exit codes', async () => {
    expect((await run(['echo', 'a', 'b'])).out).toBe('a b\n');
    expect((await run(['echo', '-n', 'a'])).out).toBe('a');
    expect((await run(['true'])).code).toBe(0);
    expect((await run(['false'])).code).toBe(1);
    expect((await sh('exit 3')).code).toBe(3);
    expect((await sh('exit 300')).code).toBe(44);
    expect(await sh('exit x')).toEqual({ code: 2, out: '', err: 'sh: exit: Illegal number: x\n' });
    expect((await sh('false')).code).toBe(1);
  });

  it('sleeps for real, and not longer than asked', async () => {
    const t0 = Date.now();
    expect((await run(['sleep', '0.05'])).code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(await run(['sleep', 'abc'])).toEqual({ code: 1, out: '', err: "sleep: invalid number 'abc'\n" });
  });

  it('kills a process with SIGKILL (137)', async () => {
    const p = startProcess(target(), ['sleep', '60'], { tty: false, stdin: false, output: () => {} });
    if (!p.ok) throw new Error(p.error);
    p.process.kill();
    expect(await p.process.exited).toBe(137);
  });

  it('cat copies stdin until EOF', async () => {
    expect(await run(['cat'], 'app', 'hello\nworld\n')).toEqual({ code: 0, out: 'hello\nworld\n', err: '' });
    expect(await run(['cat'], 'app')).toEqual({ code: 0, out: '', err: '' });
  });
});

describe('sh -c', () => {
  it('runs ; && || lists with $? and variables', async () => {
    expect((await sh('echo a; false && echo no; false || echo yes; echo $?')).out).toBe('a\nyes\n0\n');
    expect((await sh('X=1; echo "x=$X" \'$X\' ${X}2 $UNSET end')).out).toBe("x=1 $X 12 end\n");
    expect((await sh('cd /etc && pwd; cd; pwd; cd ~/.. && pwd')).out).toBe('/etc\n/root\n/\n');
    expect((await sh('echo $HOSTNAME $HOME')).out).toBe('orders-5f7d8c9b4-q8z2x /root\n');
    expect((await sh('A=1 printenv A; printenv A')).out).toBe('1\n');
    expect((await sh('export B=2; printenv B')).out).toBe('2\n');
  });

  it('says "not found" (127) for unknown commands, in each dialect', async () => {
    expect(await sh('foo')).toEqual({ code: 127, out: '', err: 'sh: foo: not found\n' });
    expect(await sh('echo before; foo; echo after')).toEqual({ code: 0, out: 'before\nafter\n', err: 'sh: foo: not found\n' });
    expect(await sh('foo', 'deb')).toEqual({ code: 127, out: '', err: 'sh: 1: foo: not found\n' });
    expect(await sh('foo', 'deb', 'bash')).toEqual({ code: 127, out: '', err: 'bash: line 1: foo: command not found\n' });
    expect(await sh('bash')).toEqual({ code: 127, out: '', err: 'sh: bash: not found\n' });
    expect(await sh('/etc/hosts')).toEqual({ code: 126, out: '', err: 'sh: /etc/hosts: Permission denied\n' });
    expect((await sh('cd /nope')).err).toBe("sh: cd: can't cd to /nope: No such file or directory\n");
    expect(await sh('cd /nope', 'deb', 'bash')).toEqual({ code: 1, out: '', err: 'bash: line 1: cd: /nope: No such file or directory\n' });
  });

  it('reports syntax errors with status 2', async () => {
    expect(await sh('echo "open')).toEqual({ code: 2, out: '', err: 'sh: syntax error: unterminated quoted string\n' });
    expect(await sh('; echo x')).toEqual({ code: 2, out: '', err: 'sh: syntax error: unexpected ";"\n' });
    expect((await sh('echo x &&')).code).toBe(2);
    expect((await sh("echo 'open", 'deb')).err).toBe('sh: 1: Syntax error: Unterminated quoted string\n');
    expect(await run(['sh', '-c'])).toEqual({ code: 2, out: '', err: 'sh: -c requires an argument\n' });
  });

  it('pipes and redirects', async () => {
    expect((await sh('env | grep KUBERNETES_SERVICE | wc -l')).out).toBe('3\n');
    expect((await sh('cat /etc/hosts | tail -n 1')).out).toBe('10.244.9.17\torders-5f7d8c9b4-q8z2x\n');
    expect((await sh('ls / | head -3')).out).toBe('app\nbin\ndev\n');
    expect(await sh('echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; cat < /tmp/f | grep -c o')).toEqual({ code: 0, out: 'one\ntwo\n2\n', err: '' });
    expect(await sh('cat /nope 2>/dev/null || echo missing')).toEqual({ code: 0, out: 'missing\n', err: '' });
    expect(await sh('cat /nope 2>&1')).toEqual({ code: 1, out: "cat: can't open '/nope': No such file or directory\n", err: '' });
    expect(await sh('echo x > /proc/nope')).toEqual({ code: 2, out: '', err: "sh: can't create /proc/nope: Read-only file system\n" });
    expect((await sh('grep -q root /etc/passwd && echo has-root')).out).toBe('has-root\n');
  });

  it('runs a script from stdin without a tty (no prompt)', async () => {
    expect(await run(['sh'], 'app', 'hostname\necho $?\nexit 4\necho unreachable\n')).toEqual({ code: 4, out: 'orders-5f7d8c9b4-q8z2x\n0\n', err: '' });
    // Without stdin a shell reads EOF at once.
    expect(await run(['sh'])).toEqual({ code: 0, out: '', err: '' });
  });
});

describe('starting a process', () => {
  it('fails like runc when the program does not exist', () => {
    const start = (argv: string[], c = 'app') => startProcess(target(c), argv, { tty: false, stdin: false, output: () => {} });
    expect(start(['foo'])).toEqual({ ok: false, error: 'exec: "foo": executable file not found in $PATH' });
    expect(start(['cd', '/'])).toEqual({ ok: false, error: 'exec: "cd": executable file not found in $PATH' });
    expect(start(['/bin/bash'])).toEqual({ ok: false, error: 'exec: "/bin/bash": stat /bin/bash: no such file or directory' });
    expect(start(['/etc'])).toEqual({ ok: false, error: 'exec: "/etc": permission denied' });
    expect(start(['sh'], 'dl')).toEqual({ ok: false, error: 'exec: "sh": executable file not found in $PATH' });
    expect(start(['bash'], 'deb').ok).toBe(true);
    expect(start(['/bin/sh']).ok).toBe(true);
  });
});

describe('interactive tty', () => {
  it('prompts, echoes, edits, runs, and ends lines with \\r\\n', async () => {
    const t = terminal();
    await t.until((s) => s === '/app # ');
    t.type('echo hellp\x7fo\r');
    await t.until((s) => s.endsWith('/app # echo hellp\b \bo\r\nhello\r\n/app # '));
    // Type-ahead is echoed at once, before the next prompt, as a pty does.
    t.type('cd /etc\rls');
    await t.until((s) => s.endsWith('/app # cd /etc\r\nls/etc # '));
    t.type('\r');
    // ls fills columns top to bottom, as wide as the terminal allows.
    await t.until((s) => s.endsWith('/etc # \r\nalpine-release  hostname        os-release      resolv.conf\r\ngroup           hosts           passwd\r\n/etc # '));
    t.type('\x1b[A\x15oops\x15exit 9\r');
    expect(await t.proc.exited).toBe(9);
    expect(t.screen.endsWith('/etc # oops\b \b\b \b\b \b\b \bexit 9\r\n')).toBe(true);
  });

  it('Ctrl-C interrupts the foreground command and returns to the prompt', async () => {
    const t = terminal();
    await t.until((s) => s.endsWith('# '));
    t.type('sleep 60\r');
    await t.until((s) => s.endsWith('sleep 60\r\n'));
    t.type('\x03');
    await t.until((s) => s.endsWith('sleep 60\r\n^C\r\n/app # '));
    t.type('echo $?\r');
    await t.until((s) => s.endsWith('130\r\n/app # '));
    // Once the command runs, Ctrl-C kills it and the rest of the line is abandoned.
    t.type('sleep 60; echo after\r');
    await new Promise((r) => setTimeout(r, 30));
    t.type('\x03');
    await t.until((s) => s.endsWith('sleep 60; echo after\r\n^C\r\n/app # '));
    expect(t.screen).not.toContain('after\r\nafter');
    // cat on a tty reads typed lines; Ctrl-D ends its input, not the shell.
    t.type('cat\rline\r\x04');
    await t.until((s) => s.endsWith('cat\r\nline\r\nline\r\n/app # '));
    t.type('\x04');
    expect(await t.proc.exited).toBe(0);
  });

  it('a nested shell exits back to its parent', async () => {
    const t = terminal('deb', ['bash']);
    const prompt = 'root@orders-5f7d8c9b4-q8z2x:/app# ';
    await t.until((s) => s.endsWith(prompt));
    t.type('sh\r');
    await t.until((s) => s.endsWith('# ') && !s.endsWith(prompt));
    t.type('exit 2\r');
    await t.until((s) => s.endsWith(prompt));
    t.type('echo $?\r');
    await t.until((s) => s.endsWith(`2\r\n${prompt}`));
    t.proc.closeStdin();
    expect(await t.proc.exited).toBe(0);
  });

  it('Ctrl-C kills a top-level command with status 130', async () => {
    const t = terminal('app', ['sleep', '60']);
    t.type('\x03');
    expect(await t.proc.exited).toBe(130);
    expect(t.screen).toBe('^C');
  });
});
