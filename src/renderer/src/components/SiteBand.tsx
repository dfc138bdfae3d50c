import type { CSSProperties } from 'react';
import type { SiteInfo } from '../../../shared/model';

interface Props {
  site: SiteInfo;
  /** Larger type for column headers; compact for dialogs and chips. */
  size?: 'large' | 'compact';
}

/**
 * The site's name on its colour: on every column and every dialog, so an
 * admin never acts on the wrong cluster.
 */
export function SiteBand({ site, size = 'compact' }: Props) {
  return (
    <div className={`site-band site-band--${size}`} style={{ '--site-color': site.color } as CSSProperties}>
      <span className="site-band__swatch" aria-hidden="true" />
      <span className="site-band__name">{site.name}</span>
      <span className="site-band__id">{site.id}</span>
      {site.training && <span className="tag tag--training">training</span>}
    </div>
  );
}
