/**
 * What an image ships: its userland flavour, programs, accounts and usual
 * entrypoint, plus the facts of the node kernel every container shares.
 */
import type { ContainerSpec, ImageFlavor } from './types';

/** Which userland an image ships, judged from its name. */
export function imageFlavor(image: string): ImageFlavor {
  const name = image.toLowerCase().replace(/@.*$/, '');
  if (/distroless|(^|\/)pause:|scratch|coredns|kube-state-metrics|metallb|kube-controllers|fluent-bit|kube-apiserver|kube-controller-manager|kube-scheduler|(^|\/)etcd:|metrics-server/.test(name)) return 'distroless';
  if (/alpine|busybox|musl/.test(name)) return 'busybox';
  if (/debian|ubuntu|bookworm|bullseye|jammy|noble|slim|temurin|openjdk|eclipse|python|(^|\/)node:|golang|ruby|php|postgres|mysql|mariadb|redis|(^|\/)nginx:|httpd|elasticsearch|kibana|kafka|rabbitmq|mongo|kube-proxy|calico\/node/.test(name)) return 'debian';
  return 'busybox';
}

/** The PATH an image sets when the pod does not override it. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The node's kernel release, as `uname -r` and /proc/version report it. */
export const KERNEL_RELEASE = '6.8.0-49-generic';
/** The node's kernel build string, as `uname -v` and /proc/version report it. */
export const KERNEL_VERSION = '#49-Ubuntu SMP PREEMPT_DYNAMIC Mon Nov  4 02:06:24 UTC 2024';

/** The programs a busybox (alpine-style) image has. */
export const BUSYBOX_BINS = ['sh', 'ash', 'cat', 'clear', 'date', 'echo', 'env', 'false', 'grep', 'head', 'hostname', 'id', 'ls', 'printenv', 'ps', 'pwd', 'sleep', 'tail', 'true', 'uname', 'wc', 'which', 'whoami'];
/** The programs a Debian-style image has: the same tools, with dash and bash instead of ash. */
export const DEBIAN_BINS = [...BUSYBOX_BINS.filter((b) => b !== 'ash'), 'bash', 'dash'];

/** One /etc/passwd account. */
export type PasswdEntry = [name: string, uid: number, gid: number, home: string, shell: string];

/** The accounts each flavour's /etc/passwd lists. */
export function passwdFor(flavor: ImageFlavor): PasswdEntry[] {
  if (flavor === 'busybox') {
    return [['root', 0, 0, '/root', '/bin/sh'], ['bin', 1, 1, '/bin', '/sbin/nologin'], ['daemon', 2, 2, '/sbin', '/sbin/nologin'],
      ['www-data', 82, 82, '/var/www', '/sbin/nologin'], ['nobody', 65534, 65534, '/', '/sbin/nologin']];
  }
  if (flavor === 'distroless') {
    return [['root', 0, 0, '/root', '/sbin/nologin'], ['nobody', 65534, 65534, '/nonexistent', '/sbin/nologin'], ['nonroot', 65532, 65532, '/home/nonroot', '/sbin/nologin']];
  }
  return [['root', 0, 0, '/root', '/bin/bash'], ['daemon', 1, 1, '/usr/sbin', '/usr/sbin/nologin'], ['bin', 2, 2, '/bin', '/usr/sbin/nologin'],
    ['www-data', 33, 33, '/var/www', '/usr/sbin/nologin'], ['nobody', 65534, 65534, '/nonexistent', '/usr/sbin/nologin']];
}

/** PID 1's command line: the container's command/args, or the image's usual entrypoint. */
export function entrypointOf(c: ContainerSpec): string[] {
  if (c.command && c.command.length > 0) return [...c.command, ...(c.args ?? [])];
  const image = (c.image ?? c.name).toLowerCase();
  const base = image.replace(/[@:].*$/, '').split('/').pop() ?? c.name;
  const defaults: [RegExp, string[]][] = [
    [/nginx/, ['nginx:', 'master', 'process', 'nginx', '-g', 'daemon off;']],
    [/redis/, ['redis-server', '*:6379']],
    [/postgres/, ['postgres']],
    [/java|jdk|jre|temurin|spring/, ['java', '-jar', '/app/app.jar']],
    [/(^|\/)node:/, ['node', 'server.js']],
    [/python/, ['python', 'app.py']],
  ];
  const known = defaults.find(([re]) => re.test(image));
  if (known) return [...known[1], ...(c.args ?? [])];
  return [`/usr/local/bin/${base}`, ...(c.args ?? [])];
}
