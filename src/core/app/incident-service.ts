/**
 * The incident timeline: operators' notes and what the console saw itself
 * (sites lost and back, alerts firing and resolved, runbooks started and
 * ended, a training scenario's faults and goals), kept in
 * `<dataDir>/incident/timeline.jsonl` and published as
 * `incident.entry`.
 *
 * Entries about one site carry its id in `site` (views show its name), not
 * in the text.
 *
 * Automatic entries come from the EventBus, so nothing else in core has to
 * know the timeline exists. Only *transitions* are written: a site's RTT is
 * measured every few seconds, an Alertmanager is polled every 30 s, and a
 * timeline that repeated those would bury the notes it is for.
 */
import { closeSync, fchmodSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { ConnectionState, SiteStatus, TriptychEvents } from '../../shared/contract/triptych';
import { alertTarget, severityRank, type Alert, type SiteAlerts } from '../../shared/alerts';
import { INCIDENT_KEEP, INCIDENT_NOTE_MAX, type IncidentEntry } from '../../shared/incident';
import type { RunState, RunStatus } from '../../shared/runbooks';
import type { AuditRecord } from '../../shared/audit';
import type { TrainingStatus } from '../../shared/training';
import { sanitizeText } from '../alerts';
import { findSecret, redactSecrets } from '../audit';

/**
 * How much of the file's end start() reads. The newest INCIDENT_KEEP entries
 * fit in it (a note is at most 1,000 characters, ~4 kB as escaped UTF-8 JSON),
 * and a timeline grown over months costs no more to open than a new one.
 */
export const TAIL_BYTES = INCIDENT_KEEP * 4_500;
/**
 * Alerts newly firing at one site in one poll written one by one; beyond this
 * the rest are one summary entry (an alert storm must not push every note
 * out of the INCIDENT_KEEP window).
 */
export const ALERTS_PER_POLL = 20;
/** The longest error text quoted from a site's status. */
const ERROR_CHARS = 300;

export interface IncidentServiceOptions {
  dataDir: string;
  bus: EventBus<TriptychEvents>;
  /** Who writes a note: the Vault identity when signed in, else the OS account. */
  who(): string;
  /** Where notes are also written (verb `incident-note`); optional so tests can leave it out. */
  audit?: { append(record: AuditRecord): unknown };
  /** The clock (tests). */
  now?: () => number;
}

/** What the console remembers per site to write transitions, not states. */
type SiteHealthClass = 'good' | 'bad' | 'neutral';

/** Connection states the room must hear about; `connecting` and `awaiting-credentials` are the normal way up, not news. */
function classify(state: ConnectionState): SiteHealthClass {
  switch (state) {
    case 'live':
      return 'good';
    case 'stale':
    case 'unreachable':
    case 'credentials-expired':
      return 'bad';
    default:
      return 'neutral';
  }
}

const LOST_TEXT: Partial<Record<ConnectionState, string>> = {
  stale: 'connection lost: showing the last known state',
  unreachable: 'unreachable',
  'credentials-expired': 'credentials expired: the API server answers 401',
};

const RUN_END: Partial<Record<RunState, { level: IncidentEntry['level']; text: string }>> = {
  succeeded: { level: 'ok', text: 'succeeded' },
  failed: { level: 'critical', text: 'failed' },
  aborted: { level: 'warning', text: 'was aborted' },
};

/** An alert's level on the timeline; undefined for alerts that are not news (severity `none`: Watchdog, InfoInhibitor). */
export function alertLevel(severity: string | undefined): IncidentEntry['level'] | undefined {
  const s = (severity ?? '').toLowerCase();
  if (s === 'none') return undefined;
  if (s === 'info') return 'info';
  return severityRank(severity) <= 1 ? 'critical' : 'warning';
}

/** The entries of a timeline file's text, and how many lines could not be read. */
export function parseTimeline(text: string): { entries: IncidentEntry[]; skipped: number } {
  const entries: IncidentEntry[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const e = readEntry(v);
    if (e) entries.push(e);
    else skipped++;
  }
  return { entries, skipped };
}

const KINDS = new Set(['note', 'site', 'alert', 'runbook', 'training']);
const LEVELS = new Set(['info', 'warning', 'critical', 'ok']);

/** A line worth keeping, re-sanitized: the file is ours, but a hand edit must not put markup or control characters on a wall screen. */
function readEntry(v: unknown): IncidentEntry | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const x = v as Record<string, unknown>;
  if (typeof x.id !== 'string' || typeof x.at !== 'number' || !Number.isFinite(x.at) || typeof x.text !== 'string') return undefined;
  if (typeof x.kind !== 'string' || !KINDS.has(x.kind) || typeof x.level !== 'string' || !LEVELS.has(x.level)) return undefined;
  return {
    id: sanitizeText(x.id, { max: 64 }),
    at: x.at,
    kind: x.kind as IncidentEntry['kind'],
    text: sanitizeText(x.text, { max: INCIDENT_NOTE_MAX }),
    level: x.level as IncidentEntry['level'],
    ...(typeof x.site === 'string' ? { site: sanitizeText(x.site, { max: 64 }) } : {}),
    ...(typeof x.who === 'string' ? { who: sanitizeText(x.who, { max: 256 }) } : {}),
  };
}

export class IncidentService {
  private readonly file: string;
  private readonly now: () => number;
  /** The newest INCIDENT_KEEP entries, oldest first. */
  private entries: IncidentEntry[] = [];
  private nextId = 1;
  private off: (() => void) | undefined;
  /** The last good or bad connection state per site (neutral states leave it as it was). */
  private readonly siteState = new Map<string, ConnectionState>();
  /** Firing alerts per site by fingerprint, as last seen. */
  private readonly firing = new Map<string, Map<string, Alert>>();
  /** Runs seen and not yet ended, by id. */
  private readonly runs = new Map<string, RunState>();
  /** The training scenario being played (`name@startedAt`), its steps applied and goals met so far: only the current one is kept. */
  private training: { key: string; steps: number; goals: Set<string>; ended: boolean } | undefined;
  /** Epoch ms of the newest entry on disk at start: alerts older than it were (most likely) written before a restart. */
  private loadedUntil = 0;
  private startedAt = 0;
  /** The file ends in a torn line (a crash mid-write): the next entry starts on a new line. */
  private needsNewline = false;
  /** Damaged lines skipped when the timeline was read. */
  skipped = 0;

  constructor(private readonly o: IncidentServiceOptions) {
    this.file = path.join(o.dataDir, 'incident', 'timeline.jsonl');
    this.now = o.now ?? Date.now;
  }

  /** Reads the newest entries from disk and starts following the bus. */
  async start(): Promise<void> {
    this.startedAt = this.now();
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const text = this.readTail();
    this.needsNewline = text !== '' && !text.endsWith('\n');
    const { entries, skipped } = parseTimeline(text);
    this.skipped = skipped;
    if (skipped > 0) console.warn(`incident timeline ${this.file}: ${skipped} damaged line(s) skipped`);
    this.entries = entries.slice(-INCIDENT_KEEP);
    this.loadedUntil = this.entries.at(-1)?.at ?? 0;
    for (const e of entries) {
      const n = Number(e.id);
      if (Number.isSafeInteger(n) && n >= this.nextId) this.nextId = n + 1;
    }
    this.off = this.o.bus.tap((name, payload) => {
      if (name === 'site.status') this.onSiteStatus(payload as SiteStatus);
      else if (name === 'alerts.changed') this.onAlerts(payload as SiteAlerts);
      else if (name === 'runbook.status') this.onRun(payload as RunStatus);
      else if (name === 'training.status') this.onTraining(payload as TrainingStatus);
    });
  }

  /** The timeline, oldest first (a copy). */
  timeline(): IncidentEntry[] {
    return [...this.entries];
  }

  /** An operator's note (the contract checks the role and the length; this checks the content). */
  async note(input: { text: string; site?: string }): Promise<IncidentEntry> {
    const text = sanitizeText(input.text.trim(), { max: INCIDENT_NOTE_MAX });
    if (text === '') throw new ContractError('bad-request', 'a note needs some text');
    // War-room screens show notes to the room, and the audit trail keeps them for good.
    const secret = findSecret(text);
    if (secret) throw new ContractError('bad-request', `the note looks like it holds ${secret.what}; notes are shown on every war-room screen, so remove the credential and add the note again`);
    const who = this.o.who();
    this.o.audit?.append({ who, verb: 'incident-note', ...(input.site ? { site: input.site } : {}), result: 'ok', detail: text });
    return this.record({ kind: 'note', text, level: 'info', who, ...(input.site ? { site: input.site } : {}) });
  }

  /**
   * Adds an entry: on disk first, then in memory and on the bus. For
   * other services' own entries (a training fault), as well as this one's.
   */
  record(e: Omit<IncidentEntry, 'id' | 'at'>): IncidentEntry {
    // Notes with a credential are refused (note()); texts the console quotes (an alert's summary, a site's or a
    // run's error) are the clusters' words, and every war-room screen shows them: their tokens are blanked.
    const entry: IncidentEntry = { id: String(this.nextId++), at: this.now(), ...e, text: redactSecrets(sanitizeText(e.text, { max: INCIDENT_NOTE_MAX })) };
    this.append(entry);
    this.entries.push(entry);
    if (this.entries.length > INCIDENT_KEEP) this.entries.splice(0, this.entries.length - INCIDENT_KEEP);
    this.o.bus.emit('incident.entry', entry);
    return entry;
  }

  async close(): Promise<void> {
    this.off?.();
    this.off = undefined;
  }

  private onSiteStatus(s: SiteStatus): void {
    if (s === null || typeof s !== 'object' || typeof s.site !== 'string') return;
    const cls = classify(s.state);
    if (cls === 'neutral') return;
    const prev = this.siteState.get(s.site);
    if (prev === s.state) return;
    if (cls === 'good') {
      this.siteState.set(s.site, s.state);
      // The first live after start is the normal way up; only a return from trouble is news.
      if (prev !== undefined && classify(prev) === 'bad') this.record({ kind: 'site', site: s.site, level: 'ok', text: 'live again' });
      return;
    }
    // Not yet live in this console: the start-up (a 401 before the Vault sign-in), which the site's card shows; the timeline is for what changes.
    if (prev === undefined) return;
    this.siteState.set(s.site, s.state);
    const error = s.error ? ` (${sanitizeText(s.error, { max: ERROR_CHARS })})` : '';
    this.record({ kind: 'site', site: s.site, level: s.state === 'stale' ? 'warning' : 'critical', text: `${LOST_TEXT[s.state] ?? s.state}${error}` });
  }

  private onAlerts(a: SiteAlerts): void {
    if (a === null || typeof a !== 'object' || typeof a.site !== 'string' || !Array.isArray(a.alerts) || !a.configured) return;
    const first = !this.firing.has(a.site);
    const before = this.firing.get(a.site) ?? new Map<string, Alert>();
    const now = new Map<string, Alert>();
    for (const alert of a.alerts) {
      // Silenced and inhibited alerts were muted on purpose; `none` is the always-firing Watchdog kind.
      if (alert.state === 'suppressed' || alertLevel(alert.severity) === undefined) continue;
      now.set(alert.fingerprint, alert);
    }
    this.firing.set(a.site, now);
    const started: Alert[] = [];
    for (const [fp, alert] of now) {
      if (before.has(fp)) continue;
      // After a restart the first poll finds alerts the timeline already has; those that began before its last entry are taken as written.
      if (first && Date.parse(alert.startsAt) <= this.loadedUntil) continue;
      started.push(alert);
    }
    for (const alert of started.slice(0, started.length > ALERTS_PER_POLL ? ALERTS_PER_POLL - 1 : ALERTS_PER_POLL)) {
      const summary = alert.summary ? `: ${alert.summary}` : '';
      this.record({ kind: 'alert', site: a.site, level: alertLevel(alert.severity) ?? 'warning', text: `alert ${alertTitle(alert)} firing${alert.severity ? ` (${alert.severity})` : ''}${summary}` });
    }
    if (started.length > ALERTS_PER_POLL) {
      const rest = started.slice(ALERTS_PER_POLL - 1);
      const worst = rest.some((x) => alertLevel(x.severity) === 'critical') ? 'critical' : 'warning';
      this.record({ kind: 'alert', site: a.site, level: worst, text: `${rest.length} more alerts firing` });
    }
    for (const [fp, alert] of before) {
      if (!now.has(fp)) this.record({ kind: 'alert', site: a.site, level: 'ok', text: `alert ${alertTitle(alert)} resolved` });
    }
  }

  private onRun(r: RunStatus): void {
    if (r === null || typeof r !== 'object' || typeof r.run !== 'string') return;
    const prev = this.runs.get(r.run);
    const end = RUN_END[r.state];
    const title = sanitizeText(r.title || r.runbook, { max: 200 });
    const site = siteOf(r);
    if ((prev === undefined || prev === 'planned') && r.state !== 'planned' && !end) {
      // A run resumed after the console restarted started before this console did.
      const resumed = r.startedAt < this.startedAt;
      this.record({ kind: 'runbook', ...site, level: 'info', text: resumed ? `Runbook ${title} resumed after a restart` : `Runbook ${title} started by ${sanitizeText(r.startedBy, { max: 256 })}` });
    }
    if (end) {
      // Ended runs keep sending their final status to late subscribers: once is enough.
      if (prev !== undefined && RUN_END[prev]) return;
      const error = r.state === 'failed' && r.error ? `: ${sanitizeText(r.error, { max: ERROR_CHARS })}` : '';
      this.record({ kind: 'runbook', ...site, level: end.level, text: `Runbook ${title} ${end.text}${error}` });
    }
    this.runs.set(r.run, r.state);
    // Bounded: finished runs are forgotten once many have passed (their end is already written).
    if (this.runs.size > 1_000) for (const [id, state] of this.runs) if (RUN_END[state]) this.runs.delete(id);
  }

  /** A training scenario started, played a fault, saw a goal met, ended: the session's story, beside the trainee's notes. */
  private onTraining(t: TrainingStatus): void {
    const run = t?.run;
    if (run === null || run === undefined || typeof run !== 'object' || typeof run.name !== 'string' || !Array.isArray(run.steps) || !Array.isArray(run.goals)) return;
    const key = `${run.name}@${run.startedAt}`;
    const title = sanitizeText(run.title || run.name, { max: 200 });
    if (this.training?.key !== key) {
      if (run.startedAt < this.startedAt) {
        // Started before this console: what it played so far was written then (or not seen at all); follow it from here.
        this.training = { key, steps: run.steps.filter((x) => x.applied !== undefined).length, goals: new Set(run.goals.filter((g) => g.met).map((g) => g.id)), ended: run.endedAt !== undefined };
      } else {
        this.training = { key, steps: 0, goals: new Set(), ended: false };
        this.record({ kind: 'training', level: 'info', text: `Training scenario ${title} started` });
      }
    }
    const cur = this.training;
    const applied = run.steps.filter((x) => x.applied !== undefined);
    for (const step of applied.slice(cur.steps)) {
      const a = step.applied as NonNullable<typeof step.applied>;
      this.record({ kind: 'training', ...(run.target?.site ? { site: run.target.site } : {}), level: a.ok ? 'warning' : 'info', text: a.ok ? `Training fault ${sanitizeText(step.fault, { max: 64 })}: ${sanitizeText(a.result, { max: ERROR_CHARS })}` : `Training fault ${sanitizeText(step.fault, { max: 64 })} could not be played: ${sanitizeText(a.result, { max: ERROR_CHARS })}` });
    }
    cur.steps = Math.max(cur.steps, applied.length);
    for (const g of run.goals) {
      if (!g.met || cur.goals.has(g.id)) continue;
      cur.goals.add(g.id);
      this.record({ kind: 'training', level: 'ok', text: `Goal met: ${sanitizeText(g.text, { max: 300 })}` });
    }
    if (run.endedAt !== undefined && !cur.ended) {
      cur.ended = true;
      const met = run.goals.filter((g) => g.met).length;
      this.record({ kind: 'training', level: 'info', text: `Training scenario ${title} ended: ${met} of ${run.goals.length} goals met` });
    }
  }

  /** The end of the file (the whole of a small one), from a line boundary. */
  private readTail(): string {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw e;
    }
    try {
      const size = fstatSync(fd).size;
      const from = Math.max(0, size - TAIL_BYTES);
      const buf = Buffer.alloc(size - from);
      let read = 0;
      while (read < buf.length) {
        const n = readSync(fd, buf, read, buf.length - read, from + read);
        if (n === 0) break;
        read += n;
      }
      const text = buf.subarray(0, read).toString('utf8');
      // Started mid-file: the first line is a piece of one, not a damaged entry.
      return from === 0 ? text : text.slice(text.indexOf('\n') + 1);
    } finally {
      closeSync(fd);
    }
  }

  private append(entry: IncidentEntry): void {
    const fd = openSync(this.file, 'a', 0o600);
    try {
      // A file created by an older build or by hand may be wider open; notes can name people and systems.
      fchmodSync(fd, 0o600);
      writeSync(fd, `${this.needsNewline ? '\n' : ''}${JSON.stringify(entry)}\n`);
      this.needsNewline = false;
    } finally {
      closeSync(fd);
    }
  }
}

/** The site a run acts on, when all its steps are at one site. */
function siteOf(r: RunStatus): { site?: string } {
  const sites = new Set((r.steps ?? []).map((s) => s.site).filter((s) => typeof s === 'string' && s !== ''));
  return sites.size === 1 ? { site: [...sites][0] as string } : {};
}

/** An alert's name and what it is about (`KubePodCrashLooping on checkout/api-7d9 (api)`): the room must tell two alerts of one rule apart. */
function alertTitle(alert: Alert): string {
  const target = alertTarget(alert);
  return `${alert.name || '(unnamed)'}${target ? ` on ${target}` : ''}`;
}
