import type { CSSProperties } from 'react';
import { useApp } from '../store/store';

/**
 * A site's colour swatch and name, for reports that name sites by id. The
 * colour comes from this console's configuration; a site it does not know
 * (a report written elsewhere) keeps the name the report gives, without colour.
 */
export function SiteMark({ id, name }: { id: string | undefined; name?: string }) {
  const site = useApp((s) => s.sites.find((x) => x.id === id));
  if (id === undefined) return null;
  return (
    <span className="site-chip" style={{ '--site-color': site?.color ?? 'transparent' } as CSSProperties} title={id}>
      <span className="site-chip__dot handover-swatch" aria-hidden="true" />
      {site?.name ?? name ?? id}
    </span>
  );
}
