/**
 * Training sessions on the training fleet: a trainer starts a scenario (or
 * injects a fault), the trainee sees its briefing and goals, the fleet
 * checks the goals against its own state, and a debrief lists what was done
 * (from the audit trail) and how long it took.
 */
import type { AuditEntry } from './audit';

/** A fault a trainer can inject, as the fleet's catalogue describes it. */
export interface FaultDoc {
  name: string;
  summary: string;
  /** The fields it needs (`site`, `rack`, `node`, ...). */
  params: string[];
}

/** One shipped scenario. */
export interface ScenarioSummary {
  name: string;
  title: string;
  summary: string;
  briefing: string;
  goals: { id: string; text: string }[];
  /** Timeline steps (faults) it plays. */
  steps: number;
}

export interface GoalState {
  id: string;
  text: string;
  met: boolean;
  /** Epoch ms when the fleet first found it met. */
  metAt?: number;
  /** Why it is not met yet, in words a trainee can act on (e.g. "3 of 8 nodes of rack B-07 still schedulable"). */
  detail?: string;
}

export interface TrainingStep {
  /** Offset from the scenario's start, ms. */
  atMs: number;
  fault: string;
  /** Set once applied: what the fleet did, or why it could not. */
  applied?: { at: number; ok: boolean; result: string };
}

/** A scenario being played (or just ended). */
export interface TrainingRun {
  name: string;
  title: string;
  briefing: string;
  /** Epoch ms. */
  startedAt: number;
  endedAt?: number;
  /** What `pick` chose for this run: the site, rack, node... the faults act on. */
  target: Record<string, string>;
  goals: GoalState[];
  steps: TrainingStep[];
}

export interface TrainingStatus {
  /** False when the console is connected to configured clusters, not the training fleet. */
  available: boolean;
  run: TrainingRun | null;
}

/** What a run came to, for the trainer and the trainee to go through together. */
export interface Debrief {
  name: string;
  title: string;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  /** Goals with the time from the start to when each was met. */
  goals: (GoalState & { afterMs?: number })[];
  /** Faults the fleet played, in order. */
  steps: TrainingStep[];
  /** Every audited action during the run, oldest first. */
  actions: AuditEntry[];
}
