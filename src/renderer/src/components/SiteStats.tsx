import type { SiteHealth } from '../../../shared/derive';
import { formatCount, formatRtt } from '../format';
import { podPhases } from '../store/selectors';
import { useApp } from '../store/store';
import { Stat } from './Stat';

/** API RTT, node and pod counts, crash loops and recent warnings of one site (from `siteHealth`). */
export function SiteStats({ site, health }: { site: string; health: SiteHealth | undefined }) {
  const rtt = useApp((s) => s.status[site]?.rttMs);
  if (health === undefined) {
    return (
      <dl className="stats">
        <Stat label="API RTT">{formatRtt(rtt)}</Stat>
      </dl>
    );
  }
  const n = health.nodes;
  const phases = podPhases(health).filter(([phase, count]) => count > 0 || phase === 'Running' || phase === 'Pending');
  return (
    <dl className="stats" data-testid={`stats-${site}`}>
      <Stat label="API RTT">{formatRtt(rtt)}</Stat>
      <Stat label="Nodes" tone={n.notReady + n.unknown > 0 ? 'bad' : 'ok'} testId={`stat-nodes-${site}`}>
        <span title="Ready">{formatCount(n.ready)} ready</span>
        {' · '}
        <span title="NotReady or not reporting" className={n.notReady + n.unknown > 0 ? 'text-bad' : undefined}>
          {formatCount(n.notReady + n.unknown)} not ready
        </span>
        {' · '}
        <span title="Cordoned (unschedulable)">{formatCount(n.cordoned)} cordoned</span>
      </Stat>
      <Stat label={`Pods (${formatCount(health.pods.total)})`} testId={`stat-pods-${site}`}>
        {phases.map(([phase, count], i) => (
          <span key={phase} className={phase === 'Failed' && count > 0 ? 'text-bad' : phase === 'Pending' && count > 0 ? 'text-warn' : undefined}>
            {i > 0 && ' · '}
            {formatCount(count)} {phase}
          </span>
        ))}
      </Stat>
      <Stat label="Crash-looping workloads" tone={health.crashLooping.length > 0 ? 'bad' : undefined} testId={`stat-crashloop-${site}`}>
        {formatCount(health.crashLooping.length)}
      </Stat>
      <Stat label="Warnings, last hour" tone={health.warningsLastHour > 0 ? 'warn' : undefined} testId={`stat-warnings-${site}`}>
        {formatCount(health.warningsLastHour)}
      </Stat>
    </dl>
  );
}
