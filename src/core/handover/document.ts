/**
 * The report laid out once, as headings, paragraphs, lists and tables of
 * plain text, for both renderers (Markdown and HTML) to escape and print in
 * their own syntax. Nothing here escapes: every string stays as the report
 * has it.
 */
import { formatTime, siteChanges } from '../../shared/handover-text';
import type { HandoverDiff, HandoverNote, HandoverReport, RunbookRun, SiteDiff, SiteHandover, SiteHandoverAlerts } from './types';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; tone?: 'muted' | 'warning' }
  /** `checked`: a note's state, whose text keeps its line breaks; undefined: a plain one-line item. */
  | { kind: 'list'; items: { text: string; checked?: boolean }[] }
  /** Cells are one line each: renderers flatten line breaks. `align` marks numeric columns. */
  | { kind: 'table'; columns: string[]; rows: string[][]; align?: ('left' | 'right')[] };

const time = (iso: string | undefined): string => formatTime(iso, { zone: false });

/** The report as blocks, in reading order: title, what changed, notes, runbooks, then every site. */
export function reportDocument(r: HandoverReport): Block[] {
  const out: Block[] = [
    { kind: 'heading', level: 1, text: `Shift handover ${formatTime(r.createdAt, { seconds: false })} by ${r.by}` },
    { kind: 'paragraph', text: `Shift from ${formatTime(r.shiftStart, { seconds: false })} to ${formatTime(r.createdAt, { seconds: false })}. Report ${r.id}. All times UTC.`, tone: 'muted' },
  ];
  for (const n of r.notices) out.push({ kind: 'paragraph', text: n, tone: 'warning' });
  if (r.diff) out.push(...diffBlocks(r.diff));
  out.push(...noteBlocks(r.notes), ...runbookBlocks(r.runbooks));
  for (const s of r.sites) out.push(...siteBlocks(s));
  return out;
}

function diffBlocks(d: HandoverDiff): Block[] {
  const out: Block[] = [
    { kind: 'heading', level: 2, text: 'Since the last handover' },
    { kind: 'paragraph', text: `Compared with ${d.previous.id} by ${d.previous.by} at ${formatTime(d.previous.createdAt, { seconds: false })}.`, tone: 'muted' },
  ];
  const items: { text: string }[] = [];
  for (const s of d.sites) items.push({ text: siteLine(s) });
  if (d.notesClosed.length > 0) items.push({ text: `Notes closed: ${d.notesClosed.length}` });
  if (d.notesAdded.length > 0) items.push({ text: `Notes added: ${d.notesAdded.length}` });
  out.push({ kind: 'list', items });
  return out;
}

function siteLine(s: SiteDiff): string {
  if (!s.compared) return `${s.name}: not compared (${s.why ?? 'unknown'})`;
  const parts = siteChanges(s);
  return `${s.name}: ${parts.length > 0 ? parts.join('; ') : 'no change'}`;
}

function noteBlocks(notes: HandoverNote[]): Block[] {
  const out: Block[] = [{ kind: 'heading', level: 2, text: 'Notes for the next shift' }];
  if (notes.length === 0) return [...out, { kind: 'paragraph', text: 'None.', tone: 'muted' }];
  const items = notes.map((n) => ({
    checked: !n.open,
    text: `${n.text}\n(${n.by}, ${time(n.since)}${n.closedBy ? `; closed by ${n.closedBy}` : ''}; ${n.id})`,
  }));
  return [...out, { kind: 'list', items }];
}

function runbookBlocks(runs: RunbookRun[]): Block[] {
  const out: Block[] = [{ kind: 'heading', level: 2, text: 'Runbooks run during the shift' }];
  if (runs.length === 0) return [...out, { kind: 'paragraph', text: 'None.', tone: 'muted' }];
  return [
    ...out,
    {
      kind: 'table',
      columns: ['Runbook', 'Run', 'Site', 'Who', 'Started', 'Ended', 'Result', 'Actions'],
      align: ['left', 'left', 'left', 'left', 'left', 'left', 'left', 'right'],
      rows: runs.map((r) => [
        r.runbook,
        r.run,
        r.sites.length > 1 ? r.sites.join(', ') : (r.site ?? ''),
        r.who,
        r.started ? time(r.started) : 'before the shift',
        r.ended ? time(r.ended) : '',
        r.result,
        r.failedActions > 0 ? `${r.actions} (${r.failedActions} failed)` : String(r.actions),
      ]),
    },
  ];
}

function alertBlocks(a: SiteHandoverAlerts): Block[] {
  const shown = a.firing.length;
  const out: Block[] = [{ kind: 'heading', level: 3, text: `Firing alerts (${shown < a.total ? `${shown} of ${a.total}` : shown})` }];
  if (a.problem) out.push({ kind: 'paragraph', text: a.problem, tone: 'warning' });
  if (shown === 0) return [...out, { kind: 'paragraph', text: a.total > 0 ? `${a.total} not listed.` : 'None.', tone: 'muted' }];
  out.push({
    kind: 'table',
    columns: ['Severity', 'Alert', 'About', 'Since', 'Summary', 'Silenced'],
    rows: a.firing.map((f) => [f.severity ?? '', f.name, f.target, time(f.startsAt), f.summary ?? '', f.silenced ? 'silenced' : '']),
  });
  return out;
}

function siteBlocks(s: SiteHandover): Block[] {
  const out: Block[] = [{ kind: 'heading', level: 2, text: `${s.name} (${s.site})` }];
  for (const p of s.problems) out.push({ kind: 'paragraph', text: p, tone: 'warning' });
  if (s.alerts) out.push(...alertBlocks(s.alerts));
  if (!s.reachable) return out;
  const section = (title: string, count: number, table: Omit<Extract<Block, { kind: 'table' }>, 'kind'>): void => {
    out.push({ kind: 'heading', level: 3, text: `${title} (${count})` });
    out.push(count === 0 ? { kind: 'paragraph', text: 'None.', tone: 'muted' } : { kind: 'table', ...table });
  };
  section('NotReady nodes', s.notReadyNodes.length, {
    columns: ['Node', 'Rack', 'Ready', 'Since'],
    rows: s.notReadyNodes.map((n) => [n.name, n.rack ?? '', n.ready, time(n.since)]),
  });
  section('Cordoned nodes', s.cordonedNodes.length, {
    columns: ['Node', 'Rack', 'By', 'Reason', 'At'],
    rows: s.cordonedNodes.map((n) => [n.name, n.rack ?? '', n.by ?? 'unknown (not cordoned through Triptych)', n.reason ?? '', time(n.at)]),
  });
  section('Maintenance in progress', s.maintenance.length, {
    columns: ['Scope', 'Holder', 'Since', 'Runbook', 'Reason'],
    rows: s.maintenance.map((m) => [m.scope, m.holder, time(m.since), m.runbook ? `${m.runbook}${m.run ? ` (${m.run})` : ''}` : '', m.reason ?? '']),
  });
  section('Crashlooping workloads', s.crashloops.length, {
    columns: ['Namespace', 'Kind', 'Name', 'Pods', 'Restarts', 'Ready'],
    align: ['left', 'left', 'left', 'right', 'right', 'right'],
    rows: s.crashloops.map((w) => [w.namespace, w.kind, w.name, String(w.pods), String(w.restarts), w.desired !== undefined ? `${w.ready ?? 0}/${w.desired}` : '']),
  });
  const shown = s.warningEvents.length;
  out.push({ kind: 'heading', level: 3, text: `Warning events during the shift (${shown < s.warningEventsTotal ? `newest ${shown} of ${s.warningEventsTotal}` : shown})` });
  out.push(
    shown === 0
      ? { kind: 'paragraph', text: s.warningEventsTotal > 0 ? `${s.warningEventsTotal} not listed.` : 'None.', tone: 'muted' }
      : {
          kind: 'table',
          columns: ['Last seen', 'Namespace', 'Object', 'Reason', 'Message', 'Count'],
          align: ['left', 'left', 'left', 'left', 'left', 'right'],
          rows: s.warningEvents.map((e) => [time(e.lastSeen), e.namespace, e.object, e.reason, e.message, String(e.count)]),
        },
  );
  return out;
}
