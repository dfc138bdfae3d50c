/**
 * The alerting rules a kube-prometheus stack would evaluate at one training
 * site, evaluated on demand from the site's state instead of from metrics:
 * the alerts a real Prometheus would have sent its Alertmanager for the same
 * cluster. Names, severities, labels and texts follow kube-prometheus (and
 * Vault's own mixin for VaultSealed); only `for:` is shortened, by `forScale`,
 * so that a training fault fires in seconds, not in 15 minutes.
 *
 * Cost: nodes come from the site's in-memory index (5,000 entries, scanned
 * per request); crash-looping pods and deployments short of replicas are
 * kept current from the store's change feed (a substring test per pod
 * change, a parse per deployment change), so a request never walks 150,000
 * pods. No timers: time only matters when someone asks.
 */
import { resourceFor, typeKey } from '../api/resources';
import type { Site } from '../sim/site';
import type { Change } from '../store/store';
import type { KObject } from '../types';
import { fingerprint } from './fingerprint';

const PODS = resourceFor('', 'pods');
const NODES = resourceFor('', 'nodes');
const DEPLOY = resourceFor('apps', 'deployments');
const PODS_KEY = typeKey(PODS);
const DEPLOY_KEY = typeKey(DEPLOY);

const MINUTE = 60_000;
/** Default shortening of `for:` in training: 15 minutes become 6 seconds. */
export const TRAINING_FOR_SCALE = 1 / 150;
const RUNBOOKS = 'https://runbooks.prometheus-operator.dev/runbooks';
/**
 * KubePodCrashLooping looks back over `[5m]` (max_over_time), so a container
 * between two crashes (briefly Running) keeps it firing. Training keeps a
 * minute of that window: shorter than a real one, but longer than the
 * emulator's back-off cycle, so the alert holds instead of flapping.
 */
const CRASHLOOP_LOOKBACK_MS = MINUTE;

/** An alert the rules say is firing, before Alertmanager's view (silences, receivers) is added. */
export interface FiringAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Epoch ms the alert started firing: when its condition began plus the rule's `for:`. */
  startsAt: number;
  /** The PromQL expression, for the generator URL. */
  expr: string;
}

/** A condition that holds, before `for:` is applied. */
interface Candidate {
  rule: string;
  severity: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Epoch ms the condition began. */
  since: number;
  /** The rule's real `for:`, ms (scaled at evaluation). */
  forMs: number;
  expr: string;
}

export interface SiteRulesOptions {
  /** Whether the site's API server answers (false during a site-outage fault). */
  apiUp(): boolean;
  /** Whether the fleet's Vault is sealed. */
  vaultSealed(): boolean;
  /** Multiplies every rule's `for:`; default TRAINING_FOR_SCALE; 0 fires at once. */
  forScale?: number;
  now?: () => number;
}

interface CrashingPod {
  ns: string;
  pod: string;
  containers: string[];
  since: number;
  /** Epoch ms a container of it was last seen in CrashLoopBackOff. */
  lastSeen: number;
}

interface ShortDeployment {
  ns: string;
  name: string;
  want: number;
  available: number;
  since: number;
}

/** One site's alerting rules, kept current from its store; `close()` unsubscribes. */
export class SiteRules {
  readonly site: string;
  private readonly crashing = new Map<string, CrashingPod>();
  private readonly short = new Map<string, ShortDeployment>();
  /** When conditions without a timestamp of their own were first seen holding (API down, Vault sealed). */
  private readonly firstSeen = new Map<string, number>();
  /** Unsubscribes from the change feed; undefined until the first evaluation. */
  private off: (() => void) | undefined;
  private readonly now: () => number;
  private readonly forScale: number;
  private readonly startedAt: number;

  constructor(
    private readonly s: Site,
    private readonly o: SiteRulesOptions,
  ) {
    this.site = s.name;
    this.now = o.now ?? (() => s.now());
    this.forScale = o.forScale ?? TRAINING_FOR_SCALE;
    this.startedAt = this.now();
  }

  /**
   * Starts following the store at the first evaluation: one pass over what
   * is there (a generated fleet may already hold crash loops and short
   * deployments; about 0.3 s at 150,000 pods), the change feed after. A
   * fleet nobody asks for alerts (benchmarks, kubectl tests) pays nothing.
   */
  private follow(): void {
    if (this.off) return;
    for (const v of this.s.store.all(PODS)) if (v.json.includes('"CrashLoopBackOff"')) this.pod(v.key, v.json);
    for (const v of this.s.store.all(DEPLOY)) this.deployment(v.key, v.json);
    this.off = this.s.store.onChange((c) => this.onChange(c));
  }

  close(): void {
    this.off?.();
  }

  private onChange(c: Change): void {
    if (c.tkey === PODS_KEY) {
      if (c.type === 'DELETED') this.crashing.delete(c.cur.key);
      // Most pod changes are not crash loops: a substring test spares parsing them.
      else if (c.cur.json.includes('"CrashLoopBackOff"')) this.pod(c.cur.key, c.cur.json);
      // Not crash looping in this version: it ages out of the look-back window in evaluate().
    } else if (c.tkey === DEPLOY_KEY) {
      if (c.type === 'DELETED') this.short.delete(c.cur.key);
      else this.deployment(c.cur.key, c.cur.json);
    }
  }

  private pod(key: string, json: string): void {
    const o = JSON.parse(json) as KObject;
    const statuses = ((o.status ?? {}) as { containerStatuses?: { name: string; state?: { waiting?: { reason?: string } } }[] }).containerStatuses ?? [];
    const containers = statuses.filter((cs) => cs.state?.waiting?.reason === 'CrashLoopBackOff').map((cs) => cs.name);
    if (containers.length === 0) return;
    const prev = this.crashing.get(key);
    const now = this.now();
    this.crashing.set(key, { ns: o.metadata.namespace ?? '', pod: o.metadata.name, containers: [...new Set([...(prev?.containers ?? []), ...containers])], since: prev?.since ?? now, lastSeen: now });
  }

  private deployment(key: string, json: string): void {
    const o = JSON.parse(json) as KObject;
    const want = ((o.spec ?? {}) as { replicas?: number }).replicas ?? 1;
    const available = ((o.status ?? {}) as { availableReplicas?: number }).availableReplicas ?? 0;
    if (want === available) {
      this.short.delete(key);
      return;
    }
    const since = this.short.get(key)?.since ?? this.now();
    this.short.set(key, { ns: o.metadata.namespace ?? '', name: o.metadata.name, want, available, since });
  }

  /** The alerts firing now, in no particular order. */
  evaluate(): FiringAlert[] {
    this.follow();
    const now = this.now();
    const out: FiringAlert[] = [];
    const seen = new Set<string>();
    for (const c of this.candidates(now, seen)) {
      const labels: Record<string, string> = { alertname: c.rule, severity: c.severity, cluster: this.site, site: this.site, ...c.labels };
      const fp = fingerprint(labels);
      const firesAt = c.since + c.forMs * this.forScale;
      if (firesAt > now) continue;
      out.push({ fingerprint: fp, labels, annotations: c.annotations, startsAt: Math.round(firesAt), expr: c.expr });
    }
    // A condition that ended and holds again later starts again from then.
    for (const k of this.firstSeen.keys()) if (!seen.has(k)) this.firstSeen.delete(k);
    return out;
  }

  /** When a condition without a timestamp of its own was first seen holding; `seen` collects the keys still holding. */
  private seenSince(key: string, now: number, seen: Set<string>): number {
    seen.add(key);
    let t = this.firstSeen.get(key);
    if (t === undefined) this.firstSeen.set(key, (t = now));
    return t;
  }

  private *candidates(now: number, seen: Set<string>): Generator<Candidate> {
    yield {
      rule: 'Watchdog',
      severity: 'none',
      labels: {},
      annotations: {
        summary: 'An alert that should always be firing to certify that Alertmanager is working properly.',
        description:
          'This is an alert meant to ensure that the entire alerting pipeline is functional.\nThis alert is always firing, therefore it should always be firing in Alertmanager\nand always fire against a receiver. There are integrations with various notification\nmechanisms that send a notification when this alert is not firing.',
        runbook_url: `${RUNBOOKS}/general/watchdog`,
      },
      since: this.startedAt,
      forMs: 0,
      expr: 'vector(1)',
    };
    if (!this.o.apiUp()) {
      yield {
        rule: 'KubeAPIDown',
        severity: 'critical',
        labels: {},
        annotations: { summary: 'Target disappeared from Prometheus target discovery.', description: 'KubeAPI has disappeared from Prometheus target discovery.', runbook_url: `${RUNBOOKS}/kubernetes/kubeapidown` },
        since: this.seenSince('KubeAPIDown', now, seen),
        forMs: 15 * MINUTE,
        expr: 'absent(up{job="apiserver"} == 1)',
      };
    }
    if (this.o.vaultSealed()) {
      yield {
        rule: 'VaultSealed',
        severity: 'critical',
        labels: { service: 'vault' },
        annotations: { summary: 'Vault is sealed.', description: 'Vault is sealed: it answers 503 to every request, so no site credentials or secrets can be issued until it is unsealed.' },
        since: this.seenSince('VaultSealed', now, seen),
        forMs: 0,
        expr: 'vault_core_unsealed == 0',
      };
    }
    for (const n of this.s.idx.nodes.values()) {
      const unreachable = n.taints.find((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoSchedule');
      const disk = n.taints.find((t) => t.key === 'node.kubernetes.io/disk-pressure');
      if (n.ready && !unreachable && !disk) continue;
      // Only unhealthy nodes (a handful) are parsed, for when their condition began.
      const node = this.s.store.getObject(NODES, undefined, n.name);
      const conditions = ((node?.status ?? {}) as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] }).conditions ?? [];
      const since = (type: string): number => {
        const t = Date.parse(conditions.find((c) => c.type === type)?.lastTransitionTime ?? '');
        return Number.isNaN(t) ? now : Math.min(t, now);
      };
      if (!n.ready) {
        yield {
          rule: 'KubeNodeNotReady',
          severity: 'warning',
          labels: { node: n.name, condition: 'Ready', status: 'true' },
          annotations: { summary: 'Node is not ready.', description: `${n.name} has been unready for more than 15 minutes.`, runbook_url: `${RUNBOOKS}/kubernetes/kubenodenotready` },
          since: since('Ready'),
          forMs: 15 * MINUTE,
          expr: 'kube_node_status_condition{job="kube-state-metrics",condition="Ready",status="true"} == 0',
        };
      }
      if (unreachable) {
        yield {
          rule: 'KubeNodeUnreachable',
          severity: 'warning',
          labels: { node: n.name, key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
          annotations: { summary: 'Node is unreachable.', description: `${n.name} is unreachable and some workloads may be rescheduled.`, runbook_url: `${RUNBOOKS}/kubernetes/kubenodeunreachable` },
          since: since('Ready'),
          forMs: 15 * MINUTE,
          expr: 'kube_node_spec_taint{job="kube-state-metrics",key="node.kubernetes.io/unreachable",effect="NoSchedule"} == 1',
        };
      }
      // kube-state-metrics reports the condition; the node lifecycle controller taints from it, so the taint stands for it here.
      if (disk && conditions.some((c) => c.type === 'DiskPressure' && c.status === 'True')) {
        yield {
          rule: 'KubeNodePressure',
          severity: 'info',
          labels: { node: n.name, condition: 'DiskPressure', status: 'true' },
          annotations: {
            summary: 'Node has as active Condition.',
            description: `${n.name} has active Condition DiskPressure. This is caused by resource usage exceeding eviction thresholds.`,
            runbook_url: `${RUNBOOKS}/kubernetes/kubenodepressure`,
          },
          since: since('DiskPressure'),
          forMs: 10 * MINUTE,
          expr: 'kube_node_status_condition{job="kube-state-metrics",condition=~"(MemoryPressure|DiskPressure|PIDPressure)",status="true"} == 1',
        };
      }
    }
    for (const [key, p] of this.crashing) {
      if (now - p.lastSeen > CRASHLOOP_LOOKBACK_MS) {
        this.crashing.delete(key);
        continue;
      }
      for (const container of p.containers) {
        yield {
          rule: 'KubePodCrashLooping',
          severity: 'warning',
          labels: { namespace: p.ns, pod: p.pod, container, reason: 'CrashLoopBackOff' },
          annotations: {
            summary: 'Pod is crash looping.',
            description: `Pod ${p.ns}/${p.pod} (${container}) is in waiting state (reason: "CrashLoopBackOff").`,
            runbook_url: `${RUNBOOKS}/kubernetes/kubepodcrashlooping`,
          },
          since: p.since,
          forMs: 15 * MINUTE,
          expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1',
        };
      }
    }
    for (const d of this.short.values()) {
      yield {
        rule: 'KubeDeploymentReplicasMismatch',
        severity: 'warning',
        labels: { namespace: d.ns, deployment: d.name },
        annotations: {
          summary: 'Deployment has not matched the expected number of replicas.',
          description: `Deployment ${d.ns}/${d.name} has not matched the expected number of replicas for longer than 15 minutes.`,
          runbook_url: `${RUNBOOKS}/kubernetes/kubedeploymentreplicasmismatch`,
        },
        since: d.since,
        forMs: 15 * MINUTE,
        expr: 'kube_deployment_spec_replicas{job="kube-state-metrics"} != kube_deployment_status_replicas_available{job="kube-state-metrics"}',
      };
    }
  }
}
