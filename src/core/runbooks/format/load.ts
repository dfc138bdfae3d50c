/**
 * Loading the runbook library: the shipped folder and the admin's folder,
 * every *.yaml / *.yml file in each. A bad file is reported and skipped; the
 * others still load. A runbook in a later folder with the name of one in an
 * earlier folder replaces it (the admin's copy of a shipped runbook), with a
 * warning so that nobody wonders why the shipped one changed.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runbook, RunbookIssue, RunbookTarget } from '../../../shared/runbooks';
import { MAX_RUNBOOK_BYTES, parseRunbookDetailed } from './parse';

/**
 * A RunbookIssue with its weight: errors keep a file from loading, warnings do not.
 * (Proposed for shared/runbooks.ts as an optional `severity` on RunbookIssue.)
 */
export type LoadIssue = RunbookIssue & { severity: 'error' | 'warning' };

/** The library as loaded: usable runbooks (sorted by name) and every problem found. */
export interface LoadedRunbooks {
  runbooks: Runbook[];
  issues: LoadIssue[];
}

const RUNBOOK_FILE = /\.ya?ml$/i;

/**
 * Reads every runbook in `dirs`, in order: pass the shipped folder
 * (resources/runbooks) first and the admin's (<config dir>/runbooks) after
 * it. A folder that does not exist is simply empty.
 */
export async function loadRunbooks(dirs: readonly string[]): Promise<LoadedRunbooks> {
  const issues: LoadIssue[] = [];
  const byName = new Map<string, { runbook: Runbook; dir: number }>();
  for (const [dirIndex, dir] of dirs.entries()) {
    for (const file of await runbookFiles(dir, issues)) {
      const text = await readText(file, issues);
      if (text === undefined) continue;
      const parsed = parseRunbookDetailed(text, file);
      issues.push(...parsed.issues.map((i): LoadIssue => ({ ...i, severity: 'error' })));
      const runbook = parsed.runbook;
      if (!runbook) continue;
      const at = { file, line: parsed.nameAt?.line ?? 1, column: parsed.nameAt?.column ?? 1 };
      const earlier = byName.get(runbook.name);
      if (earlier && earlier.dir === dirIndex) {
        // Two files of one folder: neither is "the admin's", so which one wins would be an accident of file names.
        issues.push({ ...at, severity: 'error', message: `runbook name '${runbook.name}' is already used by ${earlier.runbook.source}; give one of them another metadata.name` });
        continue;
      }
      if (earlier) {
        issues.push({ ...at, severity: 'warning', message: `runbook '${runbook.name}' replaces the one in ${earlier.runbook.source}` });
      }
      byName.set(runbook.name, { runbook, dir: dirIndex });
    }
  }
  const runbooks = [...byName.values()].map((e) => e.runbook).sort((a, b) => a.name.localeCompare(b.name));
  return { runbooks, issues };
}

/** The runbooks a context menu for `target` offers (a node's menu: the node runbooks), by title. */
export function runbooksFor(target: RunbookTarget, runbooks: readonly Runbook[]): Runbook[] {
  return runbooks.filter((r) => r.target === target).sort((a, b) => a.title.localeCompare(b.title));
}

async function runbookFiles(dir: string, issues: LoadIssue[]): Promise<string[]> {
  let found: Dirent[];
  try {
    found = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    // The admin's folder is optional: most installations never create it.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    issues.push({ file: dir, line: 1, column: 1, severity: 'error', message: `cannot read the runbook folder: ${(err as Error).message}` });
    return [];
  }
  // Sorted, so that which of two same-named files is reported does not depend on the file system.
  return found
    .filter((d) => RUNBOOK_FILE.test(d.name) && (d.isFile() || d.isSymbolicLink()))
    .map((d) => join(dir, d.name))
    .sort();
}

async function readText(file: string, issues: LoadIssue[]): Promise<string | undefined> {
  const fail = (message: string): undefined => {
    issues.push({ file, line: 1, column: 1, severity: 'error', message });
    return undefined;
  };
  try {
    const info = await stat(file);
    if (!info.isFile()) return fail('not a regular file');
    // Checked before reading, so a huge file never reaches memory.
    if (info.size > MAX_RUNBOOK_BYTES) return fail(`the file is larger than ${MAX_RUNBOOK_BYTES / 1024 / 1024} MiB; a runbook is a page of steps, so this is not one`);
    const bytes = await readFile(file);
    // Invalid UTF-8 would otherwise turn into U+FFFD silently, and a node name with it would never match.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    if (err instanceof TypeError) return fail('the file is not UTF-8 text; save it as UTF-8');
    return fail(`cannot read the file: ${(err as Error).message}`);
  }
}
