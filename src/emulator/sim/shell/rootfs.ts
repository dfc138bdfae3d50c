/**
 * The container's root filesystem, per image flavour: the programs the
 * image ships, /etc as the kubelet and the image leave it, a little of
 * /proc, the app's config, and the service account volume.
 */
import { Rng } from '../../rng';
import type { KObject } from '../../types';
import { FakeFs } from './filesystem';
import { KERNEL_RELEASE, KERNEL_VERSION, type PasswdEntry } from './image';
import { fakeCert, fakeToken } from './service-account';
import type { ContainerSpec, ImageFlavor, PodSpec } from './types';

const CLUSTER_DNS = '10.96.0.10';

/** Everything a container's root filesystem is built from. */
export interface RootfsSpec {
  pod: KObject;
  podSpec: PodSpec;
  container: ContainerSpec;
  flavor: ImageFlavor;
  /** The programs the image ships, installed where the flavour keeps them. */
  bins: ReadonlySet<string>;
  passwd: PasswdEntry[];
  hostname: string;
  namespace: string;
  podIP: string;
  /** PID 1's command line, for /proc/1/cmdline. */
  entrypoint: string[];
  startedAt: number;
  now: () => number;
}

/** Builds the filesystem a container sees, writable where the pod allows. */
export function buildRootfs(r: RootfsSpec): FakeFs {
  const { pod, podSpec: spec, container: c, flavor, bins, passwd, hostname, namespace, podIP, entrypoint, startedAt, now } = r;
  const imageBuilt = startedAt - 41 * 86_400_000;
  const readOnlyRoot = c.securityContext?.readOnlyRootFilesystem === true;
  const saDir = '/var/run/secrets/kubernetes.io/serviceaccount';

  const fs = new FakeFs((p) => {
    if (p.startsWith('/proc/') || p.startsWith('/sys/') || p.startsWith(`${saDir}/`)) return false;
    return !readOnlyRoot || p.startsWith('/tmp/');
  });
  for (const d of ['/app', '/dev/pts', '/dev/shm', '/etc', '/home', '/lib', '/proc', '/root', '/sbin', '/sys', '/tmp', '/usr/bin', '/usr/local/bin', '/usr/sbin', '/var/log', '/var/run']) fs.dir(d, imageBuilt);
  // Busybox installs its applets in /bin; Debian (merged /usr) has them in both.
  for (const b of bins) {
    fs.file(`/bin/${b}`, '\x7fELF\x02\x01\x01\x00', imageBuilt, true);
    if (flavor === 'debian') fs.file(`/usr/bin/${b}`, '\x7fELF\x02\x01\x01\x00', imageBuilt, true);
  }
  if (bins.size === 0) fs.dir('/bin', imageBuilt);
  for (const d of ['null', 'tty', 'zero', 'random', 'urandom']) fs.file(`/dev/${d}`, '', startedAt);
  fs.file('/etc/hostname', `${hostname}\n`, startedAt);
  fs.file('/etc/hosts', `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${podIP}\t${hostname}\n`, startedAt);
  fs.file('/etc/resolv.conf', `search ${namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${CLUSTER_DNS}\noptions ndots:5\n`, startedAt);
  fs.file('/etc/os-release', flavor === 'busybox'
    ? 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.21.2\nPRETTY_NAME="Alpine Linux v3.21"\nHOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n'
    : 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\nBUG_REPORT_URL="https://bugs.debian.org/"\n', imageBuilt);
  if (flavor === 'busybox') fs.file('/etc/alpine-release', '3.21.2\n', imageBuilt);
  else fs.file('/etc/debian_version', '12.8\n', imageBuilt);
  fs.file('/etc/passwd', passwd.map(([n, u, g, h, s]) => `${n}:x:${u}:${g}:${n}:${h}:${s}\n`).join(''), imageBuilt);
  fs.file('/etc/group', passwd.map(([n, , g]) => `${n}:x:${g}:\n`).join(''), imageBuilt);
  fs.file('/app/config.yaml', appConfig(c, namespace), imageBuilt);
  fs.file('/proc/1/cmdline', `${entrypoint.join('\0')}\0`, startedAt);
  fs.file('/proc/version', `Linux version ${KERNEL_RELEASE} (buildd@lcy02-amd64-103) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) ${KERNEL_VERSION}\n`, startedAt);
  // The node booted a few days before the container started.
  fs.file('/proc/uptime', () => `${((now() - startedAt) / 1000 + 273_601.37).toFixed(2)} ${((now() - startedAt) / 250 + 1_070_000).toFixed(2)}\n`, startedAt);
  fs.file('/proc/loadavg', '0.42 0.37 0.31 3/412 87\n', startedAt);
  if (spec.automountServiceAccountToken !== false) {
    const sa = spec.serviceAccountName ?? 'default';
    fs.file(`${saDir}/ca.crt`, fakeCert(new Rng(`${namespace}:ca`)), startedAt);
    fs.file(`${saDir}/namespace`, namespace, startedAt);
    fs.file(`${saDir}/token`, fakeToken(pod, sa, startedAt), startedAt);
  }
  return fs;
}

function appConfig(c: ContainerSpec, namespace: string): string {
  return [
    `# ${c.name} configuration; values from the environment take precedence.`,
    'server:',
    '  port: 8080',
    '  metricsPort: 9090',
    '  readTimeout: 15s',
    '  shutdownGracePeriod: 20s',
    'logging:',
    '  level: info',
    '  format: json',
    'service:',
    `  name: ${c.name}`,
    `  namespace: ${namespace}`,
    '',
  ].join('\n');
}
