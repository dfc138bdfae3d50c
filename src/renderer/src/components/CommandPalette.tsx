import { useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { search, type SearchIndex, type SearchItem } from '../../../shared/derive';
import { indexFor, searchItems, type IndexCache } from '../palette/items';
import { mirrorsKey, siteById } from '../store/selectors';
import { getAppStore, useActions, useApp } from '../store/store';
import { PaletteResult } from './PaletteResult';

const LIMIT = 50;
/** How often an open palette checks whether its index is due for a rebuild (see REBUILD_EVERY_MS). */
const CHECK_EVERY_MS = 500;

/** How long a closed palette keeps its index (tens of MB at full scale) for a quick reopen. */
const KEEP_CLOSED_MS = 60_000;

/** Kept between openings: reopening the palette over unchanged data is instant. */
let cache: IndexCache | undefined;
let dropCache: ReturnType<typeof setTimeout> | undefined;

/**
 * Ctrl/Cmd+K: search nodes, pods, workloads and racks of every site, open
 * the one chosen. The index is built from the store directly, off React's
 * render path, and refreshed at most every two seconds while deltas flow.
 */
export function CommandPalette() {
  const sites = useApp((s) => s.sites);
  const { setPaletteOpen, openDetail, highlightRack } = useActions();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [index, setIndex] = useState<SearchIndex | undefined>(cache?.index);
  const deferredQuery = useDeferredValue(query);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    clearTimeout(dropCache);
    const refresh = (): void => {
      const st = getAppStore().getState();
      const next = indexFor(cache, mirrorsKey(st.sites, st.mirrors), Date.now(), () => searchItems(st.sites, st.mirrors, st.derived));
      if (next !== cache) {
        cache = next;
        setIndex(next.index);
      }
    };
    // After the dialog has painted: building can take a moment at full scale.
    const first = setTimeout(refresh, 0);
    const every = setInterval(refresh, CHECK_EVERY_MS);
    return () => {
      clearTimeout(first);
      clearInterval(every);
      dropCache = setTimeout(() => (cache = undefined), KEEP_CLOSED_MS);
    };
  }, []);

  const results = useMemo(() => (index ? search(index, deferredQuery, LIMIT) : []), [index, deferredQuery]);
  const current = Math.min(active, Math.max(0, results.length - 1));

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  const open = (item: SearchItem): void => {
    switch (item.kind) {
      case 'node':
        openDetail({ kind: 'node', site: item.site, name: item.name });
        break;
      case 'pod':
        openDetail({ kind: 'pod', site: item.site, namespace: item.namespace ?? '', name: item.name });
        break;
      case 'workload':
        openDetail({ kind: 'workload', site: item.site, namespace: item.namespace ?? '', name: item.name });
        break;
      case 'rack':
        highlightRack(item.site, item.name);
        break;
    }
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive(Math.min(current + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive(Math.max(current - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const hit = results[current];
      if (hit) open(hit.item);
    }
  };

  const status = index === undefined ? 'Indexing…' : query.trim() === '' ? `${index.size.toLocaleString('en')} items · try “ams: web”, “checkout/”, “B-07”` : results.length === 0 ? 'No matches' : '';

  return (
    <div className="palette-backdrop" onMouseDown={() => setPaletteOpen(false)}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Search" data-testid="palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          className="palette__input"
          data-testid="palette-input"
          role="combobox"
          aria-expanded={results.length > 0}
          aria-controls="palette-results"
          aria-activedescendant={results.length > 0 ? `palette-result-${current}` : undefined}
          placeholder="Search nodes, pods, workloads, racks in all sites"
          autoFocus
          spellCheck={false}
          autoComplete="off"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKey}
        />
        {status && <p className="palette__status muted">{status}</p>}
        <ul className="palette__results" id="palette-results" role="listbox" ref={listRef}>
          {results.map((hit, i) => (
            <PaletteResult
              key={`${hit.item.kind}:${hit.item.site}:${hit.item.namespace ?? ''}/${hit.item.name}`}
              id={`palette-result-${i}`}
              hit={hit}
              site={siteById(sites, hit.item.site)}
              active={i === current}
              onOpen={() => open(hit.item)}
              onPoint={() => i !== current && setActive(i)}
            />
          ))}
        </ul>
      </div>
    </div>
  );
}
