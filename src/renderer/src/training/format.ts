/**
 * Words and numbers for the training panel and the debrief's Markdown: the
 * elapsed time, when a goal was met, an audit entry in one line. Scenario
 * text and audit details are untrusted: control characters are replaced
 * before anything is shown or written to a file.
 */
import type { AuditEntry } from '../../../shared/audit';
import type { Debrief, TrainingRun, TrainingStatus } from '../../../shared/training';
import { sanitizeText } from '../../../shared/text';

/** Text as shown: control and bidi-override characters become U+FFFD (newlines and tabs stay). */
export function shown(s: string): string {
  return sanitizeText(s, { multiline: true, max: Number.MAX_SAFE_INTEGER });
}

/** 75_000 → `1:15`; 3_725_000 → `1:02:05`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** `site fra · rack B-07`: what the run acts on. */
export function formatTarget(target: Record<string, string>): string {
  const order = ['site', 'rack', 'node', 'namespace', 'deployment'];
  const keys = [...order.filter((k) => target[k] !== undefined), ...Object.keys(target).filter((k) => !order.includes(k))];
  return keys.map((k) => `${k} ${shown(target[k] ?? '')}`).join(' · ');
}

/** Whether a run is playing (started, not ended). */
export function playing(status: TrainingStatus | null): status is TrainingStatus & { run: TrainingRun } {
  return status?.run !== null && status?.run !== undefined && status.run.endedAt === undefined;
}

/** One audit entry as the debrief lists it: who did what to which object. */
export function actionLine(e: AuditEntry): { who: string; what: string; object: string; site: string; result: string } {
  const what = e.runbook ? `${e.verb} (runbook ${e.runbook.name})` : e.verb;
  const object = e.object ? `${e.object.kind} ${e.object.namespace ? `${e.object.namespace}/` : ''}${e.object.name}` : '';
  return { who: shown(e.who), what: shown(what), object: shown(object), site: shown(e.site ?? ''), result: e.result };
}

/** 24-hour wall-clock time of an epoch ms or ISO time, in UTC (a training room shares no time zone with the fleet). */
export function clock(t: number | string): string {
  return new Date(t).toISOString().slice(11, 19);
}

/** Markdown cell: no pipes or newlines to break the table. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** The debrief as a Markdown document, to keep with the session's notes. */
export function debriefMarkdown(d: Debrief): string {
  const lines: string[] = [];
  lines.push(`# Debrief: ${cell(shown(d.title))}`, '');
  lines.push(`- Scenario: \`${shown(d.name)}\``);
  lines.push(`- Started: ${new Date(d.startedAt).toISOString()}`);
  lines.push(`- Ended: ${new Date(d.endedAt).toISOString()}`);
  lines.push(`- Duration: ${formatElapsed(d.durationMs)}`);
  const met = d.goals.filter((g) => g.met).length;
  lines.push(`- Goals met: ${met} of ${d.goals.length}`, '');
  lines.push('## Goals', '', '| Goal | Met | After | Detail |', '| --- | --- | --- | --- |');
  for (const g of d.goals) lines.push(`| ${cell(shown(g.text))} | ${g.met ? 'yes' : 'not met'} | ${g.afterMs !== undefined ? formatElapsed(g.afterMs) : ''} | ${cell(shown(g.detail ?? ''))} |`);
  lines.push('', '## Faults played', '', '| At | Fault | Result |', '| --- | --- | --- |');
  for (const s of d.steps) lines.push(`| ${s.applied ? formatElapsed(s.applied.at - d.startedAt) : 'not played'} | ${cell(shown(s.fault))} | ${cell(shown(s.applied ? `${s.applied.ok ? '' : 'failed: '}${s.applied.result}` : ''))} |`);
  lines.push('', `## Actions (${d.actions.length}, from the audit trail)`, '', '| Time (UTC) | Who | What | Object | Site | Result |', '| --- | --- | --- | --- | --- | --- |');
  for (const e of d.actions) {
    const a = actionLine(e);
    lines.push(`| ${clock(e.at)} | ${cell(a.who)} | ${cell(a.what)} | ${cell(a.object)} | ${cell(a.site)} | ${a.result} |`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A goal's text before its run has chosen what it acts on: `${rack}` reads
 * `‹rack›`, a blank the fleet fills in with the real name once the run starts.
 */
export function unresolved(text: string): string {
  return text.replace(/\$\{([a-z]+)\}/g, (_, name: string) => `‹${name}›`);
}
