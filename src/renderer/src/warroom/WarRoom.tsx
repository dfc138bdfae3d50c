import { useCallback, useEffect, useLayoutEffect, useState } from 'react';
import { IncidentTimeline } from '../incident/IncidentTimeline';
import { allLoaded, siteById } from '../store/selectors';
import { useActions, useApp } from '../store/store';
import { rotationAt, WARROOM_VIEWS, warRoomParams, withoutToken, type WarRoomView } from './params';
import { WarRoomSite } from './WarRoomSite';
import './warroom.css';

/** Entries in the strip under every view. */
export const STRIP_ENTRIES = 3;
/** Characters of an entry shown on the wall (two lines of large type); the operator's Incident dialog shows it whole. */
export const WALL_ENTRY_CHARS = 200;
/** Entries on the timeline view (large type; the file keeps the rest). */
export const TIMELINE_ENTRIES = 14;
/**
 * Where the token waits across the reload that follows a lost connection
 * (api/ reloads the page): the address bar no longer has it. Session
 * storage is this tab's only, and goes with it.
 */
const TOKEN_KEY = 'triptych.warroom.token';

const rackSpace = (windowHeight: number): number => Math.max(160, windowHeight - 660);

const VIEW_TITLE: Record<WarRoomView, string> = { sites: 'Sites', timeline: 'Incident timeline' };

/**
 * The war-room screen (`?view=warroom`): the three sites, then the incident
 * timeline, in rotation, with the latest entries along the bottom of every view.
 * Read-only by construction: it renders no button, menu, palette, drawer,
 * editor or dialog, and the only store actions it calls are `start` and
 * `stop`, which read. A forced dark, high-contrast theme in type sized for a
 * 1920×1080 screen across a room.
 */
export function WarRoom() {
  const [params] = useState(() => warRoomParams(window.location.search));
  const [since] = useState(() => Date.now());
  const phase = useApp((s) => s.boot.phase);
  const bootError = useApp((s) => s.boot.error);
  const loaded = useApp(allLoaded);
  const sites = useApp((s) => s.sites);
  const now = useApp((s) => s.now);
  const entries = useApp((s) => s.incident.entries);
  const timelineError = useApp((s) => s.incident.loadError);
  const { start } = useActions();

  useLayoutEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = 'dark';
    root.dataset.view = 'warroom';
    document.title = 'Triptych — war room';
  }, []);

  useEffect(() => {
    // Back from a reload after a lost connection: the token the address bar no longer shows.
    const url = new URL(window.location.href);
    try {
      const token = url.searchParams.get('token');
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      else {
        const saved = sessionStorage.getItem(TOKEN_KEY);
        if (saved) {
          url.searchParams.set('token', saved);
          history.replaceState(history.state, '', url);
        }
      }
    } catch {
      // Storage disabled (a locked-down kiosk): a reload will then ask for the address with its token again.
    }
    // No stop on cleanup: StrictMode's dev double-mount must not tear down the one connection.
    void start();
  }, [start]);

  useEffect(() => {
    // Connected: the token has done its job and must not be read off the screen (or a photo of it).
    if (phase === 'ready' && new URL(window.location.href).searchParams.has('token')) history.replaceState(history.state, '', withoutToken(window.location.href));
  }, [phase]);

  useEffect(() => {
    if (loaded) document.documentElement.dataset.appState = 'loaded';
  }, [loaded]);

  // What the window leaves for the rack maps under the bar, the figures, alerts, ticker and strip (about 420 px at 1080).
  const [rackHeight, setRackHeight] = useState(() => rackSpace(window.innerHeight));
  useEffect(() => {
    // Kiosk browsers often go full screen after the page has loaded: the maps take the height they get.
    const onResize = (): void => setRackHeight(rackSpace(window.innerHeight));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const siteName = useCallback((id: string) => siteById(sites, id)?.name ?? id, [sites]);
  // The store's one-second clock drives the rotation: no timer of its own to leak.
  const rot = rotationAt(params.rotateMs, since, now);

  return (
    <div className="warroom" data-testid="warroom" data-view={rot.view} data-rotations={rot.rotations}>
      <header className="wr-bar">
        <span className="wr-bar__title">Triptych war room</span>
        <ol className="wr-views" aria-label="Views">
          {WARROOM_VIEWS.map((v) => (
            <li key={v} className={v === rot.view ? 'is-current' : undefined} aria-current={v === rot.view ? 'true' : undefined} data-testid={`wr-view-${v}`}>
              {VIEW_TITLE[v]}
            </li>
          ))}
        </ol>
        <span className="wr-bar__next" data-testid="wr-next">
          {rot.nextInMs === undefined ? 'rotation off' : `next in ${Math.ceil(rot.nextInMs / 1000)} s`}
        </span>
        {rot.view === 'sites' && <RackLegend />}
        <span className="wr-bar__clock">{new Date(now).toLocaleTimeString()}</span>
      </header>
      {params.problem !== undefined && <p className="wr-problem">{params.problem}</p>}
      {phase === 'failed' && (
        <p className="wr-problem" data-testid="wr-boot-error">
          Cannot reach the Triptych host: {bootError}. Open the address the host printed (it carries the token), or start the host again.
        </p>
      )}
      <main className="wr-main">
        {phase === 'starting' && <p className="wr-muted wr-waiting">Connecting…</p>}
        {phase === 'ready' && rot.view === 'sites' && (
          <div className="wr-sites" style={{ gridTemplateColumns: `repeat(${Math.max(1, sites.length)}, minmax(0, 1fr))` }}>
            {sites.map((s) => (
              <WarRoomSite key={s.id} site={s} rackHeight={rackHeight} />
            ))}
          </div>
        )}
        {phase === 'ready' && rot.view === 'timeline' && (
          <section className="wr-timeline-view" aria-label="Incident timeline">
            {timelineError !== undefined && <p className="wr-problem">{timelineError}</p>}
            <IncidentTimeline entries={entries} limit={TIMELINE_ENTRIES} siteName={siteName} className="timeline--wall" testId="wr-timeline" maxChars={WALL_ENTRY_CHARS} />
          </section>
        )}
      </main>
      <footer className="wr-strip">
        <IncidentTimeline entries={entries} limit={STRIP_ENTRIES} siteName={siteName} className="timeline--strip" testId="wr-strip" maxChars={WALL_ENTRY_CHARS} />
      </footer>
    </div>
  );
}

/** What the rack maps' colours mean: a room has nobody to hover a node and ask. */
const LEGEND: [string, string][] = [
  ['ready', 'Ready'],
  ['notready', 'NotReady'],
  ['unknown', 'not reporting'],
  ['cordoned', 'cordoned'],
  ['pressure', 'pressure'],
];

function RackLegend() {
  return (
    <ul className="wr-legend" aria-label="Rack map colours">
      {LEGEND.map(([key, text]) => (
        <li key={key}>
          <span className="wr-legend__swatch" style={{ background: `var(--rack-${key})` }} aria-hidden="true" />
          {text}
        </li>
      ))}
    </ul>
  );
}
