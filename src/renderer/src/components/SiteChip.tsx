import type { CSSProperties } from 'react';
import type { SiteInfo } from '../../../shared/model';

/** A small site marker (colour dot and name) for lists that mix sites, such as palette results. */
export function SiteChip({ site }: { site: SiteInfo | undefined }) {
  if (site === undefined) return null;
  return (
    <span className="site-chip" style={{ '--site-color': site.color } as CSSProperties} title={site.name}>
      <span className="site-chip__dot" aria-hidden="true" />
      {site.name}
    </span>
  );
}
