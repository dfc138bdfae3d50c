/** The table of programs a container may have on its PATH. */
import { cat, echo, grep, headTail, id, ls, ps, sleep, strftime, uname, wc } from './coreutils';
import { shellMain } from './interpreter';
import type { Binary } from './types';

/** Every program a container may have; which ones it has depends on its flavor. */
export const BINARIES: Record<string, Binary> = {
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
