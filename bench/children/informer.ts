/**
 * Child: baseline (c) — @kubernetes/client-node's stock informer
 * (`makeInformer`) for the same eight collections of all three sites, each
 * with the viewer context. Reports the time until every informer has listed
 * and started watching, and the process's memory then. The informer keeps
 * whole objects and lists without pagination; that is what it does.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppsV1Api, CoreV1Api, KubeConfig, makeInformer, PolicyV1Api } from '@kubernetes/client-node';
import type { FleetFiles } from '../lib/control';

const { values } = parseArgs({ options: { dir: { type: 'string' } } });
const dir = values.dir as string;
const info = JSON.parse(await readFile(path.join(dir, 'fleet.json'), 'utf8')) as FleetFiles;
const t0 = performance.now();
// A failure is a result here (the informer is a baseline): reported as { error }.
const informers = await Promise.all(
  info.sites.map(async (s) => {
    const kc = new KubeConfig();
    kc.loadFromFile(path.join(dir, 'kubeconfig'));
    kc.setCurrentContext(s.contexts.viewer);
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const policy = kc.makeApiClient(PolicyV1Api);
    const sources: [string, () => Promise<never>][] = [
      ['/api/v1/nodes', () => core.listNode() as never],
      ['/api/v1/pods', () => core.listPodForAllNamespaces() as never],
      ['/api/v1/events', () => core.listEventForAllNamespaces() as never],
      ['/api/v1/namespaces', () => core.listNamespace() as never],
      ['/apis/apps/v1/deployments', () => apps.listDeploymentForAllNamespaces() as never],
      ['/apis/apps/v1/statefulsets', () => apps.listStatefulSetForAllNamespaces() as never],
      ['/apis/apps/v1/daemonsets', () => apps.listDaemonSetForAllNamespaces() as never],
      ['/apis/policy/v1/poddisruptionbudgets', () => policy.listPodDisruptionBudgetForAllNamespaces() as never],
    ];
    return Promise.all(
      sources.map(async ([p, list]) => {
        const inf = makeInformer(kc, p, list);
        // start() resolves once the list is in the cache and the watch is open — or once a
        // failed list has been reported to the 'error' handlers, so those decide the outcome.
        let failed: unknown;
        inf.on('error', (e) => (failed ??= e));
        await inf.start();
        if (failed) throw new Error(`the informer for ${s.name} ${p} failed: ${String((failed as Error).message ?? failed).slice(0, 200)}`);
        return inf;
      }),
    );
  }),
).catch((e: unknown) => {
  console.log(JSON.stringify({ error: (e as Error).message }));
  process.exit(0);
});
const ms = performance.now() - t0;
global.gc?.();
const mem = process.memoryUsage();
const pods = informers.reduce((n, site) => n + (site[1]?.list().length ?? 0), 0);
if (pods === 0) {
  console.log(JSON.stringify({ error: 'the informers hold no pods' }));
  process.exit(0);
}
console.log(JSON.stringify({ ms, rss: mem.rss, heapUsed: mem.heapUsed, pods }));
await Promise.all(informers.flat().map((i) => i.stop()));
process.exit(0);
