import { SiteChip } from '../components/SiteChip';
import { siteById } from '../store/selectors';
import { useApp } from '../store/store';

/** A step's site as a chip in the site's colour; the bare id for a site the console does not know. */
export function StepSite({ site }: { site: string }) {
  const info = useApp((s) => siteById(s.sites, site));
  if (site === '') return null;
  return info ? <SiteChip site={info} /> : <span className="mono">{site}</span>;
}
