import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './errors';
import { kubeconfigText, tempDir, type TempDir } from './fixtures';
import { kubeconfigPaths, loadKubeconfig, parseKubeconfig, pathListSeparator } from './kubeconfig';

let t: TempDir;
let home: string;
beforeEach(async () => {
  t = await tempDir();
  home = path.join(t.dir, 'home');
  await mkdir(home);
});
afterEach(() => t.remove());

const one = (name: string, server: string, current?: string): string =>
  kubeconfigText({ clusters: [{ name, server }], users: [{ name, token: `t-${name}` }], contexts: [{ name, cluster: name, user: name }], current });

async function loadError(env: Record<string, string>, platform: NodeJS.Platform = 'linux'): Promise<ConfigError> {
  const err = await loadKubeconfig(env, home, platform).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('kubeconfigPaths', () => {
  it('splits KUBECONFIG on ":" outside Windows and ";" on Windows', () => {
    expect(pathListSeparator('linux')).toBe(':');
    expect(pathListSeparator('darwin')).toBe(':');
    expect(pathListSeparator('win32')).toBe(';');
    expect(kubeconfigPaths({ KUBECONFIG: '/a:/b' }, '/h', 'linux')).toEqual({ paths: ['/a', '/b'], fromEnv: true });
    expect(kubeconfigPaths({ KUBECONFIG: 'C:\\k\\a;D:\\b' }, 'C:\\h', 'win32').paths).toEqual(['C:\\k\\a', 'D:\\b']);
  });

  it('drops empty entries and reads a file listed twice once, as kubectl does', () => {
    expect(kubeconfigPaths({ KUBECONFIG: ':/a::/b:/a:' }, '/h', 'linux').paths).toEqual(['/a', '/b']);
  });

  it('falls back to ~/.kube/config when KUBECONFIG is unset or empty', () => {
    expect(kubeconfigPaths({}, '/home/ops', 'linux')).toEqual({ paths: ['/home/ops/.kube/config'], fromEnv: false });
    expect(kubeconfigPaths({ KUBECONFIG: '' }, '/home/ops', 'darwin').paths).toEqual(['/home/ops/.kube/config']);
    expect(kubeconfigPaths({}, 'C:\\Users\\ops', 'win32').paths).toEqual(['C:\\Users\\ops\\.kube\\config']);
  });
});

describe('loadKubeconfig', () => {
  it('reads ~/.kube/config when KUBECONFIG is unset', async () => {
    const file = await t.write('home/.kube/config', one('fra', 'https://fra:6443', 'fra'));
    const loaded = await loadKubeconfig({}, home, 'linux');
    expect(loaded.files).toEqual([file]);
    expect(loaded.kubeconfig.getContexts().map((c) => c.name)).toEqual(['fra']);
    expect(loaded.kubeconfig.getCurrentContext()).toBe('fra');
    expect(loaded.warnings).toEqual([]);
  });

  it('gives an empty config, not an error, when there is no kubeconfig at all', async () => {
    const loaded = await loadKubeconfig({}, home, 'linux');
    expect(loaded.files).toEqual([]);
    expect(loaded.kubeconfig.getContexts()).toEqual([]);
    expect(loaded.kubeconfig.getClusters()).toEqual([]);
    expect(loaded.kubeconfig.getCurrentContext()).toBe('');
    expect(loaded.warnings).toEqual([]);
  });

  it('merges with kubectl rules: the first file to define a name wins', async () => {
    const a = await t.write('a.yaml', one('shared', 'https://from-a:6443'));
    const b = await t.write(
      'b.yaml',
      kubeconfigText({
        clusters: [{ name: 'shared', server: 'https://from-b:6443' }, { name: 'only-b', server: 'https://b:6443' }],
        users: [{ name: 'shared', token: 'from-b' }],
        contexts: [{ name: 'shared', cluster: 'only-b', user: 'shared' }, { name: 'only-b', cluster: 'only-b', user: 'shared' }],
      }),
    );
    const { kubeconfig: kc, files } = await loadKubeconfig({ KUBECONFIG: `${a}:${b}` }, home, 'linux');
    expect(files).toEqual([a, b]);
    expect(kc.getCluster('shared')?.server).toBe('https://from-a:6443');
    expect(kc.getUser('shared')?.token).toBe('t-shared');
    expect(kc.getContextObject('shared')?.cluster).toBe('shared');
    expect(kc.getCluster('only-b')?.server).toBe('https://b:6443');
    expect(kc.getContexts().map((c) => c.name)).toEqual(['shared', 'only-b']);
  });

  it('takes current-context from the first file that sets one', async () => {
    const a = await t.write('a.yaml', one('a', 'https://a:6443'));
    const b = await t.write('b.yaml', one('b', 'https://b:6443', 'b'));
    const c = await t.write('c.yaml', one('c', 'https://c:6443', 'c'));
    const { kubeconfig } = await loadKubeconfig({ KUBECONFIG: [a, b, c].join(':') }, home, 'linux');
    expect(kubeconfig.getCurrentContext()).toBe('b');
  });

  it('splits on ";" when the platform is Windows', async () => {
    const a = await t.write('a.yaml', one('a', 'https://a:6443', 'a'));
    const b = await t.write('b.yaml', one('b', 'https://b:6443'));
    const { files, kubeconfig } = await loadKubeconfig({ KUBECONFIG: `${a};${b}` }, home, 'win32');
    expect(files).toEqual([a, b]);
    expect(kubeconfig.getContexts()).toHaveLength(2);
  });

  it('skips a missing KUBECONFIG entry with a warning naming it', async () => {
    const a = await t.write('a.yaml', one('a', 'https://a:6443'));
    const missing = path.join(t.dir, 'gone.yaml');
    const loaded = await loadKubeconfig({ KUBECONFIG: `${missing}:${a}` }, home, 'linux');
    expect(loaded.files).toEqual([a]);
    expect(loaded.searched).toEqual([missing, a]);
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toContain(missing);
    expect(loaded.warnings[0]).toContain('does not exist');
  });

  it('gives an empty config with warnings when every KUBECONFIG entry is missing', async () => {
    const loaded = await loadKubeconfig({ KUBECONFIG: `${t.dir}/x:${t.dir}/y` }, home, 'linux');
    expect(loaded.kubeconfig.getContexts()).toEqual([]);
    expect(loaded.warnings).toHaveLength(2);
  });

  it('does not fall back to ~/.kube/config when KUBECONFIG is set', async () => {
    await t.write('home/.kube/config', one('home', 'https://home:6443'));
    const loaded = await loadKubeconfig({ KUBECONFIG: `${t.dir}/x` }, home, 'linux');
    expect(loaded.kubeconfig.getContexts()).toEqual([]);
  });

  it('names the file, line and column of a YAML syntax error', async () => {
    const good = await t.write('good.yaml', one('a', 'https://a:6443'));
    const bad = await t.write('bad.yaml', 'apiVersion: v1\nusers:\n  - name: a\n    user: token: x\n');
    const err = await loadError({ KUBECONFIG: `${good}:${bad}` });
    expect(err.issues).toHaveLength(1);
    expect(err.message).toBe(`${bad}:4:11: YAML: Nested mappings are not allowed in compact mappings`);
  });

  it('points at a duplicate key', async () => {
    const bad = await t.write('dup.yaml', 'apiVersion: v1\nkind: Config\nkind: Config\n');
    const err = await loadError({ KUBECONFIG: bad });
    expect(err.message).toBe(`${bad}:3:1: YAML: duplicate key: each key may appear only once in a mapping`);
  });

  it('refuses a file that is not a mapping', async () => {
    const bad = await t.write('list.yaml', '- a\n- b\n');
    const err = await loadError({ KUBECONFIG: bad });
    expect(err.message).toBe(`${bad}:1:1: not a kubeconfig: expected a mapping with clusters, contexts and users`);
  });

  it('points at an entry client-node rejects', async () => {
    const bad = await t.write('noserver.yaml', 'clusters:\n  - name: a\n    cluster:\n      certificate-authority: ca.crt\n');
    const err = await loadError({ KUBECONFIG: bad });
    expect(err.message).toBe(`${bad}:2:5: cluster 'a': cluster.server is missing`);
  });

  it('points at entries without names, lists that are not lists, and duplicates within one file', async () => {
    const bad = await t.write(
      'shape.yaml',
      ['clusters:', '  - name: a', '    cluster: {server: "https://a"}', '  - name: a', '    cluster: {server: "https://b"}', 'users: {}', 'contexts:', '  - context: {cluster: a}', ''].join('\n'),
    );
    const err = await loadError({ KUBECONFIG: bad });
    expect(err.issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      "4:5 clusters[1]: 'a' is already defined at line 2",
      '6:8 users must be a list',
      '8:5 contexts[0] needs a name',
    ]);
  });

  it('refuses a directory listed in KUBECONFIG', async () => {
    const err = await loadError({ KUBECONFIG: t.dir });
    expect(err.message).toBe(`${t.dir}: cannot read kubeconfig: it is a directory`);
  });

  it('treats an empty file as an empty kubeconfig', async () => {
    const empty = await t.write('empty.yaml', '');
    const a = await t.write('a.yaml', one('a', 'https://a:6443', 'a'));
    const { kubeconfig } = await loadKubeconfig({ KUBECONFIG: `${empty}:${a}` }, home, 'linux');
    expect(kubeconfig.getCurrentContext()).toBe('a');
  });

  it('resolves certificate and token files against the kubeconfig folder, like kubectl', async () => {
    await t.write('conf/tok', 'secret-token');
    const file = await t.write(
      'conf/kubeconfig',
      kubeconfigText({ clusters: [{ name: 'a', server: 'https://a', ca: 'ca.crt' }], users: [{ name: 'u', tokenFile: 'tok' }], contexts: [{ name: 'a', cluster: 'a', user: 'u' }] }),
    );
    const { kubeconfig } = await loadKubeconfig({ KUBECONFIG: file }, home, 'linux');
    expect(kubeconfig.getCluster('a')?.caFile).toBe(path.join(t.dir, 'conf', 'ca.crt'));
    expect(kubeconfig.getUser('u')?.token).toBe('secret-token');
  });

  it('drops an unreadable token file with a warning instead of failing', async () => {
    const file = await t.write('k', kubeconfigText({ clusters: [{ name: 'a', server: 'https://a' }], users: [{ name: 'u', tokenFile: 'nope' }], contexts: [{ name: 'a', cluster: 'a', user: 'u' }] }));
    const loaded = await loadKubeconfig({ KUBECONFIG: file }, home, 'linux');
    expect(loaded.kubeconfig.getUser('u')?.token).toBeUndefined();
    expect(loaded.warnings[0]).toContain(path.join(t.dir, 'nope'));
  });

  it('honours YAML merge keys, which kubectl accepts', () => {
    const kc = parseKubeconfig(
      ['base: &base', '  server: https://a:6443', 'clusters:', '  - name: a', '    cluster:', '      <<: *base', ''].join('\n'),
      '/x/kubeconfig',
    );
    expect(kc.getCluster('a')?.server).toBe('https://a:6443');
  });

  it('refuses an alias bomb', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, n] of ['b', 'c', 'd', 'e', 'f'].entries()) lines.push(`${n}: &${n} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    const bomb = await t.write('bomb.yaml', `${lines.join('\n')}\n`);
    const err = await loadError({ KUBECONFIG: bomb });
    expect(err.message).toContain('refusing to expand aliases');
    expect(err.message).toContain(bomb);
  });
});
