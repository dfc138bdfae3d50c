/**
 * Watch streams: newline-delimited JSON events over a chunked response, with
 * the apiserver's resourceVersion semantics, bookmarks, timeouts, the
 * streaming list (sendInitialEvents) and in-stream 410 errors.
 */
import type { KObject } from '../types';
import type { ChangeType, Version, WatchSink } from '../store/store';
import { boolParam, intParam, write, type Representation } from './http';
import { groupVersion } from './resources';
import type { RequestContext } from './handlers';
import { selectorOf } from './handlers';
import { ApiError, badRequest, invalid } from './status';
import { objectTable, type IncludeObject } from './tables';

/** Above this many bytes queued for one watcher, it is a slow consumer and is dropped, as the apiserver does. */
const MAX_BUFFERED = 32 * 1024 * 1024;
/** Live events queued behind a catch-up (initial list or history replay) before the watcher is dropped. */
const MAX_BACKLOG = 256 * 1024 * 1024;

/**
 * 'rejected': the WatchList feature gate is off (422, as apiservers 1.27+ answer).
 * 'ignored': the parameters are dropped, as by an apiserver that predates them or a proxy that
 * strips them: the client gets a plain watch and never the initial-events-end bookmark.
 */
export type WatchListSupport = 'supported' | 'rejected' | 'ignored';

export async function serveWatch(ctx: RequestContext, rep: { as: Representation; tableVersion: string; include: IncludeObject }): Promise<void> {
  const { site, res, query } = ctx;
  if (ctx.watchList === 'ignored') {
    query.delete('sendInitialEvents');
    query.delete('resourceVersionMatch');
  }
  if (ctx.watchList === 'rejected' && query.has('sendInitialEvents')) {
    throw invalid('ListOptions', '', [{ reason: 'FieldValueForbidden', field: 'sendInitialEvents', message: 'Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled' }], 'meta.k8s.io');
  }
  const store = site.store;
  const rvParam = query.get('resourceVersion') ?? '';
  const rvMatch = query.get('resourceVersionMatch');
  const sendInitial = query.get('sendInitialEvents');
  const bookmarks = boolParam(query, 'allowWatchBookmarks');
  const timeout = intParam(query, 'timeoutSeconds');
  const match = selectorOf(ctx);
  const namespace = ctx.rt.namespaced ? ctx.namespace : undefined;

  if (sendInitial !== null) {
    // The apiserver's validation for the streaming list (WatchList).
    if (rvMatch !== 'NotOlderThan') {
      throw invalid('ListOptions', '', [{ reason: 'FieldValueForbidden', field: 'resourceVersionMatch', message: "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan" }], 'meta.k8s.io');
    }
    if (sendInitial === 'true' && !bookmarks) {
      throw invalid('ListOptions', '', [{ reason: 'FieldValueForbidden', field: 'allowWatchBookmarks', message: 'Forbidden: allowWatchBookmarks required when sendInitialEvents is true' }], 'meta.k8s.io');
    }
  } else if (rvMatch) {
    throw invalid('ListOptions', '', [{ reason: 'FieldValueForbidden', field: 'resourceVersionMatch', message: 'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided' }], 'meta.k8s.io');
  }
  let fromRv: number | undefined;
  if (rvParam !== '' && rvParam !== '0') {
    fromRv = Number(rvParam);
    if (!Number.isInteger(fromRv) || fromRv < 0) throw badRequest(`invalid resource version: ${JSON.stringify(rvParam)}`);
  }
  const initialEvents = sendInitial === 'true' || (sendInitial === null && fromRv === undefined);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  const kind = ctx.rt.kind;
  const apiVersion = groupVersion(ctx.rt);
  let headersSent = false;
  let closed = false;
  const encode = (type: string, v: Version): string => {
    if (rep.as === 'object') return `{"type":"${type}","object":${v.json}}\n`;
    const obj = JSON.parse(v.json) as KObject;
    if (rep.as === 'metadata') {
      return `${JSON.stringify({ type, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata } })}\n`;
    }
    // Column definitions travel with the first event only, as the apiserver sends them.
    const table = objectTable(ctx.rt.plural, ctx.rt.group, obj, { includeObject: rep.include, now: site.now(), version: rep.tableVersion as 'v1', omitHeaders: headersSent });
    headersSent = true;
    return `${JSON.stringify({ type, object: table })}\n`;
  };
  // While the initial state (or a replay from history) is being written with
  // back-pressure, live events wait in a backlog; afterwards they go straight out.
  let backlog: string[] | undefined = [];
  let backlogBytes = 0;
  const send = (chunk: string): boolean => {
    if (closed) return false;
    if (backlog) {
      backlog.push(chunk);
      backlogBytes += chunk.length;
      // A client that cannot keep up even with its own catch-up is dropped, as the apiserver does.
      if (backlogBytes > MAX_BACKLOG) {
        finish();
        return false;
      }
      return true;
    }
    // A stalled watch swallows everything, bookmarks included, as a half-open connection would.
    if (site.stallWatches) return true;
    res.write(chunk);
    if (res.writableLength > MAX_BUFFERED) {
      finish();
      return false;
    }
    return true;
  };
  const bookmark = (rv: number, initialEnd = false): string => {
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    return `${JSON.stringify({ type: 'BOOKMARK', object: { kind, apiVersion, metadata } })}\n`;
  };

  let stop: (() => void) | undefined;
  // Timers live in one holder because finish() may run before they are set (a 410 at the start).
  const timers: { bookmark?: NodeJS.Timeout; timeout?: NodeJS.Timeout } = {};
  const finish = (err?: ApiError): void => {
    if (closed) return;
    if (err && err.code) res.write(`${JSON.stringify({ type: 'ERROR', object: err.toStatus() })}\n`);
    closed = true;
    stop?.();
    clearInterval(timers.bookmark);
    clearTimeout(timers.timeout);
    res.end();
  };
  res.on('close', () => finish());

  const sink: WatchSink = {
    event: (type: ChangeType, v: Version) => send(encode(type, v)),
    expire: (err) => finish(err),
  };

  let initial: Version[] = [];
  let snapshotRv = store.resourceVersion;
  try {
    if (initialEvents) {
      // Subscribe and snapshot in one synchronous step, so no change falls between them.
      snapshotRv = store.resourceVersion;
      stop = store.watch(ctx.rt, { namespace, match }, undefined, sink);
      initial = store.list(ctx.rt, { namespace, match }).items;
    } else {
      stop = store.watch(ctx.rt, { namespace, match }, fromRv, sink);
    }
  } catch (e) {
    // A resourceVersion older than the history: 410 in the stream, as the watch cache answers.
    if (e instanceof ApiError) return finish(e);
    throw e;
  }

  const BATCH = 500;
  for (let i = 0; i < initial.length && !closed; i += BATCH) {
    await write(res, initial.slice(i, i + BATCH).map((v) => encode('ADDED', v)).join(''));
  }
  if (!closed && sendInitial === 'true') await write(res, bookmark(snapshotRv, true));
  while (!closed && backlog && backlog.length > 0) {
    const chunk = backlog.splice(0, BATCH).join('');
    backlogBytes -= chunk.length;
    await write(res, chunk);
  }
  backlog = undefined;

  if (closed) return;
  if (bookmarks) timers.bookmark = setInterval(() => send(bookmark(store.resourceVersion)), site.bookmarkIntervalMs);
  // Without timeoutSeconds the apiserver picks 30–60 minutes; clients must re-watch either way.
  // timeoutSeconds=0 means "the default", as for the apiserver.
  const seconds = timeout && timeout > 0 ? Math.min(timeout, 24 * 3600) : 1800 + Math.floor(Math.random() * 1800);
  timers.timeout = setTimeout(() => {
    if (bookmarks) send(bookmark(store.resourceVersion));
    finish();
  }, seconds * 1000);
}
