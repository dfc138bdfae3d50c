import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LABELS, DEFAULT_PALETTE } from './defaults';
import { ConfigError } from './errors';
import { sitesKubeconfig, tempDir, type TempDir } from './fixtures';
import { resolveSites, type ResolveOptions } from './sites';

let t: TempDir;
let home: string;
let configFile: string;
/** Linux layout under a throwaway HOME; tests add env entries as needed. */
let opts: (env?: Record<string, string>) => ResolveOptions;

beforeEach(async () => {
  t = await tempDir();
  home = path.join(t.dir, 'home');
  configFile = path.join(home, '.config', 'triptych', 'triptych.yaml');
  opts = (env = {}) => ({ env, home, platform: 'linux' });
});
afterEach(() => t.remove());

const SITES = ['sites:', '  - {id: fra, name: Frankfurt, context: fra, inventory: fra.csv}', '  - {id: ams, name: Amsterdam, context: ams, color: "#cc79a7"}', '  - {id: dub, name: Dublin, context: dub}', ''].join('\n');

async function failure(p: Promise<unknown>): Promise<ConfigError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('resolveSites: training mode', () => {
  it('with nothing configured: training, no warnings, an empty kubeconfig', async () => {
    const r = await resolveSites(opts());
    expect(r.mode).toBe('training');
    expect(r.sites).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.kubeconfig.getContexts()).toEqual([]);
    expect(r.inventories.size).toBe(0);
    expect(r.theme).toBe('system');
    expect(r.configFile).toBe(configFile);
    expect(r.config).toBeUndefined();
  });

  it('with a kubeconfig but no triptych.yaml: still training, with a warning on how to configure sites', async () => {
    await t.write('home/.kube/config', sitesKubeconfig(['prod-fra', 'prod-ams']));
    const r = await resolveSites(opts());
    expect(r.mode).toBe('training');
    expect(r.sites).toEqual([]);
    expect(r.kubeconfig.getContexts()).toHaveLength(2);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain(configFile);
    expect(r.warnings[0]).toContain('prod-fra, prod-ams');
    expect(r.warnings[0]).toContain('docs/configuration.md');
    expect(r.warnings[0]).toContain('TRIPTYCH_CONFIG');
  });

  it('with a broken kubeconfig and no triptych.yaml: training, with a warning instead of an error', async () => {
    await t.write('home/.kube/config', 'clusters: [\n');
    const r = await resolveSites(opts());
    expect(r.mode).toBe('training');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain(`${path.join(home, '.kube', 'config')}:`);
  });

  it('looks in the platform’s config folder', async () => {
    await t.write('home/.kube/config', sitesKubeconfig(['fra']));
    expect((await resolveSites({ env: {}, home, platform: 'darwin' })).configFile).toBe(path.join(home, 'Library', 'Application Support', 'Triptych', 'triptych.yaml'));
    // An XDG folder holding a config would make this a configured run; it is empty here.
    expect((await resolveSites(opts({ XDG_CONFIG_HOME: path.join(t.dir, 'xdg') }))).configFile).toBe(path.join(t.dir, 'xdg', 'triptych', 'triptych.yaml'));
  });
});

describe('resolveSites: configured mode', () => {
  beforeEach(async () => {
    await t.write('home/.kube/config', sitesKubeconfig(['fra', 'ams', 'dub'], 'ams'));
    await t.write('home/.config/triptych/fra.csv', 'hostname,room,rack,unit\nfra-a-r01-u01,a,A-01,1\n');
  });

  it('returns the configured sites with servers, colours and labels, and their inventories', async () => {
    await t.write('home/.config/triptych/triptych.yaml', `theme: light\n${SITES}`);
    const r = await resolveSites(opts());
    expect(r.mode).toBe('configured');
    expect(r.warnings).toEqual([]);
    expect(r.theme).toBe('light');
    expect(r.configFile).toBe(configFile);
    expect(r.sites).toEqual([
      { id: 'fra', name: 'Frankfurt', color: DEFAULT_PALETTE[0], context: 'fra', server: 'https://fra.example:6443', labels: DEFAULT_LABELS, training: false },
      { id: 'ams', name: 'Amsterdam', color: '#cc79a7', context: 'ams', server: 'https://ams.example:6443', labels: DEFAULT_LABELS, training: false },
      { id: 'dub', name: 'Dublin', color: DEFAULT_PALETTE[1], context: 'dub', server: 'https://dub.example:6443', labels: DEFAULT_LABELS, training: false },
    ]);
    expect([...r.inventories.keys()]).toEqual(['fra']);
    expect(r.inventories.get('fra')?.get('fra-a-r01-u01')).toEqual({ room: 'a', rack: 'A-01', unit: 1 });
    expect(r.kubeconfig.getCurrentContext()).toBe('ams');
    expect(r.config?.sites).toHaveLength(3);
  });

  it('honours XDG_CONFIG_HOME, TRIPTYCH_CONFIG and KUBECONFIG, passing on kubeconfig warnings', async () => {
    const kc = await t.write('kc/sites.yaml', sitesKubeconfig(['fra', 'ams', 'dub']));
    const missing = path.join(t.dir, 'kc', 'gone.yaml');
    await t.write('xdg/triptych/fra.csv', 'hostname\nn1\n');
    const xdg = await t.write('xdg/triptych/triptych.yaml', SITES);
    const viaXdg = await resolveSites(opts({ XDG_CONFIG_HOME: path.join(t.dir, 'xdg'), KUBECONFIG: `${missing}:${kc}` }));
    expect(viaXdg.configFile).toBe(xdg);
    expect(viaXdg.inventories.get('fra')?.has('n1')).toBe(true);
    expect(viaXdg.warnings).toEqual([expect.stringContaining(missing)]);

    const explicit = await t.write('elsewhere/custom.yaml', 'sites:\n  - {id: only, name: Only, context: dub}\n');
    const viaEnv = await resolveSites(opts({ TRIPTYCH_CONFIG: explicit, XDG_CONFIG_HOME: path.join(t.dir, 'xdg') }));
    expect(viaEnv.configFile).toBe(explicit);
    expect(viaEnv.sites.map((s) => s.id)).toEqual(['only']);
  });

  it('refuses a TRIPTYCH_CONFIG that does not exist rather than quietly training', async () => {
    const gone = path.join(t.dir, 'nope.yaml');
    const err = await failure(resolveSites(opts({ TRIPTYCH_CONFIG: gone })));
    expect(err.message).toBe(`${gone}: cannot read the site configuration: TRIPTYCH_CONFIG names this file, but it does not exist`);
  });

  it('refuses a triptych.yaml whose context is missing from the kubeconfig', async () => {
    await t.write('home/.config/triptych/triptych.yaml', 'sites:\n  - {id: fra, name: F, context: fra-prod}\n');
    const err = await failure(resolveSites(opts()));
    expect(err.message).toContain(`${configFile}:2:33: site 'fra': context 'fra-prod' is not in the kubeconfig`);
    expect(err.message).toContain('contexts there: fra, ams, dub');
  });

  it('refuses a triptych.yaml when the kubeconfig is broken', async () => {
    const kc = await t.write('home/.kube/config', 'clusters: {\n');
    await t.write('home/.config/triptych/triptych.yaml', SITES);
    const err = await failure(resolveSites(opts()));
    expect(err.issues[0]?.file).toBe(kc);
  });

  it('points at the inventory line when an inventory file is missing', async () => {
    await t.write('home/.config/triptych/triptych.yaml', SITES.replace('fra.csv', 'missing.yaml'));
    const err = await failure(resolveSites(opts()));
    expect(err.message).toBe(`${configFile}:2:57: site 'fra': inventory file ${path.join(home, '.config', 'triptych', 'missing.yaml')} does not exist`);
  });

  it('reports errors inside inventory files at their own lines', async () => {
    const inv = await t.write('home/.config/triptych/fra.csv', 'hostname,room,rack,unit\nfra-a-r01-u01,a,A-01,zero\n');
    await t.write('home/.config/triptych/triptych.yaml', SITES);
    const err = await failure(resolveSites(opts()));
    expect(err.message).toContain(`${inv}:2: unit must be a whole number`);
  });

  it('refuses a config path that is a folder', async () => {
    const dir = path.join(t.dir, 'home');
    const err = await failure(resolveSites(opts({ TRIPTYCH_CONFIG: dir })));
    expect(err.message).toBe(`${dir}: cannot read the site configuration: this is a folder, not a file`);
  });
});
