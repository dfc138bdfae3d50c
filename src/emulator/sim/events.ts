/**
 * Records core/v1 Events the way client-go's event recorder does: one
 * object per (object, reason, message), repeated occurrences bump `count`
 * and `lastTimestamp`, old events expire (the apiserver's 1 h event TTL).
 */
import { resourceFor } from '../api/resources';
import type { Store } from '../store/store';
import type { KObject } from '../types';
import { ts as k8sTime } from './objects';

export interface EventSource {
  component: string;
  host?: string;
}

const EVENTS = resourceFor('', 'events');
const TTL_MS = 60 * 60 * 1000;

export class EventRecorder {
  private readonly byKey = new Map<string, { ns: string; name: string; at: number }>();
  private seq = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly maxEvents = 5000,
  ) {}

  record(obj: Pick<KObject, 'apiVersion' | 'kind' | 'metadata'>, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const now = this.now();
    const ns = obj.metadata.namespace || 'default';
    const key = `${obj.metadata.uid ?? obj.metadata.name}|${reason}|${message}`;
    const seen = this.byKey.get(key);
    if (seen && this.store.get(EVENTS, seen.ns, seen.name)) {
      this.store.mutate(EVENTS, seen.ns, seen.name, (e) => {
        e.count = ((e.count as number | undefined) ?? 1) + 1;
        e.lastTimestamp = k8sTime(now);
      });
      seen.at = now;
      return;
    }
    const name = `${obj.metadata.name}.${(now * 1000 + (this.seq++ % 1000)).toString(16)}`;
    const involved: Record<string, unknown> = { kind: obj.kind, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion };
    if (obj.metadata.namespace) involved.namespace = obj.metadata.namespace;
    if (obj.metadata.resourceVersion) involved.resourceVersion = obj.metadata.resourceVersion;
    if (fieldPath) involved.fieldPath = fieldPath;
    const event: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: involved,
      reason,
      message,
      source: source.host ? { component: source.component, host: source.host } : { component: source.component },
      firstTimestamp: k8sTime(now),
      lastTimestamp: k8sTime(now),
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    };
    this.store.create(EVENTS, event);
    this.byKey.set(key, { ns, name, at: now });
    this.prune(now);
  }

  /** Drops events past their TTL, and the oldest ones beyond the cap. */
  prune(now = this.now()): void {
    if (this.byKey.size <= this.maxEvents && this.seq % 100 !== 0) return;
    for (const [key, e] of this.byKey) {
      // Map iteration is insertion order, so the oldest come first.
      if (this.byKey.size <= this.maxEvents && now - e.at < TTL_MS) break;
      this.byKey.delete(key);
      if (this.store.get(EVENTS, e.ns, e.name)) this.store.delete(EVENTS, e.ns, e.name);
    }
  }
}
