/**
 * Paginated lists straight from a fleet's API servers: plain HTTPS and
 * JSON.parse, nothing else. The floor times exactly this; the correctness
 * check uses it to read the emulator's state.
 */
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

export interface ListItem {
  metadata: { name: string; namespace?: string };
}

/** Each page's items, for `p` at `site`, with the fleet's `role` token; resolves after the last page. */
export type PageReader = (site: string, p: string, onItems: (items: ListItem[]) => void) => Promise<void>;

export async function fleetPages(dir: string, role: 'viewer' | 'admin'): Promise<{ sites: string[]; read: PageReader }> {
  const kc = parse(await readFile(path.join(dir, 'kubeconfig'), 'utf8')) as { clusters: { name: string; cluster: { server: string } }[]; users: { name: string; user: { token: string } }[] };
  const ca = await readFile(path.join(dir, 'ca.crt'), 'utf8');
  const agent = new https.Agent({ keepAlive: true, ca });
  const get = (url: string, token: string): Promise<{ metadata: { continue?: string }; items: ListItem[] }> =>
    new Promise((resolve, reject) => {
      https
        .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as never));
        })
        .on('error', reject);
    });
  const read: PageReader = async (site, p, onItems) => {
    const server = kc.clusters.find((c) => c.name === site)?.cluster.server as string;
    const token = kc.users.find((u) => u.name === `${site}-${role}`)?.user.token as string;
    let cont: string | undefined;
    do {
      const page = await get(`${server}${p}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, token);
      onItems(page.items);
      cont = page.metadata.continue || undefined;
    } while (cont);
  };
  return { sites: kc.clusters.map((c) => c.name), read };
}
