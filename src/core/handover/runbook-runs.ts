/**
 * The runbooks run during a shift, rebuilt from the audit trail: every entry
 * a run leaves carries `runbook: {run, name, step}`; `runbook.start` and
 * `runbook.end` mark its ends, the entries in between are its actions.
 */
import type { AuditEntry } from '../../shared/audit';
import { text } from '../kube/projections';
import type { RunbookRun, RunbookRunResult } from './types';

const START = 'runbook.start';
const END = 'runbook.end';
const ENDED_STATES: readonly RunbookRunResult[] = ['succeeded', 'failed', 'aborted', 'refused'];

/**
 * The runs with entries in [fromMs, toMs], oldest first. A run that began
 * before the shift has no `started`; one still going has no `ended` and the
 * result `running`. A `runbook.start` that was refused (a guard, a Lease
 * held elsewhere) is a run that ended there, refused.
 */
export function runbookRuns(entries: readonly AuditEntry[], fromMs: number, toMs: number): RunbookRun[] {
  const inShift = entries
    .filter((e) => e.runbook !== undefined && typeof e.runbook.run === 'string' && inWindow(e.at, fromMs, toMs))
    // The source may give any order; seq is the trail's own.
    .sort((a, b) => a.seq - b.seq);
  const runs = new Map<string, { run: RunbookRun; first: AuditEntry; start?: AuditEntry }>();
  for (const e of inShift) {
    const rb = e.runbook as NonNullable<AuditEntry['runbook']>;
    let r = runs.get(rb.run);
    if (!r) {
      r = { first: e, run: { run: text(rb.run, 253), runbook: text(rb.name, 253), sites: [], who: text(e.who, 253), result: 'running', actions: 0, failedActions: 0 } };
      runs.set(rb.run, r);
    }
    const site = e.site ? text(e.site, 63) : '';
    if (site && !r.run.sites.includes(site)) r.run.sites.push(site);
    if (e.verb === START) {
      r.start = e;
      r.run.started = e.at;
      r.run.who = text(e.who, 253);
      if (e.result !== 'ok') {
        r.run.ended = e.at;
        r.run.result = e.result === 'refused' ? 'refused' : 'failed';
      }
    } else if (e.verb === END) {
      r.run.ended = e.at;
      r.run.result = endResult(e);
    } else {
      r.run.actions++;
      if (e.result !== 'ok') r.run.failedActions++;
    }
  }
  const out: RunbookRun[] = [];
  for (const { run, first, start } of runs.values()) {
    const site = start?.site ?? first.site;
    if (site) run.site = text(site, 63);
    out.push(run);
  }
  return out.sort((a, b) => (a.started ?? '').localeCompare(b.started ?? '') || a.run.localeCompare(b.run));
}

/** How a run ended: the engine's final state when the entry carries it (`data.state`), else its result. */
function endResult(e: AuditEntry): RunbookRunResult {
  const state = e.data?.state;
  if (typeof state === 'string' && (ENDED_STATES as readonly string[]).includes(state)) return state as RunbookRunResult;
  return e.result === 'ok' ? 'succeeded' : e.result;
}

function inWindow(at: string, fromMs: number, toMs: number): boolean {
  const t = Date.parse(at);
  return Number.isFinite(t) && t >= fromMs && t <= toMs;
}
