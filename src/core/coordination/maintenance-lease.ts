/**
 * Holding a maintenance: one Lease per scope and site, created to claim it,
 * renewed in the background every third of its duration, deleted to end it.
 *
 * The API server arbitrates: create fails with 409 when the Lease exists;
 * taking over a lapsed one is an update carrying the resourceVersion read,
 * which fails with 409 when another console got there first. Nothing here
 * decides by reading alone, so two consoles can never both hold a scope.
 *
 * A console that restarts in the middle of a runbook run may take its own
 * claim back (same holder, same run) before it lapses: the run resumes
 * rather than waiting for itself.
 */
import { KubeHttpError, type KubeHttp } from '../kube/http';
import { consoleInstance } from './console-instance';
import { forbiddenMessage, MaintenanceConflict, MaintenanceForbidden, MaintenanceLost } from './errors';
import { maintenanceLeaseName } from './lease-name';
import { ANNOTATION, leaseFree, MAINTENANCE_LABELS, maintenanceOf, TRIPTYCH_NAMESPACE, type LeaseObject, type Maintenance } from './maintenance';
import { microTime } from './micro-time';
import { ensureTriptychNamespace } from './triptych-namespace';

/** What is being maintained, by whom and why. */
export interface MaintenanceRequest {
  /** The site's id (for messages; `http` is its connection). */
  site: string;
  /** `<kind>/<id>`, e.g. `rack/B-07`, `node/fra-w-12`, `site/fra`. */
  scope: string;
  /** Who: the Vault identity when signed in, else user@host. */
  holder: string;
  runbook?: string;
  run?: string;
  reason?: string;
  /** How long the claim lasts without renewal (default 2 minutes): how long a crashed console blocks the scope. */
  durationMs?: number;
}

export interface AcquireOptions {
  /** This console's id (default consoleInstance()). */
  instance?: string;
  now?: () => number;
  /** Called once if the maintenance is lost while held (taken over, deleted, or lapsed). Renewal stops then. */
  onLost?: (err: MaintenanceLost) => void;
}

export type MaintenanceState = 'held' | 'lost' | 'released' | 'abandoned';

const DEFAULT_DURATION_MS = 120_000;
/** Room for a race or two (a Lease deleted between our create and read); more means something is wrong. */
const ATTEMPTS = 3;
const leasePath = (name?: string): string => `/apis/coordination.k8s.io/v1/namespaces/${TRIPTYCH_NAMESPACE}/leases${name ? `/${name}` : ''}`;
const status = (err: unknown): number | undefined => (err instanceof KubeHttpError ? err.status : undefined);

/**
 * Claims the maintenance of `req.scope` at `req.site`. Resolves with the
 * held claim (renewing itself until released); rejects with
 * MaintenanceConflict when someone else holds it, MaintenanceForbidden when
 * the site does not allow it, or the server's error.
 */
export async function acquireMaintenance(http: KubeHttp, req: MaintenanceRequest, o: AcquireOptions = {}): Promise<MaintenanceLease> {
  const now = o.now ?? Date.now;
  const name = maintenanceLeaseName(req.scope);
  const durationMs = Math.max(1000, req.durationMs ?? DEFAULT_DURATION_MS);
  const identity = `${req.holder}/${o.instance ?? consoleInstance()}`;
  /** The Lease claiming the scope now; `base` is the one taken over, `since` kept when resuming our own run. */
  const claim = (base?: LeaseObject, since?: string): LeaseObject => {
    const t = now();
    const annotations: Record<string, string> = { [ANNOTATION.scope]: req.scope.trim(), [ANNOTATION.holder]: req.holder, [ANNOTATION.since]: since ?? new Date(t).toISOString() };
    if (req.runbook) annotations[ANNOTATION.runbook] = req.runbook;
    if (req.run) annotations[ANNOTATION.run] = req.run;
    if (req.reason) annotations[ANNOTATION.reason] = req.reason.slice(0, 1024);
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      // Labels and annotations of someone else's lapsed claim are replaced, not merged: they describe their maintenance.
      metadata: { ...base?.metadata, name, namespace: TRIPTYCH_NAMESPACE, labels: { ...MAINTENANCE_LABELS }, annotations },
      spec: {
        holderIdentity: identity,
        // Whole seconds, as the API has them; rounded up so the claim never lapses before the caller expects.
        leaseDurationSeconds: Math.ceil(durationMs / 1000),
        acquireTime: microTime(t),
        renewTime: microTime(t),
        leaseTransitions: base ? (base.spec?.leaseTransitions ?? 0) + 1 : 0,
      },
    };
  };
  const held = (lease: LeaseObject): MaintenanceLease => new MaintenanceLease(http, req, lease, identity, durationMs, now, o.onLost);

  let madeNamespace = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return held(await http.send<LeaseObject>('POST', leasePath(), { body: claim() }));
    } catch (err) {
      if (status(err) === 403) throw new MaintenanceForbidden(req.site, forbiddenMessage(req.site, 'create leases', (err as Error).message));
      // The namespace is missing (the first maintenance at this site): make it, then claim again.
      if (status(err) === 404 && !madeNamespace) {
        await ensureTriptychNamespace(http, req.site);
        madeNamespace = true;
        continue;
      }
      if (status(err) !== 409 || attempt >= ATTEMPTS) throw err;
    }
    const existing = await readLease(http, name);
    // Gone between our create and this read: try to create it again.
    if (!existing) continue;
    const a = existing.metadata.annotations ?? {};
    const resuming = req.run !== undefined && a[ANNOTATION.run] === req.run && a[ANNOTATION.holder] === req.holder;
    if (!leaseFree(existing, now()) && !resuming) throw new MaintenanceConflict(req.site, maintenanceOf(existing, now()));
    try {
      return held(await http.send<LeaseObject>('PUT', leasePath(name), { body: claim(existing, resuming ? a[ANNOTATION.since] : undefined) }));
    } catch (err) {
      if (status(err) === 403) throw new MaintenanceForbidden(req.site, forbiddenMessage(req.site, 'update leases', (err as Error).message));
      if (status(err) !== 409 && status(err) !== 404) throw err;
      // Another console took it over between our read and our update: it won, and says who it is.
      const winner = await readLease(http, name);
      if (winner && !leaseFree(winner, now())) throw new MaintenanceConflict(req.site, maintenanceOf(winner, now()));
      if (attempt >= ATTEMPTS) throw err;
    }
  }
}

/** The Lease, or undefined when there is none. */
async function readLease(http: KubeHttp, name: string): Promise<LeaseObject | undefined> {
  try {
    return await http.getJson<LeaseObject>(leasePath(name));
  } catch (err) {
    if (status(err) === 404) return undefined;
    throw err;
  }
}

/** A maintenance this console holds: renewing in the background until released, abandoned or lost. */
export class MaintenanceLease {
  private stateNow: MaintenanceState = 'held';
  private timer: NodeJS.Timeout | undefined;
  private lastRenewal: number;
  private lostWith: MaintenanceLost | undefined;
  /** Renewals and the release run one at a time, each with the resourceVersion the previous one left. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly http: KubeHttp,
    readonly request: MaintenanceRequest,
    private lease: LeaseObject,
    /** The Lease's holderIdentity while it is ours. */
    readonly holderIdentity: string,
    readonly durationMs: number,
    private readonly now: () => number,
    private readonly onLost?: (err: MaintenanceLost) => void,
  ) {
    this.lastRenewal = now();
    this.schedule();
  }

  get name(): string {
    return this.lease.metadata.name;
  }

  get state(): MaintenanceState {
    return this.stateNow;
  }

  /** Why it was lost, once it is. */
  get lost(): MaintenanceLost | undefined {
    return this.lostWith;
  }

  /** The maintenance as others see it. */
  get info(): Maintenance {
    return maintenanceOf(this.lease, this.now());
  }

  /**
   * Renews now (the background does this every third of the duration).
   * Rejects with MaintenanceLost when it is no longer ours, or with the
   * server's error when the site could not be reached (the claim is kept
   * until it would lapse).
   */
  renew(): Promise<void> {
    return this.serial(() => this.renewOnce(1));
  }

  /**
   * Ends the maintenance: deletes the Lease if it is still ours (read back
   * first). Resolves true when it deleted it, false when it was not ours any
   * more or already gone.
   */
  release(): Promise<boolean> {
    this.stopTimer();
    return this.serial(async () => {
      if (this.stateNow !== 'held' && this.stateNow !== 'abandoned') return false;
      this.stateNow = 'released';
      const current = await readLease(this.http, this.name);
      if (!current || current.spec?.holderIdentity !== this.holderIdentity) return false;
      // Read, then delete only that version: a console that took the lapsed claim over in between keeps it (409).
      const preconditions = { uid: current.metadata.uid, resourceVersion: current.metadata.resourceVersion };
      try {
        await this.http.send('DELETE', leasePath(this.name), { body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions } });
        return true;
      } catch (err) {
        if (status(err) === 404 || status(err) === 409) return false;
        throw err;
      }
    });
  }

  /**
   * Stops renewing without deleting: the claim lapses after its duration.
   * For a console quitting in the middle of a run it means to resume (the
   * same holder and run take it back on restart).
   */
  abandon(): void {
    this.stopTimer();
    if (this.stateNow === 'held') this.stateNow = 'abandoned';
  }

  private async renewOnce(attempt: number): Promise<void> {
    if (this.stateNow !== 'held') throw this.lostWith ?? new Error(`the maintenance of ${this.request.scope} is ${this.stateNow}`);
    const t = this.now();
    const body: LeaseObject = { ...this.lease, spec: { ...this.lease.spec, renewTime: microTime(t) } };
    try {
      this.lease = await this.http.send<LeaseObject>('PUT', leasePath(this.name), { body });
      this.lastRenewal = t;
      return;
    } catch (err) {
      if (status(err) === 404) throw this.lose('its Lease was deleted (by an admin, or a console that took it over and released it)');
      if (status(err) !== 409) {
        // Unreachable or refusing for now: keep trying until the claim would have lapsed anyway.
        if (t - this.lastRenewal >= this.durationMs) throw this.lose(`it could not be renewed for ${Math.round((t - this.lastRenewal) / 1000)} s and has lapsed (${(err as Error).message})`);
        throw err;
      }
    }
    const current = await readLease(this.http, this.name);
    if (!current) throw this.lose('its Lease was deleted');
    if (current.spec?.holderIdentity !== this.holderIdentity) {
      const m = maintenanceOf(current, this.now());
      throw this.lose(`${m.holder} took it over${m.runbook ? ` for runbook ${m.runbook}` : ''}`);
    }
    // Still ours, changed by someone else (an annotation): renew on top of that.
    this.lease = current;
    if (attempt >= ATTEMPTS) throw new Error(`the Lease ${this.name} keeps changing under us; not renewed`);
    return this.renewOnce(attempt + 1);
  }

  private lose(why: string): MaintenanceLost {
    const err = new MaintenanceLost(this.request.site, this.request.scope, why);
    if (this.stateNow === 'held') {
      this.stateNow = 'lost';
      this.lostWith = err;
      this.stopTimer();
      try {
        this.onLost?.(err);
      } catch {
        // The observer's failure is its own; the state is already recorded.
      }
    }
    return err;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stateNow !== 'held') return;
      // Failures are handled inside (lost is reported through onLost); a transient one is retried at the next tick.
      void this.renew()
        .catch(() => undefined)
        .finally(() => {
          if (this.stateNow === 'held') this.schedule();
        });
    }, this.durationMs / 3);
    // A claim being renewed must not keep a finished process alive.
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
