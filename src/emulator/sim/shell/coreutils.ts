/**
 * The coreutils a container may ship (`ls`, `cat`, `grep`, `ps`, ...) and
 * the argument and input handling they share. Messages follow busybox or
 * GNU wording depending on the image flavour.
 */
import { parentOf, resolvePath } from './filesystem';
import { KERNEL_RELEASE, KERNEL_VERSION } from './image';
import { delay } from './signals';
import type { Io, Proc } from './types';

/** `echo` (builtin and program alike): `-n`, and `-e`/`-E` for backslash escapes. */
export function echo(argv: string[], io: Io): number {
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
export function strftime(fmt: string, ms: number): string {
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

/** `ls`: `-a`, `-l`, `-1`, `-C`; columns on a terminal, one name a line otherwise. */
export function ls(p: Proc): number {
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

/** `cat`: files in order, `-` or no operand for stdin. */
export async function cat(p: Proc): Promise<number> {
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

/** `grep`: `-e`, `-i`, `-v`, `-n`, `-c`, `-q`, `-F`; exit 1 when nothing matched. */
export async function grep(p: Proc): Promise<number> {
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

/** `head` or `tail` (`tail` true): the first or last `-n N` lines, 10 by default. */
export async function headTail(p: Proc, tail: boolean): Promise<number> {
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

/** `wc`: lines, words and bytes, or those `-l`/`-w`/`-c` pick. */
export async function wc(p: Proc): Promise<number> {
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

/** `ps`: PID 1 (the container's entrypoint) and this exec's live processes. */
export function ps(p: Proc): number {
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

/** `uname`: `-s` by default, `-a` or any of `-snrvmo`. */
export function uname(p: Proc): number {
  const { flags } = options(p.argv.slice(1));
  const box = p.box;
  const osName = box.flavor === 'busybox' ? 'Linux' : 'GNU/Linux';
  const fields: [string, string][] = [['s', 'Linux'], ['n', box.hostname], ['r', KERNEL_RELEASE], ['v', KERNEL_VERSION], ['m', 'x86_64'], ['o', osName]];
  const chosen = flags.has('a') ? fields : fields.filter(([f]) => flags.has(f));
  p.io.out(`${(chosen.length > 0 ? chosen : [fields[0] as [string, string]]).map(([, v]) => v).join(' ')}\n`);
  return 0;
}

/** `id`: `uid=… gid=… groups=…`, or just `-u` (`-un` for the name) or `-g`. */
export function id(p: Proc): number {
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

/** `sleep`: seconds with an optional s/m/h/d suffix, or `infinity`; Ctrl-C or a kill interrupts it. */
export async function sleep(p: Proc): Promise<number> {
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
