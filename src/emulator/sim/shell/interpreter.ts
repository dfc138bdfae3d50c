/**
 * The shell as a program (`sh`, `ash`, `dash`, `bash`): runs `-c` strings,
 * script files or an interactive REPL, wording prompts and errors in the
 * dialect of the image's shell.
 */
import { resolvePath } from './filesystem';
import { readLine, textReader } from './input';
import { parse, SyntaxErr, type ListItem, type Redir, type SimpleCmd, type Word } from './parser';
import { echo } from './coreutils';
import { ExitRequest, SIGINT } from './signals';
import { removeItem, spawn } from './spawn';
import type { Io, Proc } from './types';

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
export async function shellMain(p: Proc): Promise<number> {
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
