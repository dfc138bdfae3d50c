/**
 * Log tails as the contract carries them: what a tail is asked for and what
 * it hands out. Plain data (JSON-shaped); the engine is core/logs.
 */

/** Kinds whose pods a tail can follow by their selector. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'Job';

/** Which pods to follow, at every chosen site. */
export type LogTarget =
  /** The pods of a workload, by the workload's own selector (looked up at each site). */
  | { kind: 'workload'; workload: WorkloadKind; namespace: string; name: string }
  /** Pods matching a label selector (`app=shop,tier in (web,api)`). */
  | { kind: 'selector'; labelSelector: string; namespaces: string[] | 'all' }
  /** Every pod on a node (optionally narrowed by a label selector). */
  | { kind: 'node'; node: string; namespaces?: string[] | 'all'; labelSelector?: string }
  /** Named pods; a pod deleted and re-created under the same name (StatefulSet) is followed again. */
  | { kind: 'pods'; pods: { namespace: string; name: string }[] };

export interface LogTailOptions {
  /** Regular expression a container's name must match (unanchored, as in stern); default: all. */
  container?: string;
  /** Regular expression of container names to leave out. */
  excludeContainer?: string;
  /** Tail init and ephemeral containers too (default true). */
  initContainers?: boolean;
  /** Show each line's timestamp (always requested from the server; this only decides the output). */
  timestamps?: boolean;
  /** For containers already running when the tail starts: lines of the last N seconds only. */
  sinceSeconds?: number;
  /** For containers already running when the tail starts: lines from this RFC 3339 time on. */
  sinceTime?: string;
  /** For containers already running when the tail starts: the last N lines only. */
  tailLines?: number;
  /** Read the previous (terminated) instance of each container instead of following. */
  previous?: boolean;
  /** Keep only lines matching one of these regular expressions. */
  include?: string[];
  /** Drop lines matching one of these regular expressions. */
  exclude?: string[];
  /** Highlight matches of these regular expressions (inverse video). */
  highlight?: string[];
  /** The patterns above ignore case. */
  ignoreCase?: boolean;
}

/** A log line as shown: sanitised text (only SGR escapes), from one container of one pod of one site. */
export interface LogLineEntry {
  kind: 'line';
  /** Position in this tail's scrollback, from 0. */
  n: number;
  site: string;
  namespace: string;
  pod: string;
  container: string;
  /** Stable palette index of (site, pod, container); see shared/terminal/colour. */
  colour: number;
  /** The kubelet's RFC 3339 timestamp, only when timestamps were asked for. */
  ts?: string;
  text: string;
}

export type MarkerType =
  /** A matching pod appeared (or was there at the start). */
  | 'pod-added'
  /** A pod went away. */
  | 'pod-removed'
  /** A container's stream ended: it terminated, or its previous instance was read. */
  | 'container-ended'
  /** A container restarted; its new instance follows. */
  | 'container-restarted'
  /** A stream broke and is being retried. */
  | 'interrupted'
  /** A broken stream resumed; `gapMs` is how long it was down. */
  | 'gap'
  /** Lines were not shown (`count`): the view fell behind or was paused past the scrollback. Not in the scrollback itself. */
  | 'dropped'
  /** The scrollback reached its bound and began dropping its oldest lines. */
  | 'scrollback'
  /** A site's pod watch lost or regained its API server. */
  | 'site'
  /** Something the operator should know, in clear words (not found, forbidden, limits). */
  | 'notice'
  | 'error';

export interface LogMarkerEntry {
  kind: 'marker';
  /** Position in the scrollback; -1 for markers about the view itself ('dropped'). */
  n: number;
  type: MarkerType;
  /** Wall-clock time of the marker (ISO 8601). */
  at: string;
  site?: string;
  namespace?: string;
  pod?: string;
  container?: string;
  /** Palette index of the stream it is about, when it is about one. */
  colour?: number;
  text: string;
  /** For 'gap': how long the stream was down. */
  gapMs?: number;
  /** For 'dropped': how many lines. */
  count?: number;
}

export type LogEntry = LogLineEntry | LogMarkerEntry;

/** Counters: every line received is delivered, filtered out, dropped (counted) or still pending. */
export interface LogTailStats {
  /** Lines read from API servers (after de-duplication of resumed streams). */
  received: number;
  /** Lines left out by include/exclude. */
  filtered: number;
  /** Lines put in the scrollback (received − filtered). */
  stored: number;
  /** Lines handed to the consumer. */
  delivered: number;
  /** Lines never handed to the consumer, each counted in a 'dropped' marker. */
  droppedForView: number;
  /** Lines stored but not yet delivered (while paused: buffered meanwhile). */
  pending: number;
  /** Lines the scrollback has dropped to stay within bounds. */
  evicted: number;
  /** Lines a resumed stream's server sent again and we skipped (not shown twice). */
  duplicatesSkipped: number;
  scrollbackLines: number;
  scrollbackBytes: number;
  paused: boolean;
  /** Streams reading, retrying after a failure, and waiting (for a container to run, or a slot). */
  streams: { following: number; retrying: number; waiting: number };
}

export interface LogBatch {
  /** Numbered from 1 per tail. */
  seq: number;
  entries: LogEntry[];
  stats: LogTailStats;
}

export interface SearchQuery {
  text: string;
  regex?: boolean;
  ignoreCase?: boolean;
  /** Only lines of this site / pod / container. */
  site?: string;
  pod?: string;
  container?: string;
}

export interface SearchHit {
  /** Entry number in the scrollback. */
  n: number;
  /** [start, end) ranges in the line's visible text. */
  ranges: [number, number][];
}

export interface SearchResult {
  /** Hits, oldest first: the newest `limit` matches. */
  hits: SearchHit[];
  /** More matches exist further back than `limit` allowed. */
  truncated: boolean;
  /** Lines searched. */
  scanned: number;
}
