/** Plays a scenario's timeline against the fleet. */
import type { FaultInjector, FaultSpec } from './faults';
import type { Scenario } from './scenario';

export interface AppliedStep {
  atMs: number;
  fault: string;
  result: string;
  ok: boolean;
}

export class ScenarioRun {
  readonly applied: AppliedStep[] = [];
  readonly startedAt: number;
  private readonly defaults: Partial<FaultSpec>;
  private stopped = false;

  constructor(
    readonly scenario: Scenario,
    private readonly faults: FaultInjector,
    now: number,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.startedAt = now;
    // `pick` is resolved once, so every step of a run talks about the same rack.
    this.defaults = faults.resolve({ fault: '', ...scenario.defaults });
    for (const step of scenario.timeline) {
      faults.later(step.atMs, () => void this.apply(step));
    }
  }

  private async apply(step: FaultSpec & { atMs: number }): Promise<void> {
    if (this.stopped) return;
    const spec = { ...this.defaults, ...step } as FaultSpec;
    try {
      const result = await this.faults.apply(spec);
      this.applied.push({ atMs: step.atMs, fault: step.fault, result, ok: true });
      this.log(`[scenario ${this.scenario.name}] +${Math.round(step.atMs / 1000)}s ${result}`);
    } catch (e) {
      this.applied.push({ atMs: step.atMs, fault: step.fault, result: (e as Error).message, ok: false });
      this.log(`[scenario ${this.scenario.name}] +${Math.round(step.atMs / 1000)}s ${step.fault} failed: ${(e as Error).message}`);
    }
  }

  get done(): boolean {
    return this.applied.length === this.scenario.timeline.length;
  }

  stop(): void {
    this.stopped = true;
  }

  /** The run as the control endpoint reports it. */
  status(): unknown {
    return { name: this.scenario.name, title: this.scenario.title, startedAt: new Date(this.startedAt).toISOString(), defaults: this.defaults, applied: this.applied, steps: this.scenario.timeline.length, done: this.done };
  }
}
