/**
 * A site's snapshot served in pages. At 150,000 pods a whole snapshot is
 * ~60 MB of JSON: one message that size stalls the core while it is
 * stringified, overruns a WebSocket's send buffer, and blocks the renderer
 * while it is parsed. So the first call freezes the snapshot (arrays of
 * references to the immutable views: cheap) and hands out pages of it, each
 * with a token for the next; every page carries the frozen `seq`, so the
 * renderer's ordering rules are unchanged.
 */
import { randomBytes } from 'node:crypto';
import { ContractError } from '../../shared/contract/rpc';
import type { ResourceKind, SiteSnapshot } from '../../shared/contract/triptych';

/** Items per page: a few MB of JSON. */
export const PAGE_ITEMS = 20_000;
/** A frozen snapshot nobody asked for within this long is dropped. */
export const SNAPSHOT_TTL_MS = 60_000;
/** Frozen snapshots kept per site at most (clients that never finish cannot pile them up). */
export const MAX_OPEN = 8;

const KINDS: readonly ResourceKind[] = ['nodes', 'namespaces', 'workloads', 'pdbs', 'events', 'pods'];

interface Frozen {
  snap: SiteSnapshot;
  total: number;
  timer: NodeJS.Timeout;
}

export class SnapshotPages {
  private readonly open = new Map<string, Frozen>();

  constructor(
    private readonly pageItems = PAGE_ITEMS,
    private readonly ttlMs = SNAPSHOT_TTL_MS,
  ) {}

  /** The first page of a fresh snapshot, or the page a token names. */
  page(freeze: () => SiteSnapshot, token?: string): SiteSnapshot {
    if (token === undefined) {
      const snap = freeze();
      const total = KINDS.reduce((n, k) => n + snap.items[k].length, 0);
      if (total <= this.pageItems) return snap;
      const id = randomBytes(9).toString('base64url');
      this.open.set(id, { snap, total, timer: this.expireLater(id) });
      while (this.open.size > MAX_OPEN) this.drop(this.open.keys().next().value as string);
      return this.slice(id, 0);
    }
    const m = /^([\w-]{12}):(\d{1,9})$/.exec(token);
    const frozen = m ? this.open.get(m[1] as string) : undefined;
    if (!m || !frozen) throw new ContractError('not-found', 'this snapshot has expired (or the token is not one of ours): ask for a new snapshot');
    clearTimeout(frozen.timer);
    frozen.timer = this.expireLater(m[1] as string);
    // Least recently read goes first when too many are open: a reader making progress keeps its snapshot.
    this.open.delete(m[1] as string);
    this.open.set(m[1] as string, frozen);
    return this.slice(m[1] as string, Number(m[2]));
  }

  close(): void {
    for (const id of [...this.open.keys()]) this.drop(id);
  }

  /** Items [from, from + pageItems) of the frozen snapshot, kinds in a fixed order. */
  private slice(id: string, from: number): SiteSnapshot {
    const { snap, total } = this.open.get(id) as Frozen;
    const items = { nodes: [], pods: [], events: [], namespaces: [], workloads: [], pdbs: [] } as unknown as SiteSnapshot['items'];
    let skip = from;
    let room = this.pageItems;
    for (const kind of KINDS) {
      const all = snap.items[kind] as unknown[];
      if (skip >= all.length) {
        skip -= all.length;
        continue;
      }
      const part = all.slice(skip, skip + room);
      (items[kind] as unknown[]) = part;
      room -= part.length;
      skip = 0;
      if (room === 0) break;
    }
    const end = from + this.pageItems;
    if (end >= total) {
      this.drop(id);
      return { site: snap.site, seq: snap.seq, items };
    }
    return { site: snap.site, seq: snap.seq, items, continue: `${id}:${end}` };
  }

  private expireLater(id: string): NodeJS.Timeout {
    const t = setTimeout(() => this.drop(id), this.ttlMs);
    t.unref();
    return t;
  }

  private drop(id: string): void {
    const f = this.open.get(id);
    if (!f) return;
    clearTimeout(f.timer);
    this.open.delete(id);
  }
}
