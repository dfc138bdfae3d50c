import { useApp } from '../store/store';
import { SiteColumn } from './SiteColumn';

/** The sites side by side, one grid column each, in configured order. */
export function Overview() {
  const sites = useApp((s) => s.sites);
  return (
    <div className="overview" style={{ gridTemplateColumns: `repeat(${Math.max(1, sites.length)}, minmax(320px, 1fr))` }}>
      {sites.map((s) => (
        <SiteColumn key={s.id} site={s} />
      ))}
      {sites.length === 0 && <p className="muted">No sites configured.</p>}
    </div>
  );
}
