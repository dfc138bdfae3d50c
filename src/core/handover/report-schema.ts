/**
 * What a stored report must look like to be shown: a ConfigMap in the
 * cluster is anyone's to edit (with the rights), so a report read back is
 * validated, never trusted. Unknown fields are dropped (a newer console's
 * additions); missing or mistyped ones make the report malformed.
 */
import { z } from 'zod';
import { HANDOVER_VERSION, type HandoverReport } from './types';

// Generous caps: a report's own strings are capped lower when collected; these only stop absurd input.
const s = z.string().max(8192);
const name = z.string().max(512);
const iso = z.string().max(64);
const count = z.number().int().min(0).max(1e9);
const list = <T extends z.ZodType>(t: T) => z.array(t).max(20_000);

const nodeRef = z.object({ name, rack: name.optional() });
const workloadRef = z.object({ namespace: name, kind: name, name });
const maintenance = z.object({ scope: name, holder: name, since: iso, runbook: name.optional(), run: name.optional(), reason: s.optional() });
const note = z.object({ id: name, text: s, open: z.boolean(), by: name, since: iso, closedBy: name.optional() });

const site = z.object({
  site: name,
  name,
  reachable: z.boolean(),
  problems: list(s),
  notReadyNodes: list(z.object({ name, rack: name.optional(), ready: z.enum(['False', 'Unknown']), since: iso.optional() })),
  cordonedNodes: list(z.object({ name, rack: name.optional(), by: name.optional(), reason: s.optional(), at: iso.optional() })),
  maintenance: list(maintenance),
  crashloops: list(z.object({ namespace: name, kind: name, name, pods: count, restarts: count, ready: count.optional(), desired: count.optional() })),
  warningEvents: list(z.object({ namespace: name, object: name, reason: name, message: s, count, lastSeen: iso })),
  warningEventsTotal: count,
  alerts: z
    .object({
      firing: list(z.object({ name, severity: name.optional(), target: name, summary: s.optional(), startsAt: iso, silenced: z.boolean() })),
      total: count,
      problem: s.optional(),
    })
    .optional(),
});

const run = z.object({
  run: name,
  runbook: name,
  site: name.optional(),
  sites: list(name),
  who: name,
  started: iso.optional(),
  ended: iso.optional(),
  result: z.enum(['succeeded', 'failed', 'refused', 'aborted', 'running']),
  actions: count,
  failedActions: count,
});

const siteDiff = z.object({
  site: name,
  name,
  compared: z.boolean(),
  why: s.optional(),
  notReady: list(nodeRef),
  recovered: list(nodeRef),
  cordoned: list(nodeRef),
  uncordoned: list(nodeRef),
  crashloopsStarted: list(workloadRef),
  crashloopsEnded: list(workloadRef),
  maintenanceStarted: list(maintenance),
  maintenanceEnded: list(maintenance),
});

const report = z.object({
  version: z.literal(HANDOVER_VERSION),
  id: name,
  createdAt: iso.refine((v) => Number.isFinite(Date.parse(v)), 'not a time'),
  by: name,
  shiftStart: iso,
  sites: list(site),
  runbooks: list(run),
  notes: list(note),
  diff: z.object({ previous: z.object({ id: name, createdAt: iso, by: name }), sites: list(siteDiff), notesAdded: list(note), notesClosed: list(note) }).optional(),
  notices: list(s),
});

// The schema and the types must not drift apart: this fails to compile if the schema's output is not a HandoverReport.
const _fits: (r: z.output<typeof report>) => HandoverReport = (r) => r;
void _fits;

/** The report in `json`, or why it is not one (first problem, with its path). */
export function parseReport(json: string): { ok: true; report: HandoverReport } | { ok: false; why: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    return { ok: false, why: `report.json is not JSON: ${(e as Error).message}` };
  }
  const r = report.safeParse(value);
  if (r.success) return { ok: true, report: r.data };
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, why: `report.json is not a handover report${where}: ${issue?.message ?? 'invalid'}` };
}
