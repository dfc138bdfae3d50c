import { describe, expect, it } from 'vitest';
import {
  PLATFORM_NAMESPACES,
  REGISTRY,
  TEAM_NAMESPACES,
  catalogIndex,
  catalogNamespaces,
  logStyleOf,
  serviceCatalog,
  type LogStyle,
} from './catalog';

describe('catalog', () => {
  const catalog = serviceCatalog();

  it('has ~100 services over ≥12 team namespaces plus the platform', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(95);
    expect(catalog.length).toBeLessThanOrEqual(110);
    expect(TEAM_NAMESPACES.length).toBeGreaterThanOrEqual(12);
    for (const ns of TEAM_NAMESPACES) expect(catalog.filter((s) => s.namespace === ns).length).toBeGreaterThanOrEqual(5);
    for (const ns of PLATFORM_NAMESPACES) expect(catalog.some((s) => s.namespace === ns)).toBe(true);
  });

  it('contains the platform components the fleet is built on', () => {
    const idx = catalogIndex();
    const expectKind = (key: string, kind: string): void => expect(idx.get(key)?.kind, key).toBe(kind);
    expectKind('kube-system/coredns', 'Deployment');
    expectKind('kube-system/kube-proxy', 'DaemonSet');
    expectKind('kube-system/calico-node', 'DaemonSet');
    expectKind('kube-system/kube-apiserver', 'StaticPod');
    expectKind('metallb-system/metallb-speaker', 'DaemonSet');
    expectKind('metallb-system/metallb-controller', 'Deployment');
    expectKind('monitoring/prometheus', 'StatefulSet');
    expectKind('monitoring/alertmanager', 'StatefulSet');
    expectKind('monitoring/node-exporter', 'DaemonSet');
    expectKind('monitoring/kube-state-metrics', 'Deployment');
    expectKind('logging/fluent-bit', 'DaemonSet');
    expectKind('logging/elasticsearch-master', 'StatefulSet');
    expectKind('vault/vault-agent-injector', 'Deployment');
    expectKind('auth/dex', 'Deployment');
    expectKind('ingress-nginx/ingress-nginx-controller', 'Deployment');
    expect(idx.get('kube-system/coredns')?.service?.clusterIP).toBe('10.96.0.10');
  });

  it('has unique names per namespace and well-formed team images', () => {
    expect(catalogIndex().size).toBe(catalog.length);
    for (const s of catalog.filter((x) => x.team)) {
      const image = s.containers[0]!.image;
      if (s.kind === 'Deployment') expect(image).toBe(`${REGISTRY}/${s.team}/${s.name}:${s.version}`);
      expect(image).toMatch(/^registry\.[a-z.]+\/[a-z-]+\/[a-z-]+:\d+\.\d+(\.\d+)?(-[a-z]+)?$/);
      expect(s.selector['app.kubernetes.io/name']).toBe(s.name);
      expect(s.labels['triptych.io/team']).toBe(s.team);
    }
  });

  it('uses every log style and a mix of kinds, PDBs and Services', () => {
    const styles = new Set<LogStyle>(catalog.map((s) => s.logStyle));
    expect([...styles].sort()).toEqual(['access', 'ansi', 'java', 'json', 'plain']);
    const team = catalog.filter((s) => s.team);
    expect(team.filter((s) => s.kind === 'StatefulSet').length).toBeGreaterThan(3);
    expect(team.filter((s) => s.pdb?.minAvailable !== undefined).length).toBeGreaterThan(5);
    expect(team.filter((s) => s.pdb?.maxUnavailable !== undefined).length).toBeGreaterThan(5);
    expect(team.filter((s) => !s.pdb).length).toBeGreaterThan(5);
    expect(team.filter((s) => !s.service).length).toBeGreaterThan(3);
  });

  it('gives every workload requests the scheduler can count (except BestEffort platform pods)', () => {
    for (const s of catalog.filter((x) => x.team)) {
      for (const c of s.containers) expect(c.resources.requests?.memory, `${s.name}/${c.name}`).toBeDefined();
    }
  });

  it('lists namespaces system first', () => {
    const ns = catalogNamespaces();
    expect(ns.slice(0, 4)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(new Set(ns).size).toBe(ns.length);
    for (const s of catalog) expect(ns).toContain(s.namespace);
  });

  it('finds a pod log style by its labels', () => {
    expect(logStyleOf('payments', { 'app.kubernetes.io/name': 'payment-gateway', 'app.kubernetes.io/instance': 'payment-gateway', 'pod-template-hash': 'x' })).toBe('java');
    expect(logStyleOf('kube-system', { 'k8s-app': 'kube-dns' })).toBe('plain');
    expect(logStyleOf('ingress-nginx', { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' })).toBe('access');
    expect(logStyleOf('payments', { app: 'something-else' })).toBeUndefined();
  });

  it('is the same object every call (built once)', () => {
    expect(serviceCatalog()).toBe(catalog);
  });
});
