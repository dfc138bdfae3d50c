import type { SiteHealth } from '../../../shared/derive';
import { problemTarget, topProblems } from '../store/selectors';
import { useActions } from '../store/store';

const LIMIT = 15;

/** The most severe problems of a site, each opening what it is about. */
export function ProblemsList({ site, health }: { site: string; health: SiteHealth | undefined }) {
  const { openDetail } = useActions();
  const problems = topProblems(health, LIMIT);
  const more = (health?.problems.length ?? 0) - problems.length;
  return (
    <section className="problems" aria-label="Problems">
      <h3 className="section-title">
        Problems{health ? ` (${health.problems.length})` : ''}
      </h3>
      <ul className="problems__list" data-testid={`problems-${site}`}>
        {health !== undefined && problems.length === 0 && <li className="problems__none">No problems</li>}
        {problems.map((p) => {
          const target = problemTarget(site, p);
          return (
            <li key={p.id} className={`problem problem--${p.severity}`}>
              <button type="button" className="problem__button" disabled={target === undefined} onClick={() => target && openDetail(target)} data-problem-kind={p.kind}>
                <span className="problem__severity">{p.severity}</span>
                <span className="problem__title">{p.title}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {more > 0 && <p className="muted problems__more">and {more} more</p>}
    </section>
  );
}
