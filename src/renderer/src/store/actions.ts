/**
 * Everything that changes the store: loading the sites (subscribe first,
 * buffer, snapshot, replay), applying deltas once per animation frame,
 * recomputing the derived views at a bounded rate, the stale-age clock and
 * the UI's navigation.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { TriptychClient } from '../api';
import type { SiteDeltas, SiteSnapshot, SiteStatus } from '../../../shared/contract/triptych';
import { podCountsByNode, rackMap, siteHealth } from '../../../shared/derive';
import { readSnapshot } from '../../../shared/contract/snapshot';
import type { AppState, DetailTarget, LogRequest, Mirror, ShellRequest, ThemePref } from './initialState';
import type { StoreDeps } from './deps';
import { applyQueued, mirrorFromSnapshot } from './mirror';
import { isSiteId, resolvedTheme } from './selectors';

export interface Actions {
  /** Connects, subscribes to the events, then loads every site. Calling it again after a failed start retries. */
  start(): Promise<void>;
  /** Unsubscribes and stops every timer (tests, hot reload). */
  stop(): void;
  openDetail(target: DetailTarget): void;
  closeDetail(): void;
  setPaletteOpen(open: boolean): void;
  togglePalette(): void;
  /** Scrolls to and outlines a rack for a few seconds. */
  highlightRack(site: string, rack: string): void;
  clearHighlight(): void;
  /** Opens the log dock on a tail of `target` at `sites`. */
  openLogs(req: Omit<LogRequest, 'token'>): void;
  closeLogs(): void;
  /** Opens the terminal dock on a shell in a container (operator consoles only). */
  openShell(req: Omit<ShellRequest, 'token'>): void;
  closeShell(): void;
  setThemePref(pref: ThemePref): void;
  /** Switches to the other theme than the one shown, overriding the system preference. */
  toggleTheme(): void;
  setSystemDark(dark: boolean): void;
}

export type AppStore = AppState & { actions: Actions };

/** The mark benchmarks wait for after each applied batch; its detail is `{ [site]: seq applied }`. */
export const DELTA_MARK = 'triptych:delta-applied';
/**
 * The mark after a site's derived views (health, rack map: what the
 * overview draws) were recomputed; its detail is `{ [site]: seq included }`.
 */
export const DERIVED_MARK = 'triptych:derived';
/**
 * Site health and the rack map are linear passes over every pod (10–15 ms
 * at 150,000 pods); recomputing them per frame for three sites would eat the
 * frame budget. This interval bounds what a change waits before it shows
 * (the benchmark's event → screen p99 at 1,000 events/s per site).
 */
export const DERIVE_INTERVAL_MS = 120;
/**
 * On a slower machine the interval stretches so a site's derivation stays
 * under about an eighth of the main thread.
 */
export const DERIVE_COST_FACTOR = 8;
/** Time-dependent figures (warnings in the last hour, pods pending too long) age without deltas. */
export const TIME_REDERIVE_TICKS = 30;
/** How long a palette-requested rack stays outlined. */
export const HIGHLIGHT_MS = 6_000;
/**
 * Deltas kept for a site whose snapshot has not arrived. Dropping the oldest
 * is safe: the snapshot, taken later, already contains their effect.
 */
export const MAX_BUFFERED = 200_000;

const SNAPSHOT_RETRY_MAX_MS = 30_000;

type SetState = StoreApi<AppStore>['setState'];
type GetState = StoreApi<AppStore>['getState'];

/** Builds the actions over a zustand store's `set`/`get`. */
export function createActions(set: SetState, get: GetState, deps: StoreDeps): Actions {
  /** Delta batches not yet applied, per site: the pre-snapshot buffer and the per-frame queue in one. */
  const queues = new Map<string, SiteDeltas[]>();
  /** Sites whose mirror is being replaced by a fresh snapshot after a gap. */
  const resyncing = new Set<string>();
  const deriveTimers = new Map<string, () => void>();
  /** When each site was last derived, and how long that took. */
  const lastDerived = new Map<string, { at: number; took: number }>();
  let offs: (() => void)[] = [];
  let cancelFrame: (() => void) | undefined;
  let client: TriptychClient | undefined;
  let running = false;
  let ticks = 0;
  let highlightToken = 0;
  let cancelHighlight: (() => void) | undefined;

  function onDeltas(d: SiteDeltas): void {
    if (!isDeltas(d)) return;
    let q = queues.get(d.site);
    if (q === undefined) queues.set(d.site, (q = []));
    q.push(d);
    const mirror = get().mirrors[d.site];
    if (mirror === undefined) {
      if (q.length > MAX_BUFFERED) q.splice(0, q.length - MAX_BUFFERED);
      return;
    }
    cancelFrame ??= deps.frame(flush);
  }

  function onStatus(s: SiteStatus): void {
    if (s === null || typeof s !== 'object' || !isSiteId(s.site)) return;
    set((st) => ({ status: { ...st.status, [s.site]: s }, statusAt: { ...st.statusAt, [s.site]: deps.now() } }));
  }

  /** One animation frame's worth: every queued batch of every loaded site, then one state update. */
  function flush(): void {
    cancelFrame = undefined;
    const mirrors = get().mirrors;
    const changed: Record<string, Mirror> = {};
    let any = false;
    for (const [site, q] of queues) {
      const m = mirrors[site];
      if (q.length === 0 || m === undefined || resyncing.has(site)) continue;
      const r = applyQueued(m, q);
      if (r.applied > 0) {
        changed[site] = { ...m, version: m.version + 1 };
        any = true;
      }
      if (r.gap) resync(site);
    }
    if (!any) return;
    set((st) => ({ mirrors: { ...st.mirrors, ...changed } }));
    deps.mark(DELTA_MARK, Object.fromEntries(Object.entries(changed).map(([site, m]) => [site, m.seq])));
    for (const site of Object.keys(changed)) scheduleDerive(site);
  }

  function resync(site: string): void {
    if (resyncing.has(site)) return;
    resyncing.add(site);
    void loadSnapshot(site, 0);
  }

  async function loadSnapshot(site: string, attempt: number): Promise<void> {
    const c = client;
    if (c === undefined || !running) return;
    let snap: SiteSnapshot;
    try {
      snap = await readSnapshot((token) => c.api.sites.snapshot(site, token));
    } catch (e) {
      if (!running) return;
      set((st) => ({ loadErrors: { ...st.loadErrors, [site]: errorText(e) } }));
      const wait = Math.min(SNAPSHOT_RETRY_MAX_MS, 1_000 * 2 ** attempt);
      deps.timer(() => void loadSnapshot(site, attempt + 1), wait);
      return;
    }
    if (!running) return;
    install(site, snap);
  }

  /** Replaces a site's mirror with a snapshot and replays the buffered batches newer than it. */
  function install(site: string, snap: SiteSnapshot): void {
    const m = mirrorFromSnapshot({ ...snap, site });
    const q = queues.get(site) ?? [];
    const r = applyQueued(m, q);
    resyncing.delete(site);
    set((st) => {
      const loadErrors = { ...st.loadErrors };
      delete loadErrors[site];
      return { mirrors: { ...st.mirrors, [site]: { ...m, version: (st.mirrors[site]?.version ?? 0) + 1 } }, loadErrors };
    });
    deps.mark(DELTA_MARK, { [site]: m.seq });
    // The first view of a site should not wait for the throttle.
    derive(site);
    if (r.gap) resync(site);
    else if (q.length > 0) cancelFrame ??= deps.frame(flush);
  }

  function scheduleDerive(site: string): void {
    if (deriveTimers.has(site)) return;
    const last = lastDerived.get(site);
    const wait = last === undefined ? 0 : Math.max(0, last.at + Math.max(DERIVE_INTERVAL_MS, last.took * DERIVE_COST_FACTOR) - deps.now());
    // Always via a timer, even at 0: three sites' derivations then run as separate tasks, with paints in between.
    deriveTimers.set(
      site,
      deps.timer(() => derive(site), wait),
    );
  }

  function derive(site: string): void {
    deriveTimers.get(site)?.();
    deriveTimers.delete(site);
    const m = get().mirrors[site];
    if (m === undefined) return;
    const now = deps.now();
    const podCounts = podCountsByNode(m.pods.values());
    const rack = rackMap([...m.nodes.values()], podCounts);
    const health = siteHealth({ nodes: m.nodes.values(), pods: m.pods.values(), events: m.events.values(), workloads: m.workloads.values(), now });
    lastDerived.set(site, { at: now, took: deps.now() - now });
    set((st) => ({ derived: { ...st.derived, [site]: { health, rack, podCounts, version: m.version, at: now } } }));
    // What the overview shows comes from here, so this is when a change reaches the screen.
    deps.mark(DERIVED_MARK, { [site]: m.seq });
  }

  function tick(): void {
    set({ now: deps.now() });
    ticks++;
    if (ticks % TIME_REDERIVE_TICKS === 0) for (const site of Object.keys(get().mirrors)) scheduleDerive(site);
  }

  function stop(): void {
    running = false;
    for (const off of offs) off();
    offs = [];
    cancelFrame?.();
    cancelFrame = undefined;
    for (const cancel of deriveTimers.values()) cancel();
    deriveTimers.clear();
    cancelHighlight?.();
  }

  return {
    async start() {
      if (running) return;
      running = true;
      set({ boot: { phase: 'starting' } });
      try {
        client = await deps.client();
        if (!running) return;
        // Subscribe before asking for anything: a batch emitted while a snapshot is taken must not fall between the two.
        offs.push(
          client.on('site.deltas', onDeltas),
          client.on('site.status', onStatus),
        );
        const [sites, statuses] = await Promise.all([client.api.sites.list(), client.api.sites.status()]);
        if (!running) return;
        const status: Record<string, SiteStatus> = {};
        const statusAt: Record<string, number> = {};
        for (const s of statuses) {
          if (!isSiteId(s.site)) continue;
          status[s.site] = s;
          statusAt[s.site] = deps.now();
        }
        const valid = sites.filter((s) => isSiteId(s.id));
        set((st) => ({ sites: valid, status: { ...st.status, ...status }, statusAt: { ...st.statusAt, ...statusAt }, boot: { phase: 'ready' }, now: deps.now() }));
        for (const s of valid) void loadSnapshot(s.id, 0);
        offs.push(deps.every(tick, 1_000));
      } catch (e) {
        stop();
        set({ boot: { phase: 'failed', error: errorText(e) } });
      }
    },
    stop,
    openDetail(target) {
      set((st) => ({ ui: { ...st.ui, detail: target, paletteOpen: false } }));
    },
    closeDetail() {
      set((st) => ({ ui: { ...st.ui, detail: undefined } }));
    },
    setPaletteOpen(open) {
      set((st) => ({ ui: { ...st.ui, paletteOpen: open } }));
    },
    togglePalette() {
      set((st) => ({ ui: { ...st.ui, paletteOpen: !st.ui.paletteOpen } }));
    },
    highlightRack(site, rack) {
      const token = ++highlightToken;
      cancelHighlight?.();
      set((st) => ({ ui: { ...st.ui, highlight: { site, rack, token }, paletteOpen: false } }));
      cancelHighlight = deps.timer(() => {
        if (get().ui.highlight?.token === token) set((st) => ({ ui: { ...st.ui, highlight: undefined } }));
      }, HIGHLIGHT_MS);
    },
    clearHighlight() {
      set((st) => ({ ui: { ...st.ui, highlight: undefined } }));
    },
    openLogs(req) {
      set((st) => ({ ui: { ...st.ui, shell: undefined, logs: { ...req, token: (st.ui.logs?.token ?? 0) + 1 } } }));
    },
    closeLogs() {
      set((st) => ({ ui: { ...st.ui, logs: undefined } }));
    },
    openShell(req) {
      set((st) => ({ ui: { ...st.ui, logs: undefined, shell: { ...req, token: (st.ui.shell?.token ?? 0) + 1 } } }));
    },
    closeShell() {
      set((st) => ({ ui: { ...st.ui, shell: undefined } }));
    },
    setThemePref(pref) {
      set((st) => ({ ui: { ...st.ui, themePref: pref } }));
    },
    toggleTheme() {
      set((st) => ({ ui: { ...st.ui, themePref: resolvedTheme(st.ui) === 'dark' ? 'light' : 'dark' } }));
    },
    setSystemDark(dark) {
      set((st) => ({ ui: { ...st.ui, systemDark: dark } }));
    },
  };
}

/** A batch worth queueing: the host is trusted, but a malformed event must not break the frame loop. */
function isDeltas(d: unknown): d is SiteDeltas {
  if (d === null || typeof d !== 'object') return false;
  const x = d as Partial<SiteDeltas>;
  return isSiteId(x.site) && typeof x.seq === 'number' && Array.isArray(x.upserts) && Array.isArray(x.deletes) && typeof x.kind === 'string';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
