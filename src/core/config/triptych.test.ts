import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LABEL_RACK, LABEL_RACK_UNIT, LABEL_ZONE } from '../../shared/labels';
import { DEFAULT_PALETTE } from './defaults';
import { ConfigError } from './errors';
import { kubeconfigText, sitesKubeconfig, tempDir, type TempDir } from './fixtures';
import { parseKubeconfig, type LoadedKubeconfig } from './kubeconfig';
import { loadTriptychConfig, parseTriptychConfig } from './triptych';

const FILE = '/etc/triptych/triptych.yaml';
const HOME = '/home/ops';

function kubeconfigWith(contexts: string[]): LoadedKubeconfig {
  return { kubeconfig: parseKubeconfig(sitesKubeconfig(contexts), '/home/ops/.kube/config'), files: ['/home/ops/.kube/config'], searched: ['/home/ops/.kube/config'], warnings: [] };
}

const parse = (text: string, contexts = ['fra', 'ams', 'dub']) => parseTriptychConfig(text, FILE, { kubeconfig: kubeconfigWith(contexts), home: HOME });

function errorOf(text: string, contexts?: string[]): ConfigError {
  try {
    parse(text, contexts);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** Issues as `line:column message`. */
const problems = (text: string, contexts?: string[]): string[] => errorOf(text, contexts).issues.map((i) => `${i.line}:${i.column} ${i.message}`);

const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;
const site = (id: string, extra: string[] = []): string[] => [`  - id: ${id}`, `    name: Site ${id}`, `    context: ${id}`, ...extra.map((l) => `    ${l}`)];

describe('parseTriptychConfig: valid files', () => {
  it('reads sites and fills in defaults', () => {
    const { config, warnings } = parse(yaml('sites:', ...site('fra'), ...site('ams', ['color: "#E69F00"']), ...site('dub')));
    expect(warnings).toEqual([]);
    expect(config.theme).toBe('system');
    expect(config.file).toBe(FILE);
    expect(config.sites.map((s) => [s.id, s.name, s.context])).toEqual([
      ['fra', 'Site fra', 'fra'],
      ['ams', 'Site ams', 'ams'],
      ['dub', 'Site dub', 'dub'],
    ]);
    expect(config.sites[0]?.labels).toEqual({ room: LABEL_ZONE, rack: LABEL_RACK, unit: LABEL_RACK_UNIT });
    // The explicit colour is normalised and not handed out again to sites without one.
    expect(config.sites.map((s) => s.color)).toEqual([DEFAULT_PALETTE[0], '#e69f00', DEFAULT_PALETTE[2]]);
    expect(config.sites[0]).not.toHaveProperty('inventory');
  });

  it('accepts theme, short colours, custom labels, inventory paths and a vault credential source', () => {
    const { config } = parse(
      yaml(
        'theme: dark',
        'sites:',
        ...site('fra', ['color: "#0af"', 'labels:', '  room: example.com/room', '  unit: unit', 'inventory: inv/fra.csv', 'vault:', '  kubernetesRole: {role: operator, namespace: default}']),
        ...site('ams', ['inventory: ~/ams.yml']),
      ),
    );
    expect(config.theme).toBe('dark');
    const [fra, ams] = config.sites;
    expect(fra?.color).toBe('#00aaff');
    expect(fra?.labels).toEqual({ room: 'example.com/room', rack: LABEL_RACK, unit: 'unit' });
    expect(fra?.inventory).toBe(path.resolve('/etc/triptych/inv/fra.csv'));
    expect(fra?.vault).toEqual({ kubernetesRole: { mount: 'kubernetes', role: 'operator', namespace: 'default' } });
    expect(ams?.inventory).toBe(path.join(HOME, 'ams.yml'));
  });

  it('warns, without failing, when sites share a context, a name or a colour', () => {
    const { warnings } = parse(
      yaml('sites:', '  - {id: a, name: Same, context: fra, color: "#111"}', '  - {id: b, name: Same, context: fra, color: "#111111"}'),
    );
    expect(warnings).toEqual([
      `${FILE}:3:19: name 'Same' is also used at line 2; operators tell sites apart by it`,
      `${FILE}:3:34: context 'fra' is also used at line 2; both panes would show the same cluster`,
      `${FILE}:3:46: color '#111111' is also used at line 2; operators tell sites apart by it`,
    ]);
  });

  it('skips the context check when no kubeconfig is given', () => {
    const { config } = parseTriptychConfig(yaml('sites:', ...site('zzz')), FILE, { home: HOME });
    expect(config.sites[0]?.context).toBe('zzz');
  });

  it('locates values for errors found later', () => {
    const parsed = parse(yaml('sites:', ...site('fra', ['inventory: fra.csv'])));
    expect(parsed.locate(['sites', 0, 'inventory'])).toMatchObject({ file: FILE, line: 5, column: 16 });
  });

  it('accepts resources/triptych.example.yaml', async () => {
    const file = path.resolve('resources/triptych.example.yaml');
    const loaded = kubeconfigWith(['prod-fra', 'prod-ams', 'prod-dub']);
    const { config, warnings } = await loadTriptychConfig(file, { kubeconfig: loaded, home: HOME });
    expect(warnings).toEqual([]);
    expect(config.sites.map((s) => s.id)).toEqual(['fra', 'ams', 'dub']);
    expect(new Set(config.sites.map((s) => s.color)).size).toBe(3);
    expect(config.sites[2]?.inventory).toBe(path.resolve('resources/inventory.example.csv'));
  });
});

describe('parseTriptychConfig: errors carry file:line:column', () => {
  it('formats the message as file:line:column: problem', () => {
    const err = errorOf(yaml('sites:', ...site('fra'), 'colour: red'));
    expect(err.message).toBe(`${FILE}:5:1: unknown key 'colour' at the top level; allowed: sites, theme, vault`);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problems('sites:\n  - id: fra\n    name: [Frankfurt\n')).toEqual([expect.stringMatching(/^\d+:\d+ YAML: /)]);
    expect(problems(yaml('sites:', '  - id: fra', '    id: ams'))).toEqual(['3:5 YAML: duplicate key: each key may appear only once in a mapping']);
  });

  it('refuses tags, so nothing in the file can be constructed or run', () => {
    expect(problems(yaml('sites:', '  - id: !!js/function "function(){}"'))).toEqual(['2:9 YAML: Unresolved tag: tag:yaml.org,2002:js/function']);
  });

  it('refuses alias bombs', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, n] of ['b', 'c', 'd', 'e'].entries()) lines.push(`${n}: &${n} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`);
    expect(errorOf(yaml(...lines)).message).toContain('refusing to expand aliases');
  });

  it('explains an empty file, a file that is not a mapping, and a missing or empty sites list', () => {
    expect(problems('')).toEqual(["1:1 the file is empty: list your sites under 'sites:' (see resources/triptych.example.yaml)"]);
    expect(problems('- fra\n')).toEqual(["1:1 expected a mapping with 'sites:' (and optionally 'theme:') at the top, found a list"]);
    expect(problems('theme: dark\n')).toEqual(["1:1 no 'sites:' list: add one entry per site (see resources/triptych.example.yaml)"]);
    expect(problems('sites: []\n')).toEqual(["1:8 'sites' must be a list with at least one site, each starting with '- id:' (see resources/triptych.example.yaml)"]);
    expect(problems('sites:\n')).toEqual(["1:7 'sites' must be a list with at least one site, each starting with '- id:' (see resources/triptych.example.yaml)"]);
    expect(problems('sites:\n  - fra\n')).toEqual(["2:5 sites[0] must be a mapping with id, name and context, found 'fra'"]);
  });

  it('names unknown keys and suggests the likely one', () => {
    expect(problems(yaml('sites:', ...site('fra', ['colour: "#fff"'])))).toEqual([
      "5:5 unknown key 'colour' in site 'fra' (did you mean 'color'?); allowed: id, name, context, color, labels, inventory, vault, alertmanager",
    ]);
    expect(problems(yaml('sites:', ...site('fra', ['labels:', '  racks: example.com/rack'])))).toEqual([
      "6:7 unknown key 'racks' in site 'fra''s labels (did you mean 'rack'?); allowed: room, rack, unit",
    ]);
    expect(problems(yaml('theme: dark', 'site:', ...site('fra')))).toEqual([
      "1:1 no 'sites:' list: add one entry per site (see resources/triptych.example.yaml)",
      "2:1 unknown key 'site' at the top level (did you mean 'sites'?); allowed: sites, theme, vault",
    ]);
  });

  it('requires id, name and context', () => {
    expect(problems(yaml('sites:', '  - color: "#fff"'))).toEqual([
      "2:5 sites[0] has no 'id' (a short stable id such as 'fra')",
      "2:5 sites[0] has no 'name' (the display name, such as 'Frankfurt')",
      "2:5 sites[0] has no 'context' (the kubeconfig context the console connects with)",
    ]);
  });

  it('refuses ids outside [a-z0-9-] and suggests one', () => {
    expect(problems(yaml('sites:', '  - {id: Frankfurt Main, name: F, context: fra}'))).toEqual([
      "2:10 sites[0]: id 'Frankfurt Main' may only contain lower-case letters, digits and '-' (e.g. 'frankfurt-main')",
    ]);
    expect(problems(yaml('sites:', '  - {id: fra_1, name: F, context: fra}'))[0]).toContain("(e.g. 'fra-1')");
  });

  it('asks for quotes when YAML reads a value as a number or boolean', () => {
    expect(problems(yaml('sites:', '  - {id: 007, name: F, context: fra}'))).toEqual([
      "2:10 sites[0]: 'id' must be text; YAML read 7 as a number, so quote it: id: \"007\"",
    ]);
    expect(problems(yaml('sites:', '  - {id: fra, name: yes, context: true}'))).toEqual([
      "2:35 site 'fra': 'context' must be text; YAML read true as a boolean, so quote it: context: \"true\"",
    ]);
    expect(problems(yaml('sites:', '  - {id: fra, name: "", context: fra}'))).toEqual(["2:21 site 'fra': 'name' must be non-empty text, found ''"]);
    expect(problems(yaml('sites:', '  - {id: fra, name: [a], context: fra}'))).toEqual(["2:21 site 'fra': 'name' must be non-empty text, found a list"]);
  });

  it('refuses duplicate ids, pointing at both', () => {
    expect(problems(yaml('sites:', ...site('fra'), ...site('fra')))).toEqual(["5:9 duplicate site id 'fra': already used at line 2; ids must be unique"]);
  });

  it('names contexts missing from the kubeconfig and lists the ones there', () => {
    expect(problems(yaml('sites:', ...site('fra'), '  - {id: x, name: X, context: prd-fra}'), ['prod-fra', 'prod-amsterdam', 'fra'])).toEqual([
      "5:31 site 'x': context 'prd-fra' is not in the kubeconfig (did you mean 'prod-fra'?); contexts there: prod-fra, prod-amsterdam, fra",
    ]);
  });

  it('says where it looked when the kubeconfig has no contexts at all', () => {
    expect(problems(yaml('sites:', ...site('fra')), [])).toEqual([
      "4:14 site 'fra': context 'fra' is not in the kubeconfig; it has no contexts (looked in /home/ops/.kube/config; set KUBECONFIG or create ~/.kube/config)",
    ]);
  });

  it('refuses a context whose cluster the kubeconfig lacks', () => {
    const kc = parseKubeconfig(kubeconfigText({ contexts: [{ name: 'fra', cluster: 'gone', user: 'u' }] }), '/k');
    const loaded: LoadedKubeconfig = { kubeconfig: kc, files: ['/k'], searched: ['/k'], warnings: [] };
    expect(() => parseTriptychConfig(yaml('sites:', ...site('fra')), FILE, { kubeconfig: loaded, home: HOME })).toThrow(
      `${FILE}:4:14: site 'fra': context 'fra' uses cluster 'gone', which no kubeconfig file defines`,
    );
  });

  it('refuses colours that are not hex, and spots the unquoted # that YAML took for a comment', () => {
    expect(problems(yaml('sites:', ...site('fra', ['color: red'])))).toEqual([
      "5:12 site 'fra': color must be a hex colour such as \"#0072b2\" or \"#07b\" (quoted), found 'red'",
    ]);
    expect(problems(yaml('sites:', ...site('fra', ['color: "#12345"'])))[0]).toContain("found '#12345'");
    expect(problems(yaml('sites:', ...site('fra', ['color: #d62728'])))).toEqual([
      "5:5 site 'fra': color is empty because '#' starts a YAML comment; quote it: color: \"#d62728\"",
    ]);
  });

  it('refuses label keys Kubernetes would not accept', () => {
    expect(problems(yaml('sites:', ...site('fra', ['labels:', '  rack: "my rack"'])))).toEqual([
      "6:13 site 'fra': labels.rack 'my rack' is not a Kubernetes label key (such as 'triptych.io/rack')",
    ]);
    expect(problems(yaml('sites:', ...site('fra', ['labels: [a]'])))[0]).toContain('labels must be a mapping of room, rack and unit');
  });

  it('refuses inventory files with an unknown extension', () => {
    expect(problems(yaml('sites:', ...site('fra', ['inventory: nodes.txt'])))).toEqual([
      "5:16 site 'fra': inventory 'nodes.txt' must end in .csv, .yaml or .yml (the extension picks the format)",
    ]);
  });

  it('refuses unknown themes', () => {
    expect(problems(yaml('theme: solarized', 'sites:', ...site('fra')))).toEqual(["1:8 theme must be one of light, dark, system, found 'solarized'"]);
  });

  it('reports every problem at once, in file order', () => {
    const err = errorOf(yaml('theme: blue', 'sites:', '  - {id: A, name: a, context: nope}', '  - {id: b, name: b, context: b, colour: x}'));
    expect(err.issues.map((i) => i.line)).toEqual([1, 3, 3, 4, 4]);
    expect(err.message.split('\n')[0]).toBe('5 problems in the configuration:');
    expect(err.message).toContain(`  ${FILE}:1:8: theme must be one of`);
  });
});

describe('parseTriptychConfig: sites[].alertmanager', () => {
  it('accepts a URL string, or a mapping with caCert and a bearer token or basic-auth password file', () => {
    const { config } = parse(
      yaml(
        'sites:',
        ...site('fra', ['alertmanager: https://alertmanager.fra.example.com:9093/']),
        ...site('ams', ['alertmanager:', '  url: https://ops.ams.example.com/alertmanager', '  caCert: certs/ams-ca.pem', '  bearerTokenFile: ~/.config/triptych/am-token']),
        ...site('dub', ['alertmanager: {url: "http://127.0.0.1:9093", basicAuth: {username: reader, passwordFile: dub-password}}']),
      ),
    );
    const [fra, ams, dub] = config.sites;
    expect(fra?.alertmanager).toEqual({ url: 'https://alertmanager.fra.example.com:9093' });
    expect(ams?.alertmanager).toEqual({
      url: 'https://ops.ams.example.com/alertmanager',
      caCert: path.resolve('/etc/triptych/certs/ams-ca.pem'),
      bearerTokenFile: path.join(HOME, '.config/triptych/am-token'),
    });
    expect(dub?.alertmanager).toEqual({ url: 'http://127.0.0.1:9093', basicAuth: { username: 'reader', passwordFile: path.resolve('/etc/triptych/dub-password') } });
  });

  it('refuses plain http off loopback, non-URLs, /api/v2 suffixes and credentials in the URL', () => {
    expect(
      problems(
        yaml(
          'sites:',
          ...site('fra', ['alertmanager: http://alertmanager.fra.example.com:9093']),
          ...site('ams', ['alertmanager: alertmanager.ams:9093']),
          ...site('dub', ['alertmanager: https://am.dub.example.com/api/v2']),
          '  - {id: lon, name: L, context: fra, alertmanager: "https://user:pw@am.lon.example.com"}',
        ),
      ),
    ).toEqual([
      "5:19 site 'fra': alertmanager: url 'http://alertmanager.fra.example.com:9093' uses plain http, which would send credentials and alerts unencrypted; use https:// (plain http is accepted only for 127.0.0.1)",
      "9:19 site 'ams': alertmanager: url 'alertmanager.ams:9093' must start with https://",
      "13:19 site 'dub': alertmanager: url 'https://am.dub.example.com/api/v2' must be Alertmanager's base URL, without /api/v2 (Triptych adds it)",
      "14:52 site 'lon': alertmanager: url must not contain a user name or password; use basicAuth with a passwordFile",
    ]);
  });

  it('keeps secrets out of the file, and names missing and unknown keys', () => {
    expect(
      problems(
        yaml(
          'sites:',
          ...site('fra', ['alertmanager:', '  url: https://am.fra.example.com', '  bearerToken: abc123']),
          ...site('ams', ['alertmanager:', '  caCert: ca.pem', '  basicAuth: {username: reader, password: hunter2}']),
          ...site('dub', ['alertmanager:', '  url: https://am.dub.example.com', '  bearerTokenFile: t', '  basicAuth: {username: r, passwordFile: p}', '  tlsInsecure: true']),
          ...site('lon', ['alertmanager: [https://am.lon.example.com]']),
        ),
        ['fra', 'ams', 'dub', 'lon'],
      ),
    ).toEqual([
      "7:7 site 'fra': alertmanager: secrets are not written in triptych.yaml; put the token in a file readable only by you and name it with bearerTokenFile",
      "12:7 site 'ams': alertmanager has no 'url' (such as https://alertmanager.example.com:9093)",
      "13:18 site 'ams': alertmanager.basicAuth has no 'passwordFile'",
      "13:37 site 'ams': alertmanager.basicAuth: secrets are not written in triptych.yaml; put the password in a file readable only by you and name it with passwordFile",
      "18:7 site 'dub': alertmanager: use either bearerTokenFile or basicAuth, not both (one Authorization header is sent)",
      "21:7 unknown key 'tlsInsecure' in site 'dub': alertmanager; allowed: url, caCert, bearerTokenFile, basicAuth",
      "25:19 site 'lon': alertmanager must be a URL or a mapping (alertmanager: https://alertmanager.example.com:9093 or alertmanager: {url: https://…, caCert: ca.pem}), found a list",
    ]);
  });
});

describe('loadTriptychConfig', () => {
  let t: TempDir | undefined;
  afterEach(() => t?.remove());

  it('reads the file and resolves inventory paths against its folder', async () => {
    t = await tempDir();
    const file = await t.write('conf/triptych.yaml', yaml('sites:', ...site('fra', ['inventory: fra.yaml'])));
    const { config } = await loadTriptychConfig(file, { kubeconfig: kubeconfigWith(['fra']), home: HOME });
    expect(config.sites[0]?.inventory).toBe(path.join(t.dir, 'conf', 'fra.yaml'));
    expect(await readFile(file, 'utf8')).toContain('fra.yaml');
  });
});
