/**
 * Pure derivations over the site projections (src/shared/model.ts) that the
 * views and the handover report share: rack layout, site health and its
 * problem list, natural ordering, the command palette's search, and
 * kubectl's pod STATUS/READY/RESTARTS columns.
 */
export { naturalCompare } from './natural';
export { podWorkload, refString, type WorkloadRef } from './owner';
export { podPrintStatus, type PodPrintStatus, type PodPrintStatusOptions } from './pod-status';
export { nodeState, podCountsByNode, rackMap, type RackMap, type RackNodeState, type RackSlot, type RackView, type RoomView } from './rack-map';
export {
  PENDING_GRACE_MS,
  siteHealth,
  type CrashLoopGroup,
  type NodeCounts,
  type Problem,
  type ProblemKind,
  type ProblemSeverity,
  type SiteHealth,
  type SiteHealthInput,
} from './site-health';
export { SearchIndex, buildSearchIndex, search, type SearchHit, type SearchItem, type SearchKind } from './search';
