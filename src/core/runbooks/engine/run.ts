/**
 * One run: executes its plan step by step, journals before and after each
 * step, audits every mutating step, holds the runbook's Lease from the first
 * mutating step to the end, and answers pause, resume, abort and confirm.
 *
 * States (RunState): running ⇄ waiting-confirm (a gate), running → paused
 * (at the next step boundary) → running, and the ends: succeeded, failed,
 * aborted. Abort takes effect at the next safe point: at once when paused or
 * at a gate; inside a step, the step stops at its next check of the signal
 * (a drain sends no further evictions, a wait stops waiting).
 */
import type { AuditRecord, AuditResult } from '../../../shared/audit';
import type { RunState, RunStatus, Runbook, StepState, StepType } from '../../../shared/runbooks';
import { KubeHttpError } from '../../kube/http';
import type { Journal, Replay } from './journal';
import { HANDLERS } from './steps';
import { Aborted } from './triggers';
import { StepFailure, type EngineDeps, type EnginePlan, type EngineTuning, type LeaseHandle, type SpecOf, type StepContext, type StepOutcome } from './types';

export interface RunInit {
  id: string;
  plan: EnginePlan;
  runbook: Runbook;
  startedBy: string;
  startedAt: number;
  journal: Journal;
  deps: EngineDeps;
  tuning: EngineTuning;
  /** Set when the run is taken up again from its journal after a restart. */
  replayed?: Replay;
}

type StepStatus = RunStatus['steps'][number];

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Run {
  readonly id: string;
  private readonly plan: EnginePlan;
  private readonly deps: EngineDeps;
  private readonly journal: Journal;
  private readonly status: RunStatus;
  private readonly abortCtl = new AbortController();
  private readonly now: () => number;
  private pauseRequested = false;
  private wakeFromPause: (() => void) | undefined;
  private gateWaiter: { resolve: () => void; reject: (e: Error) => void; index: number } | undefined;
  private lease: LeaseHandle | undefined;
  /** The console is quitting: stop as a crash would (see shutdown). */
  private shuttingDown = false;
  private resolveHalted!: () => void;
  /** Resolves once execution has stopped, ended or halted for a shutdown. */
  private readonly halted = new Promise<void>((r) => (this.resolveHalted = r));
  private resolveDone!: (s: RunStatus) => void;
  /** Resolves with the final status when the run has ended. */
  readonly done: Promise<RunStatus>;

  constructor(private readonly o: RunInit) {
    this.id = o.id;
    this.plan = o.plan;
    this.deps = o.deps;
    this.journal = o.journal;
    this.now = o.deps.now ?? Date.now;
    this.done = new Promise((r) => (this.resolveDone = r));
    this.status = {
      run: o.id,
      runbook: o.plan.runbook,
      title: o.plan.title,
      state: 'running',
      startedBy: o.startedBy,
      startedAt: o.startedAt,
      params: o.plan.params,
      steps: o.plan.steps.map((s) => ({ id: s.id, type: s.type, title: s.title, site: s.site, state: 'pending' as StepState })),
    };
    for (const [i, end] of o.replayed?.ends ?? []) {
      const st = this.status.steps[i];
      if (st) Object.assign(st, { state: end.state, message: end.message, endedAt: end.at });
    }
    if (o.replayed?.paused) this.pauseRequested = true;
  }

  /** A copy of the run's progress. */
  snapshot(): RunStatus {
    return structuredClone(this.status);
  }

  private emit(): void {
    this.deps.emit?.(this.snapshot());
  }

  get ended(): boolean {
    return ['succeeded', 'failed', 'aborted'].includes(this.status.state);
  }

  /** Starts executing (from the first step without an end in the journal); returns at once. */
  launch(): void {
    void this.execute().finally(() => this.resolveHalted());
  }

  /**
   * The console quits: stop now, the way a crash would, so the next start
   * takes the run up — no step-end for the step in flight (it runs again,
   * which each step allows), no run-end, and the Lease kept, not released
   * (the restart takes it back; otherwise it lapses). Resolves once stopped.
   */
  shutdown(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.shuttingDown = true;
    this.abortCtl.abort();
    this.wakeFromPause?.();
    this.gateWaiter?.reject(new Aborted());
    return this.halted;
  }

  /** Leaves the run as a crash would: journal closed without an end, Lease not released. */
  private halt(): void {
    this.lease?.abandon?.();
    this.lease = undefined;
    this.journal.close();
  }

  // --- controls -----------------------------------------------------------

  /** Passes the gate the run waits at. */
  confirm(by: string): void {
    const w = this.gateWaiter;
    if (!w || this.status.state !== 'waiting-confirm') throw new Error(`run ${this.id} is not waiting for a confirmation (it is ${this.status.state})`);
    this.journal.append({ type: 'confirm', at: this.now(), index: w.index, by });
    this.gateWaiter = undefined;
    this.status.state = 'running';
    w.resolve();
    this.emit();
  }

  /** Stops before the next step (the current one finishes). */
  pause(by: string): void {
    if (this.ended) throw new Error(`run ${this.id} has ended (${this.status.state})`);
    if (this.pauseRequested) return;
    this.journal.append({ type: 'pause', at: this.now(), by });
    this.pauseRequested = true;
    this.emit();
  }

  resume(by: string): void {
    if (this.ended) throw new Error(`run ${this.id} has ended (${this.status.state})`);
    if (!this.pauseRequested) return;
    this.journal.append({ type: 'resume', at: this.now(), by });
    this.pauseRequested = false;
    const wake = this.wakeFromPause;
    this.wakeFromPause = undefined;
    wake?.();
    this.emit();
  }

  abort(by: string): void {
    if (this.ended || this.abortCtl.signal.aborted) return;
    this.journal.append({ type: 'abort', at: this.now(), by });
    this.status.error = `aborted by ${by}`;
    this.abortCtl.abort();
    this.wakeFromPause?.();
    this.gateWaiter?.reject(new Aborted());
    this.emit();
  }

  // --- execution ----------------------------------------------------------

  private async execute(): Promise<void> {
    const r = this.o.replayed;
    try {
      if (!r) await this.audit({ verb: 'runbook.start', result: 'ok', detail: this.plan.title, data: { params: this.plan.params } });
      if (r?.aborted) return await this.finish('aborted', this.status.error ?? 'aborted before the restart');
      const failed = [...(r?.ends.values() ?? [])].find((e) => e.state === 'failed');
      if (failed) return await this.finish('failed', failed.message);
      // A run taken up again that had begun changing things holds its Lease again before going on.
      if (r && this.plan.lease && [...r.begins.keys()].some((i) => this.plan.steps[i]?.mutates)) {
        const refused = await this.takeLease();
        if (refused) return await this.finish('failed', refused);
      }
      for (let i = r?.next ?? 0; i < this.plan.steps.length; i++) {
        await this.boundary();
        if (this.shuttingDown) return this.halt();
        if (this.abortCtl.signal.aborted) return await this.finish('aborted', this.status.error);
        const step = this.plan.steps[i];
        if (step?.mutates && this.plan.lease && !this.lease) {
          const refused = await this.takeLease();
          if (refused) return await this.finish('failed', refused);
        }
        const failure = await this.runStep(i, (r?.begins.get(i) ?? 0) > 0);
        if (this.shuttingDown) return this.halt();
        if (failure !== undefined) return await (this.abortCtl.signal.aborted ? this.finish('aborted', this.status.error) : this.finish('failed', failure));
      }
      await this.finish('succeeded');
    } catch (e) {
      if (this.shuttingDown) return this.halt();
      // The journal or the audit could not be written: stop changing things.
      await this.finish('failed', message(e)).catch(() => undefined);
    }
  }

  /** Waits here while paused; the run's state says so. */
  private async boundary(): Promise<void> {
    if (!this.pauseRequested || this.abortCtl.signal.aborted) return;
    this.status.state = 'paused';
    this.status.current = undefined;
    this.emit();
    await new Promise<void>((resolve) => (this.wakeFromPause = resolve));
    if (!this.abortCtl.signal.aborted) {
      this.status.state = 'running';
      this.emit();
    }
  }

  /** Takes the Lease; the refusal's message when someone else holds it. */
  private async takeLease(): Promise<string | undefined> {
    const l = this.plan.lease;
    if (!l || !this.deps.acquireLease) return l ? 'this runbook holds a Lease, and no coordination is configured' : undefined;
    try {
      this.lease = await this.deps.acquireLease({ site: l.site, scope: l.scope, holder: this.status.startedBy, runbook: this.plan.runbook, run: this.id, reason: this.plan.title, durationMs: l.durationMs });
      return undefined;
    } catch (e) {
      return `the Lease ${l.scope} at ${this.deps.siteName?.(l.site) ?? l.site} was refused: ${message(e)}`;
    }
  }

  /** Runs step `i`; undefined when it succeeded, else why it did not. */
  private async runStep(i: number, resumed: boolean): Promise<string | undefined> {
    const step = this.plan.steps[i];
    const st = this.status.steps[i] as StepStatus;
    if (!step) return `no step ${i}`;
    this.journal.append({ type: 'step-begin', at: this.now(), index: i, step: step.id });
    Object.assign(st, { state: 'running', startedAt: this.now(), message: undefined, progress: undefined });
    this.status.current = i;
    this.emit();

    const state: Record<string, unknown> = { ...this.o.replayed?.state.get(i) };
    const deps = this.deps;
    const ctx: StepContext = {
      site: step.site,
      // Read lazily: siteless steps (confirm, note, report) never reach for a client.
      get http() {
        return deps.http(step.site);
      },
      cache: deps.cache,
      deps,
      tuning: this.o.tuning,
      steps: this.plan.steps,
      index: i,
      siteName: (s) => this.deps.siteName?.(s) ?? s,
      now: this.now,
      run: this.id,
      runbook: this.plan.runbook,
      step,
      who: this.status.startedBy,
      signal: this.abortCtl.signal,
      resumed,
      progress: (p) => {
        if (p.total !== undefined) st.progress = { done: p.done ?? 0, total: p.total };
        if (p.message !== undefined) st.message = p.message;
        this.emit();
      },
      remember: (key, value) => {
        this.journal.append({ type: 'step-state', at: this.now(), index: i, key, value });
        state[key] = value;
      },
      recall: <T>(key: string) => state[key] as T | undefined,
      gate: (text) => this.gate(i, text),
      status: () => this.snapshot(),
    };

    let outcome: StepOutcome | undefined;
    let failure: { message: string; result: Exclude<AuditResult, 'ok'>; data?: Record<string, unknown> } | undefined;
    try {
      const handler = HANDLERS[step.type as StepType] as { run(c: StepContext, s: SpecOf<StepType>): Promise<StepOutcome> };
      outcome = await handler.run(ctx, step.spec);
    } catch (e) {
      if (e instanceof StepFailure) failure = { message: e.message, result: e.result, data: e.data };
      else if (e instanceof Aborted) failure = { message: 'aborted', result: 'failed' };
      else if (e instanceof KubeHttpError) failure = { message: `${e.message} (HTTP ${e.status})`, result: e.status === 401 || e.status === 403 ? 'refused' : 'failed' };
      else if (this.abortCtl.signal.aborted) failure = { message: 'aborted', result: 'failed' };
      else failure = { message: message(e), result: 'failed' };
    }

    // Cut short by the console quitting: no audit, no step-end — the step runs again at the next start.
    if (this.shuttingDown) return 'the console quit';
    // The audit first, then step-end: after a crash between the two the step runs again (it is
    // idempotent) and is audited twice, rather than done and missing from the audit trail.
    let auditError: string | undefined;
    if (step.mutates) {
      try {
        await this.audit({
          verb: step.type,
          site: step.site,
          object: step.touches[0] ? { kind: step.touches[0].kind, name: step.touches[0].name, ...(step.touches[0].namespace ? { namespace: step.touches[0].namespace } : {}) } : undefined,
          result: failure ? failure.result : 'ok',
          detail: failure ? failure.message : outcome?.message,
          runbook: { run: this.id, name: this.plan.runbook, step: step.id },
          data: { ...(failure ? failure.data : outcome?.data), ...(resumed ? { resumed: true } : {}) },
        });
      } catch (e) {
        auditError = `the audit trail could not be written: ${message(e)}`;
      }
    }
    const end: StepState = failure ? 'failed' : 'succeeded';
    const text = failure ? failure.message : (outcome?.message ?? '');
    this.journal.append({ type: 'step-end', at: this.now(), index: i, step: step.id, state: end, message: text, ...((failure?.data ?? outcome?.data) ? { data: failure?.data ?? outcome?.data } : {}) });
    Object.assign(st, { state: end, endedAt: this.now(), message: text });
    this.emit();
    return failure ? `${step.title}: ${failure.message}` : auditError;
  }

  private gate(index: number, text: string): Promise<void> {
    // Confirmed before a restart: the journal holds it.
    if (this.o.replayed?.confirmed.has(index)) return Promise.resolve();
    if (this.abortCtl.signal.aborted) return Promise.reject(new Aborted());
    const st = this.status.steps[index] as StepStatus;
    st.message = text;
    this.status.state = 'waiting-confirm';
    const p = new Promise<void>((resolve, reject) => (this.gateWaiter = { resolve, reject, index }));
    this.emit();
    return p;
  }

  private async audit(r: Omit<AuditRecord, 'who' | 'site' | 'runbook'> & Partial<Pick<AuditRecord, 'site' | 'runbook'>>): Promise<void> {
    const record: AuditRecord = { who: this.status.startedBy, site: this.plan.site, runbook: { run: this.id, name: this.plan.runbook }, ...r };
    if (record.site === undefined) delete record.site;
    if (record.object === undefined) delete record.object;
    await this.deps.audit(record);
  }

  private async finish(state: RunState, error?: string): Promise<void> {
    if (this.ended) return;
    this.gateWaiter = undefined;
    if (this.lease) {
      try {
        await this.lease.release();
      } catch (e) {
        // It expires by itself; say so rather than fail a run that did its work.
        error = `${error ? `${error}; ` : ''}the Lease could not be released (it expires by itself): ${message(e)}`;
      }
      this.lease = undefined;
    }
    for (const st of this.status.steps) if (st.state === 'pending' && state !== 'succeeded') st.state = 'skipped';
    try {
      await this.audit({ verb: 'runbook.end', result: state === 'succeeded' ? 'ok' : 'failed', detail: error ? `${state}: ${error}` : state });
    } catch (e) {
      error = `${error ? `${error}; ` : ''}the audit trail could not be written: ${message(e)}`;
    }
    try {
      this.journal.append({ type: 'run-end', at: this.now(), state, ...(error ? { error } : {}) });
    } catch (e) {
      // Without its run-end the run is taken up again at the next start, and ends there.
      error = `${error ? `${error}; ` : ''}the journal could not be written: ${message(e)}`;
    }
    this.journal.close();
    this.status.state = state;
    this.status.endedAt = this.now();
    this.status.current = undefined;
    if (error) this.status.error = error;
    else delete this.status.error;
    this.emit();
    this.resolveDone(this.snapshot());
  }
}
