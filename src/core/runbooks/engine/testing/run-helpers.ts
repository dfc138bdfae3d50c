/** Test helpers: plan and run a runbook to its end; read a run's journal. */
import type { RunStatus, Runbook } from '../../../../shared/runbooks';
import type { RunbookEngine } from '../engine';
import { journalFile, readJournal, type JournalRecord } from '../journal';
import type { EnginePlan, ParamValue } from '../types';

/** Plans, checks the plan has no blockers, runs, and resolves with the final status and the plan. */
export async function runToEnd(engine: RunbookEngine, rb: Runbook, params: Record<string, ParamValue>, by = 'test@example'): Promise<{ status: RunStatus; plan: EnginePlan; run: string }> {
  const plan = await engine.plan(rb, params);
  if (plan.blockers.length > 0) throw new Error(`unexpected blockers: ${plan.blockers.join('; ')}`);
  const run = engine.start(plan, by);
  return { status: await engine.done(run), plan, run };
}

export function journal(dataDir: string, run: string): JournalRecord[] {
  return readJournal(journalFile(dataDir, run)).records;
}
