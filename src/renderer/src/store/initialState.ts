/**
 * The shape of the renderer's state and its starting value. The mirrors are
 * deliberately mutable Maps: copying a 150,000-pod Map on every animation
 * frame would cost more than the frame has, so a batch mutates the Maps in
 * place and replaces only the small wrapper object (with a new `version`),
 * which is what zustand subscribers compare.
 */
import type { LogTarget } from '../../../shared/logs';
import type { ResourceKind, SiteStatus, ViewOf } from '../../../shared/contract/triptych';
import type { RackMap, SiteHealth } from '../../../shared/derive';
import type { SiteInfo } from '../../../shared/model';
import type { VaultOverview } from '../../../shared/vault';
import type { SiteAlerts } from '../../../shared/alerts';
import { initialRunbooksState, type RunbooksState } from '../runbooks/state';
import { initialAuditState, type AuditState } from '../audit/state';
import { initialHandoverState, type HandoverState } from '../handover/state';
import { initialIncidentState, type IncidentState } from '../incident/state';
import { initialTrainingState, type TrainingState } from '../training/state';
import { initialRecordingsState, type RecordingsState } from '../recordings/state';

/** One site's mirror: a Map per resource kind, keyed as in the contract (see `keyOf`). */
export type MirrorMaps = { [K in ResourceKind]: Map<string, ViewOf[K]> };

export interface Mirror extends MirrorMaps {
  site: string;
  /** The last delta sequence number applied. */
  seq: number;
  /** Bumped on every applied batch: the cheap change signal for subscribers. */
  version: number;
}

/** What the overview shows for a site, recomputed from the mirror at most a few times a second. */
export interface Derived {
  health: SiteHealth;
  rack: RackMap;
  podCounts: ReadonlyMap<string, number>;
  /** The mirror version this was computed from. */
  version: number;
  /** Epoch ms it was computed at. */
  at: number;
}

/** What the side drawer shows. */
export type DetailTarget =
  | { kind: 'node'; site: string; name: string }
  | { kind: 'pod'; site: string; namespace: string; name: string }
  /** `workloadKind` is unknown when the palette found the workload by name only. */
  | { kind: 'workload'; site: string; namespace: string; name: string; workloadKind?: string };

/** A rack to scroll to and outline; `token` changes on every request so the same rack can be asked for twice. */
export interface RackHighlight {
  site: string;
  rack: string;
  token: number;
}

export type ThemePref = 'system' | 'light' | 'dark';

/** A log tail the dock shows: what to follow and where. */
export interface LogRequest {
  /** What the dock's title says, e.g. `Deployment shop/cart`. */
  title: string;
  sites: string[];
  target: LogTarget;
  /** Changes each time a tail is requested, so asking again restarts it. */
  token: number;
}

/** A shell the terminal dock shows. */
export interface ShellRequest {
  site: string;
  namespace: string;
  pod: string;
  container: string;
  token: number;
}

export interface UiState {
  detail: DetailTarget | undefined;
  logs?: LogRequest | undefined;
  shell?: ShellRequest | undefined;
  paletteOpen: boolean;
  /** The Vault dialog: the sign-in form, or the session's details once signed in. */
  vaultDialogOpen: boolean;
  highlight: RackHighlight | undefined;
  themePref: ThemePref;
  /** What `prefers-color-scheme` says right now. */
  systemDark: boolean;
}

export interface BootState {
  /** `starting` until the site list is known; `failed` when the host cannot be reached. */
  phase: 'starting' | 'ready' | 'failed';
  error?: string;
}

export interface AppState {
  boot: BootState;
  /** The configured sites in display order. */
  sites: SiteInfo[];
  status: Record<string, SiteStatus>;
  /** When each status arrived (epoch ms), to count down its `retryInMs`. */
  statusAt: Record<string, number>;
  /** Present once the site's first snapshot has been applied. */
  mirrors: Record<string, Mirror>;
  /** Why a site's snapshot could not be fetched (it is retried). */
  loadErrors: Record<string, string>;
  derived: Record<string, Derived>;
  /**
   * Vault as the host reports it (sign-in and each Vault-backed site's
   * credentials); null until known, and when no Vault is configured.
   */
  vault: VaultOverview | null;
  /** Runbooks, their plan dialog, the runs and the maintenance in progress (see runbooks/state). */
  runbooks: RunbooksState;
  /** The shift handover dialog (see handover/). */
  handover: HandoverState;
  /** The audit trail view (see audit/). */
  audit: AuditState;
  /** Each site's firing alerts and silences from its Alertmanager, by site id (see alerts/slice); absent until the host has said. */
  alerts: Record<string, SiteAlerts>;
  /** The incident timeline and the operator's Incident dialog (see incident/). */
  incident: IncidentState;
  /** Training sessions on the training fleet: the run, its goals, the trainer's controls and the debrief (see training/). */
  training: TrainingState;
  /** Recordings of sites and their replay into the training fleet (see recordings/). */
  recordings: RecordingsState;
  /** The stale-age clock: epoch ms, advanced every second. */
  now: number;
  ui: UiState;
}

/** The state before anything is known. */
export function initialState(now: number, themePref: ThemePref = 'system', systemDark = false): AppState {
  return {
    boot: { phase: 'starting' },
    sites: [],
    status: {},
    statusAt: {},
    mirrors: {},
    loadErrors: {},
    derived: {},
    vault: null,
    runbooks: initialRunbooksState(),
    handover: initialHandoverState(),
    audit: initialAuditState(),
    alerts: {},
    incident: initialIncidentState(),
    training: initialTrainingState(),
    recordings: initialRecordingsState(),
    now,
    ui: { detail: undefined, paletteOpen: false, vaultDialogOpen: false, highlight: undefined, themePref, systemDark },
  };
}
