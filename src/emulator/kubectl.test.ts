/**
 * kubectl 1.32 as an independent client: if the real kubectl cannot tell the
 * training fleet from a cluster, neither can Triptych's own client code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestFleet, tap, waitForOutput, type TestFleet } from './testing/fleet-fixture';

let t: TestFleet;
let site: string;
/** Setting up workloads is an admin's job; day-to-day operations run as operator (the default context). */
let admin: { context: string };

beforeAll(async () => {
  t = await startTestFleet({ sites: 2 });
  site = t.fleet.sites[0]?.site.name as string;
  admin = { context: `${site}-admin` };
});
afterAll(async () => t?.close());

const lines = (s: string): string[] => s.trim().split('\n').filter(Boolean);

async function jsonpath(args: string[], path: string): Promise<string> {
  const r = await t.kubectl([...args, '-o', `jsonpath=${path}`]);
  expect(r.stderr).toBe('');
  return r.stdout;
}

describe('kubectl against the training fleet', () => {
  it('get --raw /version reports a 1.32 server', async () => {
    const r = await t.kubectl(['get', '--raw', '/version']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.4' });
  });

  it('get nodes -o wide prints the server columns for every node', async () => {
    const r = await t.kubectl(['get', 'nodes', '-o', 'wide']);
    expect(r.code).toBe(0);
    const [header, ...rows] = lines(r.stdout);
    expect(header?.split(/\s{2,}/)).toEqual(['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    expect(rows).toHaveLength(t.fleet.site(site).site.idx.nodes.size);
    expect(rows.some((r) => /\bcontrol-plane\b/.test(r))).toBe(true);
    expect(rows.every((r) => /\bReady\b/.test(r) && /v1\.32\./.test(r) && /containerd:\/\//.test(r))).toBe(true);
  });

  it('get pods -A lists every pod with namespace, readiness and status', async () => {
    const r = await t.kubectl(['get', 'pods', '-A']);
    expect(r.code).toBe(0);
    const [header, ...rows] = lines(r.stdout);
    expect(header?.split(/\s{2,}/)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(rows).toHaveLength(t.fleet.site(site).site.idx.pods.size);
    expect(rows.filter((r) => /\s\d+\/\d+\s+Running\s/.test(r)).length).toBeGreaterThan(rows.length * 0.9);
  });

  it('paginates a large list with --chunk-size and gets the same result', async () => {
    const all = await t.kubectl(['get', 'pods', '-A', '--no-headers', '-o', 'name']);
    const chunked = await t.kubectl(['get', 'pods', '-A', '--no-headers', '-o', 'name', '--chunk-size=250']);
    expect(chunked.code).toBe(0);
    expect(lines(chunked.stdout)).toEqual(lines(all.stdout));
  });

  it('get -w sees a change made by another client', async () => {
    const ns = 'default';
    expect((await t.kubectl(['create', 'configmap', 'watched', '-n', ns, '--from-literal=a=1'], admin)).code).toBe(0);
    const w = t.kubectlSpawn(['get', 'configmaps', '-n', ns, '-w', '--output-watch-events']);
    const out = tap(w.stdout);
    try {
      await out.waitFor((s) => /ADDED\s+watched\s/.test(s));
      const patch = await t.kubectl(['patch', 'configmap', 'watched', '-n', ns, '--type=merge', '-p', '{"data":{"b":"2"}}']);
      expect(patch.code).toBe(0);
      await out.waitFor((s) => /MODIFIED\s+watched\s+2\s/.test(s));
    } finally {
      w.kill();
    }
  });

  it('cordon and uncordon a node', async () => {
    const node = (await jsonpath(['get', 'nodes', '-l', '!node-role.kubernetes.io/control-plane'], '{.items[0].metadata.name}')).trim();
    expect((await t.kubectl(['cordon', node])).stdout).toContain(`node/${node} cordoned`);
    expect(await jsonpath(['get', 'node', node], '{.spec.unschedulable}')).toBe('true');
    expect((await t.kubectl(['get', 'node', node])).stdout).toContain('Ready,SchedulingDisabled');
    expect((await t.kubectl(['uncordon', node])).stdout).toContain(`node/${node} uncordoned`);
    expect(await jsonpath(['get', 'node', node], '{.spec.unschedulable}')).toBe('');
  });

  it('label and annotate', async () => {
    const node = (await jsonpath(['get', 'nodes'], '{.items[1].metadata.name}')).trim();
    expect((await t.kubectl(['label', 'node', node, 'triptych.io/maintenance=planned'])).code).toBe(0);
    expect((await t.kubectl(['annotate', 'node', node, 'triptych.io/note=psu swap'])).code).toBe(0);
    expect((await t.kubectl(['get', 'nodes', '-l', 'triptych.io/maintenance=planned', '-o', 'name'])).stdout.trim()).toBe(`node/${node}`);
    expect(await jsonpath(['get', 'node', node], "{.metadata.annotations.triptych\\.io/note}")).toBe('psu swap');
    expect((await t.kubectl(['label', 'node', node, 'triptych.io/maintenance-'])).code).toBe(0);
    expect((await t.kubectl(['get', 'nodes', '-l', 'triptych.io/maintenance', '-o', 'name'])).stdout.trim()).toBe('');
  });

  it('create, scale and rollout restart a deployment; rollout status follows it', async () => {
    expect((await t.kubectl(['create', 'namespace', 'kt-scale'], admin)).code).toBe(0);
    expect((await t.kubectl(['create', 'deployment', 'web', '-n', 'kt-scale', '--image=registry.example/web:1.0.0', '--replicas=2'], admin)).code).toBe(0);
    const status = await t.kubectl(['rollout', 'status', 'deployment/web', '-n', 'kt-scale', '--timeout=60s']);
    expect(status.stdout).toContain('successfully rolled out');
    expect((await t.kubectl(['scale', 'deployment/web', '-n', 'kt-scale', '--replicas=4'])).stdout).toContain('deployment.apps/web scaled');
    await t.kubectl(['rollout', 'status', 'deployment/web', '-n', 'kt-scale', '--timeout=60s']);
    expect(await jsonpath(['get', 'deployment', 'web', '-n', 'kt-scale'], '{.status.readyReplicas}')).toBe('4');
    const before = new Set(lines((await t.kubectl(['get', 'pods', '-n', 'kt-scale', '-o', 'name'])).stdout));
    expect((await t.kubectl(['rollout', 'restart', 'deployment/web', '-n', 'kt-scale'])).stdout).toContain('restarted');
    expect((await t.kubectl(['rollout', 'status', 'deployment/web', '-n', 'kt-scale', '--timeout=60s'])).stdout).toContain('successfully rolled out');
    const after = await eventually(async () => {
      const now = lines((await t.kubectl(['get', 'pods', '-n', 'kt-scale', '--field-selector=status.phase=Running', '-o', 'name'])).stdout);
      return now.length === 4 && now.every((p) => !before.has(p)) ? now : undefined;
    }, 'all four pods replaced');
    expect(after).toHaveLength(4);
    expect(lines((await t.kubectl(['get', 'rs', '-n', 'kt-scale', '-o', 'name'])).stdout)).toHaveLength(2);
  });

  it('apply -f creates, re-apply configures, diff shows a pending change, server-side apply says it is unsupported', async () => {
    const manifest = (replicas: number): string => JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'applied', namespace: 'default' },
      spec: { replicas, selector: { matchLabels: { app: 'applied' } }, template: { metadata: { labels: { app: 'applied' } }, spec: { containers: [{ name: 'web', image: 'registry.example/applied:1.0.0' }] } } },
    });
    expect((await t.kubectl(['apply', '-f', '-'], { ...admin, input: manifest(2) })).stdout).toContain('deployment.apps/applied created');
    expect((await t.kubectl(['apply', '-f', '-'], { ...admin, input: manifest(3) })).stdout).toContain('deployment.apps/applied configured');
    expect(await jsonpath(['get', 'deployment', 'applied'], '{.spec.replicas}')).toBe('3');
    const diff = await t.kubectl(['diff', '-f', '-'], { ...admin, input: manifest(5) });
    expect(diff.stdout).toMatch(/-\s+replicas: 3\n\+\s+replicas: 5/);
    expect(await jsonpath(['get', 'deployment', 'applied'], '{.spec.replicas}')).toBe('3');
    const ssa = await t.kubectl(['apply', '--server-side', '-f', '-'], { ...admin, input: manifest(4) });
    expect(ssa.code).not.toBe(0);
    expect(ssa.stderr).toContain('use client-side apply');
  });

  it('delete pod: the ReplicaSet creates a replacement', async () => {
    await t.kubectl(['create', 'namespace', 'kt-del'], admin);
    await t.kubectl(['create', 'deployment', 'api', '-n', 'kt-del', '--image=registry.example/api:2.1.0', '--replicas=3'], admin);
    await t.kubectl(['rollout', 'status', 'deployment/api', '-n', 'kt-del', '--timeout=60s']);
    const [victim] = lines((await t.kubectl(['get', 'pods', '-n', 'kt-del', '-o', 'name'])).stdout);
    expect((await t.kubectl(['delete', victim as string, '-n', 'kt-del'])).stdout).toContain('deleted');
    await eventually(async () => {
      const pods = lines((await t.kubectl(['get', 'pods', '-n', 'kt-del', '--field-selector=status.phase=Running', '-o', 'name'])).stdout);
      return pods.length === 3 && !pods.includes(victim as string);
    }, 'a replacement pod');
  });

  it('logs --tail and logs -f', async () => {
    const pod = (await jsonpath(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'], '{.items[0].metadata.name}')).trim() ||
      (await jsonpath(['get', 'pods', '-n', 'kube-system', '--field-selector=status.phase=Running'], '{.items[0].metadata.name}')).trim();
    const tail = await t.kubectl(['logs', '-n', 'kube-system', pod, '--tail=5', '--timestamps']);
    expect(tail.code).toBe(0);
    const got = lines(tail.stdout);
    expect(got).toHaveLength(5);
    for (const l of got) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);
    const f = t.kubectlSpawn(['logs', '-f', '-n', 'kube-system', pod, '--tail=2']);
    try {
      // Two lines of history, then at least one line written after the stream opened.
      await waitForOutput(f.stdout, (s) => lines(s).length >= 3, 30_000);
    } finally {
      f.kill();
    }
  });

  it('exec -- hostname runs in the pod; a failing command returns its exit code', async () => {
    const pod = (await jsonpath(['get', 'pods', '-n', 'checkout', '-l', 'app.kubernetes.io/name=checkout-api', '--field-selector=status.phase=Running'], '{.items[0].metadata.name}')).trim();
    const r = await t.kubectl(['exec', '-n', 'checkout', pod, '--', 'hostname']);
    expect(r.stdout.trim()).toBe(pod);
    expect(r.code).toBe(0);
    const bad = await t.kubectl(['exec', '-n', 'checkout', pod, '--', 'sh', '-c', 'exit 3']);
    expect(bad.code).toBe(3);
    const piped = await t.kubectl(['exec', '-i', '-n', 'checkout', pod, '--', 'cat'], { input: 'hello from stdin\n' });
    expect(piped.stdout).toBe('hello from stdin\n');
  });

  it('auth can-i answers per role', async () => {
    const can = async (ctx: string, ...args: string[]): Promise<string> => (await t.kubectl(['auth', 'can-i', ...args], { context: ctx })).stdout.trim();
    expect(await can(`${site}-viewer`, 'list', 'pods')).toBe('yes');
    expect(await can(`${site}-viewer`, 'delete', 'pods')).toBe('no');
    expect(await can(`${site}-viewer`, 'get', 'secrets')).toBe('no');
    expect(await can(site, 'create', 'pods', '--subresource=eviction')).toBe('yes');
    expect(await can(site, 'create', 'pods')).toBe('no');
    expect(await can(`${site}-viewer`, 'create', 'pods', '--subresource=exec')).toBe('no');
    expect(await can(site, 'patch', 'nodes')).toBe('yes');
    expect(await can(site, 'delete', 'namespaces')).toBe('no');
    expect(await can(`${site}-admin`, '*', '*')).toBe('yes');
  });

  it('a viewer cannot mutate, and a bad token is 401', async () => {
    const r = await t.kubectl(['cordon', 'no-such-node-needed'], { context: `${site}-viewer` });
    expect(r.code).not.toBe(0);
    const del = await t.kubectl(['delete', 'configmap', 'watched', '-n', 'default'], { context: `${site}-viewer` });
    expect(del.stderr).toMatch(/Forbidden|forbidden/);
    const res = await t.request(site, 'GET', '/api/v1/nodes', { token: 'not-a-token' });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
  });

  it('drain --ignore-daemonsets is blocked by a PodDisruptionBudget until it allows', async () => {
    await t.kubectl(['create', 'namespace', 'kt-drain'], admin);
    await t.kubectl(['create', 'deployment', 'db', '-n', 'kt-drain', '--image=registry.example/db:1.0.0', '--replicas=2'], admin);
    await t.kubectl(['rollout', 'status', 'deployment/db', '-n', 'kt-drain', '--timeout=60s']);
    expect((await t.kubectl(['create', 'pdb', 'db', '-n', 'kt-drain', '--selector=app=db', '--min-available=2'], admin)).code).toBe(0);
    await eventually(async () => (await jsonpath(['get', 'pdb', 'db', '-n', 'kt-drain'], '{.status.expectedPods}')) === '2', 'PDB status');
    const node = (await jsonpath(['get', 'pods', '-n', 'kt-drain'], '{.items[0].spec.nodeName}')).trim();
    const drain = t.kubectlSpawn(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=120s']);
    const stderr = tap(drain.stderr);
    const exited = new Promise<number>((resolve) => drain.on('exit', (code) => resolve(code ?? -1)));
    try {
      await stderr.waitFor((s) => s.includes("Cannot evict pod as it would violate the pod's disruption budget"), 60_000);
      expect((await t.kubectl(['patch', 'pdb', 'db', '-n', 'kt-drain', '--type=merge', '-p', '{"spec":{"minAvailable":1}}'], admin)).code).toBe(0);
      const code = await exited;
      expect(code, stderr.text()).toBe(0);
    } finally {
      drain.kill();
    }
    const left = await t.kubectl(['get', 'pods', '-A', `--field-selector=spec.nodeName=${node}`, '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}{"\\n"}{end}']);
    expect(lines(left.stdout).every((k) => k === 'DaemonSet')).toBe(true);
    expect(await jsonpath(['get', 'node', node], '{.spec.unschedulable}')).toBe('true');
    await t.kubectl(['uncordon', node]);
  }, 180_000);
});
