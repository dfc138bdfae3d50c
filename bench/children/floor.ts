/**
 * Child: the floor — the same paginated lists Triptych's reflectors make, for
 * all three sites at once, with plain HTTPS and JSON.parse and nothing else.
 */
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const dir = values.dir as string;
const kc = parse(await readFile(path.join(dir, 'kubeconfig'), 'utf8')) as { clusters: { name: string; cluster: { server: string } }[]; users: { name: string; user: { token: string } }[] };
const ca = await readFile(path.join(dir, 'ca.crt'), 'utf8');
const agent = new https.Agent({ keepAlive: true, ca });
const PATHS = ['/api/v1/nodes', '/api/v1/pods', '/api/v1/events', '/api/v1/namespaces', '/apis/apps/v1/deployments', '/apis/apps/v1/statefulsets', '/apis/apps/v1/daemonsets', '/apis/policy/v1/poddisruptionbudgets'];

function get(url: string, token: string): Promise<{ metadata: { continue?: string }; items: unknown[] }> {
  return new Promise((resolve, reject) => {
    https.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as never));
    }).on('error', reject);
  });
}

const t0 = performance.now();
let items = 0;
await Promise.all(
  kc.clusters.map(async (c) => {
    const token = kc.users.find((u) => u.name === `${c.name}-viewer`)?.user.token as string;
    await Promise.all(
      PATHS.map(async (p) => {
        let cont: string | undefined;
        do {
          const page = await get(`${c.cluster.server}${p}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, token);
          items += page.items.length;
          cont = page.metadata.continue || undefined;
        } while (cont);
      }),
    );
  }),
);
console.log(JSON.stringify({ ms: performance.now() - t0, items }));
process.exit(0);
