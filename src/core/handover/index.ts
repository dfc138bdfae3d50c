/**
 * The shift handover: one report of every site's state for the next admin,
 * with what changed since the last one, exported as Markdown and printable
 * HTML and stored as a ConfigMap at every reachable site.
 */
export { collect, type CollectOptions } from './collect';
export { diff } from './diff';
export { HandoverForbidden, HandoverTooLarge } from './errors';
export { CONFIGMAP_DATA_LIMIT, fitForConfigMap, REPORT_JSON, REPORT_MD } from './fit';
export { htmlText, toHtml } from './html';
export { mdInline, mdLines } from './markdown-escape';
export { toMarkdown } from './markdown';
export { MAX_NOTE_CHARS, MAX_NOTES, type NoteInput } from './notes';
export { parseReport } from './report-schema';
export type { HandoverSite, HandoverSources, MaintenanceInfo } from './sources';
export { DEFAULT_KEEP, HANDOVER_LABELS, HANDOVER_NAMESPACE, latest, save, saveAll, type LatestResult, type SaveResult, type SiteSaveResult, type StoreOptions } from './store';
export { formatTime, handoverId } from './time';
export * from './types';
