/**
 * Child: the floor — the same paginated lists Triptych's reflectors make, for
 * all three sites at once, with plain HTTPS and JSON.parse and nothing else.
 */
import { parseArgs } from 'node:util';
import { fleetPages } from '../lib/lists';

const PATHS = ['/api/v1/nodes', '/api/v1/pods', '/api/v1/events', '/api/v1/namespaces', '/apis/apps/v1/deployments', '/apis/apps/v1/statefulsets', '/apis/apps/v1/daemonsets', '/apis/policy/v1/poddisruptionbudgets'];

const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const { sites, read } = await fleetPages(values.dir as string, 'viewer');
const t0 = performance.now();
let items = 0;
await Promise.all(sites.flatMap((site) => PATHS.map((p) => read(site, p, (page) => (items += page.length)))));
console.log(JSON.stringify({ ms: performance.now() - t0, items }));
process.exit(0);
