/**
 * Alertmanager's API v2 answers turned into plain, bounded data. Everything
 * in an alert — labels, annotations, even the generator URL — was written by
 * whoever configured an alerting rule or posted to the API, so it is treated
 * as untrusted text: kept as strings (never markup), stripped of control
 * characters (an ANSI escape must not recolour a terminal or a log viewer),
 * and cut to a bounded length. Entries that do not have the API's shape are
 * skipped and counted, so one odd alert cannot hide the others.
 */

import type { Alert, AlertmanagerStatus, AlertState, Silence, SilenceMatcher } from '../../shared/alerts';
import { MAX_TEXT_CHARS, sanitizeText } from '../../shared/text';
import { redactSecrets } from '../../shared/secrets';

export type { Alert, AlertmanagerStatus, AlertState, Silence, SilenceMatcher };
export { sanitizeText };

/** A list read from the API, with how many entries were skipped as malformed. */
export interface Parsed<T> {
  items: T[];
  skipped: number;
}

/** Longest label or annotation value kept; the rest is cut, ending in '…'. */
export const MAX_VALUE_CHARS = MAX_TEXT_CHARS;
/** Labels or annotations kept per alert; more than this is not a real rule. */
const MAX_PAIRS = 128;
const MAX_KEY_CHARS = 256;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** A string map (labels, annotations), sanitized (and for annotations, `prose`, tokens blanked); undefined when `v` is not one. */
function stringMap(v: unknown, prose: boolean): Record<string, string> | undefined {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) return undefined;
  const pairs: [string, string][] = [];
  for (const [k, val] of Object.entries(v)) {
    if (pairs.length >= MAX_PAIRS) break;
    if (!isString(val)) continue;
    // Annotations are prose written around query results, kept multi-line; no token they quote reaches a screen.
    const shown = sanitizeText(val, { multiline: prose });
    pairs.push([sanitizeText(k, { max: MAX_KEY_CHARS }), prose ? redactSecrets(shown) : shown]);
  }
  // fromEntries defines own properties: a label named __proto__ stays a label, it does not become the prototype.
  return Object.fromEntries(pairs);
}

function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return undefined;
  return v.filter(isString).map((s) => sanitizeText(s, { max: MAX_KEY_CHARS }));
}

function timestamp(v: unknown): string | undefined {
  return isString(v) && !Number.isNaN(Date.parse(v)) ? v : undefined;
}

const STATES: readonly AlertState[] = ['active', 'suppressed', 'unprocessed'];

/** Only http(s) links survive: a `javascript:` generator URL must not become a clickable link. */
function safeUrl(v: unknown): string | undefined {
  if (!isString(v) || v === '') return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? sanitizeText(u.href) : undefined;
  } catch {
    return undefined;
  }
}

/** One gettableAlert, or undefined when it lacks what every alert has. */
export function normalizeAlert(raw: unknown): Alert | undefined {
  if (!isObject(raw) || !isObject(raw.status)) return undefined;
  const fingerprint = raw.fingerprint;
  const startsAt = timestamp(raw.startsAt);
  const endsAt = timestamp(raw.endsAt);
  const state = STATES.find((s) => s === (raw.status as Record<string, unknown>).state);
  const labels = stringMap(raw.labels, false);
  const annotations = stringMap(raw.annotations, true);
  const silencedBy = stringList(raw.status.silencedBy);
  const inhibitedBy = stringList(raw.status.inhibitedBy);
  if (!isString(fingerprint) || !/^[0-9a-f]{1,64}$/i.test(fingerprint) || !startsAt || !endsAt || !state || !labels || !annotations || !silencedBy || !inhibitedBy) return undefined;
  const receivers = Array.isArray(raw.receivers) ? raw.receivers.flatMap((r) => (isObject(r) && isString(r.name) ? [sanitizeText(r.name, { max: MAX_KEY_CHARS })] : [])) : [];
  const summary = annotations.summary ?? annotations.message;
  const generatorURL = safeUrl(raw.generatorURL);
  const updatedAt = timestamp(raw.updatedAt);
  return {
    fingerprint,
    name: labels.alertname ?? '',
    ...(labels.severity !== undefined ? { severity: labels.severity } : {}),
    state,
    startsAt,
    endsAt,
    ...(updatedAt ? { updatedAt } : {}),
    ...(summary !== undefined ? { summary } : {}),
    ...(annotations.description !== undefined ? { description: annotations.description } : {}),
    labels,
    annotations,
    silencedBy,
    inhibitedBy,
    receivers,
    ...(generatorURL ? { generatorURL } : {}),
  };
}

const SILENCE_STATES = ['active', 'pending', 'expired'] as const;

/** One gettableSilence, or undefined when malformed. */
export function normalizeSilence(raw: unknown): Silence | undefined {
  if (!isObject(raw) || !isObject(raw.status) || !isString(raw.id) || !Array.isArray(raw.matchers)) return undefined;
  const state = SILENCE_STATES.find((s) => s === (raw.status as Record<string, unknown>).state);
  const startsAt = timestamp(raw.startsAt);
  const endsAt = timestamp(raw.endsAt);
  if (!state || !startsAt || !endsAt) return undefined;
  const matchers: SilenceMatcher[] = [];
  for (const m of raw.matchers) {
    if (!isObject(m) || !isString(m.name) || !isString(m.value)) return undefined;
    // isEqual arrived in Alertmanager 0.22; older servers only have equality matchers.
    matchers.push({ name: sanitizeText(m.name, { max: MAX_KEY_CHARS }), value: sanitizeText(m.value), isRegex: m.isRegex === true, isEqual: m.isEqual !== false });
  }
  const updatedAt = timestamp(raw.updatedAt);
  return {
    id: sanitizeText(raw.id, { max: MAX_KEY_CHARS }),
    state,
    matchers,
    startsAt,
    endsAt,
    ...(updatedAt ? { updatedAt } : {}),
    createdBy: isString(raw.createdBy) ? sanitizeText(raw.createdBy, { max: MAX_KEY_CHARS }) : '',
    comment: isString(raw.comment) ? sanitizeText(raw.comment, { multiline: true }) : '',
  };
}

/** A JSON array of entries normalized one by one; undefined when `raw` is not an array at all. */
export function normalizeList<T>(raw: unknown, one: (entry: unknown) => T | undefined): Parsed<T> | undefined {
  if (!Array.isArray(raw)) return undefined;
  const items: T[] = [];
  let skipped = 0;
  for (const entry of raw) {
    const item = one(entry);
    if (item === undefined) skipped++;
    else items.push(item);
  }
  return { items, skipped };
}

/**
 * `GET /api/v2/status`, reduced to what a health line needs. Its `config`
 * (Alertmanager's whole configuration, receiver passwords and webhook URLs
 * included) is deliberately dropped here.
 */
export function normalizeStatus(raw: unknown): AlertmanagerStatus | undefined {
  if (!isObject(raw) || !isObject(raw.versionInfo) || !isObject(raw.cluster)) return undefined;
  const v = raw.versionInfo;
  const c = raw.cluster;
  if (!isString(v.version) || !isString(c.status)) return undefined;
  const peers = Array.isArray(c.peers)
    ? c.peers.flatMap((p) => (isObject(p) && isString(p.name) && isString(p.address) ? [{ name: sanitizeText(p.name, { max: MAX_KEY_CHARS }), address: sanitizeText(p.address, { max: MAX_KEY_CHARS }) }] : []))
    : [];
  return {
    version: sanitizeText(v.version, { max: MAX_KEY_CHARS }),
    ...(isString(v.revision) ? { revision: sanitizeText(v.revision, { max: MAX_KEY_CHARS }) } : {}),
    ...(isString(raw.uptime) ? { uptime: sanitizeText(raw.uptime, { max: MAX_KEY_CHARS }) } : {}),
    clusterStatus: sanitizeText(c.status, { max: MAX_KEY_CHARS }),
    ...(isString(c.name) ? { clusterName: sanitizeText(c.name, { max: MAX_KEY_CHARS }) } : {}),
    peers,
  };
}
