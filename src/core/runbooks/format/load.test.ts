import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../../config/fixtures';
import { loadRunbooks, runbooksFor } from './load';

const SHIPPED = fileURLToPath(new URL('../../../../resources/runbooks/', import.meta.url));

const runbook = (name: string, title: string, target = 'node'): string =>
  ['apiVersion: triptych.io/v1', 'kind: Runbook', 'metadata:', `  name: ${name}`, `  title: ${title}`, 'spec:', `  target: ${target}`, '  steps:', '    - note: { text: hello }', ''].join('\n');

let tmp: TempDir;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(async () => {
  await tmp.remove();
});

describe('loadRunbooks', () => {
  it('loads the shipped library without a single issue', async () => {
    const { runbooks, issues } = await loadRunbooks([SHIPPED]);
    expect(issues).toEqual([]);
    expect(runbooks.map((r) => r.name)).toEqual(['collect-node-diagnostics', 'drain-node', 'drain-rack', 'evacuate-site', 'restart-service', 'return-rack', 'shift-handover']);
  });

  it("lets the admin's folder replace a shipped runbook, with a warning at its name", async () => {
    const admin = path.join(tmp.dir, 'runbooks');
    const file = await tmp.write('runbooks/my-drain.yml', runbook('drain-node', 'Drain (our way)'));
    const { runbooks, issues } = await loadRunbooks([SHIPPED, admin]);
    expect(runbooks.find((r) => r.name === 'drain-node')).toMatchObject({ title: 'Drain (our way)', source: file });
    expect(runbooks).toHaveLength(7);
    expect(issues).toEqual([{ file, line: 4, column: 9, severity: 'warning', message: `runbook 'drain-node' replaces the one in ${path.join(SHIPPED, 'drain-node.yaml')}` }]);
  });

  it('reports a bad file and still loads the others', async () => {
    await tmp.write('a.yaml', runbook('alpha', 'Alpha'));
    const bad = await tmp.write('b.yaml', runbook('beta', 'Beta').replace('note:', 'nte:'));
    await tmp.write('c.yml', runbook('gamma', 'Gamma'));
    await tmp.write('readme.txt', 'not a runbook');
    const { runbooks, issues } = await loadRunbooks([tmp.dir]);
    expect(runbooks.map((r) => r.name)).toEqual(['alpha', 'gamma']);
    expect(issues).toEqual([{ file: bad, line: 9, column: 7, severity: 'error', message: expect.stringMatching(/^unknown step type 'nte' in step 1 \(did you mean 'note'\?\)/) }]);
  });

  it('refuses two runbooks of one name in one folder', async () => {
    await tmp.write('a.yaml', runbook('same', 'First'));
    const second = await tmp.write('b.yaml', runbook('same', 'Second'));
    const { runbooks, issues } = await loadRunbooks([tmp.dir]);
    expect(runbooks.map((r) => r.title)).toEqual(['First']);
    expect(issues).toEqual([
      { file: second, line: 4, column: 9, severity: 'error', message: `runbook name 'same' is already used by ${path.join(tmp.dir, 'a.yaml')}; give one of them another metadata.name` },
    ]);
  });

  it('treats a missing folder as empty and reports one that cannot be read', async () => {
    const notADir = await tmp.write('file.yaml', runbook('x', 'X'));
    const { runbooks, issues } = await loadRunbooks([path.join(tmp.dir, 'absent'), notADir]);
    expect(runbooks).toEqual([]);
    expect(issues).toEqual([{ file: notADir, line: 1, column: 1, severity: 'error', message: expect.stringMatching(/^cannot read the runbook folder: /) }]);
  });

  it('refuses a huge file without reading it, and a file that is not UTF-8', async () => {
    const huge = path.join(tmp.dir, 'huge.yaml');
    await writeFile(huge, Buffer.alloc(2 * 1024 * 1024, 0x61));
    const latin1 = path.join(tmp.dir, 'latin1.yaml');
    await writeFile(latin1, Buffer.from(runbook('x', 'Caf\u00e9'), 'latin1'));
    const { runbooks, issues } = await loadRunbooks([tmp.dir]);
    expect(runbooks).toEqual([]);
    expect(issues).toEqual([
      { file: huge, line: 1, column: 1, severity: 'error', message: 'the file is larger than 1 MiB; a runbook is a page of steps, so this is not one' },
      { file: latin1, line: 1, column: 1, severity: 'error', message: 'the file is not UTF-8 text; save it as UTF-8' },
    ]);
  });

  it('follows a symbolic link to a runbook, and reports a dangling one', async () => {
    const target = await tmp.write('elsewhere/real.txt', runbook('linked', 'Linked'));
    await symlink(target, path.join(tmp.dir, 'linked.yaml'));
    await symlink(path.join(tmp.dir, 'gone'), path.join(tmp.dir, 'dangling.yaml'));
    const { runbooks, issues } = await loadRunbooks([tmp.dir]);
    expect(runbooks.map((r) => r.name)).toEqual(['linked']);
    expect(issues).toEqual([{ file: path.join(tmp.dir, 'dangling.yaml'), line: 1, column: 1, severity: 'error', message: expect.stringMatching(/^cannot read the file: ENOENT/) }]);
  });
});

describe('runbooksFor', () => {
  it('offers the runbooks whose target fits, by title', async () => {
    const { runbooks } = await loadRunbooks([SHIPPED]);
    expect(runbooksFor('node', runbooks).map((r) => r.title)).toEqual(['Collect node diagnostics', 'Drain a node for maintenance']);
    expect(runbooksFor('rack', runbooks).map((r) => r.name)).toEqual(['drain-rack', 'return-rack']);
    expect(runbooksFor('site', runbooks).map((r) => r.name)).toEqual(['evacuate-site']);
    expect(runbooksFor('workload', runbooks).map((r) => r.name)).toEqual(['restart-service']);
    expect(runbooksFor('none', runbooks).map((r) => r.name)).toEqual(['shift-handover']);
  });
});
