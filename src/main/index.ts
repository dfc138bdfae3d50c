/**
 * The Electron shell, kept thin: lifecycle, one window per launch, the app
 * protocol, IPC and the menu. Everything else is core/ (shared with the
 * browser host) and renderer/.
 */
import { app, BrowserWindow, Menu, net, protocol, session, shell } from 'electron';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startCore, type CoreApp } from '../core/app';
import { serve } from '../shared/contract/rpc';
import { triptych } from '../shared/contract/triptych';
import { csp } from '../shared/csp';
import { ipcTransport } from './ipc';
import { APP_ORIGIN, APP_SCHEME, mayNavigate, mayOpenExternally, WEB_PREFERENCES } from './security';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const rendererDir = path.join(import.meta.dirname, '../renderer');
let core: CoreApp | undefined;

/** Serves out/renderer under triptych://app with the console's CSP; nothing outside that folder. */
function registerAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const url = new URL(req.url);
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(rendererDir, `.${rel}`);
    if (!file.startsWith(rendererDir + path.sep)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', csp(''));
    return new Response(res.body, { status: res.status, headers });
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1600,
    height: 1000,
    title: 'Triptych',
    webPreferences: { ...WEB_PREFERENCES, preload: path.join(import.meta.dirname, '../preload/index.cjs') },
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!mayNavigate(url)) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (mayOpenExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (core) {
    // The desk console acts as the operator; war-room screens use the read-only browser host.
    const stop = serve(triptych, core.impl, core.bus, ipcTransport(win.webContents), 'operator', { release: core.release });
    win.on('closed', stop);
  }
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  registerAppProtocol();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
      { role: 'windowMenu' },
    ]),
  );
  core = await startCore({
    env: process.env,
    home: os.homedir(),
    platform: process.platform,
    dataDir: app.getPath('userData'),
    // Vault's OIDC sign-in page opens in the admin's browser; only https pages (the sign-in dialog shows the address either way).
    openExternal: (url) => (mayOpenExternally(url) ? shell.openExternal(url) : undefined),
  });
  createWindow();
}).catch((e: unknown) => {
  console.error(e);
  app.exit(1);
});

app.on('window-all-closed', () => {
  void core?.close().finally(() => app.quit());
});
