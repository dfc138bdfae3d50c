/**
 * The container an exec runs in: its identity (hostname, user, groups), its
 * environment, its PIDs and how it finds programs, assembled from the pod.
 */
import { Rng } from '../../rng';
import type { KObject } from '../../types';
import { BINARIES } from './binaries';
import { resolvePath } from './filesystem';
import { BUSYBOX_BINS, DEBIAN_BINS, DEFAULT_PATH, entrypointOf, imageFlavor, passwdFor } from './image';
import { buildRootfs } from './rootfs';
import type { Binary, Box, ExecTarget, PodSpec, ProcessOptions } from './types';

const KUBERNETES_SERVICE_HOST = '10.96.0.1';

/** Per-container exec counter, so each exec gets fresh (but reproducible) PIDs. */
const execCounts = new Map<string, number>();

/** A downward-API `fieldRef` value, or undefined when the pod has no such field. */
function fieldValue(pod: KObject, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata[m[1] as 'labels' | 'annotations'] ?? {})[m[2] as string];
  let cur: unknown = pod;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return typeof cur === 'string' || typeof cur === 'number' ? String(cur) : undefined;
}

/** Builds the box one exec's commands run in. */
export function buildBox(target: ExecTarget, opts: ProcessOptions): Box {
  const pod = target.pod;
  const spec = (pod.spec ?? {}) as PodSpec;
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  const c = all.find((x) => x.name === target.container) ?? { name: target.container };
  const flavor = imageFlavor(c.image ?? '');
  const now = target.now ?? Date.now;
  const status = (pod.status ?? {}) as { podIP?: string; startTime?: string; containerStatuses?: { name: string; state?: { running?: { startedAt?: string } } }[] };
  const cs = status.containerStatuses?.find((x) => x.name === c.name);
  const startedAt = Date.parse(cs?.state?.running?.startedAt ?? status.startTime ?? pod.metadata.creationTimestamp ?? '') || now();
  const hostname = spec.hostname ?? pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  const podIP = status.podIP ?? '10.244.0.2';
  const uid = c.securityContext?.runAsUser ?? spec.securityContext?.runAsUser ?? 0;
  const gid = c.securityContext?.runAsGroup ?? spec.securityContext?.runAsGroup ?? uid;
  const fsGroup = spec.securityContext?.fsGroup;
  const passwd = passwdFor(flavor);
  const account = passwd.find((p) => p[1] === uid);
  const home = account?.[3] ?? '/';
  const bins = new Set(flavor === 'distroless' ? [] : flavor === 'busybox' ? BUSYBOX_BINS : DEBIAN_BINS);

  // Environment, in the order a real container shows it: image env, the
  // pod's HOSTNAME, the container's env, service links, then HOME.
  const env: [string, string][] = [['PATH', DEFAULT_PATH], ['HOSTNAME', hostname]];
  if (opts.tty) env.push(['TERM', 'xterm']);
  const set = (k: string, v: string): void => {
    const i = env.findIndex(([n]) => n === k);
    if (i >= 0) env[i] = [k, v];
    else env.push([k, v]);
  };
  for (const e of c.env ?? []) {
    let v = e.value;
    if (v === undefined && e.valueFrom?.fieldRef?.fieldPath) v = fieldValue(pod, e.valueFrom.fieldRef.fieldPath);
    if (v === undefined) continue;
    // The kubelet expands $(VAR) references to variables defined before.
    v = v.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m: string, n: string) => env.find(([k]) => k === n)?.[1] ?? m);
    set(e.name, v);
  }
  for (const [k, v] of [
    ['KUBERNETES_SERVICE_HOST', KUBERNETES_SERVICE_HOST], ['KUBERNETES_SERVICE_PORT', '443'], ['KUBERNETES_SERVICE_PORT_HTTPS', '443'],
    ['KUBERNETES_PORT', `tcp://${KUBERNETES_SERVICE_HOST}:443`], ['KUBERNETES_PORT_443_TCP', `tcp://${KUBERNETES_SERVICE_HOST}:443`],
    ['KUBERNETES_PORT_443_TCP_PROTO', 'tcp'], ['KUBERNETES_PORT_443_TCP_PORT', '443'], ['KUBERNETES_PORT_443_TCP_ADDR', KUBERNETES_SERVICE_HOST],
  ] as const) {
    if (!env.some(([n]) => n === k)) env.push([k, v]);
  }
  if (!env.some(([n]) => n === 'HOME')) env.push(['HOME', home]);

  const entrypoint = entrypointOf(c);
  const fs = buildRootfs({ pod, podSpec: spec, container: c, flavor, bins, passwd, hostname, namespace, podIP, entrypoint, startedAt, now });

  const key = `${pod.metadata.uid ?? pod.metadata.name}/${c.name}`;
  const serial = execCounts.get(key) ?? 0;
  execCounts.set(key, serial + 1);
  if (execCounts.size > 10_000) execCounts.delete(execCounts.keys().next().value as string);
  let pid = new Rng(`${key}/pid`).int(12, 40) + serial * 7;
  const groupNames = new Map(passwd.map(([n, , g]) => [g, n] as const));

  const box: Box = {
    pod, spec: c, flavor, hostname, namespace, podIP, uid, gid,
    groups: fsGroup !== undefined && fsGroup !== gid ? [gid, fsGroup] : [gid],
    user: account?.[0], home, cwd: c.workingDir ?? '/app', env, fs, bins, now, startedAt, entrypoint,
    procs: [], nextPid: () => pid++, cols: opts.cols ?? 80, rows: opts.rows ?? 24, tty: opts.tty, fg: [],
    groupName: (g) => groupNames.get(g),
    lookup: (name, path, cwd) => {
      const check = (p: string): { path: string; bin: Binary } | { error: 'noent' | 'perm' | 'isdir' } => {
        const node = fs.get(p);
        if (!node) return { error: 'noent' };
        if (node.dir) return { error: 'isdir' };
        const base = p.slice(p.lastIndexOf('/') + 1);
        const bin = bins.has(base) ? BINARIES[base] : undefined;
        return node.exec && bin ? { path: p, bin } : { error: 'perm' };
      };
      if (name.includes('/')) return check(resolvePath(cwd, name));
      for (const dir of path.split(':')) {
        if (dir === '') continue;
        const r = check(resolvePath(cwd, `${dir}/${name}`));
        if ('bin' in r) return r;
      }
      return { error: 'notfound' };
    },
  };
  return box;
}
