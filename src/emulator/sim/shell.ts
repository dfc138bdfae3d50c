/**
 * A tiny simulated container userland for `kubectl exec`: a shell (busybox
 * ash, dash or bash dialect), a handful of coreutils, a fake filesystem
 * built from the pod (never from the host), and a tty line discipline.
 *
 * What a container offers depends on its image ({@link imageFlavor}):
 * distroless images have no binaries at all (so `kubectl exec -- sh` fails
 * the way runc fails), alpine-style images have busybox, Debian-style images
 * have dash as `sh` plus bash. Error texts follow the dialect because users
 * recognise them ("sh: foo: not found" vs "bash: foo: command not found").
 *
 * Everything is deterministic: PIDs and file contents (token, CA) derive
 * from the pod through {@link Rng}; only `date`, `sleep` and uptime read a clock.
 */
import { StringDecoder } from 'node:string_decoder';
import { Rng } from '../rng';
import type { KObject } from '../types';

// ---------------------------------------------------------------------------
// Public API.

/** What userland an image ships. */
export type ImageFlavor = 'busybox' | 'debian' | 'distroless';

/** The container an exec runs in. */
export interface ExecTarget {
  pod: KObject;
  container: string;
  /** The site clock (epoch ms); defaults to Date.now. */
  now?: () => number;
}

/** How a process's streams are wired. */
export interface ProcessOptions {
  tty: boolean;
  /** Whether the client attached stdin; without it the process reads EOF at once. */
  stdin: boolean;
  /** Process output. In tty mode everything arrives on fd 1 with `\r\n` line ends, as from a pty. */
  output: (fd: 1 | 2, text: string) => void;
  cols?: number;
  rows?: number;
}

/** A running exec process. */
export interface ContainerProcess {
  /** Bytes from the client's stdin (keystrokes in tty mode). */
  write(data: Uint8Array): void;
  /** The client closed stdin: readers see EOF from now on. */
  closeStdin(): void;
  /** The terminal was resized. */
  resize(cols: number, rows: number): void;
  /** SIGKILL (the pod went away): the process exits 137. */
  kill(): void;
  /** Resolves with the exit code (0–255) once the process has ended. */
  readonly exited: Promise<number>;
}

/**
 * Either a started process, or the reason the runtime could not start it,
 * worded like runc (`exec: "foo": executable file not found in $PATH`).
 */
export type StartResult = { ok: true; process: ContainerProcess } | { ok: false; error: string };

/** Which userland an image ships, judged from its name. */
export function imageFlavor(image: string): ImageFlavor {
  const name = image.toLowerCase().replace(/@.*$/, '');
  if (/distroless|(^|\/)pause:|scratch|coredns|kube-state-metrics|metallb|kube-controllers|fluent-bit|kube-apiserver|kube-controller-manager|kube-scheduler|(^|\/)etcd:|metrics-server/.test(name)) return 'distroless';
  if (/alpine|busybox|musl/.test(name)) return 'busybox';
  if (/debian|ubuntu|bookworm|bullseye|jammy|noble|slim|temurin|openjdk|eclipse|python|(^|\/)node:|golang|ruby|php|postgres|mysql|mariadb|redis|(^|\/)nginx:|httpd|elasticsearch|kibana|kafka|rabbitmq|mongo|kube-proxy|calico\/node/.test(name)) return 'debian';
  return 'busybox';
}

/**
 * Starts `argv` in the container as the runtime would: a program that does
 * not exist fails before anything runs, with runc's error detail.
 */
export function startProcess(target: ExecTarget, argv: string[], opts: ProcessOptions): StartResult {
  const box = buildBox(target, opts);
  const first = argv[0];
  if (first === undefined || first === '') return { ok: false, error: 'exec: "": executable file not found in $PATH' };
  const found = box.lookup(first, box.env.find(([k]) => k === 'PATH')?.[1] ?? DEFAULT_PATH, box.cwd);
  if (!('bin' in found)) {
    if (found.error === 'notfound') return { ok: false, error: `exec: "${first}": executable file not found in $PATH` };
    if (found.error === 'noent') return { ok: false, error: `exec: "${first}": stat ${first}: no such file or directory` };
    return { ok: false, error: `exec: "${first}": permission denied` };
  }
  return { ok: true, process: new ExecProcess(box, argv, found.bin, opts) };
}

/** Runs a command to completion without a terminal (exec probes, tests). */
export async function execOnce(
  target: ExecTarget,
  argv: string[],
  stdin?: string,
): Promise<{ ok: true; exitCode: number; stdout: string; stderr: string } | { ok: false; error: string }> {
  let stdout = '';
  let stderr = '';
  const started = startProcess(target, argv, {
    tty: false,
    stdin: stdin !== undefined,
    output: (fd, text) => {
      if (fd === 1) stdout += text;
      else stderr += text;
    },
  });
  if (!started.ok) return started;
  if (stdin !== undefined) {
    started.process.write(Buffer.from(stdin, 'utf8'));
    started.process.closeStdin();
  }
  const exitCode = await started.process.exited;
  return { ok: true, exitCode, stdout, stderr };
}

// ---------------------------------------------------------------------------
// Signals and control flow.

/** A signal delivered to a process, used as an AbortSignal reason. */
class Signal extends Error {
  constructor(
    readonly sig: 'INT' | 'KILL',
    readonly num: number,
  ) {
    super(`SIG${sig}`);
  }
}
const SIGINT = new Signal('INT', 2);
const SIGKILL = new Signal('KILL', 9);

/** Thrown by the `exit` builtin; the shell that runs it returns the code. */
class ExitRequest {
  constructor(readonly code: number) {}
}

/** A parse error, rendered per dialect. */
class SyntaxErr {
  constructor(
    readonly kind: 'quote' | 'token' | 'eof',
    readonly detail: string,
  ) {}
}

function delay(ms: number, sig: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sig.aborted) return reject(sig.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(sig.reason as Error);
    };
    const timer = setTimeout(() => {
      sig.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    sig.addEventListener('abort', onAbort, { once: true });
  });
}

// ---------------------------------------------------------------------------
// Input: a queue the client feeds and processes read, and a tty line discipline.

/** Something a process can read its stdin from. */
interface Reader {
  /** The next chunk, or undefined at end of input. Rejects with the signal's reason on abort. */
  read(sig: AbortSignal): Promise<string | undefined>;
  /** Gives back what a line reader took beyond its newline, for the next reader. */
  unread(text: string): void;
}

const EOF = Symbol('eof');

/** The exec's stdin. A tty can send a one-shot EOF (Ctrl-D) without closing it. */
class InputQueue implements Reader {
  private readonly items: (string | typeof EOF)[] = [];
  private closed = false;
  private readonly waiters = new Set<() => void>();

  push(text: string): void {
    if (text === '' || this.closed) return;
    this.items.push(text);
    this.wake();
  }

  /** A single end-of-file for the current reader (tty Ctrl-D on an empty line). */
  eof(): void {
    this.items.push(EOF);
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  unread(text: string): void {
    if (text !== '') this.items.unshift(text);
  }

  async read(sig: AbortSignal): Promise<string | undefined> {
    for (;;) {
      if (sig.aborted) throw sig.reason as Error;
      const item = this.items.shift();
      if (item === EOF) return undefined;
      if (item !== undefined) return item;
      if (this.closed) return undefined;
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          this.waiters.delete(done);
          reject(sig.reason as Error);
        };
        const done = (): void => {
          sig.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiters.add(done);
        sig.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  private wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }
}

/** A fixed text as stdin: pipes (buffered) and `<` redirections. */
function textReader(text: string): Reader {
  const chunks = text === '' ? [] : [text];
  return {
    read: (sig) => {
      if (sig.aborted) return Promise.reject(sig.reason as Error);
      return Promise.resolve(chunks.shift());
    },
    unread: (t) => {
      if (t !== '') chunks.unshift(t);
    },
  };
}

/** Reads one line (with its newline), or what is left before EOF, or undefined at EOF. */
async function readLine(r: Reader, sig: AbortSignal): Promise<string | undefined> {
  let acc = '';
  for (;;) {
    const chunk = await r.read(sig);
    if (chunk === undefined) return acc === '' ? undefined : acc;
    const nl = chunk.indexOf('\n');
    if (nl >= 0) {
      r.unread(chunk.slice(nl + 1));
      return acc + chunk.slice(0, nl + 1);
    }
    acc += chunk;
  }
}

/**
 * A cooked-mode pty: echoes what is typed, edits the line (backspace,
 * Ctrl-U), hands complete lines to the reader on Enter, turns Ctrl-C into
 * SIGINT and Ctrl-D on an empty line into EOF. Escape sequences (arrow
 * keys) and other control keys are swallowed: there is no history.
 */
class LineDiscipline {
  private line: string[] = [];
  /** 0: normal; 1: after ESC; 2: inside a CSI sequence; 3: after ESC O. */
  private esc = 0;
  private lastCr = false;

  constructor(
    private readonly queue: InputQueue,
    private readonly echo: (text: string) => void,
    private readonly interrupt: () => void,
  ) {}

  feed(text: string): void {
    for (const ch of text) {
      const code = ch.codePointAt(0) ?? 0;
      const wasCr = this.lastCr;
      this.lastCr = false;
      if (this.esc === 1) {
        this.esc = ch === '[' ? 2 : ch === 'O' ? 3 : 0;
        continue;
      }
      if (this.esc === 2) {
        if (code >= 0x40 && code <= 0x7e) this.esc = 0;
        continue;
      }
      if (this.esc === 3) {
        this.esc = 0;
        continue;
      }
      switch (ch) {
        case '\x1b':
          this.esc = 1;
          break;
        case '\r':
        case '\n':
          // A terminal sends CR for Enter; a CR LF pair is one Enter.
          if (ch === '\n' && wasCr) break;
          this.lastCr = ch === '\r';
          this.echo('\r\n');
          this.queue.push(`${this.line.join('')}\n`);
          this.line = [];
          break;
        case '\x7f':
        case '\b':
          if (this.line.length > 0) {
            this.line.pop();
            this.echo('\b \b');
          }
          break;
        case '\x03':
          this.echo('^C');
          this.line = [];
          this.interrupt();
          break;
        case '\x04':
          if (this.line.length === 0) this.queue.eof();
          break;
        case '\x15':
          this.echo('\b \b'.repeat(this.line.length));
          this.line = [];
          break;
        default:
          if (code < 0x20) break;
          this.line.push(ch);
          this.echo(ch);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// The container: identity, environment, filesystem.

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath?: string } };
}

interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  readOnlyRootFilesystem?: boolean;
}

interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
  securityContext?: SecurityContext;
}

interface PodSpec {
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  ephemeralContainers?: ContainerSpec[];
  hostname?: string;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: SecurityContext;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const KUBERNETES_SERVICE_HOST = '10.96.0.1';
const CLUSTER_DNS = '10.96.0.10';
const KERNEL_RELEASE = '6.8.0-49-generic';
const KERNEL_VERSION = '#49-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024';

interface FsNode {
  dir: boolean;
  data: string | (() => string);
  mtime: number;
  exec: boolean;
}

type WriteError = 'No such file or directory' | 'Is a directory' | 'Read-only file system' | 'Not a directory';

/** The container's filesystem: a flat map of absolute paths. */
class FakeFs {
  private readonly nodes = new Map<string, FsNode>();

  constructor(private readonly writable: (path: string) => boolean) {}

  dir(path: string, mtime: number): void {
    if (path !== '/') this.dir(parentOf(path), mtime);
    if (!this.nodes.has(path)) this.nodes.set(path, { dir: true, data: '', mtime, exec: true });
  }

  file(path: string, data: string | (() => string), mtime: number, exec = false): void {
    this.dir(parentOf(path), mtime);
    this.nodes.set(path, { dir: false, data, mtime, exec });
  }

  get(path: string): FsNode | undefined {
    return this.nodes.get(path);
  }

  read(node: FsNode): string {
    return typeof node.data === 'function' ? node.data() : node.data;
  }

  children(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const out: string[] = [];
    for (const p of this.nodes.keys()) {
      if (p !== '/' && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) out.push(p.slice(prefix.length));
    }
    return out.sort();
  }

  write(path: string, text: string, append: boolean, mtime: number): WriteError | undefined {
    const node = this.nodes.get(path);
    if (node?.dir) return 'Is a directory';
    const parent = this.nodes.get(parentOf(path));
    if (!parent) return 'No such file or directory';
    if (!parent.dir) return 'Not a directory';
    if (!this.writable(path)) return 'Read-only file system';
    const old = node && append ? this.read(node) : '';
    this.nodes.set(path, { dir: false, data: old + text, mtime, exec: node?.exec ?? false });
    return undefined;
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Resolves `p` against `cwd`, folding `.` and `..`. */
function resolvePath(cwd: string, p: string): string {
  const out: string[] = [];
  for (const s of (p.startsWith('/') ? p : `${cwd}/${p}`).split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return `/${out.join('/')}`;
}

/** Everything the commands of one exec can see. */
interface Box {
  pod: KObject;
  spec: ContainerSpec;
  flavor: ImageFlavor;
  hostname: string;
  namespace: string;
  podIP: string;
  uid: number;
  gid: number;
  groups: number[];
  /** User name, or undefined when the uid has no /etc/passwd entry. */
  user: string | undefined;
  home: string;
  cwd: string;
  /** The process environment, in the order `env` prints it. */
  env: [string, string][];
  fs: FakeFs;
  bins: ReadonlySet<string>;
  now: () => number;
  startedAt: number;
  entrypoint: string[];
  /** Live processes of this exec, for `ps`. */
  procs: { pid: number; cmd: string }[];
  nextPid: () => number;
  cols: number;
  rows: number;
  tty: boolean;
  /** Foreground jobs, innermost last: Ctrl-C aborts the last one. */
  fg: AbortController[];
  groupName: (gid: number) => string | undefined;
  lookup: (name: string, path: string, cwd: string) => { path: string; bin: Binary } | { error: 'notfound' | 'noent' | 'perm' | 'isdir' };
}

const BUSYBOX_BINS = ['sh', 'ash', 'cat', 'clear', 'date', 'echo', 'env', 'false', 'grep', 'head', 'hostname', 'id', 'ls', 'printenv', 'ps', 'pwd', 'sleep', 'tail', 'true', 'uname', 'wc', 'which', 'whoami'];
const DEBIAN_BINS = [...BUSYBOX_BINS.filter((b) => b !== 'ash'), 'bash', 'dash'];

/** Per-container exec counter, so each exec gets fresh (but reproducible) PIDs. */
const execCounts = new Map<string, number>();

function passwdFor(flavor: ImageFlavor): [string, number, number, string, string][] {
  if (flavor === 'busybox') {
    return [['root', 0, 0, '/root', '/bin/sh'], ['bin', 1, 1, '/bin', '/sbin/nologin'], ['daemon', 2, 2, '/sbin', '/sbin/nologin'],
      ['www-data', 82, 82, '/var/www', '/sbin/nologin'], ['nobody', 65534, 65534, '/', '/sbin/nologin']];
  }
  if (flavor === 'distroless') {
    return [['root', 0, 0, '/root', '/sbin/nologin'], ['nobody', 65534, 65534, '/nonexistent', '/sbin/nologin'], ['nonroot', 65532, 65532, '/home/nonroot', '/sbin/nologin']];
  }
  return [['root', 0, 0, '/root', '/bin/bash'], ['daemon', 1, 1, '/usr/sbin', '/usr/sbin/nologin'], ['bin', 2, 2, '/bin', '/usr/sbin/nologin'],
    ['www-data', 33, 33, '/var/www', '/usr/sbin/nologin'], ['nobody', 65534, 65534, '/nonexistent', '/usr/sbin/nologin']];
}

function fieldValue(pod: KObject, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata[m[1] as 'labels' | 'annotations'] ?? {})[m[2] as string];
  let cur: unknown = pod;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'string' || typeof cur === 'number' ? String(cur) : undefined;
}

/** PID 1's command line: the container's command/args, or the image's usual entrypoint. */
function entrypointOf(c: ContainerSpec): string[] {
  if (c.command && c.command.length > 0) return [...c.command, ...(c.args ?? [])];
  const image = (c.image ?? c.name).toLowerCase();
  const base = image.replace(/[@:].*$/, '').split('/').pop() ?? c.name;
  const defaults: [RegExp, string[]][] = [
    [/nginx/, ['nginx:', 'master', 'process', 'nginx', '-g', 'daemon off;']],
    [/redis/, ['redis-server', '*:6379']],
    [/postgres/, ['postgres']],
    [/java|jdk|jre|temurin|spring/, ['java', '-jar', '/app/app.jar']],
    [/(^|\/)node:/, ['node', 'server.js']],
    [/python/, ['python', 'app.py']],
  ];
  const known = defaults.find(([re]) => re.test(image));
  if (known) return [...known[1], ...(c.args ?? [])];
  return [`/usr/local/bin/${base}`, ...(c.args ?? [])];
}

function buildBox(target: ExecTarget, opts: ProcessOptions): Box {
  const pod = target.pod;
  const spec = (pod.spec ?? {}) as PodSpec;
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  const c = all.find((x) => x.name === target.container) ?? { name: target.container };
  const flavor = imageFlavor(c.image ?? '');
  const now = target.now ?? Date.now;
  const status = (pod.status ?? {}) as { podIP?: string; startTime?: string; containerStatuses?: { name: string; state?: { running?: { startedAt?: string } } }[] };
  const cs = status.containerStatuses?.find((x) => x.name === c.name);
  const startedAt = Date.parse(cs?.state?.running?.startedAt ?? status.startTime ?? pod.metadata.creationTimestamp ?? '') || now();
  const imageBuilt = startedAt - 41 * 86_400_000;
  const hostname = spec.hostname ?? pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  const podIP = status.podIP ?? '10.244.0.2';
  const uid = c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser ?? 0;
  const gid = c.securityContext?.runAsGroup ?? spec.securityContext?.runAsGroup ?? uid;
  const fsGroup = spec.securityContext?.fsGroup;
  const passwd = passwdFor(flavor);
  const account = passwd.find((p) => p[1] === uid);
  const home = account?.[3] ?? '/';
  const bins = new Set(flavor === 'distroless' ? [] : flavor === 'busybox' ? BUSYBOX_BINS : DEBIAN_BINS);
  const readOnlyRoot = c.securityContext?.readOnlyRootFilesystem === true;
  const saDir = '/var/run/secrets/kubernetes.io/serviceaccount';

  // Environment, in the order a real container shows it: image env, the
  // pod's HOSTNAME, the container's env, service links, then HOME.
  const env: [string, string][] = [['PATH', DEFAULT_PATH], ['HOSTNAME', hostname]];
  if (opts.tty) env.push(['TERM', 'xterm']);
  const set = (k: string, v: string): void => {
    const i = env.findIndex(([n]) => n === k);
    if (i >= 0) env[i] = [k, v];
    else env.push([k, v]);
  };
  for (const e of c.env ?? []) {
    let v = e.value;
    if (v === undefined && e.valueFrom?.fieldRef?.fieldPath) v = fieldValue(pod, e.valueFrom.fieldRef.fieldPath);
    if (v === undefined) continue;
    // The kubelet expands $(VAR) references to variables defined before.
    v = v.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m: string, n: string) => env.find(([k]) => k === n)?.[1] ?? m);
    set(e.name, v);
  }
  for (const [k, v] of [
    ['KUBERNETES_SERVICE_HOST', KUBERNETES_SERVICE_HOST], ['KUBERNETES_SERVICE_PORT', '443'], ['KUBERNETES_SERVICE_PORT_HTTPS', '443'],
    ['KUBERNETES_PORT', `tcp://${KUBERNETES_SERVICE_HOST}:443`], ['KUBERNETES_PORT_443_TCP', `tcp://${KUBERNETES_SERVICE_HOST}:443`],
    ['KUBERNETES_PORT_443_TCP_PROTO', 'tcp'], ['KUBERNETES_PORT_443_TCP_PORT', '443'], ['KUBERNETES_PORT_443_TCP_ADDR', KUBERNETES_SERVICE_HOST],
  ] as const) {
    if (!env.some(([n]) => n === k)) env.push([k, v]);
  }
  if (!env.some(([n]) => n === 'HOME')) env.push(['HOME', home]);

  const fs = new FakeFs((p) => {
    if (p.startsWith('/proc/') || p.startsWith('/sys/') || p.startsWith(`${saDir}/`)) return false;
    return !readOnlyRoot || p.startsWith('/tmp/');
  });
  for (const d of ['/app', '/dev/pts', '/dev/shm', '/etc', '/home', '/lib', '/proc', '/root', '/sbin', '/sys', '/tmp', '/usr/bin', '/usr/local/bin', '/usr/sbin', '/var/log', '/var/run']) fs.dir(d, imageBuilt);
  // Busybox installs its applets in /bin; Debian (merged /usr) has them in both.
  for (const b of bins) {
    fs.file(`/bin/${b}`, '\x7fELF\x02\x01\x01\x00', imageBuilt, true);
    if (flavor === 'debian') fs.file(`/usr/bin/${b}`, '\x7fELF\x02\x01\x01\x00', imageBuilt, true);
  }
  if (bins.size === 0) fs.dir('/bin', imageBuilt);
  for (const d of ['null', 'tty', 'zero', 'random', 'urandom']) fs.file(`/dev/${d}`, '', startedAt);
  fs.file('/etc/hostname', `${hostname}\n`, startedAt);
  fs.file('/etc/hosts', `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${podIP}\t${hostname}\n`, startedAt);
  fs.file('/etc/resolv.conf', `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${CLUSTER_DNS}\noptions ndots:5\n`, startedAt);
  fs.file('/etc/os-release', flavor === 'busybox'
    ? 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.2\nPRETTY_NAME="Alpine Linux v3.21"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n'
    : 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n', imageBuilt);
  if (flavor === 'busybox') fs.file('/etc/alpine-release', '3.21.2\n', imageBuilt);
  else fs.file('/etc/debian_version', '12.8\n', imageBuilt);
  fs.file('/etc/passwd', passwd.map(([n, u, g, h, s]) => `${n}:x:${u}:${g}:${n}:${h}:${s}\n`).join(''), imageBuilt);
  fs.file('/etc/group', passwd.map(([n, , g]) => `${n}:x:${g}:\n`).join(''), imageBuilt);
  fs.file('/app/config.yaml', appConfig(c, namespace), imageBuilt);
  const entrypoint = entrypointOf(c);
  fs.file('/proc/1/cmdline', `${entrypoint.join('\0')}\0`, startedAt);
  fs.file('/proc/version', `Linux version ${KERNEL_RELEASE} (buildd@lcy02-amd64-103) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) ${KERNEL_VERSION}\n`, startedAt);
  // The node booted a few days before the container started.
  fs.file('/proc/uptime', () => `${((now() - startedAt) / 1000 + 273_601.37).toFixed(2)} ${((now() - startedAt) / 250 + 1_070_000).toFixed(2)}\n`, startedAt);
  fs.file('/proc/loadavg', '0.42 0.37 0.31 3/412 87\n', startedAt);
  if (spec.automountServiceAccountToken !== false) {
    const sa = spec.serviceAccountName ?? 'default';
    fs.file(`${saDir}/ca.crt`, fakeCert(new Rng(`${namespace}:ca`)), startedAt);
    fs.file(`${saDir}/namespace`, namespace, startedAt);
    fs.file(`${saDir}/token`, fakeToken(pod, sa, startedAt), startedAt);
  }

  const key = `${pod.metadata.uid ?? pod.metadata.name}/${c.name}`;
  const serial = execCounts.get(key) ?? 0;
  execCounts.set(key, serial + 1);
  if (execCounts.size > 10_000) execCounts.delete(execCounts.keys().next().value as string);
  let pid = new Rng(`${key}/pid`).int(12, 40) + serial * 7;
  const groupNames = new Map(passwd.map(([n, , g]) => [g, n] as const));

  const box: Box = {
    pod, spec: c, flavor, hostname, namespace, podIP, uid, gid,
    groups: fsGroup !== undefined && fsGroup !== gid ? [gid, fsGroup] : [gid],
    user: account?.[0], home, cwd: c.workingDir ?? '/app', env, fs, bins, now, startedAt, entrypoint,
    procs: [], nextPid: () => pid++, cols: opts.cols ?? 80, rows: opts.rows ?? 24, tty: opts.tty, fg: [],
    groupName: (g) => groupNames.get(g),
    lookup: (name, path, cwd) => {
      const check = (p: string): { path: string; bin: Binary } | { error: 'noent' | 'perm' | 'isdir' } => {
        const node = fs.get(p);
        if (!node) return { error: 'noent' };
        if (node.dir) return { error: 'isdir' };
        const base = p.slice(p.lastIndexOf('/') + 1);
        const bin = bins.has(base) ? BINARIES[base] : undefined;
        return node.exec && bin ? { path: p, bin } : { error: 'perm' };
      };
      if (name.includes('/')) return check(resolvePath(cwd, name));
      for (const dir of path.split(':')) {
        if (dir === '') continue;
        const r = check(resolvePath(cwd, `${dir}/${name}`));
        if ('bin' in r) return r;
      }
      return { error: 'notfound' };
    },
  };
  return box;
}

function appConfig(c: ContainerSpec, namespace: string): string {
  return [
    `# ${c.name} configuration; values from the environment take precedence.`,
    'server:',
    '  port: 8080',
    '  metricsPort: 9090',
    '  readTimeout: 15s',
    '  shutdownGracePeriod: 20s',
    'logging:',
    '  level: info',
    '  format: json',
    'service:',
    `  name: ${c.name}`,
    `  namespace: ${namespace}`,
    '',
  ].join('\n');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(0, 255);
  return b;
}

/** A certificate-shaped PEM block of seeded bytes (not a parseable certificate). */
function fakeCert(rng: Rng): string {
  const b64 = randomBytes(rng, 800).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A projected service account token's shape, with a seeded (invalid) signature. */
function fakeToken(pod: KObject, sa: string, startedAt: number): string {
  const rng = new Rng(`${pod.metadata.uid ?? pod.metadata.name}:token`);
  const iat = Math.floor(startedAt / 1000);
  const ns = pod.metadata.namespace ?? 'default';
  const header = { alg: 'RS256', kid: randomBytes(rng, 32).toString('base64url') };
  const payload = {
    aud: ['https://kubernetes.default.svc.cluster.local'], exp: iat + 3607, iat, iss: 'https://kubernetes.default.svc.cluster.local',
    jti: uuidOf(rng), 'kubernetes.io': { namespace: ns, pod: { name: pod.metadata.name, uid: pod.metadata.uid ?? '' }, serviceaccount: { name: sa, uid: uuidOf(rng) } },
    nbf: iat, sub: `system:serviceaccount:${ns}:${sa}`,
  };
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${randomBytes(rng, 256).toString('base64url')}`;
}

function uuidOf(rng: Rng): string {
  const h = randomBytes(rng, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------
// Processes.

/** The streams of one command. `inTty`/`outTty` say whether they are the terminal. */
interface Io {
  stdin: Reader;
  out(text: string): void;
  err(text: string): void;
  inTty: boolean;
  outTty: boolean;
}

interface Proc {
  box: Box;
  argv: string[];
  env: Map<string, string>;
  cwd: string;
  io: Io;
  sig: AbortSignal;
  pid: number;
}

type Binary = (p: Proc) => number | Promise<number>;

class ExecProcess implements ContainerProcess {
  readonly exited: Promise<number>;
  private readonly stdin = new InputQueue();
  private readonly decoder = new StringDecoder('utf8');
  private readonly ld: LineDiscipline | undefined;
  private readonly killer = new AbortController();
  /** The process's own foreground job, registered at once so an early Ctrl-C reaches it. */
  private readonly fg = new AbortController();
  private done = false;

  constructor(
    private readonly box: Box,
    argv: string[],
    bin: Binary,
    private readonly opts: ProcessOptions,
  ) {
    const emit = (fd: 1 | 2, text: string): void => {
      if (this.done || text === '') return;
      // A pty carries both streams, and its output processing turns \n into \r\n.
      if (opts.tty) opts.output(1, text.replace(/\n/g, '\r\n'));
      else opts.output(fd, text);
    };
    if (opts.tty && opts.stdin) {
      this.ld = new LineDiscipline(this.stdin, (t) => {
        if (!this.done) opts.output(1, t);
      }, () => box.fg[box.fg.length - 1]?.abort(SIGINT));
    }
    if (!opts.stdin) this.stdin.close();
    const io: Io = { stdin: this.stdin, out: (t) => emit(1, t), err: (t) => emit(2, t), inTty: opts.tty && opts.stdin, outTty: opts.tty };
    box.fg.push(this.fg);
    this.exited = this.run(argv, bin, io);
  }

  write(data: Uint8Array): void {
    if (this.done || !this.opts.stdin) return;
    const text = this.decoder.write(Buffer.from(data));
    if (this.ld) this.ld.feed(text);
    else this.stdin.push(text);
  }

  closeStdin(): void {
    if (!this.opts.stdin) return;
    const rest = this.decoder.end();
    if (rest && !this.ld) this.stdin.push(rest);
    this.stdin.close();
  }

  resize(cols: number, rows: number): void {
    if (cols > 0) this.box.cols = cols;
    if (rows > 0) this.box.rows = rows;
  }

  kill(): void {
    this.killer.abort(SIGKILL);
  }

  private async run(argv: string[], bin: Binary, io: Io): Promise<number> {
    // Let the caller finish wiring the session before the first output.
    await Promise.resolve();
    const box = this.box;
    const pid = box.nextPid();
    box.procs.push({ pid, cmd: argv.join(' ') });
    let code: number;
    try {
      const env = new Map(box.env);
      code = await bin({ box, argv, env, cwd: box.cwd, io, sig: AbortSignal.any([this.killer.signal, this.fg.signal]), pid });
    } catch (e) {
      code = e instanceof Signal ? 128 + e.num : e instanceof ExitRequest ? e.code : 1;
    } finally {
      removeItem(box.fg, this.fg);
      box.procs.pop();
    }
    this.done = true;
    return code & 255;
  }
}

/** Removes the last occurrence of item (if any) from list. */
function removeItem<T>(list: T[], item: T | undefined): void {
  const i = item === undefined ? -1 : list.lastIndexOf(item);
  if (i >= 0) list.splice(i, 1);
}

/**
 * Runs a binary as a child, listed by `ps` and the foreground job for Ctrl-C.
 * A signal that kills it propagates: a script dies of it, an interactive REPL absorbs it.
 */
async function spawn(parent: { box: Box; sig: AbortSignal }, bin: Binary, argv: string[], env: Map<string, string>, cwd: string, io: Io): Promise<number> {
  const box = parent.box;
  const job = new AbortController();
  box.fg.push(job);
  const pid = box.nextPid();
  box.procs.push({ pid, cmd: argv.join(' ') });
  try {
    return (await bin({ box, argv, env, cwd, io, sig: AbortSignal.any([parent.sig, job.signal]), pid })) & 255;
  } finally {
    removeItem(box.fg, job);
    removeItem(box.procs, box.procs.find((p) => p.pid === pid));
  }
}

// ---------------------------------------------------------------------------
// Shell: lexer and parser.

type Seg = { t: string } | { v: string };

interface Word {
  segs: Seg[];
  /** Leading unquoted `~`. */
  tilde: boolean;
  quoted: boolean;
  /** NAME of an unquoted `NAME=` prefix. */
  assign?: string;
}

type Op = ';' | '&&' | '||' | '|' | '&';
type RedirOp = '>' | '>>' | '<' | '>&';

interface Redir {
  fd: number;
  op: RedirOp;
  target: Word;
}

type Tok = { kind: 'word'; word: Word } | { kind: 'op'; op: Op } | { kind: 'redir'; redir: Omit<Redir, 'target'> };

interface SimpleCmd {
  words: Word[];
  redirs: Redir[];
}

interface ListItem {
  /** How this pipeline joins the previous one. */
  op: ';' | '&&' | '||';
  pipeline: SimpleCmd[];
}

const WORD_END = ' \t\n;&|<>';

function readVar(src: string, i: number): [Seg, number] | undefined {
  const next = src[i + 1];
  if (next === undefined) return undefined;
  if (next === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) return undefined;
    return [{ v: src.slice(i + 2, end) }, end + 1];
  }
  if ('?$#!0123456789'.includes(next)) return [{ v: next }, i + 2];
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i + 1));
  return m ? [{ v: m[0] }, i + 1 + m[0].length] : undefined;
}

function readWord(src: string, start: number): [Word, number] {
  const w: Word = { segs: [], tilde: false, quoted: false };
  let i = start;
  let lit = '';
  /** Unquoted literal text before the first quote or expansion. */
  let plain = '';
  let plainOpen = true;
  const flush = (): void => {
    if (lit) w.segs.push({ t: lit });
    lit = '';
  };
  const after = src[start + 1];
  if (src[start] === '~' && (after === undefined || after === '/' || WORD_END.includes(after))) {
    w.tilde = true;
    i++;
    plainOpen = false;
  }
  while (i < src.length) {
    const c = src[i] as string;
    if (WORD_END.includes(c)) break;
    if (c === '\\') {
      plainOpen = false;
      if (i + 1 < src.length) lit += src[i + 1];
      i += 2;
      continue;
    }
    if (c === "'") {
      plainOpen = false;
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxErr('quote', "'");
      lit += src.slice(i + 1, end);
      w.quoted = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      plainOpen = false;
      w.quoted = true;
      i++;
      for (;;) {
        if (i >= src.length) throw new SyntaxErr('quote', '"');
        const d = src[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1] as string)) {
          lit += src[i + 1];
          i += 2;
          continue;
        }
        if (d === '$') {
          const v = readVar(src, i);
          if (v) {
            flush();
            w.segs.push(v[0]);
            i = v[1];
            continue;
          }
        }
        lit += d;
        i++;
      }
      continue;
    }
    if (c === '$') {
      const v = readVar(src, i);
      if (v) {
        plainOpen = false;
        flush();
        w.segs.push(v[0]);
        i = v[1];
        continue;
      }
    }
    lit += c;
    if (plainOpen) plain += c;
    i++;
  }
  flush();
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(plain);
  if (m) w.assign = m[1];
  return [w, i];
}

/** Splits a command line into words, operators and redirections. */
function lex(src: string): (Tok | { kind: 'target'; word: Word })[] {
  const toks: (Tok | { kind: 'target'; word: Word })[] = [];
  let i = 0;
  const redirect = (fd: number): void => {
    const c = src[i] as string;
    let op: RedirOp = c === '<' ? '<' : '>';
    i++;
    if (c === '>' && src[i] === '>') {
      op = '>>';
      i++;
    } else if (src[i] === '&') {
      op = '>&';
      i++;
    }
    toks.push({ kind: 'redir', redir: { fd, op } });
    while (src[i] === ' ' || src[i] === '\t') i++;
    const next = src[i];
    if (next === undefined || WORD_END.includes(next)) throw new SyntaxErr(next === undefined || next === '\n' ? 'eof' : 'token', next ?? 'newline');
    const [word, j] = readWord(src, i);
    toks.push({ kind: 'target', word });
    i = j;
  };
  while (i < src.length) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '\n') {
      toks.push({ kind: 'op', op: ';' });
      i++;
    } else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === ';') {
      toks.push({ kind: 'op', op: ';' });
      i++;
    } else if (c === '&' || c === '|') {
      const double = src[i + 1] === c;
      toks.push({ kind: 'op', op: double ? (c === '&' ? '&&' : '||') : c });
      i += double ? 2 : 1;
    } else if (c === '>' || c === '<') {
      redirect(c === '<' ? 0 : 1);
    } else {
      const [word, j] = readWord(src, i);
      const only = word.segs[0];
      if (!word.quoted && word.segs.length === 1 && only && 't' in only && /^\d$/.test(only.t) && (src[j] === '>' || src[j] === '<')) {
        i = j;
        redirect(Number(only.t));
      } else {
        toks.push({ kind: 'word', word });
        i = j;
      }
    }
  }
  return toks;
}

/** Groups tokens into `;`/`&&`/`||` lists of `|` pipelines. */
function parse(src: string): ListItem[] {
  const toks = lex(src);
  const list: ListItem[] = [];
  let pipeline: SimpleCmd[] = [];
  let cmd: SimpleCmd = { words: [], redirs: [] };
  let joinOp: ListItem['op'] = ';';
  let dangling: Op | undefined;
  const empty = (): boolean => cmd.words.length === 0 && cmd.redirs.length === 0;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k] as Tok | { kind: 'target'; word: Word };
    if (t.kind === 'word') {
      cmd.words.push(t.word);
      dangling = undefined;
    } else if (t.kind === 'redir') {
      const target = toks[k + 1] as { kind: 'target'; word: Word };
      cmd.redirs.push({ ...t.redir, target: target.word });
      k++;
      dangling = undefined;
    } else if (t.kind === 'op') {
      if (empty()) throw new SyntaxErr('token', t.op);
      pipeline.push(cmd);
      cmd = { words: [], redirs: [] };
      if (t.op === '|') {
        dangling = '|';
        continue;
      }
      list.push({ op: joinOp, pipeline });
      pipeline = [];
      // A background job runs to completion here: there is no job control.
      joinOp = t.op === '&&' || t.op === '||' ? t.op : ';';
      dangling = t.op === '&&' || t.op === '||' ? t.op : undefined;
    }
  }
  if (!empty()) {
    pipeline.push(cmd);
    list.push({ op: joinOp, pipeline });
  } else if (dangling) {
    throw new SyntaxErr('eof', dangling);
  }
  return list;
}

// ---------------------------------------------------------------------------
// Shell: execution.

type Dialect = 'ash' | 'dash' | 'bash';

/** One shell process: variables, cwd, last status, and how it words errors. */
class Shell {
  status = 0;
  private lineNo = 0;
  private readonly vars: Map<string, string>;
  private readonly exported: Set<string>;
  private cwd: string;

  constructor(
    private readonly p: Proc,
    private readonly dialect: Dialect,
    private readonly name: string,
    private readonly interactive: boolean,
  ) {
    this.vars = new Map(p.env);
    this.exported = new Set(p.env.keys());
    this.cwd = p.cwd;
    if (!this.vars.has('PWD')) this.vars.set('PWD', this.cwd);
  }

  /** Runs a `-c` string or a script file, line by line; returns the exit code. */
  async runScript(text: string): Promise<number> {
    try {
      for (const line of text.split('\n')) {
        this.lineNo++;
        if (!(await this.runLine(line, this.p.io, this.p.sig))) return 2;
      }
      return this.status;
    } catch (e) {
      if (e instanceof ExitRequest) return e.code;
      throw e;
    }
  }

  /**
   * Reads and runs lines from stdin until EOF or `exit`, prompting when
   * interactive. An interactive shell reads and runs each line as one
   * foreground job: Ctrl-C at the prompt drops the line, Ctrl-C during a
   * command kills it and abandons the rest of the line, and the shell
   * carries on with status 130 either way.
   */
  async repl(): Promise<number> {
    const io = this.p.io;
    const fg = this.p.box.fg;
    try {
      for (;;) {
        if (this.interactive) io.err(this.prompt());
        const job = new AbortController();
        if (this.interactive) fg.push(job);
        const sig = AbortSignal.any([this.p.sig, job.signal]);
        try {
          const line = await readLine(io.stdin, sig);
          // Ctrl-C may come after the line was read but before it ran.
          if (sig.aborted) throw sig.reason as Error;
          if (line === undefined) {
            if (this.interactive) io.err(this.dialect === 'bash' ? 'exit\n' : '\n');
            return this.status;
          }
          this.lineNo++;
          // A syntax error ends a non-interactive shell.
          if (!(await this.runLine(line, io, sig)) && !this.interactive) return 2;
        } catch (e) {
          if (e !== SIGINT || !this.interactive) throw e;
          this.status = 130;
          io.err('\n');
        } finally {
          removeItem(fg, job);
        }
      }
    } catch (e) {
      if (e instanceof ExitRequest) return e.code;
      throw e;
    }
  }

  private prompt(): string {
    const sym = this.p.box.uid === 0 ? '#' : '$';
    const home = this.vars.get('HOME');
    const where = home && home !== '/' && (this.cwd === home || this.cwd.startsWith(`${home}/`)) ? `~${this.cwd.slice(home.length)}` : this.cwd;
    if (this.dialect === 'dash') return `${sym} `;
    if (this.dialect === 'ash') return `${where} ${sym} `;
    return `${this.p.box.user ?? 'I have no name!'}@${this.p.box.hostname}:${where}${sym} `;
  }

  /** `sh: ` / `sh: 1: ` / `bash: line 1: `: how this shell prefixes its messages. */
  private prefix(): string {
    if (this.dialect === 'dash') return `${this.name}: ${this.lineNo}: `;
    if (this.dialect === 'bash' && !this.interactive) return `${this.name}: line ${this.lineNo}: `;
    return `${this.name}: `;
  }

  private syntaxError(e: SyntaxErr): string {
    const tok = e.detail === '\n' ? 'newline' : e.detail;
    if (this.dialect === 'bash') {
      if (e.kind === 'quote') return `${this.prefix()}unexpected EOF while looking for matching \`${e.detail}'\n`;
      if (e.kind === 'eof') return `${this.prefix()}syntax error: unexpected end of file\n`;
      return `${this.prefix()}syntax error near unexpected token \`${tok}'\n`;
    }
    if (this.dialect === 'dash') {
      if (e.kind === 'quote') return `${this.prefix()}Syntax error: Unterminated quoted string\n`;
      if (e.kind === 'eof') return `${this.prefix()}Syntax error: end of file unexpected\n`;
      return `${this.prefix()}Syntax error: "${tok}" unexpected\n`;
    }
    if (e.kind === 'quote') return `${this.prefix()}syntax error: unterminated quoted string\n`;
    if (e.kind === 'eof') return `${this.prefix()}syntax error: unexpected end of file\n`;
    return `${this.prefix()}syntax error: unexpected "${tok}"\n`;
  }

  /** Parses and runs one line; false on a syntax error (status 2). */
  private async runLine(line: string, io: Io, sig: AbortSignal): Promise<boolean> {
    let list: ListItem[];
    try {
      list = parse(line);
    } catch (e) {
      if (!(e instanceof SyntaxErr)) throw e;
      io.err(this.syntaxError(e));
      this.status = 2;
      return false;
    }
    for (const item of list) {
      if (item.op === '&&' && this.status !== 0) continue;
      if (item.op === '||' && this.status === 0) continue;
      this.status = await this.runPipeline(item.pipeline, io, sig);
    }
    return true;
  }

  private async runPipeline(stages: SimpleCmd[], io: Io, sig: AbortSignal): Promise<number> {
    let stdin = io.stdin;
    let status = 0;
    for (let i = 0; i < stages.length; i++) {
      const last = i === stages.length - 1;
      // Stages run one after another, each stage's output buffered for the next.
      let buffered = '';
      const stageIo: Io = last
        ? { ...io, stdin, inTty: io.inTty && i === 0 }
        : { ...io, stdin, inTty: io.inTty && i === 0, outTty: false, out: (t) => (buffered += t) };
      try {
        status = await this.runSimple(stages[i] as SimpleCmd, stageIo, sig);
      } catch (e) {
        // `exit` in a pipeline leaves only its subshell.
        if (!(e instanceof ExitRequest) || stages.length === 1) throw e;
        status = e.code;
      }
      stdin = textReader(buffered);
    }
    return status;
  }

  private lookupVar(name: string): string {
    if (name === '?') return String(this.status);
    if (name === '$') return String(this.p.pid);
    if (name === '#') return '0';
    if (name === '0') return this.name;
    if (name === '!' || /^\d+$/.test(name)) return '';
    return this.vars.get(name) ?? '';
  }

  private expand(w: Word): string {
    let s = w.tilde ? (this.vars.get('HOME') ?? '/') : '';
    for (const seg of w.segs) s += 't' in seg ? seg.t : this.lookupVar(seg.v);
    return s;
  }

  /** Applies redirections in order; returns the new streams, or an exit status on failure. */
  private redirect(redirs: Redir[], io: Io): Io | number {
    const r: Io = { ...io };
    const box = this.p.box;
    for (const { fd, op, target } of redirs) {
      const name = this.expand(target);
      if (op === '>&') {
        if (name === '1' || name === '2') {
          const to = name === '1' ? r.out : r.err;
          if (fd === 2) r.err = to;
          else r.out = to;
        }
        continue;
      }
      const path = resolvePath(this.cwd, name);
      if (op === '<') {
        const node = box.fs.get(path);
        if (!node) {
          io.err(`${this.prefix()}can't open ${name}: no such file\n`);
          return 1;
        }
        r.stdin = textReader(node.dir ? '' : box.fs.read(node));
        r.inTty = false;
        continue;
      }
      let sink: (t: string) => void;
      if (path === '/dev/null') sink = () => {};
      else if (path === '/dev/stdout') sink = io.out;
      else if (path === '/dev/stderr') sink = io.err;
      else {
        const error = box.fs.write(path, '', op === '>>', box.now());
        if (error) {
          io.err(this.dialect === 'bash' ? `${this.prefix()}${name}: ${error}\n` : `${this.prefix()}can't create ${name}: ${error === 'No such file or directory' ? 'nonexistent directory' : error}\n`);
          return this.dialect === 'bash' ? 1 : 2;
        }
        sink = (t) => void box.fs.write(path, t, true, box.now());
      }
      if (fd === 2) r.err = sink;
      else {
        r.out = sink;
        r.outTty = false;
      }
    }
    return r;
  }

  private async runSimple(cmd: SimpleCmd, io: Io, sig: AbortSignal): Promise<number> {
    const assigns: [string, string][] = [];
    const argv: string[] = [];
    for (const w of cmd.words) {
      const v = this.expand(w);
      if (argv.length === 0 && w.assign !== undefined) {
        assigns.push([w.assign, v.slice(w.assign.length + 1)]);
        continue;
      }
      // An unquoted expansion that comes out empty is no word at all.
      if (v === '' && !w.quoted && w.segs.some((s) => 'v' in s)) continue;
      argv.push(v);
    }
    const rio = this.redirect(cmd.redirs, io);
    if (typeof rio === 'number') return rio;
    if (argv.length === 0) {
      for (const [k, v] of assigns) this.vars.set(k, v);
      return 0;
    }
    const name = argv[0] as string;
    const builtin = this.builtin(name);
    if (builtin) return builtin(argv, rio);
    const found = this.p.box.lookup(name, this.vars.get('PATH') ?? '', this.cwd);
    if (!('bin' in found)) return this.cannotRun(name, found.error, rio);
    const env = new Map<string, string>();
    for (const k of this.exported) {
      const v = this.vars.get(k);
      if (v !== undefined) env.set(k, v);
    }
    for (const [k, v] of assigns) env.set(k, v);
    // A child killed by SIGINT rethrows it: a script dies of it too, an interactive shell's REPL absorbs it.
    return spawn({ box: this.p.box, sig }, found.bin, argv, env, this.cwd, rio);
  }

  private cannotRun(name: string, why: 'notfound' | 'noent' | 'perm' | 'isdir', io: Io): number {
    if (why === 'perm' || why === 'isdir') {
      io.err(`${this.prefix()}${name}: ${this.dialect === 'bash' && why === 'isdir' ? 'Is a directory' : 'Permission denied'}\n`);
      return 126;
    }
    if (this.dialect === 'bash') io.err(why === 'noent' ? `${this.prefix()}${name}: No such file or directory\n` : `${this.prefix()}${name}: command not found\n`);
    else io.err(`${this.prefix()}${name}: not found\n`);
    return 127;
  }

  private builtin(name: string): ((argv: string[], io: Io) => number) | undefined {
    switch (name) {
      case 'cd':
        return (argv, io) => this.cd(argv, io);
      case 'exit':
        return (argv, io) => {
          const arg = argv[1];
          if (this.interactive && this.dialect === 'bash') io.err('exit\n');
          if (arg === undefined) throw new ExitRequest(this.status & 255);
          if (!/^-?\d+$/.test(arg)) {
            io.err(this.dialect === 'bash' ? `${this.prefix()}exit: ${arg}: numeric argument required\n` : `${this.prefix()}exit: Illegal number: ${arg}\n`);
            throw new ExitRequest(2);
          }
          throw new ExitRequest(Number(arg) & 255);
        };
      case 'export':
        return (argv, io) => {
          if (argv.length === 1) {
            for (const k of [...this.exported].sort()) io.out(`export ${k}='${this.vars.get(k) ?? ''}'\n`);
            return 0;
          }
          for (const a of argv.slice(1)) {
            const eq = a.indexOf('=');
            const k = eq >= 0 ? a.slice(0, eq) : a;
            if (eq >= 0) this.vars.set(k, a.slice(eq + 1));
            this.exported.add(k);
          }
          return 0;
        };
      case 'unset':
        return (argv) => {
          for (const k of argv.slice(1)) {
            this.vars.delete(k);
            this.exported.delete(k);
          }
          return 0;
        };
      case 'pwd':
        return (_argv, io) => {
          io.out(`${this.cwd}\n`);
          return 0;
        };
      case 'echo':
        return (argv, io) => echo(argv, io);
      case 'true':
      case ':':
        return () => 0;
      case 'false':
        return () => 1;
      default:
        return undefined;
    }
  }

  private cd(argv: string[], io: Io): number {
    let arg = argv[1] ?? this.vars.get('HOME') ?? '/';
    if (arg === '-') {
      arg = this.vars.get('OLDPWD') ?? this.cwd;
      io.out(`${arg}\n`);
    }
    const path = resolvePath(this.cwd, arg);
    const node = this.p.box.fs.get(path);
    if (!node || !node.dir) {
      const why = node ? 'Not a directory' : 'No such file or directory';
      if (this.dialect === 'bash') io.err(`${this.prefix()}cd: ${arg}: ${why}\n`);
      else if (this.dialect === 'dash') io.err(`${this.prefix()}cd: can't cd to ${arg}\n`);
      else io.err(`${this.prefix()}cd: can't cd to ${arg}: ${why}\n`);
      return this.dialect === 'bash' ? 1 : 2;
    }
    this.vars.set('OLDPWD', this.cwd);
    this.cwd = path;
    this.vars.set('PWD', path);
    return 0;
  }
}

/** `sh`/`ash`/`dash`/`bash` as a program: `-c`, a script file, or a REPL on stdin. */
async function shellMain(p: Proc): Promise<number> {
  const name = (p.argv[0] ?? 'sh').split('/').pop() ?? 'sh';
  const dialect: Dialect = name === 'bash' ? 'bash' : p.box.flavor === 'debian' ? 'dash' : 'ash';
  let command: string | undefined;
  let wantC = false;
  let forceInteractive = false;
  let file: string | undefined;
  const args = p.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (wantC && command === undefined) {
      command = a;
      break;
    }
    if (a === '--login' || a === '--norc' || a === '--noprofile') continue;
    if (a.startsWith('-') && a.length > 1) {
      if (a.includes('c')) wantC = true;
      if (a.includes('i')) forceInteractive = true;
      continue;
    }
    if (wantC) {
      command = a;
      break;
    }
    file = a;
    break;
  }
  if (wantC && command === undefined) {
    p.io.err(dialect === 'bash' ? `${name}: -c: option requires an argument\n` : dialect === 'dash' ? `${name}: 0: -c requires an argument\n` : `${name}: -c requires an argument\n`);
    return 2;
  }
  if (command !== undefined) return new Shell(p, dialect, name, false).runScript(command);
  if (file !== undefined) {
    const node = p.box.fs.get(resolvePath(p.cwd, file));
    if (!node || node.dir) {
      p.io.err(dialect === 'bash' ? `${name}: ${file}: No such file or directory\n` : dialect === 'dash' ? `${name}: 0: cannot open ${file}: No such file\n` : `${name}: can't open '${file}': No such file or directory\n`);
      return dialect === 'bash' ? 127 : 2;
    }
    return new Shell(p, dialect, name, false).runScript(p.box.fs.read(node));
  }
  return new Shell(p, dialect, name, forceInteractive || p.io.inTty).repl();
}

// ---------------------------------------------------------------------------
// Binaries.

function echo(argv: string[], io: Io): number {
  let args = argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args[0] !== undefined && /^-[neE]+$/.test(args[0])) {
    const flags = args[0];
    if (flags.includes('n')) newline = false;
    if (flags.includes('e')) escapes = true;
    if (flags.includes('E')) escapes = false;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) text = text.replace(/\\(n|t|\\|r|a|e|0)/g, (_m, c: string) => ({ n: '\n', t: '\t', '\\': '\\', r: '\r', a: '\x07', e: '\x1b', '0': '\0' })[c] ?? c);
  io.out(newline ? `${text}\n` : text);
  return 0;
}

/** Flags (single letters) and operands, with `-n N`-style values for the given letters. */
function options(args: string[], withValue = ''): { flags: Set<string>; values: Map<string, string>; operands: string[] } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      operands.push(a);
      continue;
    }
    if (/^-\d+$/.test(a) && withValue.includes('n')) {
      values.set('n', a.slice(1));
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j] as string;
      if (withValue.includes(f)) {
        const rest = a.slice(j + 1);
        values.set(f, rest !== '' ? rest : (args[++i] ?? ''));
        break;
      }
      flags.add(f);
    }
  }
  return { flags, values, operands };
}

/** Reads all of stdin (until EOF). */
async function slurp(p: Proc): Promise<string> {
  let s = '';
  for (;;) {
    const chunk = await p.io.stdin.read(p.sig);
    if (chunk === undefined) return s;
    s += chunk;
  }
}

/** The named files' contents, or stdin for none or `-`; reports missing files. */
async function inputs(p: Proc, tool: string, operands: string[]): Promise<{ name: string; text: string }[] | number> {
  if (operands.length === 0) return [{ name: '', text: await slurp(p) }];
  const out: { name: string; text: string }[] = [];
  let failed = false;
  for (const f of operands) {
    if (f === '-') {
      out.push({ name: f, text: await slurp(p) });
      continue;
    }
    const node = p.box.fs.get(resolvePath(p.cwd, f));
    if (!node) {
      p.io.err(`${tool}: ${f}: No such file or directory\n`);
      failed = true;
    } else if (node.dir) {
      p.io.err(`${tool}: ${f}: Is a directory\n`);
      failed = true;
    } else {
      out.push({ name: f, text: p.box.fs.read(node) });
    }
  }
  return failed && out.length === 0 ? 2 : out;
}

function lines(text: string): string[] {
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** A subset of strftime, in UTC (containers run with TZ unset). */
function strftime(fmt: string, ms: number): string {
  const d = new Date(ms);
  return fmt.replace(/%([a-zA-Z%])/g, (m, c: string) => {
    switch (c) {
      case 'a': return DAYS[d.getUTCDay()] as string;
      case 'b': return MONTHS[d.getUTCMonth()] as string;
      case 'd': return pad2(d.getUTCDate());
      case 'e': return String(d.getUTCDate()).padStart(2, ' ');
      case 'H': return pad2(d.getUTCHours());
      case 'M': return pad2(d.getUTCMinutes());
      case 'S': return pad2(d.getUTCSeconds());
      case 'm': return pad2(d.getUTCMonth() + 1);
      case 'Y': return String(d.getUTCFullYear());
      case 'y': return pad2(d.getUTCFullYear() % 100);
      case 'Z': return 'UTC';
      case 'z': return '+0000';
      case 's': return String(Math.floor(ms / 1000));
      case 'T': return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
      case 'F': return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
      case '%': return '%';
      default: return m;
    }
  });
}

function lsDate(mtime: number, now: number): string {
  const d = new Date(mtime);
  const day = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}`;
  // ls shows the year instead of the time for files older than six months.
  return now - mtime > 182 * 86_400_000 ? `${day}  ${d.getUTCFullYear()}` : `${day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

/** Column layout as `ls -C` does it on a terminal. */
function lsColumns(names: string[], width: number): string {
  if (names.length === 0) return '';
  const w = Math.max(...names.map((n) => n.length)) + 2;
  const cols = Math.max(1, Math.floor(width / w));
  const rows = Math.ceil(names.length / cols);
  let out = '';
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const name = names[c * rows + r];
      if (name === undefined) continue;
      const isLast = names[(c + 1) * rows + r] === undefined;
      line += isLast ? name : name.padEnd(w);
    }
    out += `${line}\n`;
  }
  return out;
}

function ls(p: Proc): number {
  const { flags, operands } = options(p.argv.slice(1));
  const box = p.box;
  const all = flags.has('a');
  const long = flags.has('l');
  const onePerLine = flags.has('1') || (!p.io.outTty && !flags.has('C'));
  const targets = operands.length > 0 ? operands : ['.'];
  let status = 0;
  const owner = (n: number): string => (n === 0 ? 'root' : String(n));
  const longLine = (name: string, node: { dir: boolean; exec: boolean; mtime: number; data: string | (() => string) }, path: string): string => {
    const mode = node.dir ? (path === '/tmp' ? 'drwxrwxrwt' : 'drwxr-xr-x') : node.exec ? '-rwxr-xr-x' : '-rw-r--r--';
    const size = node.dir ? 4096 : Buffer.byteLength(typeof node.data === 'function' ? '' : node.data);
    return `${mode} ${String(node.dir ? 2 : 1).padStart(4)} ${owner(0).padEnd(8)} ${owner(0).padEnd(8)} ${String(size).padStart(8)} ${lsDate(node.mtime, box.now())} ${name}\n`;
  };
  const render = (names: string[], dir: string): string => {
    if (long) {
      let out = box.flavor === 'busybox' ? '' : `total ${names.length * 4}\n`;
      for (const n of names) {
        const path = n === '.' ? dir : n === '..' ? parentOf(dir) : resolvePath(dir, n);
        const node = box.fs.get(path);
        if (node) out += longLine(n, node, path);
      }
      return out;
    }
    return onePerLine ? names.map((n) => `${n}\n`).join('') : lsColumns(names, box.cols);
  };
  const blocks: string[] = [];
  for (const t of targets) {
    const path = resolvePath(p.cwd, t);
    const node = box.fs.get(path);
    if (!node) {
      p.io.err(box.flavor === 'busybox' ? `ls: ${t}: No such file or directory\n` : `ls: cannot access '${t}': No such file or directory\n`);
      status = box.flavor === 'busybox' ? 1 : 2;
      continue;
    }
    if (!node.dir) {
      blocks.push(long ? longLine(t, node, path) : `${t}\n`);
      continue;
    }
    let names = box.fs.children(path);
    if (!all) names = names.filter((n) => !n.startsWith('.'));
    else names = ['.', '..', ...names];
    const body = render(names, path);
    blocks.push(targets.length > 1 ? `${t}:\n${body}` : body);
  }
  p.io.out(blocks.join(targets.length > 1 ? '\n' : ''));
  return status;
}

async function cat(p: Proc): Promise<number> {
  const { operands } = options(p.argv.slice(1));
  const busybox = p.box.flavor === 'busybox';
  let status = 0;
  for (const f of operands.length > 0 ? operands : ['-']) {
    if (f === '-') {
      // Stream stdin as it arrives, as cat does.
      for (;;) {
        const chunk = await p.io.stdin.read(p.sig);
        if (chunk === undefined) break;
        p.io.out(chunk);
      }
      continue;
    }
    const node = p.box.fs.get(resolvePath(p.cwd, f));
    if (!node) {
      p.io.err(busybox ? `cat: can't open '${f}': No such file or directory\n` : `cat: ${f}: No such file or directory\n`);
      status = 1;
    } else if (node.dir) {
      p.io.err(busybox ? 'cat: read error: Is a directory\n' : `cat: ${f}: Is a directory\n`);
      status = 1;
    } else {
      p.io.out(p.box.fs.read(node));
    }
  }
  return status;
}

async function grep(p: Proc): Promise<number> {
  const { flags, values, operands } = options(p.argv.slice(1), 'e');
  const pattern = values.get('e') ?? operands.shift();
  if (pattern === undefined) {
    p.io.err('Usage: grep [OPTION]... PATTERNS [FILE]...\n');
    return 2;
  }
  let re: RegExp;
  try {
    re = new RegExp(flags.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern, flags.has('i') ? 'i' : '');
  } catch {
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags.has('i') ? 'i' : '');
  }
  const files = await inputs(p, 'grep', operands);
  if (typeof files === 'number') return files;
  let matched = 0;
  for (const f of files) {
    let count = 0;
    for (const [i, line] of lines(f.text).entries()) {
      if (re.test(line) === flags.has('v')) continue;
      count++;
      if (flags.has('q') || flags.has('c')) continue;
      p.io.out(`${files.length > 1 ? `${f.name}:` : ''}${flags.has('n') ? `${i + 1}:` : ''}${line}\n`);
    }
    if (flags.has('c') && !flags.has('q')) p.io.out(`${files.length > 1 ? `${f.name}:` : ''}${count}\n`);
    matched += count;
  }
  return matched > 0 ? 0 : 1;
}

async function headTail(p: Proc, tail: boolean): Promise<number> {
  const tool = tail ? 'tail' : 'head';
  const { values, operands } = options(p.argv.slice(1), 'n');
  const n = Number(values.get('n') ?? '10');
  if (!Number.isInteger(n) || n < 0) {
    p.io.err(`${tool}: invalid number '${values.get('n') ?? ''}'\n`);
    return 1;
  }
  const files = await inputs(p, tool, operands);
  if (typeof files === 'number') return files;
  files.forEach((f, i) => {
    if (files.length > 1) p.io.out(`${i > 0 ? '\n' : ''}==> ${f.name} <==\n`);
    const ls = lines(f.text);
    const pick = tail ? ls.slice(Math.max(0, ls.length - n)) : ls.slice(0, n);
    p.io.out(pick.map((l) => `${l}\n`).join(''));
  });
  return 0;
}

async function wc(p: Proc): Promise<number> {
  const { flags, operands } = options(p.argv.slice(1));
  const files = await inputs(p, 'wc', operands);
  if (typeof files === 'number') return files;
  const want = ['l', 'w', 'c'].filter((f) => flags.has(f));
  const shown = want.length > 0 ? want : ['l', 'w', 'c'];
  for (const f of files) {
    const counts: Record<string, number> = {
      l: (f.text.match(/\n/g) ?? []).length,
      w: f.text.split(/\s+/).filter(Boolean).length,
      c: Buffer.byteLength(f.text),
    };
    const nums = shown.map((k) => String(counts[k]));
    const body = shown.length === 1 ? (nums[0] as string) : nums.map((x) => x.padStart(7)).join(' ');
    p.io.out(`${body}${f.name ? ` ${f.name}` : ''}\n`);
  }
  return 0;
}

function ps(p: Proc): number {
  const box = p.box;
  const user = box.user ?? String(box.uid);
  const upMin = Math.floor((box.now() - box.startedAt) / 60_000);
  // PID 1 has used a little CPU over its life; everything else is fresh.
  const cpu = Math.floor(upMin / 40);
  const time = (m: number): string => `${Math.floor(m / 60)}:${pad2(m % 60)}`;
  let out = 'PID   USER     TIME  COMMAND\n';
  out += `${'1'.padStart(5)} ${user.padEnd(8)} ${time(cpu).padStart(5)} ${box.entrypoint.join(' ')}\n`;
  for (const proc of box.procs) out += `${String(proc.pid).padStart(5)} ${user.padEnd(8)} ${time(0).padStart(5)} ${proc.cmd}\n`;
  p.io.out(out);
  return 0;
}

function uname(p: Proc): number {
  const { flags } = options(p.argv.slice(1));
  const box = p.box;
  const osName = box.flavor === 'busybox' ? 'Linux' : 'GNU/Linux';
  const fields: [string, string][] = [['s', 'Linux'], ['n', box.hostname], ['r', KERNEL_RELEASE], ['v', KERNEL_VERSION], ['m', 'x86_64'], ['o', osName]];
  const chosen = flags.has('a') ? fields : fields.filter(([f]) => flags.has(f));
  p.io.out(`${(chosen.length > 0 ? chosen : [fields[0] as [string, string]]).map(([, v]) => v).join(' ')}\n`);
  return 0;
}

function id(p: Proc): number {
  const { flags } = options(p.argv.slice(1));
  const box = p.box;
  if (flags.has('u')) {
    p.io.out(`${flags.has('n') ? (box.user ?? box.uid) : box.uid}\n`);
    return 0;
  }
  if (flags.has('g')) {
    p.io.out(`${box.gid}\n`);
    return 0;
  }
  const named = (n: number, name: string | undefined): string => (name ? `${n}(${name})` : String(n));
  p.io.out(`uid=${named(box.uid, box.user)} gid=${named(box.gid, box.groupName(box.gid))} groups=${box.groups.map((g) => named(g, box.groupName(g))).join(',')}\n`);
  return 0;
}

async function sleep(p: Proc): Promise<number> {
  const arg = p.argv[1];
  if (arg === undefined) {
    p.io.err(p.box.flavor === 'busybox' ? 'sleep: missing operand\n' : "sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  if (arg === 'infinity') {
    await delay(2 ** 31 - 1, p.sig);
    for (;;) await delay(2 ** 31 - 1, p.sig);
  }
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) {
    p.io.err(p.box.flavor === 'busybox' ? `sleep: invalid number '${arg}'\n` : `sleep: invalid time interval '${arg}'\nTry 'sleep --help' for more information.\n`);
    return 1;
  }
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  // Longer than setTimeout can count: sleep "forever" in 24-day steps.
  let ms = Number(m[1]) * unit;
  while (ms > 0) {
    const step = Math.min(ms, 2_000_000_000);
    await delay(step, p.sig);
    ms -= step;
  }
  return 0;
}

/** Every program a container may have; which ones it has depends on its flavor. */
const BINARIES: Record<string, Binary> = {
  sh: shellMain,
  ash: shellMain,
  dash: shellMain,
  bash: shellMain,
  cat,
  grep,
  ls,
  ps,
  id,
  uname,
  sleep,
  wc,
  head: (p) => headTail(p, false),
  tail: (p) => headTail(p, true),
  echo: (p) => echo(p.argv, p.io),
  true: () => 0,
  false: () => 1,
  pwd: (p) => {
    p.io.out(`${p.cwd}\n`);
    return 0;
  },
  clear: (p) => {
    p.io.out('\x1b[H\x1b[2J\x1b[3J');
    return 0;
  },
  hostname: (p) => {
    p.io.out(`${p.argv[1] === '-i' ? p.box.podIP : p.box.hostname}\n`);
    return 0;
  },
  whoami: (p) => {
    if (p.box.user === undefined) {
      p.io.err(p.box.flavor === 'busybox' ? `whoami: unknown uid ${p.box.uid}\n` : `whoami: cannot find name for user ID ${p.box.uid}\n`);
      return 1;
    }
    p.io.out(`${p.box.user}\n`);
    return 0;
  },
  date: (p) => {
    const fmt = p.argv.slice(1).find((a) => a.startsWith('+'));
    p.io.out(`${strftime(fmt ? fmt.slice(1) : '%a %b %e %H:%M:%S %Z %Y', p.box.now())}\n`);
    return 0;
  },
  env: (p) => {
    for (const [k, v] of p.env) p.io.out(`${k}=${v}\n`);
    return 0;
  },
  printenv: (p) => {
    const names = p.argv.slice(1);
    if (names.length === 0) {
      for (const [k, v] of p.env) p.io.out(`${k}=${v}\n`);
      return 0;
    }
    let status = 0;
    for (const n of names) {
      const v = p.env.get(n);
      if (v === undefined) status = 1;
      else p.io.out(`${v}\n`);
    }
    return status;
  },
  which: (p) => {
    let status = 0;
    for (const n of p.argv.slice(1)) {
      const r = p.box.lookup(n, p.env.get('PATH') ?? '', p.cwd);
      if ('bin' in r) p.io.out(`${r.path}\n`);
      else status = 1;
    }
    return status;
  },
};
