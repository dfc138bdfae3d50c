/**
 * One site's object store: what etcd plus the apiserver's watch cache are to
 * a real cluster. Objects are kept as serialized JSON (compact, and lists and
 * watches write them out without re-encoding) next to the few fields that
 * selectors need. A bounded history of changes serves watches from an older
 * resourceVersion and consistent paginated lists; what has fallen out of it
 * is answered with 410 Expired, as a compacted etcd would.
 */
import { ApiError, alreadyExists, conflict, expired, notFound } from '../api/status';
import { type ResourceType, fieldsOf, typeKey } from '../api/resources';
import { jsonEqual } from './patch';
import type { Json } from '../types';
import type { KObject } from '../types';

/** One stored version of one object. Immutable once created. */
export interface Version {
  readonly key: string;
  readonly ns: string;
  readonly name: string;
  readonly rv: number;
  readonly json: string;
  readonly labels: Readonly<Record<string, string>> | undefined;
  readonly fields: Readonly<Record<string, string>>;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change as committed: `cur` is the new version (for DELETED, the last one, with the delete's rv). */
export interface Change {
  readonly rv: number;
  readonly type: ChangeType;
  readonly tkey: string;
  readonly cur: Version;
  readonly prev: Version | undefined;
}

export interface WatchFilter {
  namespace?: string;
  match?: (v: Version) => boolean;
}

/** Receives a watch's events; returning false asks the store to drop the watcher (slow consumer). */
export interface WatchSink {
  event(type: ChangeType, v: Version): boolean;
  /** The history the watcher relied on was compacted: the stream must end with 410. */
  expire(err: ApiError): void;
}

interface Watcher {
  readonly tkey: string;
  readonly filter: WatchFilter;
  readonly sink: WatchSink;
}

export interface ListPage {
  items: Version[];
  rv: number;
  continue?: string;
  remainingItemCount?: number;
}

export interface ListOptions {
  namespace?: string;
  match?: (v: Version) => boolean;
  limit?: number;
  continueToken?: string;
  /** Serve the list as of this resourceVersion (Exact semantics). */
  atRv?: number;
}

export interface StoreOptions {
  /** How many changes the history keeps (the watch window). */
  historySize?: number;
  now?: () => number;
  uid?: () => string;
}

export class Store {
  private rvCounter = 1000;
  private readonly types = new Map<string, Map<string, Version>>();
  private readonly sorted = new Map<string, string[]>();
  private history: Change[] = [];
  private historyStart = 0;
  /** Changes with rv < this are no longer in history. */
  private oldestRv = this.rvCounter + 1;
  private readonly watchers = new Set<Watcher>();
  private readonly listeners = new Set<(c: Change) => void>();
  private readonly historySize: number;
  private readonly now: () => number;
  private readonly uid: () => string;

  constructor(opts: StoreOptions = {}) {
    this.historySize = opts.historySize ?? 50_000;
    this.now = opts.now ?? Date.now;
    this.uid = opts.uid ?? (() => crypto.randomUUID());
  }

  get resourceVersion(): number {
    return this.rvCounter;
  }

  private bucket(rt: ResourceType): Map<string, Version> {
    const k = typeKey(rt);
    let b = this.types.get(k);
    if (!b) {
      b = new Map();
      this.types.set(k, b);
    }
    return b;
  }

  static keyOf(ns: string | undefined, name: string): string {
    return ns ? `${ns}/${name}` : name;
  }

  private makeVersion(rt: ResourceType, obj: KObject, rv: number): Version {
    obj.metadata.resourceVersion = String(rv);
    const ns = obj.metadata.namespace ?? '';
    return {
      key: Store.keyOf(ns, obj.metadata.name),
      ns,
      name: obj.metadata.name,
      rv,
      json: JSON.stringify(obj),
      labels: obj.metadata.labels,
      fields: fieldsOf(rt, obj),
    };
  }

  /**
   * Bulk load at start-up: no history, no watchers, no listeners. The fleet is
   * "already there" when the first client connects.
   */
  load(rt: ResourceType, objects: KObject[]): void {
    const b = this.bucket(rt);
    for (const o of objects) {
      this.fillMeta(o);
      const v = this.makeVersion(rt, o, ++this.rvCounter);
      b.set(v.key, v);
    }
    this.sorted.delete(typeKey(rt));
    this.oldestRv = this.rvCounter + 1;
  }

  private fillMeta(o: KObject): void {
    o.metadata.uid ??= this.uid();
    o.metadata.creationTimestamp ??= new Date(Math.floor(this.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  get(rt: ResourceType, ns: string | undefined, name: string): Version | undefined {
    return this.types.get(typeKey(rt))?.get(Store.keyOf(ns, name));
  }

  /** A parsed copy, safe to modify. */
  getObject(rt: ResourceType, ns: string | undefined, name: string): KObject | undefined {
    const v = this.get(rt, ns, name);
    return v ? (JSON.parse(v.json) as KObject) : undefined;
  }

  /** Every current version of a type, unordered. */
  all(rt: ResourceType): IterableIterator<Version> {
    return this.bucket(rt).values();
  }

  count(rt: ResourceType): number {
    return this.bucket(rt).size;
  }

  create(rt: ResourceType, obj: KObject): KObject {
    const b = this.bucket(rt);
    const key = Store.keyOf(obj.metadata.namespace, obj.metadata.name);
    if (b.has(key)) throw alreadyExists(rt.plural, obj.metadata.name, rt.group);
    this.fillMeta(obj);
    if (rt.hasGeneration) obj.metadata.generation ??= 1;
    const v = this.makeVersion(rt, obj, ++this.rvCounter);
    b.set(key, v);
    this.insertKey(rt, key);
    this.commit({ rv: v.rv, type: 'ADDED', tkey: typeKey(rt), cur: v, prev: undefined });
    return obj;
  }

  /**
   * Replaces an object. With `expectRv` set, a different stored version is a
   * 409 Conflict (optimistic concurrency, as with etcd's compare-and-swap).
   */
  update(rt: ResourceType, obj: KObject, expectRv?: string): KObject {
    const b = this.bucket(rt);
    const key = Store.keyOf(obj.metadata.namespace, obj.metadata.name);
    const prev = b.get(key);
    if (!prev) throw notFound(rt.plural, obj.metadata.name, rt.group);
    if (expectRv && expectRv !== String(prev.rv)) throw conflict(rt.plural, obj.metadata.name, rt.group);
    const old = JSON.parse(prev.json) as KObject;
    // Identity fields are the server's, whatever the client sent.
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (rt.hasGeneration) {
      const specChanged = !jsonEqual(obj.spec as Json, old.spec as Json);
      obj.metadata.generation = (old.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    }
    // An update that changes nothing (key order aside) is not a change: no new resourceVersion, no event.
    obj.metadata.resourceVersion = String(prev.rv);
    if (jsonEqual(obj as unknown as Json, old as unknown as Json)) return old;
    const v = this.makeVersion(rt, obj, ++this.rvCounter);
    b.set(key, v);
    this.commit({ rv: v.rv, type: 'MODIFIED', tkey: typeKey(rt), cur: v, prev });
    return obj;
  }

  /** Read-modify-write for the emulator's own controllers. `fn` returning false skips the write. */
  mutate(rt: ResourceType, ns: string | undefined, name: string, fn: (o: KObject) => void | boolean): KObject | undefined {
    const o = this.getObject(rt, ns, name);
    if (!o) return undefined;
    if (fn(o) === false) return o;
    return this.update(rt, o);
  }

  delete(rt: ResourceType, ns: string | undefined, name: string): KObject {
    const b = this.bucket(rt);
    const key = Store.keyOf(ns, name);
    const prev = b.get(key);
    if (!prev) throw notFound(rt.plural, name, rt.group);
    b.delete(key);
    this.removeKey(rt, key);
    const obj = JSON.parse(prev.json) as KObject;
    const rv = ++this.rvCounter;
    // The DELETED event carries the object's final state at the delete's resourceVersion.
    const v = this.makeVersion(rt, obj, rv);
    this.commit({ rv, type: 'DELETED', tkey: typeKey(rt), cur: v, prev });
    return obj;
  }

  /** Internal subscribers (the simulated controllers). Called synchronously after each commit. */
  onChange(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private commit(c: Change): void {
    this.history.push(c);
    if (this.history.length - this.historyStart > this.historySize) {
      this.historyStart++;
      this.oldestRv = (this.history[this.historyStart] as Change).rv;
      // Compact the array now and then rather than shifting on every commit.
      if (this.historyStart > this.historySize) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const w of this.watchers) {
      if (w.tkey === c.tkey) this.deliver(w, c);
    }
    for (const l of this.listeners) {
      // A listener's failure (a simulated controller tripping over odd client data)
      // must not fail the write that was already committed.
      try {
        l(c);
      } catch (e) {
        console.error(`store listener failed on ${c.type} ${c.tkey} ${c.cur.key}: ${(e as Error).stack ?? String(e)}`);
      }
    }
  }

  private deliver(w: Watcher, c: Change): void {
    const { filter } = w;
    const visible = (v: Version | undefined): boolean =>
      v !== undefined && (!filter.namespace || v.ns === filter.namespace) && (!filter.match || filter.match(v));
    const now = c.type !== 'DELETED' && visible(c.cur);
    const before = c.type !== 'ADDED' && visible(c.prev);
    let ok = true;
    // An object that moves into or out of a selector is ADDED or DELETED for that watcher.
    if (c.type === 'DELETED') {
      if (before) ok = w.sink.event('DELETED', c.cur);
    } else if (now && before) ok = w.sink.event('MODIFIED', c.cur);
    else if (now) ok = w.sink.event('ADDED', c.cur);
    else if (before) ok = w.sink.event('DELETED', c.cur);
    if (!ok) this.watchers.delete(w);
  }

  /**
   * Starts a watch. `fromRv` undefined: no replay (the caller sends initial
   * state itself). Otherwise every change after `fromRv` is replayed first;
   * a `fromRv` older than the history throws 410 Expired.
   */
  watch(rt: ResourceType, filter: WatchFilter, fromRv: number | undefined, sink: WatchSink): () => void {
    const tkey = typeKey(rt);
    if (fromRv !== undefined && fromRv < this.oldestRv - 1) throw this.tooOld(fromRv);
    // Registered first, so a sink that gives up during the replay unregisters it for good.
    const w: Watcher = { tkey, filter, sink };
    this.watchers.add(w);
    if (fromRv !== undefined) {
      for (let i = this.historyStart; i < this.history.length && this.watchers.has(w); i++) {
        const c = this.history[i] as Change;
        if (c.rv > fromRv && c.tkey === tkey) this.deliver(w, c);
      }
    }
    return () => this.watchers.delete(w);
  }

  private tooOld(rv: number): ApiError {
    return expired(`too old resource version: ${rv} (${this.oldestRv - 1})`);
  }

  /**
   * Drops the whole history and ends every watch with 410, as after an etcd
   * compaction or an apiserver restart (the "watch-expiry storm" fault).
   */
  compact(): number {
    this.history = [];
    this.historyStart = 0;
    this.oldestRv = this.rvCounter + 1;
    const err = this.tooOld(this.rvCounter - 1);
    const n = this.watchers.size;
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.sink.expire(err);
    }
    return n;
  }

  /** Ends every watch cleanly (the stream closes without an error), as a restarting apiserver does. */
  closeWatches(): void {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.sink.expire(new ApiError(0, '', ''));
    }
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Keeps the sorted key list current on create (binary insert) instead of re-sorting 150,000 keys. */
  private insertKey(rt: ResourceType, key: string): void {
    const keys = this.sorted.get(typeKey(rt));
    if (keys) keys.splice(lowerBound(keys, key), 0, key);
  }

  private removeKey(rt: ResourceType, key: string): void {
    const keys = this.sorted.get(typeKey(rt));
    if (!keys) return;
    const i = lowerBound(keys, key);
    if (keys[i] === key) keys.splice(i, 1);
  }

  private sortedKeys(rt: ResourceType): string[] {
    const k = typeKey(rt);
    let keys = this.sorted.get(k);
    if (!keys) {
      keys = [...this.bucket(rt).keys()].sort();
      this.sorted.set(k, keys);
    }
    return keys;
  }

  /**
   * Lists in key order, one page at a time. All pages of one list are served
   * as of the first page's resourceVersion, reconstructed from the history;
   * when that is gone the continue token is 410 Expired.
   */
  list(rt: ResourceType, opts: ListOptions = {}): ListPage {
    let snapshotRv = opts.atRv ?? this.rvCounter;
    let startAfter: string | undefined;
    if (opts.continueToken) {
      const t = decodeContinue(opts.continueToken);
      snapshotRv = t.rv;
      startAfter = t.start;
    }
    if (snapshotRv < this.oldestRv - 1) {
      throw opts.continueToken
        ? expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.')
        : this.tooOld(snapshotRv);
    }
    if (snapshotRv > this.rvCounter) {
      throw new ApiError(504, 'Timeout', `Too large resource version: ${snapshotRv}, current: ${this.rvCounter}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    }
    const b = this.bucket(rt);
    // The state at snapshotRv: current, with every later change undone.
    const overrides = new Map<string, Version | undefined>();
    const tkey = typeKey(rt);
    for (let i = this.history.length - 1; i >= this.historyStart; i--) {
      const c = this.history[i] as Change;
      if (c.rv <= snapshotRv) break;
      if (c.tkey === tkey) overrides.set(c.cur.key, c.prev);
    }
    let keys = this.sortedKeys(rt);
    // Only creates and deletes since the snapshot change the key set; updates do not.
    const b0 = b;
    const reshaped = [...overrides].some(([k, v]) => (v !== undefined) !== b0.has(k));
    if (reshaped) {
      const set = new Set(keys);
      for (const [k, v] of overrides) {
        if (v) set.add(k);
        else set.delete(k);
      }
      keys = [...set].sort();
    }
    let i = startAfter === undefined ? 0 : upperBound(keys, startAfter);
    if (opts.namespace) {
      // Keys are `ns/name`, so one namespace is one contiguous run.
      const prefix = `${opts.namespace}/`;
      if (i === 0 || (keys[i] !== undefined && !(keys[i] as string).startsWith(prefix))) {
        i = Math.max(i, lowerBound(keys, prefix));
      }
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const items: Version[] = [];
    let lastKey: string | undefined;
    for (; i < keys.length && items.length < limit; i++) {
      const key = keys[i] as string;
      if (opts.namespace && !key.startsWith(`${opts.namespace}/`)) break;
      const v = overrides.has(key) ? overrides.get(key) : b.get(key);
      if (!v) continue;
      lastKey = key;
      if (opts.match && !opts.match(v)) continue;
      items.push(v);
    }
    const page: ListPage = { items, rv: snapshotRv };
    const more = i < keys.length && (!opts.namespace || (keys[i] as string).startsWith(`${opts.namespace}/`));
    if (more && lastKey !== undefined) {
      page.continue = encodeContinue(snapshotRv, lastKey);
      // Like the apiserver, count what remains only when no selector filters it.
      if (!opts.match) {
        let rest = 0;
        for (let j = i; j < keys.length; j++) {
          if (opts.namespace && !(keys[j] as string).startsWith(`${opts.namespace}/`)) break;
          rest++;
        }
        page.remainingItemCount = rest;
      }
    }
    return page;
  }
}

function lowerBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(keys: string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Continue tokens are opaque to clients; this one is base64 JSON, as the apiserver's is. */
export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

export function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('shape');
    return { rv: t.rv, start: t.start };
  } catch {
    throw new ApiError(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}
