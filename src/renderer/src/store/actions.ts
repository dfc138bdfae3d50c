/**
 * Everything that changes the store: loading the sites (subscribe first,
 * buffer, snapshot, replay), applying deltas once per animation frame,
 * recomputing the derived views at a bounded rate, the stale-age clock,
 * Vault's sign-in and site credentials, and the UI's navigation.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { TriptychClient } from '../api';
import type { SiteDeltas, SiteSnapshot, SiteStatus } from '../../../shared/contract/triptych';
import { podCountsByNode, rackMap, siteHealth } from '../../../shared/derive';
import { readSnapshot } from '../../../shared/contract/snapshot';
import type { SiteCredentialStatus, VaultOverview, VaultSessionStatus } from '../../../shared/vault';
import type { AppState, DetailTarget, LogRequest, Mirror, ShellRequest, ThemePref } from './initialState';
import type { StoreDeps } from './deps';
import { applyQueued, mirrorFromSnapshot } from './mirror';
import { isSiteId, resolvedTheme } from './selectors';
import { createAuditActions, type AuditActions } from '../audit/slice';
import { createHandoverActions, type HandoverActions } from '../handover/slice';
import { createRunbookSlice, type RunbookActions } from '../runbooks/slice';
import { createAlertsSlice } from '../alerts/slice';
import { createIncidentSlice, type IncidentActions } from '../incident/slice';
import { createTrainingSlice, type TrainingActions } from '../training/slice';
import { createRecordingsSlice, type RecordingsActions } from '../recordings/slice';

/** A sign-in as the Vault dialog offers it; `cli-token` imports what `vault login` left in VAULT_TOKEN or ~/.vault-token. */
export type VaultSignIn =
  | { method: 'userpass' | 'ldap'; mount?: string; username: string; password: string }
  | { method: 'token'; token: string }
  | { method: 'oidc'; mount?: string; role?: string }
  | { method: 'cli-token' };

/** The app's own actions, plus those of the handover dialog, the audit view and the runbooks (their slices live in handover/, audit/ and runbooks/). */
export interface Actions extends HandoverActions, AuditActions, RunbookActions, IncidentActions, TrainingActions, RecordingsActions {
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
  openVaultDialog(): void;
  /** Closes the Vault dialog, giving up an OIDC sign-in that still waits (its loopback listener would wait for minutes). */
  closeVaultDialog(): void;
  /**
   * Signs in to Vault and closes the dialog. Rejects with the host's error
   * (wrong password, Vault sealed, a read-only connection…), whose message
   * is written for the admin.
   */
  signInToVault(req: VaultSignIn): Promise<void>;
  /** Gives up a waiting OIDC sign-in (its `signInToVault` then rejects). */
  cancelVaultOidc(): Promise<void>;
  /** Revokes the Vault token and the sites' leases, and closes the dialog. Rejects with the host's error. */
  signOutOfVault(): Promise<void>;
  /** Fetches a site's credentials from Vault again (after `failed` or `expired`). Rejects with the host's error. */
  reconnectCredentials(site: string): Promise<void>;
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
  /** An OIDC sign-in this window started is waiting for the identity provider. */
  let oidcPending = false;
  /** Runbooks, runs and maintenance (runbooks/slice); attached to the client in start(). */
  const runbooks = createRunbookSlice(set, get, deps, () => connected());
  /** Every site's alerts (alerts/slice); attached to the client in start(). */
  const alerts = createAlertsSlice(set);
  /** The incident timeline and the operator's notes (incident/slice); attached in start(). */
  const incident = createIncidentSlice(set, get, deps);
  /** Training sessions: the fleet's run, the trainer's controls, the debrief (training/slice); attached in start(). */
  const training = createTrainingSlice(set, get, deps);
  /** Recordings and their replay (recordings/slice); attached in start(). */
  const recordings = createRecordingsSlice(set, get, deps);

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

  function onVaultStatus(o: VaultOverview): void {
    if (!isOverview(o)) return;
    set({ vault: o });
  }

  /** One site's credentials changed: replaces that site's entry, leaving the rest of the overview as it was. */
  function onCredentials(c: SiteCredentialStatus): void {
    if (!isCredentialStatus(c)) return;
    set((st) => (st.vault === null ? {} : { vault: { ...st.vault, sites: upsertCredentials(st.vault.sites, c) } }));
  }

  /** A call's answer about the session is as new as the events before it (one ordered transport), so it is applied at once. */
  function applySession(session: VaultSessionStatus): void {
    set((st) => (st.vault === null ? {} : { vault: { ...st.vault, session } }));
  }

  function connected(): TriptychClient {
    if (client === undefined) throw new Error('not connected to the Triptych host yet');
    return client;
  }

  /** Vault is optional and comes after the sites: a host that cannot say must not stop the console from starting. */
  function loadVault(c: TriptychClient): void {
    c.api.vault.status().then(
      (o) => {
        // Separate from the site list's Promise.all: a `vault.status` event arriving after this answer must not be overwritten by it.
        if (running && (o === null || isOverview(o))) set({ vault: o });
      },
      (e: unknown) => console.warn('Vault status unavailable:', errorText(e)),
    );
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
    ...createHandoverActions(set, get, deps),
    ...createAuditActions(set, get, deps),
    ...runbooks.actions,
    ...incident.actions,
    ...training.actions,
    ...recordings.actions,
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
          client.on('vault.status', onVaultStatus),
          client.on('site.credentials', onCredentials),
        );
        loadVault(client);
        // After the calls above, so the list of subscriptions made before the first call stays as it was.
        offs.push(runbooks.attach(client));
        offs.push(alerts.attach(client));
        offs.push(incident.attach(client));
        offs.push(training.attach(client));
        offs.push(recordings.attach(client));
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
    openVaultDialog() {
      set((st) => ({ ui: { ...st.ui, vaultDialogOpen: true, paletteOpen: false } }));
    },
    closeVaultDialog() {
      if (oidcPending) void client?.api.vault.cancelOidc().catch(() => undefined);
      set((st) => ({ ui: { ...st.ui, vaultDialogOpen: false } }));
    },
    async signInToVault(req) {
      const { vault } = connected().api;
      let session: VaultSessionStatus;
      switch (req.method) {
        case 'userpass':
        case 'ldap':
          session = await vault.signInPassword({ method: req.method, ...(req.mount ? { mount: req.mount } : {}), username: req.username, password: req.password });
          break;
        case 'token':
          session = await vault.signInToken(req.token);
          break;
        case 'oidc':
          oidcPending = true;
          try {
            session = await vault.signInOidc({ ...(req.mount ? { mount: req.mount } : {}), ...(req.role ? { role: req.role } : {}) });
          } finally {
            oidcPending = false;
          }
          break;
        case 'cli-token':
          session = await vault.importCliToken();
          break;
      }
      applySession(session);
      set((st) => ({ ui: { ...st.ui, vaultDialogOpen: false } }));
    },
    async cancelVaultOidc() {
      await connected().api.vault.cancelOidc();
    },
    async signOutOfVault() {
      applySession(await connected().api.vault.signOut());
      set((st) => ({ ui: { ...st.ui, vaultDialogOpen: false } }));
    },
    async reconnectCredentials(site) {
      onCredentials(await connected().api.sites.reconnectCredentials(site));
    },
  };
}

/** A batch worth queueing: the host is trusted, but a malformed event must not break the frame loop. */
function isDeltas(d: unknown): d is SiteDeltas {
  if (d === null || typeof d !== 'object') return false;
  const x = d as Partial<SiteDeltas>;
  return isSiteId(x.site) && typeof x.seq === 'number' && Array.isArray(x.upserts) && Array.isArray(x.deletes) && typeof x.kind === 'string';
}

/** An overview worth keeping: the fields every view reads are there. */
function isOverview(o: unknown): o is VaultOverview {
  if (o === null || typeof o !== 'object') return false;
  const x = o as Partial<VaultOverview>;
  return typeof x.session === 'object' && x.session !== null && typeof x.session.state === 'string' && Array.isArray(x.sites);
}

function isCredentialStatus(c: unknown): c is SiteCredentialStatus {
  if (c === null || typeof c !== 'object') return false;
  const x = c as Partial<SiteCredentialStatus>;
  return isSiteId(x.site) && typeof x.state === 'string' && typeof x.source === 'string';
}

/** The list with `c` in place of its site's entry (appended when the site had none). */
export function upsertCredentials(list: readonly SiteCredentialStatus[], c: SiteCredentialStatus): SiteCredentialStatus[] {
  const i = list.findIndex((x) => x.site === c.site);
  return i < 0 ? [...list, c] : list.map((x, j) => (j === i ? c : x));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
