/**
 * The shapes shared across the simulated userland: the public exec API's
 * types, the slice of the pod spec the container is built from, and the
 * box, process and stream records every program receives.
 */
import type { KObject } from '../../types';
import type { FakeFs } from './filesystem';
import type { Reader } from './input';

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

// ---------------------------------------------------------------------------
// The pod spec, as far as the container is built from it.

/** A container `env` entry: a literal value or a downward-API field. */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath?: string } };
}

/** The pod- or container-level security context fields the userland honours. */
export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  readOnlyRootFilesystem?: boolean;
}

/** A container (regular, init or ephemeral) of the pod spec. */
export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  workingDir?: string;
  securityContext?: SecurityContext;
}

/** The pod spec fields the container is built from. */
export interface PodSpec {
  containers?: ContainerSpec[];
  initContainers?: ContainerSpec[];
  ephemeralContainers?: ContainerSpec[];
  hostname?: string;
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: SecurityContext;
}

// ---------------------------------------------------------------------------
// What a running program sees.

/** Everything the commands of one exec can see. */
export interface Box {
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

/** The streams of one command. `inTty`/`outTty` say whether they are the terminal. */
export interface Io {
  stdin: Reader;
  out(text: string): void;
  err(text: string): void;
  inTty: boolean;
  outTty: boolean;
}

/** What a running binary receives: its box, arguments, environment, cwd, streams, abort signal and PID. */
export interface Proc {
  box: Box;
  argv: string[];
  env: Map<string, string>;
  cwd: string;
  io: Io;
  sig: AbortSignal;
  pid: number;
}

/** A program: runs a process to completion and returns its exit status. */
export type Binary = (p: Proc) => number | Promise<number>;
