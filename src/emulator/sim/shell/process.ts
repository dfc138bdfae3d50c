/** The process API: starting an exec in a container and driving its streams. */
import { StringDecoder } from 'node:string_decoder';
import { buildBox } from './container';
import { DEFAULT_PATH } from './image';
import { InputQueue } from './input';
import { LineDiscipline } from './line-discipline';
import { ExitRequest, Signal, SIGINT, SIGKILL } from './signals';
import { removeItem } from './spawn';
import type { Binary, Box, ContainerProcess, ExecTarget, Io, ProcessOptions, StartResult } from './types';

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

/** One exec: its stdin (through a line discipline on a tty), its streams, and the program it runs. */
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
