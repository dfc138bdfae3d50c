/** Multiplexed, resumable, sanitised log tails across sites. */
export { LogTail, type LogTailInit } from './log-tail';
export { searchEntries, type SearchHit, type SearchQuery, type SearchResult } from './search';
export { selectorString } from './target';
export * from './types';
