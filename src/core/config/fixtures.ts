/**
 * Test fixtures: throwaway folders standing in for HOME and /etc, and
 * kubeconfig text, so tests never touch the real home folder or kubeconfig.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/** A temporary folder; `write` creates files (and their folders) inside it. */
export interface TempDir {
  dir: string;
  write(rel: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

/** Creates a fresh folder under the OS temp folder; call `remove` when done. */
export async function tempDir(): Promise<TempDir> {
  const dir = await mkdtemp(path.join(tmpdir(), 'triptych-config-'));
  return {
    dir,
    async write(rel, content) {
      const file = path.join(dir, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface KubeconfigSpec {
  clusters?: { name: string; server: string; ca?: string }[];
  users?: { name: string; token?: string; tokenFile?: string }[];
  contexts?: { name: string; cluster: string; user: string }[];
  current?: string;
}

/** kubeconfig YAML as kubectl writes it. */
export function kubeconfigText(spec: KubeconfigSpec): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: (spec.clusters ?? []).map((c) => ({ name: c.name, cluster: { server: c.server, ...(c.ca ? { 'certificate-authority': c.ca } : {}) } })),
    users: (spec.users ?? []).map((u) => ({ name: u.name, user: { ...(u.token ? { token: u.token } : {}), ...(u.tokenFile ? { 'token-file': u.tokenFile } : {}) } })),
    contexts: (spec.contexts ?? []).map((c) => ({ name: c.name, context: { cluster: c.cluster, user: c.user } })),
    ...(spec.current === undefined ? {} : { 'current-context': spec.current }),
  });
}

/** A kubeconfig with one context per site id, each on its own cluster `https://<id>.example:6443`. */
export function sitesKubeconfig(ids: readonly string[], current?: string): string {
  return kubeconfigText({
    clusters: ids.map((id) => ({ name: id, server: `https://${id}.example:6443` })),
    users: ids.map((id) => ({ name: `${id}-admin`, token: `token-${id}` })),
    contexts: ids.map((id) => ({ name: id, cluster: id, user: `${id}-admin` })),
    current: current ?? ids[0],
  });
}
