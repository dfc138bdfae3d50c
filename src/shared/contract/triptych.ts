/**
 * Triptych's contract: every call the UI can make and every event it can
 * receive, whatever the transport. JSDoc here is the reference for both ends.
 */
import { z } from 'zod';
import type { EventView, NamespaceView, NodeView, PdbView, PodView, SiteInfo, WorkloadView } from '../model';
import { method } from './rpc';

/** Site ids are short lower-case slugs, as configured in triptych.yaml. */
export const SiteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a site id is lower-case letters, digits and dashes');
/** Kubernetes object names: DNS subdomains, at most 253 characters. */
export const ObjectName = z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'not a Kubernetes object name');
export const NamespaceName = z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'not a namespace name');

/** How a site's connection is doing. */
export type ConnectionState =
  /** First list in progress. */
  | 'connecting'
  /** Lists done, watches running. */
  | 'live'
  /** Was live, now failing: data shown is the last known state, with its age. */
  | 'stale'
  /** Never reached. */
  | 'unreachable'
  /** 401 from the API server: credentials must be renewed. */
  | 'credentials-expired';

export interface SiteStatus {
  site: string;
  state: ConnectionState;
  /** Round-trip time of the last health probe, ms. */
  rttMs?: number;
  /** Epoch ms of the last successful sync (list or watch event). */
  lastSyncAt?: number;
  /** The last error, in words an admin can act on. */
  error?: string;
  /** When the next reconnection attempt happens, ms from now. */
  retryInMs?: number;
}

/** The resources the console mirrors per site. */
export type ResourceKind = 'nodes' | 'pods' | 'events' | 'namespaces' | 'workloads' | 'pdbs';

export interface ViewOf {
  nodes: NodeView;
  pods: PodView;
  events: EventView;
  namespaces: NamespaceView;
  workloads: WorkloadView;
  pdbs: PdbView;
}

/**
 * Everything mirrored for one site at one moment — or one page of it: a
 * large site's snapshot comes in pages (see `sites.snapshot`), every page
 * with the same `seq`; `readSnapshot` in ./snapshot joins them.
 */
export interface SiteSnapshot {
  site: string;
  /** Delta sequence number this snapshot is current to. */
  seq: number;
  /** This page's items (every kind present, possibly empty). */
  items: { [K in ResourceKind]: ViewOf[K][] };
  /** Set when more pages follow: pass it back to `sites.snapshot` for the next page of the same snapshot. */
  continue?: string;
}

/** The opaque token of a snapshot's next page. */
export const SnapshotToken = z.string().max(64);

/** A coalesced batch of changes to one resource of one site. `seq` increases by one per batch and site. */
export interface SiteDeltas<K extends ResourceKind = ResourceKind> {
  site: string;
  kind: K;
  seq: number;
  /** Keys are `namespace/name` (or `name` for cluster-scoped objects; `Kind/namespace/name` for workloads). */
  upserts: [string, ViewOf[K]][];
  deletes: string[];
  /** Epoch ms when the oldest change in this batch reached the console from the API server (how far behind a view is). */
  receivedAt?: number;
}

export interface NodeDetail {
  site: string;
  node: NodeView;
  /** Pods bound to the node. */
  pods: PodView[];
  /** Events about the node, newest first. */
  events: EventView[];
  labels: Record<string, string>;
  conditions: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
}

export interface PodDetail {
  site: string;
  pod: PodView;
  events: EventView[];
  containers: { name: string; image: string; ready: boolean; restarts: number; state: string; reason?: string }[];
  /** The object as YAML (read-only), managedFields removed. */
  yaml: string;
}

export const triptych = {
  sites: {
    /** The configured sites in display order (the training fleet's when nothing is configured). */
    list: method<SiteInfo[]>()(z.tuple([])),
    /** Connection state of every site. */
    status: method<SiteStatus[]>()(z.tuple([])),
    /**
     * The current mirror of one site; subscribe to `site.deltas` first, then
     * apply deltas with seq > snapshot.seq. Without a token: a new snapshot's
     * first page; with the `continue` token of a page: the next page of that
     * snapshot (an expired token is `not-found`: start again).
     */
    snapshot: method<SiteSnapshot>()(z.tuple([SiteId, SnapshotToken.optional()])),
  },
  nodes: {
    /** Conditions, taints, labels, pods and events of one node. */
    detail: method<NodeDetail>()(z.tuple([SiteId, ObjectName])),
  },
  pods: {
    /** Status, containers, events and read-only YAML of one pod. */
    detail: method<PodDetail>()(z.tuple([SiteId, NamespaceName, ObjectName])),
  },
};

export type TriptychContract = typeof triptych;

/** Events the UI receives. */
export interface TriptychEvents extends Record<string, unknown> {
  /** A site's connection changed state (or its RTT was measured). */
  'site.status': SiteStatus;
  /** Changes to a site's mirror. */
  'site.deltas': SiteDeltas;
}
