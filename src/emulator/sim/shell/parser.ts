/**
 * The shell's lexer and parser: a command line becomes a `;`/`&&`/`||` list
 * of `|` pipelines of simple commands with redirections. No compound
 * commands, subshells or command substitution.
 */

/** A parse error, rendered per dialect. */
export class SyntaxErr {
  constructor(
    readonly kind: 'quote' | 'token' | 'eof',
    readonly detail: string,
  ) {}
}

/** A piece of a word: literal text or a variable to expand. */
type Seg = { t: string } | { v: string };

/** One shell word, kept unexpanded until the command runs. */
export interface Word {
  segs: Seg[];
  /** Leading unquoted `~`. */
  tilde: boolean;
  quoted: boolean;
  /** NAME of an unquoted `NAME=` prefix. */
  assign?: string;
}

type Op = ';' | '&&' | '||' | '|' | '&';
type RedirOp = '>' | '>>' | '<' | '>&';

/** A redirection: `fd` `op` `target`, e.g. `2>&1` or `>> log`. */
export interface Redir {
  fd: number;
  op: RedirOp;
  target: Word;
}

type Tok = { kind: 'word'; word: Word } | { kind: 'op'; op: Op } | { kind: 'redir'; redir: Omit<Redir, 'target'> };

/** A command with its words and redirections, one stage of a pipeline. */
export interface SimpleCmd {
  words: Word[];
  redirs: Redir[];
}

/** One pipeline of a command list. */
export interface ListItem {
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
export function parse(src: string): ListItem[] {
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
