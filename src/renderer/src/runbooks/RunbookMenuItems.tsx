import type { MenuEntry, MenuGroup } from './view';

interface Props {
  groups: MenuGroup[];
  /** The library has not arrived yet (or failed: `error`). */
  loading: boolean;
  error: string | undefined;
  /** What to say when nothing fits, e.g. `No runbooks for a rack`. */
  empty: string;
  onChoose(entry: MenuEntry): void;
}

/** The items of a runbook menu, grouped under their target (a node's menu lists its rack's runbooks too). */
export function RunbookMenuItems({ groups, loading, error, empty, onChoose }: Props) {
  if (groups.length === 0) {
    return <p className="rb-menu__note muted">{error !== undefined ? `Runbooks unavailable: ${error}` : loading ? 'Loading runbooks…' : empty}</p>;
  }
  return (
    <>
      {groups.map((g) => (
        <div key={g.label} role="group" aria-label={g.label} className="rb-menu__group">
          <div className="rb-menu__label" aria-hidden="true">
            {g.label}
          </div>
          {g.entries.map((entry) => (
            <button
              key={entry.runbook.name}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="rb-menu__item"
              data-testid="runbook-item"
              data-runbook={entry.runbook.name}
              title={entry.runbook.description}
              onClick={() => onChoose(entry)}
            >
              <span className="rb-menu__title">{entry.runbook.title}</span>
              <span className="rb-menu__name mono">{entry.runbook.name}</span>
            </button>
          ))}
        </div>
      ))}
    </>
  );
}
