import type { SearchHit } from '../../../shared/derive';
import type { SiteInfo } from '../../../shared/model';
import { Highlighted } from './Highlighted';
import { SiteChip } from './SiteChip';

interface Props {
  id: string;
  hit: SearchHit;
  site: SiteInfo | undefined;
  active: boolean;
  onOpen(): void;
  onPoint(): void;
}

/** One palette result: kind, site, namespace and the highlighted name. */
export function PaletteResult({ id, hit, site, active, onOpen, onPoint }: Props) {
  const { item } = hit;
  return (
    <li
      id={id}
      role="option"
      aria-selected={active}
      className={`palette-result${active ? ' is-active' : ''}`}
      data-testid="palette-result"
      data-kind={item.kind}
      data-site={item.site}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onOpen}
      onMouseMove={onPoint}
    >
      <span className={`kind kind--${item.kind}`}>{item.kind}</span>
      <span className="palette-result__name">
        {item.namespace && <span className="muted">{item.namespace}/</span>}
        <Highlighted text={item.name} positions={hit.positions} />
      </span>
      <SiteChip site={site} />
    </li>
  );
}
