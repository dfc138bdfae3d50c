/**
 * A multiplexed log tail across sites, in the manner of stern: every
 * container of every matching pod at every chosen site, followed as pods come
 * and go, each line tagged with its site, pod and container and a stable
 * colour, sanitised for the terminal, filtered, kept in a bounded
 * scrollback, and handed to the consumer in batches.
 *
 *   API servers → SiteTail (pod watch) → ContainerStream (follow, resume)
 *     → LogTail.ingest (sanitise, filter, highlight) → Scrollback → Delivery → consumer
 *
 * Every line read is accounted for in {@link LogTailStats}: delivered,
 * filtered out, still pending, or dropped for the view with a marker saying
 * how many — never lost without a word.
 */
import { ContractError } from '../../shared/contract/rpc';
import { streamColour } from '../../shared/terminal/colour';
import { sanitizeLine, visibleText } from '../../shared/terminal/sanitize';
import type { KubeHttp } from '../kube/http';
import type { StreamPhase } from './container-stream';
import { Delivery } from './delivery';
import { compileFilters, type LineFilters } from './filters';
import type { RawLine } from './line-reader';
import type { LogPod } from './pod-view';
import { Scrollback } from './scrollback';
import { searchEntries, type SearchQuery, type SearchResult } from './search';
import { SiteTail, type SiteMarker } from './site-tail';
import { DEFAULT_LIMITS, type BatchSink, type LogLineEntry, type LogMarkerEntry, type LogSite, type LogTailLimits, type LogTailOptions, type LogTailStats, type LogTarget } from './types';

export interface LogTailInit {
  sites: LogSite[];
  target: LogTarget;
  options?: LogTailOptions;
  onBatch: BatchSink;
  limits?: Partial<LogTailLimits>;
  now?: () => number;
}

/** Refuses options the API server would refuse, before any request, in the words of the form. */
function checkOptions(o: LogTailOptions): void {
  const bad = (m: string): never => {
    throw new ContractError('bad-request', m);
  };
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined) bad('give either "since seconds" or "since time", not both');
  if (o.sinceSeconds !== undefined && !(Number.isInteger(o.sinceSeconds) && o.sinceSeconds > 0)) bad('"since seconds" must be a whole number above 0');
  if (o.tailLines !== undefined && !(Number.isInteger(o.tailLines) && o.tailLines >= 0)) bad('"tail lines" must be a whole number, 0 or more');
  if (o.sinceTime !== undefined && Number.isNaN(Date.parse(o.sinceTime))) bad(`"since time" ${JSON.stringify(o.sinceTime)} is not an RFC 3339 time`);
}

export class LogTail {
  private readonly limits: LogTailLimits;
  private readonly options: LogTailOptions;
  private readonly filters: LineFilters;
  private readonly scrollback: Scrollback;
  private readonly delivery: Delivery;
  private readonly sites: SiteTail[] = [];
  private readonly owned: KubeHttp[] = [];
  private readonly now: () => number;
  private received = 0;
  private filtered = 0;
  private duplicates = 0;
  private readonly phases = { following: 0, retrying: 0, waiting: 0 };
  private scrollbackNoticed = false;
  private started = false;
  private stopped = false;

  /** @throws ContractError('bad-request') for invalid options or patterns. */
  constructor(private readonly init: LogTailInit) {
    this.limits = { ...DEFAULT_LIMITS, ...init.limits, backoff: { ...DEFAULT_LIMITS.backoff, ...init.limits?.backoff } };
    this.options = init.options ?? {};
    checkOptions(this.options);
    this.filters = compileFilters(this.options);
    this.now = init.now ?? Date.now;
    this.scrollback = new Scrollback(this.limits.scrollbackLines, this.limits.scrollbackBytes);
    this.delivery = new Delivery(this.scrollback, {
      sink: init.onBatch,
      flushMs: this.limits.flushMs,
      maxBatch: this.limits.maxBatch,
      maxInFlight: this.limits.maxInFlight,
      maxLagLines: this.limits.maxLagLines,
      stats: () => this.stats,
      now: this.now,
    });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const s of this.init.sites) {
      let http: KubeHttp;
      if (typeof s.http === 'function') {
        http = s.http();
        this.owned.push(http);
      } else {
        http = s.http;
      }
      const tail = new SiteTail({
        site: s.id,
        http,
        target: this.init.target,
        options: this.options,
        limits: this.limits,
        filters: this.filters,
        onLine: (pod, container, line) => this.ingest(s.id, pod, container, line),
        onMarker: (m) => this.mark(m),
        onPhase: (from, to) => this.phase(from, to),
        onDuplicates: (n) => (this.duplicates += n),
        now: this.now,
      });
      this.sites.push(tail);
      tail.start();
    }
  }

  /** Stops every stream and watch; a last batch carries what is still undelivered (unless paused). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.sites.map((s) => s.stop()));
    this.delivery.stop();
    for (const h of this.owned) h.close();
  }

  /** Holds delivery; lines keep coming into the scrollback and batches report how many wait. */
  pause(): void {
    this.delivery.pause();
  }

  /** Delivers what came in during the pause (as far as the scrollback still has it), then goes on live. */
  resume(): void {
    this.delivery.resume();
  }

  get paused(): boolean {
    return this.delivery.isPaused;
  }

  /** Searches the scrollback, newest matches first up to `limit` (returned oldest first). */
  search(q: SearchQuery, limit?: number): SearchResult & { oldest: number; evicted: number } {
    return { ...searchEntries(this.scrollback.backwards(), q, limit), oldest: this.scrollback.first, evicted: this.scrollback.evictedLines };
  }

  /** Entries [from, to) still in the scrollback (to re-draw a view). */
  entries(from?: number, to?: number): (LogLineEntry | LogMarkerEntry)[] {
    return [...this.scrollback.range(from, to)];
  }

  get stats(): LogTailStats {
    return {
      received: this.received,
      filtered: this.filtered,
      stored: this.scrollback.linesBefore(this.scrollback.next),
      delivered: this.delivery.delivered,
      droppedForView: this.delivery.dropped,
      pending: this.delivery.pending,
      evicted: this.scrollback.evictedLines,
      duplicatesSkipped: this.duplicates,
      scrollbackLines: this.scrollback.lines,
      scrollbackBytes: this.scrollback.bytes,
      paused: this.delivery.isPaused,
      streams: { ...this.phases },
    };
  }

  private phase(from: StreamPhase | undefined, to: StreamPhase): void {
    if (from && from !== 'ended') this.phases[from]--;
    if (to !== 'ended') this.phases[to]++;
  }

  private ingest(site: string, pod: LogPod, container: string, line: RawLine): void {
    if (this.stopped) return;
    this.received++;
    const text = sanitizeLine(line.text, { cutBytes: line.cutBytes, maxLength: this.limits.maxLineBytes });
    if (!this.filters.accepts(visibleText(text))) {
      this.filtered++;
      return;
    }
    const entry: LogLineEntry = {
      kind: 'line',
      n: 0,
      site,
      namespace: pod.namespace,
      pod: pod.name,
      container,
      colour: streamColour(site, pod.name, container),
      text: this.filters.decorate(text),
    };
    if (this.options.timestamps && line.ts) entry.ts = line.ts;
    this.append(entry);
  }

  private mark(m: SiteMarker): void {
    if (this.stopped) return;
    const entry: LogMarkerEntry = { kind: 'marker', n: 0, at: new Date(this.now()).toISOString(), ...m, text: sanitizeLine(m.text, { maxLength: 2000, closeSgr: false }) };
    if (m.pod && m.container) entry.colour = streamColour(m.site, m.pod, m.container);
    this.append(entry);
  }

  private append(e: LogLineEntry | LogMarkerEntry): void {
    const evicted = this.scrollback.append(e);
    if (evicted > 0 && !this.scrollbackNoticed) {
      this.scrollbackNoticed = true;
      // Announced, not appended: in the scrollback it would be among the first lines evicted.
      this.delivery.announce({
        kind: 'marker',
        n: 0,
        type: 'scrollback',
        at: new Date(this.now()).toISOString(),
        text: `the scrollback is full (${this.limits.scrollbackLines.toLocaleString('en-US')} lines or ${Math.round(this.limits.scrollbackBytes / 1024 / 1024)} MiB): the oldest lines are dropped from memory from now on`,
      });
    }
    this.delivery.notify();
  }
}
