/**
 * Waiting for the fleet to reach a state through the API, the way a client
 * would: list, then watch from the list's resourceVersion, re-checking the
 * condition on every change. No polling interval to tune, no sleeps.
 */
import type { KubeHttp } from '../../kube/http';

interface Item {
  metadata: { name: string; namespace?: string };
}

/**
 * Resolves with the collection's items once `done(items)` holds (checked on
 * the list, then after every watch event); rejects after `timeoutMs`.
 */
export async function waitForItems<T extends Item>(http: KubeHttp, path: string, done: (items: T[]) => boolean, o: { labelSelector?: string; timeoutMs?: number; what?: string } = {}): Promise<T[]> {
  const query = o.labelSelector ? { labelSelector: o.labelSelector } : {};
  const list = await http.getJson<{ metadata: { resourceVersion: string }; items: T[] }>(path, query);
  const items = new Map(list.items.map((i) => [`${i.metadata.namespace ?? ''}/${i.metadata.name}`, i]));
  if (done([...items.values()])) return [...items.values()];
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`timed out waiting for ${o.what ?? path}`)), o.timeoutMs ?? 30_000);
  let result: T[] | undefined;
  try {
    await http.watch(
      path,
      { ...query, resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true },
      {
        onLine: (line) => {
          const ev = JSON.parse(line) as { type: string; object: T };
          if (ev.type === 'BOOKMARK' || ev.type === 'ERROR') return;
          const key = `${ev.object.metadata.namespace ?? ''}/${ev.object.metadata.name}`;
          if (ev.type === 'DELETED') items.delete(key);
          else items.set(key, ev.object);
          if (result === undefined && done([...items.values()])) {
            result = [...items.values()];
            abort.abort();
          }
        },
      },
      abort.signal,
    );
  } catch (err) {
    if (result === undefined) throw abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason : err;
  } finally {
    clearTimeout(timer);
  }
  if (result === undefined) throw new Error(`the watch of ${o.what ?? path} ended before the condition held`);
  return result;
}
