/** Joining a paged snapshot (see `sites.snapshot` in ./triptych). */
import type { ResourceKind, SiteSnapshot } from './triptych';

/** Pages followed at most: a host that keeps answering `continue` must not keep a client looping. */
export const MAX_PAGES = 10_000;

/** Fetches every page of one snapshot and returns it whole, without a `continue`. */
export async function readSnapshot(page: (token?: string) => Promise<SiteSnapshot>): Promise<SiteSnapshot> {
  const first = await page();
  const items = { ...first.items };
  let token = first.continue;
  for (let n = 1; token !== undefined; n++) {
    if (n > MAX_PAGES) throw new Error(`the snapshot of ${first.site} did not end after ${MAX_PAGES} pages`);
    const next = await page(token);
    if (next.site !== first.site || next.seq !== first.seq) throw new Error(`snapshot pages of ${first.site} disagree (seq ${first.seq} then ${next.seq}); ask for a new snapshot`);
    for (const kind of Object.keys(next.items) as ResourceKind[]) {
      const more = next.items[kind] as unknown[];
      if (more.length > 0) (items[kind] as unknown[]) = ((items[kind] as unknown[] | undefined) ?? []).concat(more);
    }
    token = next.continue;
  }
  return { site: first.site, seq: first.seq, items };
}
