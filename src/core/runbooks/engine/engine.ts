/**
 * The runbook engine: plans runbooks, starts runs, steers them (pause,
 * resume, abort, confirm), and on start-up takes up the runs a crash left
 * unfinished, at the first step whose end is not in the journal.
 *
 * Why re-running that step is safe, per step (see each step's module):
 * cordon, uncordon, label, annotate, merge/strategic patch and scale set
 * values, so setting them again changes nothing more; drain starts over from
 * the pods still on the node; rollout-restart re-sends the restartedAt it
 * journalled before sending; wait, check, collect, confirm and note change
 * nothing (a confirm already journalled is not asked again). A completed
 * step is never run again.
 *
 * Quitting in the middle of a run (`shutdown`) leaves it as a crash would:
 * the journal has no run-end and the Lease is kept, so the next start takes
 * the run up. Abort a run to end it.
 */
import { randomBytes } from 'node:crypto';
import type { RunStatus, Runbook } from '../../../shared/runbooks';
import { Journal, readJournal, replay, unfinishedRuns } from './journal';
import { planRunbook } from './planner';
import { Run } from './run';
import { DEFAULT_TUNING, type EngineDeps, type EnginePlan, type EngineTuning } from './types';

/** Plans kept for starting. */
const MAX_PLANS = 50;

/** A run id: sorts by start time, names the runbook, safe as a file name. */
export function newRunId(runbook: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  const name = runbook.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'run';
  return `${stamp}-${name}-${randomBytes(3).toString('hex')}`;
}

export class RunbookEngine {
  private readonly runs = new Map<string, Run>();
  /** Plans this engine made and has not started, with their runbook, oldest first: only those start (never a copy edited on its way back from a UI). */
  private readonly plans = new Map<string, { plan: EnginePlan; runbook: Runbook }>();
  private readonly tuning: EngineTuning;
  private readonly now: () => number;

  constructor(private readonly deps: EngineDeps) {
    this.tuning = { ...DEFAULT_TUNING, ...deps.tuning };
    this.now = deps.now ?? Date.now;
  }

  /** The dry-run preview: every step as it will run, what it touches, and the blockers. Reads only. */
  async plan(runbook: Runbook, params: Record<string, unknown>): Promise<EnginePlan> {
    const plan = await planRunbook(runbook, params, this.deps);
    this.plans.set(plan.id, { plan, runbook });
    // Previews nobody started: keep the last few.
    for (const id of this.plans.keys()) {
      if (this.plans.size <= MAX_PLANS) break;
      this.plans.delete(id);
    }
    return plan;
  }

  /**
   * Starts a run of a plan this engine made (by the plan or its id; a plan
   * starts once, and only without blockers) for `by`; returns the run id
   * once its journal is on disk.
   */
  start(plan: EnginePlan | string, by: string): string {
    const made = this.plans.get(typeof plan === 'string' ? plan : plan.id);
    if (!made) throw new Error('only a plan made by this engine, and not started yet, can start');
    const { runbook } = made;
    plan = made.plan;
    if (plan.blockers.length > 0) throw new Error(`the plan has blockers: ${plan.blockers.join('; ')}`);
    this.plans.delete(plan.id);
    const startedAt = this.now();
    const id = newRunId(plan.runbook, startedAt);
    const journal = Journal.create(this.deps.dataDir, id, { type: 'run-start', at: startedAt, run: id, runbook, params: plan.params, plan, startedBy: by });
    const run = new Run({ id, plan, runbook, startedBy: by, startedAt, journal, deps: this.deps, tuning: this.tuning });
    this.runs.set(id, run);
    run.launch();
    return id;
  }

  /**
   * Takes up every run whose journal has no run-end (a crash or a restart
   * interrupted it); resolves with their ids. Runs paused before stay paused.
   */
  recover(onError?: (file: string, error: Error) => void): string[] {
    const ids: string[] = [];
    for (const file of unfinishedRuns(this.deps.dataDir)) {
      let r: ReturnType<typeof replay>;
      try {
        r = replay(readJournal(file).records);
      } catch (e) {
        // One damaged journal must not keep the other runs from being taken up.
        onError?.(file, e as Error);
        continue;
      }
      const id = r.start.run;
      if (this.runs.has(id)) continue;
      const journal = Journal.reopen(file);
      const run = new Run({ id, plan: r.start.plan, runbook: r.start.runbook, startedBy: r.start.startedBy, startedAt: r.start.at, journal, deps: this.deps, tuning: this.tuning, replayed: r });
      this.runs.set(id, run);
      run.launch();
      ids.push(id);
    }
    return ids;
  }

  private run(id: string): Run {
    const r = this.runs.get(id);
    if (!r) throw new Error(`no run ${id}`);
    return r;
  }

  /** Passes the confirm or note gate the run waits at. */
  confirm(run: string, by: string): void {
    this.run(run).confirm(by);
  }

  /** Pauses before the next step. */
  pause(run: string, by: string): void {
    this.run(run).pause(by);
  }

  resume(run: string, by: string): void {
    this.run(run).resume(by);
  }

  /** Stops the run at the next safe point (see Run). */
  abort(run: string, by: string): void {
    this.run(run).abort(by);
  }

  status(run: string): RunStatus | undefined {
    return this.runs.get(run)?.snapshot();
  }

  /** Every run this engine knows, in start order. */
  list(): RunStatus[] {
    return [...this.runs.values()].map((r) => r.snapshot()).sort((a, b) => a.startedAt - b.startedAt);
  }

  /** The console quits: every run still going stops as a crash would (see Run.shutdown), to be taken up at the next start. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.shutdown()));
  }

  /** Resolves with the run's final status when it ends. */
  done(run: string): Promise<RunStatus> {
    return this.run(run).done;
  }
}
