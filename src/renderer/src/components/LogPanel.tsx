import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { LogBatch, LogTailOptions, LogTailStats } from '../../../shared/logs';
import { getClient } from '../api';
import { saveTextFile, stampedName } from '../download';
import { afterFrames, LogFeed } from '../logs/feed';
import { fitToElement } from '../logs/fit';
import { formatEntry } from '../logs/format';
import type { LogRequest } from '../store/initialState';
import { useActions, useApp } from '../store/store';

const FONT_SIZE = 12;
/** Lines xterm keeps; the core's scrollback holds more (search and export use it). */
const TERMINAL_SCROLLBACK = 20_000;
/** Entries written to the terminal at a time (some tens of kilobytes): short tasks, so input is not kept waiting. */
const FEED_GROUP = 100;
/**
 * While lines flood in, the terminal takes them in for this many milliseconds, then waits
 * FEED_FRAMES painted frames. The rest of the time is the page's: a flood costs lines (the core
 * skips what the view cannot take, and says how many) rather than keystrokes. Every other frame,
 * not every frame: each stretch of writing makes xterm redraw its rows, and on a busy machine the
 * redraws (layout, raster) cost as much as the lines.
 */
const FEED_BUDGET_MS = 8;
const FEED_FRAMES = 2;

function splitPatterns(s: string): string[] | undefined {
  const list = s
    .split(/\s*,\s*/)
    .map((x) => x.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
}

/**
 * The log dock: one tail across the chosen sites in an xterm.js terminal.
 * Lines arrive in batches, are written to the terminal a group at a time
 * (logs/feed) and then acknowledged, so a slow screen slows the tail instead
 * of queueing without bound (what it skips is announced in the stream and
 * counted). Changing timestamps or filters restarts the tail with the new
 * options.
 */
export function LogPanel() {
  const req = useApp((s) => s.ui.logs);
  const { closeLogs } = useActions();
  if (!req) return null;
  return <LogTailView key={req.token} req={req} onClose={closeLogs} />;
}

function LogTailView({ req, onClose }: { req: LogRequest; onClose: () => void }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [options, setOptions] = useState<LogTailOptions>({ tailLines: 100 });
  const [draft, setDraft] = useState({ include: '', exclude: '', highlight: '' });
  const [stream, setStream] = useState<string>();
  const [stats, setStats] = useState<LogTailStats>();
  const [error, setError] = useState<string>();
  const [paused, setPaused] = useState(false);
  const [wrap, setWrap] = useState(true);
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<string>();
  /** The last batch wholly in the terminal, lines written so far and lines still waiting for it (the stats line's data attributes). */
  const [shown, setShown] = useState({ batch: 0, written: 0, queued: 0 });
  const wrapRef = useRef(wrap);
  wrapRef.current = wrap;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({ convertEol: false, scrollback: TERMINAL_SCROLLBACK, disableStdin: true, fontSize: FONT_SIZE, allowProposedApi: false, theme: { background: '#111418' } });
    term.open(host);
    const unfit = fitToElement(term, host, FONT_SIZE);
    const feed = new LogFeed(term, {
      groupSize: FEED_GROUP,
      budgetMs: FEED_BUDGET_MS,
      format: (e) => formatEntry(e, { cutAt: wrapRef.current ? undefined : term.cols }),
      afterFrame: (fn) => afterFrames(FEED_FRAMES, fn),
      now: () => performance.now(),
    });
    let id: string | undefined;
    let stopped = false;
    let off: (() => void) | undefined;
    setError(undefined);
    setStream(undefined);
    setStats(undefined);
    setFound(undefined);
    setPaused(false);
    setShown({ batch: 0, written: 0, queued: 0 });
    void (async () => {
      try {
        const c = await getClient();
        // Subscribe before starting: the first batch may come before the answer.
        const early: (LogBatch & { stream: string })[] = [];
        const show = (b: LogBatch & { stream: string }): void => {
          setStats(b.stats);
          feed.push(b.entries, () => {
            setShown({ batch: b.seq, written: feed.written, queued: feed.queued });
            void c.api.logs.ack(b.stream, b.seq).catch(() => undefined);
          });
        };
        off = c.on('logs.batch', (b) => {
          if (id === undefined) early.push(b);
          else if (b.stream === id) show(b);
        });
        const r = await c.api.logs.start({ sites: req.sites, target: req.target, options });
        if (stopped) return void c.api.logs.stop(r.stream).catch(() => undefined);
        id = r.stream;
        setStream(r.stream);
        for (const b of early.splice(0)) if (b.stream === id) show(b);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      stopped = true;
      feed.close();
      unfit();
      off?.();
      if (id) void getClient().then((c) => c.api.logs.stop(id as string).catch(() => undefined));
      term.dispose();
    };
  }, [req, options]);

  const apply = (): void => setOptions((o) => ({ ...o, include: splitPatterns(draft.include), exclude: splitPatterns(draft.exclude), highlight: splitPatterns(draft.highlight) }));
  const togglePause = async (): Promise<void> => {
    if (!stream) return;
    const c = await getClient();
    if (paused) await c.api.logs.resume(stream);
    else await c.api.logs.pause(stream);
    setPaused(!paused);
  };
  const doSearch = async (): Promise<void> => {
    if (!stream || !search) return setFound(undefined);
    try {
      const r = await (await getClient()).api.logs.search(stream, { text: search, ignoreCase: true });
      setFound(`${r.hits.length}${r.truncated ? '+' : ''} matching line${r.hits.length === 1 ? '' : 's'} in ${r.scanned}`);
    } catch (e) {
      setFound(e instanceof Error ? e.message : String(e));
    }
  };
  const doExport = async (): Promise<void> => {
    if (!stream) return;
    const text = await (await getClient()).api.logs.export(stream);
    saveTextFile(stampedName('triptych-logs', 'log'), [text], 'text/plain');
  };

  const s = stats;
  return (
    <section className="log-dock" data-testid="log-dock" aria-label={`Logs: ${req.title}`} data-stream={stream ? 'running' : 'starting'}>
      <div className="log-dock__bar">
        <strong className="log-dock__title">Logs · {req.title}</strong>
        <span className="muted">{req.sites.join(', ')}</span>
        <label>
          <input type="checkbox" checked={options.timestamps ?? false} onChange={(e) => setOptions((o) => ({ ...o, timestamps: e.target.checked }))} /> timestamps
        </label>
        <label>
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> wrap
        </label>
        <input aria-label="Include (regex, comma-separated)" placeholder="include regex" value={draft.include} onChange={(e) => setDraft({ ...draft, include: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && apply()} data-testid="log-include" />
        <input aria-label="Exclude (regex, comma-separated)" placeholder="exclude regex" value={draft.exclude} onChange={(e) => setDraft({ ...draft, exclude: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && apply()} />
        <input aria-label="Highlight (regex, comma-separated)" placeholder="highlight" value={draft.highlight} onChange={(e) => setDraft({ ...draft, highlight: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && apply()} />
        <button type="button" onClick={apply}>
          Apply
        </button>
        <button type="button" onClick={() => void togglePause()} disabled={!stream} data-testid="log-pause">
          {paused ? `Resume${s?.pending ? ` (${s.pending} waiting)` : ''}` : 'Pause'}
        </button>
        <input aria-label="Search the scrollback" placeholder="search" value={search} onChange={(e) => setSearch(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void doSearch()} data-testid="log-search" />
        {found && (
          <span className="muted" data-testid="log-search-result">
            {found}
          </span>
        )}
        <button type="button" onClick={() => void doExport()} disabled={!stream}>
          Export
        </button>
        <button type="button" className="icon-button" aria-label="Close logs" onClick={onClose}>
          ✕
        </button>
      </div>
      {error && (
        <p className="text-bad log-dock__error" role="alert">
          {error}
        </p>
      )}
      <div className="log-dock__term" ref={hostRef} />
      <div className="log-dock__stats muted" data-testid="log-stats" data-delivered={s?.delivered ?? 0} data-filtered={s?.filtered ?? 0} data-pending={s?.pending ?? 0} data-paused={String(s?.paused ?? false)} data-dropped={s?.droppedForView ?? 0} data-batch={shown.batch} data-written={shown.written} data-queued={shown.queued}>
        {s
          ? `${s.delivered} shown · ${s.filtered} filtered out · ${s.droppedForView} dropped for the view · ${s.pending} waiting · ${s.streams.following} following, ${s.streams.retrying} retrying · scrollback ${s.scrollbackLines} lines${s.evicted ? ` (${s.evicted} oldest dropped)` : ''}`
          : 'starting…'}
      </div>
    </section>
  );
}
