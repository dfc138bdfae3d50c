/**
 * Electron's security checklist, as pure functions the main process applies
 * and tests can check without an Electron binary.
 */

/** The renderer is loaded from this custom scheme, never from file:// or the network. */
export const APP_SCHEME = 'triptych';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Web preferences of every window: sandboxed, isolated, no Node. */
export const WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** IPC is answered only for the top frame of our own page. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  if (!frameUrl || !isMainFrame) return false;
  try {
    const u = new URL(frameUrl);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Navigation away from the app is refused; links to the docs could be opened externally, nothing else. */
export function mayNavigate(url: string): boolean {
  return isTrustedSender(url, true);
}

/** `shell.openExternal` only for https URLs without credentials. */
export function mayOpenExternally(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && !u.username && !u.password;
  } catch {
    return false;
  }
}
