/**
 * Training sessions: talks to the training fleet's control endpoint to start
 * scenarios, play their steps, inject faults and follow goals (which the
 * fleet checks against its own state), and writes the debrief from the audit
 * trail when a run ends. Only in training mode: on configured clusters every
 * call but `status` answers `bad-request`.
 *
 * The control endpoint is HTTPS on loopback with the fleet's own CA (pinned:
 * no other CA is trusted) and a bearer token that never leaves this module,
 * not even in error messages.
 */
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import { controlRequest, type FleetControl } from './fleet-control';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { Debrief, FaultDoc, ScenarioSummary, TrainingRun, TrainingStatus } from '../../shared/training';
import type { AuditLog } from '../audit';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TrainingServiceOptions {
  /** The fleet's control endpoint; absent when the console runs on configured clusters. */
  control?: FleetControl;
  bus: EventBus<TriptychEvents>;
  audit: AuditLog;
  who(): string;
  /** How often a playing run is fetched from the fleet, ms (default 1000). */
  pollMs?: number;
  /** Debriefs are kept in `<dataDir>/training/` (a trainer reads the last one after a restart, or keeps them all). */
  dataDir?: string;
}

const NOT_TRAINING = 'training is only available on the training fleet; this console is connected to configured clusters (remove the sites from triptych.yaml to train)';

export class TrainingService {
  private run: TrainingRun | null = null;
  private last: Debrief | null = null;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;
  /** The last status emitted, to emit only changes. */
  private emitted = '';
  /**
   * Bumped by every trainer action's answer: a poll sent before it may come
   * back after it with the older run (a stopped run shown playing again), so
   * such a poll's answer is dropped.
   */
  private actions = 0;

  constructor(private readonly o: TrainingServiceOptions) {
    this.last = o.dataDir === undefined ? null : newestDebrief(path.join(o.dataDir, 'training'));
    // A scenario started with `npm run fleet -- --scenario` before the console connected is picked up here.
    if (o.control) void this.refresh().catch(() => undefined);
  }

  status(): TrainingStatus {
    return { available: this.o.control !== undefined, run: this.run };
  }

  async catalogue(): Promise<{ scenarios: ScenarioSummary[]; faults: FaultDoc[] }> {
    const [scenarios, faults] = await Promise.all([this.call<ScenarioSummary[]>('GET', '/v1/scenarios'), this.call<FaultDoc[]>('GET', '/v1/faults')]);
    return { scenarios, faults };
  }

  async start(name: string): Promise<TrainingStatus> {
    const before = this.run;
    const r = await this.call<{ run: TrainingRun }>('POST', `/v1/scenarios/${encodeURIComponent(name)}`).catch((e: unknown) => {
      this.audit('training.start', 'failed', (e as Error).message, name);
      throw e;
    });
    // Starting a scenario ends the one playing; its debrief is kept like a stop's.
    if (before && before.endedAt === undefined) this.last = this.debriefOf({ ...before, endedAt: r.run.startedAt });
    this.audit('training.start', 'ok', `${r.run.title} on ${describeTarget(r.run.target)}`, r.run.name);
    this.actions++;
    this.update(r.run);
    return this.status();
  }

  async advance(): Promise<TrainingStatus> {
    const r = await this.call<{ step: { fault: string; applied?: { ok: boolean; result: string } }; run: TrainingRun }>('POST', '/v1/scenarios/advance');
    this.audit('training.advance', r.step.applied?.ok === false ? 'failed' : 'ok', r.step.applied?.result ?? r.step.fault, r.run.name);
    this.actions++;
    this.update(r.run);
    return this.status();
  }

  async inject(fault: Record<string, unknown> & { fault: string }): Promise<{ result: string }> {
    try {
      const r = await this.call<{ result: string }>('POST', '/v1/faults', fault);
      this.audit('training.inject', 'ok', r.result, fault.fault, typeof fault.site === 'string' ? fault.site : undefined);
      return r;
    } catch (e) {
      this.audit('training.inject', 'failed', (e as Error).message, fault.fault, typeof fault.site === 'string' ? fault.site : undefined);
      throw e;
    }
  }

  async stop(): Promise<Debrief> {
    const r = await this.call<{ run: TrainingRun | null }>('DELETE', '/v1/scenarios');
    if (!r.run) throw new ContractError('bad-request', 'no scenario has been started; start one from the trainer panel first');
    if (this.run?.endedAt !== undefined && this.last && this.last.startedAt === r.run.startedAt) return this.last;
    this.audit('training.stop', 'ok', `${r.run.title} ended`, r.run.name);
    this.actions++;
    // update() writes the debrief of an ended run (after the audit entry above, so it lists the stop).
    this.update({ ...r.run, endedAt: r.run.endedAt ?? Date.now() });
    return this.last as Debrief;
  }

  debrief(): Debrief | null {
    return this.last;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private debriefOf(run: TrainingRun & { endedAt: number }): Debrief {
    return {
      name: run.name,
      title: run.title,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      durationMs: run.endedAt - run.startedAt,
      goals: run.goals.map((g) => ({ ...g, ...(g.metAt !== undefined ? { afterMs: g.metAt - run.startedAt } : {}) })),
      steps: run.steps,
      // Oldest first; up to now, so the trainer's own stop (written just after the fleet ended the run) is in.
      actions: this.o.audit.query({ from: run.startedAt, to: Math.max(run.endedAt, Date.now()), limit: 10_000 }).reverse(),
    };
  }

  /** Fetches the fleet's run once (at start, then every `pollMs` while it plays). */
  private async refresh(): Promise<void> {
    const before = this.actions;
    const r = await this.call<{ run: TrainingRun | null }>('GET', '/v1/scenarios/current');
    if (before === this.actions) this.update(r.run);
  }

  private update(run: TrainingRun | null): void {
    this.run = run;
    // A run ended without this console's stop (a script on the control endpoint, another console starting one) has its debrief all the same;
    // written before the status is emitted, so a view that sees the run ended finds the debrief.
    if (run?.endedAt !== undefined && this.last?.startedAt !== run.startedAt) {
      this.last = this.debriefOf({ ...run, endedAt: run.endedAt });
      this.keep(this.last);
    }
    const status = this.status();
    const text = JSON.stringify(status);
    if (text !== this.emitted) {
      this.emitted = text;
      this.o.bus.emit('training.status', status);
    }
    this.schedule();
  }

  /** Writes a debrief beside the console's data (0600 in a 0700 folder); a failure to write loses the file, never the debrief. */
  private keep(d: Debrief): void {
    if (this.o.dataDir === undefined) return;
    try {
      const dir = path.join(this.o.dataDir, 'training');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, `debrief-${d.startedAt}-${d.name}.json`);
      writeFileSync(file, `${JSON.stringify(d, null, 1)}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    } catch {
      // The debrief is still served from memory; the disk is full or read-only.
    }
  }

  /** Polls while a run plays; a poll that fails (fleet busy) is retried at the next tick. */
  private schedule(): void {
    if (this.closed || this.polling || !this.run || this.run.endedAt !== undefined) return;
    this.polling = true;
    this.timer = setTimeout(() => {
      void this.refresh()
        .catch(() => undefined)
        .finally(() => {
          this.polling = false;
          this.schedule();
        });
    }, this.o.pollMs ?? 1000);
    this.timer.unref?.();
  }

  /** Trainer actions go to the audit trail too: the debrief shows when a step was forced or a fault injected. */
  private audit(verb: string, result: 'ok' | 'failed', detail: string, name: string, site?: string): void {
    this.o.audit.append({ who: this.o.who(), verb, ...(site ? { site } : {}), object: { kind: verb === 'training.inject' ? 'Fault' : 'TrainingScenario', name }, result, detail });
  }

  /** One request to the fleet's control endpoint (see fleet-control). */
  private call<T>(method: string, p: string, body?: unknown): Promise<T> {
    const c = this.o.control;
    if (!c) return Promise.reject(new ContractError('bad-request', NOT_TRAINING));
    return controlRequest<T>(c, method, p, body, 'the training fleet refused');
  }
}

function describeTarget(target: Record<string, string>): string {
  const parts = ['site', 'rack', 'node', 'namespace', 'deployment'].filter((k) => target[k]).map((k) => `${k} ${target[k] ?? ''}`);
  return parts.length > 0 ? parts.join(', ') : 'the whole fleet';
}

/** The newest debrief written in `dir` (files are named by start time), or null when there is none or it does not read. */
function newestDebrief(dir: string): Debrief | null {
  try {
    const files = readdirSync(dir).filter((f) => /^debrief-\d+-[a-z0-9-]+\.json$/.test(f));
    const newest = files.sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1])).at(-1);
    return newest === undefined ? null : (JSON.parse(readFileSync(path.join(dir, newest), 'utf8')) as Debrief);
  } catch {
    return null;
  }
}
