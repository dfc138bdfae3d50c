/**
 * Alerts as the console shows them: firing alerts and (read-only) silences
 * from each site's Alertmanager, already sanitized by core/alerts. Plain data,
 * shared by core, the contract and the views.
 */

/** Alertmanager's view of an alert: `suppressed` = silenced or inhibited; `unprocessed` = just received, not yet routed. */
export type AlertState = 'active' | 'suppressed' | 'unprocessed';

/** One alert, normalized. All strings are sanitized (see sanitizeText). */
export interface Alert {
  /** Alertmanager's stable id of the label set. */
  fingerprint: string;
  /** The `alertname` label ('' when the alert has none). */
  name: string;
  /** The `severity` label, when there is one (its values are a convention, not a fixed set). */
  severity?: string;
  state: AlertState;
  /** ISO 8601, as Alertmanager sent it. */
  startsAt: string;
  /** ISO 8601; for a firing alert, when Alertmanager will consider it resolved unless it is sent again. */
  endsAt: string;
  updatedAt?: string;
  /** The `summary` annotation (or `message`, a common alternative). */
  summary?: string;
  /** The `description` annotation. */
  description?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Ids of the silences that mute the alert. */
  silencedBy: string[];
  /** Fingerprints of the alerts that inhibit it. */
  inhibitedBy: string[];
  receivers: string[];
  /** Link to the rule's source (Prometheus' graph); only http(s) URLs are kept. */
  generatorURL?: string;
}

/** A silence matcher: `name` `=`, `!=`, `=~` or `!~` `value`. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** One silence, read-only. */
export interface Silence {
  id: string;
  state: 'active' | 'pending' | 'expired';
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  updatedAt?: string;
  createdBy: string;
  comment: string;
}

/** Alertmanager's own health, for a status line. */
export interface AlertmanagerStatus {
  version: string;
  revision?: string;
  uptime?: string;
  /** `ready`, `settling` or `disabled` (a single instance without clustering). */
  clusterStatus: string;
  clusterName?: string;
  peers: { name: string; address: string }[];
}

/** How the site's Alertmanager is doing, as the last poll found it. */
export interface AlertWatchStatus {
  state: 'starting' | 'ok' | 'unreachable' | 'unauthorized' | 'error';
  /** What went wrong and what to do; absent when ok. */
  message?: string;
  /** True when the alerts shown are from an earlier successful poll. */
  stale: boolean;
  /** Epoch ms of the last successful poll. */
  lastSuccessAt?: number;
  /** Epoch ms of the next poll, when one is scheduled. */
  nextPollAt?: number;
  /** Failed polls in a row. */
  failures: number;
  /** Entries in the last answer skipped as malformed. */
  skipped: number;
}


/** One site's alerts as the overview, the war-room screen and the handover show them. */
export interface SiteAlerts {
  site: string;
  /** False when no Alertmanager is configured for the site (then `alerts` is empty and says nothing). */
  configured: boolean;
  /** How the last poll went; the alerts are the last known ones when it failed (`status.stale`). */
  status: AlertWatchStatus;
  /** Firing alerts, most severe first, then oldest first. */
  alerts: Alert[];
  /** Active and pending silences (read-only: the console never creates or expires one). */
  silences: Silence[];
}

/** Severity order for sorting: critical first; unknown severities after warning, before info. */
export function severityRank(severity: string | undefined): number {
  switch ((severity ?? '').toLowerCase()) {
    case 'critical':
    case 'page':
      return 0;
    case 'error':
    case 'major':
      return 1;
    case 'warning':
      return 2;
    case 'info':
    case 'none':
      return 4;
    default:
      return 3;
  }
}

/**
 * What an alert is about, from its labels, for one line of a list:
 * `namespace/pod (container)`, the node, `namespace/deployment` (or another
 * workload label), else the namespace or instance; '' for a cluster-wide one.
 */
export function alertTarget(a: Pick<Alert, 'labels'>): string {
  const l = a.labels;
  const ns = l.namespace ? `${l.namespace}/` : '';
  if (l.pod) return `${ns}${l.pod}${l.container ? ` (${l.container})` : ''}`;
  if (l.node) return l.node;
  for (const kind of ['deployment', 'statefulset', 'daemonset', 'job_name', 'persistentvolumeclaim', 'service']) {
    const v = l[kind];
    if (v) return `${ns}${v}`;
  }
  return l.namespace ?? l.instance ?? '';
}
