import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors';
import { parseTriptychConfig } from './triptych';
import { addressProblem } from './vault';

const FILE = '/etc/triptych/triptych.yaml';
const HOME = '/home/ops';
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;
const parse = (text: string) => parseTriptychConfig(text, FILE, { home: HOME });

function problems(text: string): string[] {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map((i) => `${i.line}:${i.column} ${i.message}`);
  }
  throw new Error('expected a ConfigError');
}

const site = (id: string, ...vault: string[]): string[] => [`  - id: ${id}`, `    name: Site ${id}`, `    context: ${id}`, ...(vault.length ? ['    vault:', ...vault.map((l) => `      ${l}`)] : [])];

describe('triptych.yaml: the vault section', () => {
  it('reads address, CA (relative to the file), namespace and the sign-in method with defaults', () => {
    const { config } = parse(
      yaml('vault:', '  address: https://vault.example.com:8200/', '  caCert: certs/vault-ca.pem', '  namespace: ops', '  auth: {method: oidc, role: triptych}', 'sites:', ...site('fra')),
    );
    expect(config.vault).toEqual({
      address: 'https://vault.example.com:8200',
      caCert: path.resolve('/etc/triptych/certs/vault-ca.pem'),
      namespace: 'ops',
      auth: { method: 'oidc', mount: 'oidc', role: 'triptych' },
    });
  });

  it('keeps a custom mount and a prefilled user name; ~/ is the home folder', () => {
    const { config } = parse(yaml('vault:', '  caCert: ~/ca.pem', '  auth: {method: ldap, mount: /corp-ldap/, username: alice}', 'sites:', ...site('fra')));
    expect(config.vault).toEqual({ caCert: path.join(HOME, 'ca.pem'), auth: { method: 'ldap', mount: 'corp-ldap', username: 'alice' } });
  });

  it('has no vault when the file has none', () => {
    expect(parse(yaml('sites:', ...site('fra'))).config).not.toHaveProperty('vault');
  });

  it('refuses plain http except on loopback, and addresses that are not URLs', () => {
    expect(addressProblem('http://127.0.0.1:8200')).toBeUndefined();
    expect(addressProblem('https://vault:8200')).toBeUndefined();
    expect(addressProblem('http://vault.example.com:8200')).toContain('unencrypted');
    expect(addressProblem('vault.example.com')).toContain('not a URL');
    expect(addressProblem('https://u:p@vault')).toContain('user name or password');
    expect(problems(yaml('vault: {address: "http://vault:8200"}', 'sites:', ...site('fra')))).toEqual([
      "1:18 vault: address 'http://vault:8200' uses plain http, which would send your Vault token unencrypted; use https:// (plain http is accepted only for 127.0.0.1)",
    ]);
  });

  it('names unknown keys and bad methods, and options that do not fit the method', () => {
    expect(problems(yaml('vault:', '  adress: https://v', '  auth: {method: github}', 'sites:', ...site('fra')))).toEqual([
      "2:3 unknown key 'adress' in vault (did you mean 'address'?); allowed: address, caCert, namespace, auth",
      '3:18 vault.auth: method must be one of token, userpass, ldap, oidc, found \'github\'',
    ]);
    expect(problems(yaml('vault:', '  auth: {method: userpass, role: x}', 'sites:', ...site('fra')))).toEqual(["2:9 vault.auth: 'role' applies to the oidc method only"]);
    expect(problems(yaml('vault:', '  auth: {mount: x}', 'sites:', ...site('fra')))).toEqual(["2:9 vault.auth has no 'method' (one of token, userpass, ldap, oidc)"]);
    expect(problems(yaml('vault: https://v', 'sites:', ...site('fra')))[0]).toContain('vault must be a mapping');
  });
});

describe('triptych.yaml: a site\'s vault credential source', () => {
  it('reads a Kubernetes secrets engine role with defaults, and a KV v2 path', () => {
    const { config } = parse(
      yaml(
        'sites:',
        ...site('fra', 'kubernetesRole: {role: operator, namespace: default}'),
        ...site('ams', 'kubernetesRole: {mount: k8s-ams/, role: viewer, namespace: ops, ttl: 1h}'),
        ...site('dub', 'kv: {path: /triptych/sites/dub}'),
        ...site('par', 'kv: {mount: kv, path: sites/par, field: kubeconfig}'),
        ...site('lon'),
      ),
    );
    expect(config.sites.map((s) => s.vault)).toEqual([
      { kubernetesRole: { mount: 'kubernetes', role: 'operator', namespace: 'default' } },
      { kubernetesRole: { mount: 'k8s-ams', role: 'viewer', namespace: 'ops', ttl: '1h' } },
      { kv: { mount: 'secret', path: 'triptych/sites/dub', field: 'token' } },
      { kv: { mount: 'kv', path: 'sites/par', field: 'kubeconfig' } },
      undefined,
    ]);
  });

  it('needs exactly one source, with its required fields', () => {
    expect(problems(yaml('sites:', ...site('fra', 'kv: {path: a}', 'kubernetesRole: {role: r, namespace: n}')))).toEqual([
      "6:7 site 'fra': vault needs exactly one credential source, kubernetesRole: {role: operator, namespace: default} or kv: {path: triptych/sites/fra}; found kv and kubernetesRole",
    ]);
    expect(problems(yaml('sites:', ...site('fra', 'kubernetesRole: {role: operator}')))).toEqual(["6:23 site 'fra': vault.kubernetesRole has no 'namespace'"]);
    expect(problems(yaml('sites:', ...site('fra', 'token: abc')))).toEqual([
      "6:7 unknown key 'token' in site 'fra''s vault; allowed: kubernetesRole, kv",
      "6:7 site 'fra': vault needs exactly one credential source, kubernetesRole: {role: operator, namespace: default} or kv: {path: triptych/sites/fra}; found none",
    ]);
  });

  it('checks the namespace, the ttl and the KV field', () => {
    expect(problems(yaml('sites:', ...site('fra', 'kubernetesRole: {role: r, namespace: Kube_System, ttl: soon}')))).toEqual([
      "6:44 site 'fra': vault.kubernetesRole: namespace 'Kube_System' is not a Kubernetes namespace name",
      "6:62 site 'fra': vault.kubernetesRole: ttl 'soon' is not a Vault duration such as \"1h\" or \"3600\"",
    ]);
    expect(problems(yaml('sites:', ...site('fra', 'kv: {path: p, field: password}')))).toEqual([
      "6:28 site 'fra': vault.kv: field must be token or kubeconfig (the key in the secret that holds it), found 'password'",
    ]);
    expect(problems(yaml('sites:', ...site('fra', 'kv: {path: p, version: 2}')))[0]).toContain("unknown key 'version' in site 'fra': vault.kv; allowed: mount, path, field");
  });
});
