/** The container's fake filesystem and path arithmetic. */

/** A file or directory; `data` may be computed on read (e.g. /proc/uptime). */
export interface FsNode {
  dir: boolean;
  data: string | (() => string);
  mtime: number;
  exec: boolean;
}

/** Why a write failed, worded as strerror() does. */
export type WriteError = 'No such file or directory' | 'Is a directory' | 'Read-only file system' | 'Not a directory';

/** The container's filesystem: a flat map of absolute paths. */
export class FakeFs {
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

/** The directory containing an absolute path (`/` for top-level entries). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Resolves `p` against `cwd`, folding `.` and `..`. */
export function resolvePath(cwd: string, p: string): string {
  const out: string[] = [];
  for (const s of (p.startsWith('/') ? p : `${cwd}/${p}`).split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return `/${out.join('/')}`;
}
