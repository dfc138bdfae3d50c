import { warRoomHref } from './warRoomHref';

/** "Open war-room screen": a new window on this console's read-only wall view; nothing where there is no browser host (Electron). */
export function WarRoomLink({ testId = 'warroom-link' }: { testId?: string }) {
  const href = warRoomHref(window.location.href);
  if (href === undefined) return null;
  return (
    <a className="top-bar__link" href={href} target="_blank" rel="noopener noreferrer" data-testid={testId} title="A read-only screen for the room: the three sites and the incident timeline in rotation">
      Open war-room screen
    </a>
  );
}
