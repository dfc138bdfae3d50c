/**
 * Plays a scenario's timeline against the fleet and checks its goals against
 * the fleet's state, about once a second, until the run is stopped. A stopped
 * run keeps its goals and steps so the trainer can go through them in the
 * debrief.
 */
import { FaultError, type FaultInjector, type FaultSpec } from './faults';
import { baselineOf, evaluate, type Baseline, type CheckWorld } from './goals';
import type { Scenario, ScenarioGoal, ScenarioStep } from './scenario';
import type { GoalState, TrainingRun, TrainingStep } from '../../shared/training';

/** How often goals are evaluated while a run plays. */
export const GOAL_INTERVAL_MS = 1000;

/** One goal, one timeline step and the run as the control endpoint reports them: the contract's own types. */
export type GoalStatus = GoalState;
export type StepStatus = TrainingStep;
export type RunStatus = TrainingRun;

interface StepState {
  step: ScenarioStep;
  timer?: NodeJS.Timeout;
  /** Set when the step starts playing (a fault may take a moment, e.g. a site outage). */
  started: boolean;
  applied?: { at: number; ok: boolean; result: string };
}

interface GoalRunState {
  goal: ScenarioGoal;
  text: string;
  met: boolean;
  metAt?: number;
  detail?: string;
  missed?: boolean;
  baseline: Baseline;
}

export class ScenarioRun {
  readonly startedAt: number;
  endedAt: number | undefined;
  /** What `pick` chose, and every other default the steps and checks inherit. */
  readonly defaults: Partial<FaultSpec>;
  private readonly steps: StepState[];
  private readonly goals: GoalRunState[];
  private readonly interval: NodeJS.Timeout;

  constructor(
    readonly scenario: Scenario,
    private readonly faults: FaultInjector,
    private readonly world: CheckWorld,
    private readonly now: () => number = Date.now,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.startedAt = now();
    // `pick` is resolved once, so every step and goal of a run talks about the same rack.
    this.defaults = faults.resolve({ fault: '', ...scenario.defaults });
    const target = this.target();
    this.goals = scenario.goals.map((goal) => ({ goal, text: fill(goal.text, target), met: false, baseline: baselineOf(goal.check, this.defaults as Record<string, unknown>, world) }));
    this.steps = scenario.timeline.map((step) => ({ step, started: false }));
    for (const s of this.steps) s.timer = setTimeout(() => void this.play(s), s.step.atMs);
    this.interval = setInterval(() => this.evaluate(), GOAL_INTERVAL_MS);
    this.interval.unref();
    this.evaluate();
  }

  /** The site, rack, node... the run acts on, for the trainee's view. */
  target(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.defaults)) if (k !== 'fault' && (typeof v === 'string' || typeof v === 'number')) out[k] = String(v);
    return out;
  }

  get done(): boolean {
    return this.steps.every((s) => s.applied !== undefined);
  }

  get ended(): boolean {
    return this.endedAt !== undefined;
  }

  /** Plays the next pending step now instead of at its time. Answers what it did. */
  async advance(): Promise<StepStatus> {
    if (this.ended) throw new FaultError(`scenario "${this.scenario.name}" has ended; start it again to play its steps`);
    const next = this.steps.find((s) => !s.started);
    if (!next) throw new FaultError(`every step of scenario "${this.scenario.name}" has been played already`);
    clearTimeout(next.timer);
    await this.play(next);
    return stepStatus(next);
  }

  /** Ends the run: no further steps, goals checked a last time and then frozen. */
  stop(): void {
    if (this.ended) return;
    this.evaluate();
    this.endedAt = this.now();
    clearInterval(this.interval);
    for (const s of this.steps) clearTimeout(s.timer);
  }

  /**
   * Checks every goal not yet met. A goal met once stays met (its time is
   * what the debrief reports); a `before` goal not met when its step plays
   * is missed for good.
   */
  evaluate(): void {
    if (this.ended) return;
    const now = this.now();
    // In file order, so a goal that `requires` an earlier one sees it met in the same pass.
    for (const g of this.goals) {
      if (g.met) continue;
      const { after, before, check } = g.goal;
      if (before && this.steps.some((s) => s.step.fault === before && s.started)) {
        if (!g.missed) g.detail = `missed: not met before ${before}${g.detail ? ` (${g.detail})` : ''}`;
        g.missed = true;
        continue;
      }
      const required = g.goal.requires ? this.goals.find((x) => x.goal.id === g.goal.requires) : undefined;
      if (required && !required.met) {
        g.detail = `counts once this is met: ${required.text}`;
        continue;
      }
      // What happened before a required goal was met does not count for this one (a handover written mid-incident is not the one "once rolled back").
      let since = required?.metAt ?? this.startedAt;
      if (after) {
        const mine = this.steps.filter((s) => s.step.fault === after);
        if (!mine.every((s) => s.applied)) {
          g.detail = `counts once ${after} has played`;
          continue;
        }
        since = Math.max(since, ...mine.map((s) => s.applied?.at ?? 0));
      }
      try {
        const r = evaluate(check, this.defaults as Record<string, unknown>, this.world, since, g.baseline);
        g.detail = r.detail;
        if (r.met) {
          g.met = true;
          g.metAt = now;
          this.log(`[scenario ${this.scenario.name}] goal met: ${g.text}`);
        }
      } catch (e) {
        g.detail = `cannot be checked: ${(e as Error).message}`;
      }
    }
  }

  private async play(s: StepState): Promise<void> {
    if (this.ended || s.started) return;
    // Goals due before this step get their last look at the fleet now.
    this.evaluate();
    s.started = true;
    const spec = { ...this.defaults, ...s.step } as FaultSpec & { atMs?: number };
    delete spec.atMs;
    const offset = `+${Math.round((this.now() - this.startedAt) / 1000)}s`;
    try {
      const result = await this.faults.apply(spec);
      s.applied = { at: this.now(), ok: true, result };
      this.log(`[scenario ${this.scenario.name}] ${offset} ${result}`);
    } catch (e) {
      s.applied = { at: this.now(), ok: false, result: (e as Error).message };
      this.log(`[scenario ${this.scenario.name}] ${offset} ${s.step.fault} failed: ${(e as Error).message}`);
    }
    this.evaluate();
  }

  /** The run as the control endpoint reports it. */
  status(): RunStatus {
    return {
      name: this.scenario.name,
      title: this.scenario.title,
      briefing: this.scenario.briefing,
      startedAt: this.startedAt,
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt } : {}),
      target: this.target(),
      goals: this.goals.map((g) => ({ id: g.goal.id, text: g.text, met: g.met, ...(g.metAt !== undefined ? { metAt: g.metAt } : {}), ...(g.detail ? { detail: g.detail } : {}) })),
      steps: this.steps.map(stepStatus),
    };
  }
}

function stepStatus(s: StepState): StepStatus {
  return { atMs: s.step.atMs, fault: s.step.fault, ...(s.applied ? { applied: { ...s.applied } } : {}) };
}

/** `${rack}` → the run's rack; unknown names stay as written. */
export function fill(text: string, target: Record<string, string>): string {
  return text.replace(/\$\{([a-zA-Z]+)\}/g, (m, k: string) => target[k] ?? m);
}
