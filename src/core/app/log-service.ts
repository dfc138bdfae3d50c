/**
 * The contract's `logs.*` over the log tail engine (core/logs): one LogTail
 * per stream, its batches published as stream events and held until the
 * view acknowledges them, so a slow screen slows delivery (and is told what
 * it missed) instead of letting messages pile up in a socket.
 */
import { randomBytes } from 'node:crypto';
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { LogTailOptions, LogTarget, SearchQuery, SearchResult } from '../../shared/logs';
import { visibleText } from '../../shared/terminal/sanitize';
import type { KubeHttp } from '../kube/http';
import { LogTail } from '../logs';

/** Tails one console may run at once (each holds a connection per container followed). */
export const MAX_TAILS = 8;
/** Bytes of text `export` returns at most: the newest lines are kept. */
export const MAX_EXPORT_BYTES = 32 * 1024 * 1024;

interface Running {
  tail: LogTail;
  acks: Map<number, () => void>;
}

export class LogService {
  private readonly tails = new Map<string, Running>();

  constructor(
    private readonly bus: EventBus<TriptychEvents>,
    /** A fresh client for a site's logs (the tail closes it), or undefined for an unknown site. */
    private readonly httpFor: (site: string) => (() => KubeHttp) | undefined,
  ) {}

  start(spec: { sites: string[]; target: LogTarget; options?: LogTailOptions }): { stream: string } {
    if (this.tails.size >= MAX_TAILS) throw new ContractError('unavailable', `${MAX_TAILS} log tails are running already; stop one first`);
    const sites = [...new Set(spec.sites)].map((id) => {
      const http = this.httpFor(id);
      if (!http) throw new ContractError('not-found', `no site "${id}"`);
      return { id, http };
    });
    const stream = `logs-${randomBytes(12).toString('base64url')}`;
    const acks = new Map<number, () => void>();
    const tail = new LogTail({
      sites,
      target: spec.target,
      options: spec.options,
      onBatch: (batch) =>
        new Promise<void>((resolve) => {
          acks.set(batch.seq, resolve);
          this.bus.emit('logs.batch', { ...batch, stream });
        }),
    });
    this.tails.set(stream, { tail, acks });
    tail.start();
    return { stream };
  }

  /** Harmless for a tail that has just ended: batches and the stop cross on the wire. */
  ack(stream: string, seq: number): null {
    const t = this.tails.get(stream);
    t?.acks.get(seq)?.();
    t?.acks.delete(seq);
    return null;
  }

  pause(stream: string): null {
    this.get(stream).tail.pause();
    return null;
  }

  resume(stream: string): null {
    this.get(stream).tail.resume();
    return null;
  }

  search(stream: string, q: SearchQuery): SearchResult {
    return this.get(stream).tail.search(q);
  }

  export(stream: string): string {
    const lines: string[] = [];
    let bytes = 0;
    const entries = this.get(stream).tail.entries();
    for (let i = entries.length - 1; i >= 0 && bytes < MAX_EXPORT_BYTES; i--) {
      const e = entries[i]!;
      const text = e.kind === 'line' ? `${e.site} ${e.namespace}/${e.pod} ${e.container} ${e.ts ? `${e.ts} ` : ''}${visibleText(e.text)}` : `--- ${e.at} ${visibleText(e.text)}`;
      lines.push(text);
      bytes += text.length + 1;
    }
    return `${lines.reverse().join('\n')}\n`;
  }

  async stop(stream: string): Promise<null> {
    const t = this.tails.get(stream);
    if (!t) return null;
    this.tails.delete(stream);
    for (const release of t.acks.values()) release();
    await t.tail.stop();
    return null;
  }

  async close(): Promise<void> {
    await Promise.all([...this.tails.keys()].map((id) => this.stop(id)));
  }

  private get(stream: string): Running {
    const t = this.tails.get(stream);
    if (!t) throw new ContractError('not-found', 'this log tail has ended');
    return t;
  }
}
