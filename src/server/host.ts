/**
 * The browser host: the built renderer and the same contract as the Electron
 * window, over one WebSocket, for war-room screens and browser e2e. Each
 * launch makes fresh random tokens; the URL it prints carries the viewer
 * token (read-only), an operator token is printed separately. WebSocket
 * upgrades are checked for the token and for an Origin of this host.
 * `GET /warroom?token=…` (either token) redirects to the war-room screen with
 * the viewer token, so an operator opening a wall screen never puts the
 * operator token on it.
 */
import http from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { serve, type ContractSpec, type EventBus, type Impl, type Role } from '../shared/contract/rpc';
import { csp } from '../shared/csp';
import { serveStatic } from './static-files';
import { MAX_FRAME, wsTransport } from './ws-transport';

export interface HostOptions<C extends ContractSpec, E extends Record<string, unknown>> {
  /** `host:port`; default 127.0.0.1:0 (a free port). */
  listen?: string;
  /** The built renderer (out/renderer). */
  staticDir: string;
  contract: C;
  impl: Impl<C>;
  bus: EventBus<E>;
  /** Ends a stream (a log tail) whose browser went away. */
  release?: (stream: string) => void;
  /** Fixed tokens for tests; fresh random ones otherwise. */
  tokens?: Partial<Record<Role, string>>;
}

export interface BrowserHost {
  /** Base URL, e.g. http://127.0.0.1:43123 */
  url: string;
  tokens: Record<Role, string>;
  /** The URL to open: base URL with the viewer token. */
  viewerUrl: string;
  /** The war-room screen: the viewer URL with `view=warroom`. */
  warRoomUrl: string;
  operatorUrl: string;
  connections(): number;
  close(): Promise<void>;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startBrowserHost<C extends ContractSpec, E extends Record<string, unknown>>(o: HostOptions<C, E>): Promise<BrowserHost> {
  const tokens: Record<Role, string> = {
    viewer: o.tokens?.viewer ?? randomBytes(24).toString('base64url'),
    operator: o.tokens?.operator ?? randomBytes(24).toString('base64url'),
  };
  const [host, portText] = (o.listen ?? '127.0.0.1:0').split(/:(?=\d+$)/) as [string, string | undefined];
  const sockets = new Set<Socket>();
  let policy = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/warroom') return warRoomRedirect(url, res);
    void serveStatic(o.staticDir, req.url ?? '/', res, policy);
  });
  /** To the war-room screen as a viewer: only for a holder of a token, and never with the operator's. */
  const warRoomRedirect = (url: URL, res: http.ServerResponse): void => {
    const token = url.searchParams.get('token') ?? '';
    const headers = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'Content-Type': 'text/plain; charset=utf-8' };
    if (!sameToken(token, tokens.operator) && !sameToken(token, tokens.viewer)) {
      res.writeHead(401, headers).end('Open the war-room screen from a console of this host, or use the read-only address the host printed, with view=warroom.\n');
      return;
    }
    const to = new URLSearchParams({ view: 'warroom', token: tokens.viewer });
    const rotate = url.searchParams.get('rotate');
    if (rotate !== null && /^\d{1,4}$/.test(rotate)) to.set('rotate', rotate);
    res.writeHead(302, { ...headers, Location: `/?${to.toString()}` }).end();
  };
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
  server.on('upgrade', (req, socket: Socket, head) => {
    // Node drops its own error listener from upgraded sockets: a client that resets
    // the connection must not crash the host.
    socket.on('error', () => socket.destroy());
    const refuse = (code: number, why: string): void => {
      socket.end(`HTTP/1.1 ${code} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    // Only the console's own page may open the socket: its Origin is the host it was served from.
    // (A rebinding attack passes this, but still has no token.)
    const origin = req.headers.origin ?? '';
    const host = req.headers.host ?? '';
    // https when a TLS proxy fronts the host for a war-room screen.
    if (!host || (origin !== `http://${host}` && origin !== `https://${host}`)) return refuse(403, 'Forbidden');
    const token = url.searchParams.get('token') ?? '';
    const role: Role | undefined = sameToken(token, tokens.operator) ? 'operator' : sameToken(token, tokens.viewer) ? 'viewer' : undefined;
    if (!role) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const stop = serve(o.contract, o.impl, o.bus, wsTransport(ws), role, { release: o.release });
      ws.once('close', stop);
      ws.once('error', stop);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(portText ?? 0), host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const base = `http://${hostPart}:${addr.port}`;
  // 'self' covers ws: to the same host in current browsers; the explicit entry is for older ones.
  policy = csp(`ws://${hostPart}:${addr.port}`);
  return {
    url: base,
    tokens,
    viewerUrl: `${base}/?token=${tokens.viewer}`,
    warRoomUrl: `${base}/?view=warroom&token=${tokens.viewer}`,
    operatorUrl: `${base}/?token=${tokens.operator}`,
    connections: () => wss.clients.size,
    async close() {
      for (const c of wss.clients) c.terminate();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
