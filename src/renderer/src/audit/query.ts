/**
 * The audit view's filter: from the form's text fields to a query, and the
 * same match the host applies (core/audit's matcher), so live entries join
 * the table only when the query would have returned them.
 */
import type { AuditEntry } from '../../../shared/audit';
import type { AuditFilter } from './state';

/** The filter form's fields as typed; times are `datetime-local` values read as UTC (every time on screen is UTC). */
export interface AuditForm {
  site: string;
  who: string;
  verb: string;
  text: string;
  from: string;
  to: string;
}

/** An empty form: every entry. */
export const EMPTY_FORM: AuditForm = { site: '', who: '', verb: '', text: '', from: '', to: '' };

/** The verbs the console writes today, offered as suggestions (any verb can be typed). */
export const KNOWN_VERBS = ['cordon', 'uncordon', 'drain', 'evict', 'scale', 'rollout-restart', 'patch', 'label', 'annotate', 'edit', 'exec', 'runbook.start', 'runbook.end', 'handover'];

/** A minute as the `datetime-local` input gives it (`2025-06-01T14:05`, seconds optional), read as UTC; NaN when it is not one. */
function utcMinute(value: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value) ? Date.parse(`${value}Z`) : Number.NaN;
}

/**
 * The form as a filter, or the reason it is not one. Empty fields filter
 * nothing. `to` includes the whole minute it names, as an admin reading
 * "until 14:05" expects.
 */
export function formToFilter(form: AuditForm): AuditFilter | { problem: string } {
  const f: AuditFilter = {};
  const site = form.site.trim();
  const who = form.who.trim();
  const verb = form.verb.trim();
  const text = form.text.trim();
  if (site) f.site = site;
  if (who) f.who = who;
  if (verb) f.verb = verb;
  if (text) f.text = text;
  if (form.from.trim()) {
    const t = utcMinute(form.from.trim());
    if (Number.isNaN(t)) return { problem: `"${form.from}" is not a time (YYYY-MM-DDTHH:MM, UTC)` };
    f.from = t;
  }
  if (form.to.trim()) {
    const t = utcMinute(form.to.trim());
    if (Number.isNaN(t)) return { problem: `"${form.to}" is not a time (YYYY-MM-DDTHH:MM, UTC)` };
    f.to = form.to.trim().length === 16 ? t + 59_999 : t;
  }
  if (f.from !== undefined && f.to !== undefined && f.from > f.to) return { problem: 'the time range ends before it starts' };
  return f;
}

/** A `datetime-local` value (UTC) for epoch ms: minutes, or seconds when the time has any. */
function localValue(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.slice(0, ms % 60_000 === 0 ? 16 : 19);
}

/** The form that gives `f` (when the view opens again with the filter it had). */
export function filterToForm(f: AuditFilter): AuditForm {
  // A "to" that ends a whole minute was typed as that minute.
  const to = f.to === undefined ? '' : (f.to + 1) % 60_000 === 0 ? localValue(f.to - 59_999) : localValue(f.to);
  return { site: f.site ?? '', who: f.who ?? '', verb: f.verb ?? '', text: f.text ?? '', from: f.from === undefined ? '' : localValue(f.from), to };
}

/** Whether the host's query for `f` would return `e` (exact site, who and verb; text in the object's name or the detail; time within bounds). */
export function matchesFilter(f: AuditFilter, e: AuditEntry): boolean {
  if (f.site !== undefined && e.site !== f.site) return false;
  if (f.who !== undefined && e.who !== f.who) return false;
  if (f.verb !== undefined && e.verb !== f.verb) return false;
  const text = f.text?.toLowerCase();
  if (text && !(String(e.object?.name ?? '').toLowerCase().includes(text) || String(e.detail ?? '').toLowerCase().includes(text))) return false;
  if (f.from !== undefined || f.to !== undefined) {
    const t = Date.parse(e.at);
    if (f.from !== undefined && !(t >= f.from)) return false;
    if (f.to !== undefined && !(t <= f.to)) return false;
  }
  return true;
}

/** An event payload worth showing: the host is trusted, but a malformed entry must not break the table. */
export function isAuditEntry(e: unknown): e is AuditEntry {
  if (e === null || typeof e !== 'object') return false;
  const x = e as Partial<AuditEntry>;
  return typeof x.seq === 'number' && typeof x.at === 'string' && typeof x.who === 'string' && typeof x.verb === 'string' && typeof x.result === 'string';
}

/**
 * `entries` (newest first) with the live ones that belong on top: those
 * newer than the newest shown, each once, newest first, at most `limit`.
 */
export function prependLive(entries: readonly AuditEntry[], live: readonly AuditEntry[], limit: number): AuditEntry[] {
  const top = entries[0]?.seq ?? Number.NEGATIVE_INFINITY;
  const fresh = new Map<number, AuditEntry>();
  for (const e of live) if (e.seq > top) fresh.set(e.seq, e);
  if (fresh.size === 0) return entries.slice(0, limit);
  return [...[...fresh.values()].sort((a, b) => b.seq - a.seq), ...entries].slice(0, limit);
}

/** `Node fra-a-r01-u04`, `Deployment shop/cart`: an entry's object as the table shows it. */
export function objectText(e: AuditEntry): string {
  if (!e.object) return '';
  return `${e.object.kind} ${e.object.namespace ? `${e.object.namespace}/` : ''}${e.object.name}`;
}

/** `drain-node · cordon (run-…)`: which runbook step took the action. */
export function runbookText(e: AuditEntry): string {
  if (!e.runbook) return '';
  return `${e.runbook.name}${e.runbook.step ? ` · ${e.runbook.step}` : ''} (${e.runbook.run})`;
}
