/**
 * One site's API server: HTTPS on 127.0.0.1, bearer-token authentication,
 * routing to discovery and resources, exec upgrades, and the two network
 * faults a site can suffer (refusing connections, answering slowly).
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Identity } from '../auth';
import type { KObject } from '../types';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, openapiV3Doc, openapiV3Index, SERVER_VERSION } from './discovery';
import { handleResource, type RequestContext } from './handlers';
import { sendError, sendJson } from './http';
import { parsePath } from './route';
import type { SiteApi } from './site-api';
import { ApiError, forbidden, notFound, unauthorized } from './status';
import { allowed } from './rbac';
import { negotiateProtocol } from './exec';
import type { WatchListSupport } from './watch';

export interface SiteServerOptions {
  host?: string;
  port?: number;
  tls: { key: string; cert: string };
}

export class SiteServer {
  private server: https.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => negotiateProtocol([...offered]) ?? false });
  private port = 0;
  /** Added to every response: the "slow site" fault. */
  latencyMs = 0;
  /**
   * How watches treat the streaming list (sendInitialEvents), so clients'
   * fallbacks can be tested: 'supported' as a current apiserver, 'rejected'
   * as one with the WatchList feature gate off (422), 'ignored' as an old or
   * proxied server that drops the parameters and just watches.
   */
  watchList: WatchListSupport = 'supported';

  constructor(
    private readonly site: SiteApi,
    private readonly opts: SiteServerOptions,
  ) {}

  get url(): string {
    return `https://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = https.createServer({ key: this.opts.tls.key, cert: this.opts.tls.cert }, (req, res) => {
      void this.handle(req, res);
    });
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    // Keep the port across an outage so kubeconfigs stay valid when the site comes back.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port || this.opts.port || 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts every open connection: clients see connection refused. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.site.store.closeWatches();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private authenticate(req: IncomingMessage, anonymousOk: boolean): Identity | undefined {
    const h = req.headers.authorization;
    if (!h) {
      if (anonymousOk) return undefined;
      throw unauthorized();
    }
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m) throw unauthorized();
    const check = this.site.registry.check(m[1] as string, this.site.name, this.site.now());
    if (!check.ok) throw unauthorized();
    return check.identity;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      const url = new URL(req.url ?? '/', 'https://localhost');
      const route = parsePath(url.pathname);
      if (route.type === 'badPath') throw new ApiError(400, 'BadRequest', `invalid URL escape in path ${JSON.stringify(url.pathname.slice(0, 200))}`);
      // Like system:public-info-viewer: version and health are readable without credentials.
      const anonymousOk = route.type === 'discovery' && (route.doc === 'version' || route.doc === 'healthz');
      const identity = this.authenticate(req, anonymousOk);
      switch (route.type) {
        case 'discovery':
          if (route.doc === 'version') return sendJson(res, 200, SERVER_VERSION);
          if (route.doc === 'healthz') {
            res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
            return void res.end('ok');
          }
          if (route.doc === 'api') return sendJson(res, 200, apiVersions(`${req.socket.localAddress ?? '127.0.0.1'}:${this.port}`));
          if (route.doc === 'apis') return sendJson(res, 200, apiGroupList());
          if (route.doc === 'openapi') {
            const m = /^\/openapi\/v3(?:\/(.+?))?\/?$/.exec(url.pathname);
            const doc = m ? (m[1] ? openapiV3Doc(m[1]) : openapiV3Index()) : undefined;
            if (doc) return sendJson(res, 200, doc);
          }
          throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
        case 'group': {
          const doc = apiGroup(route.group);
          if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
          return sendJson(res, 200, doc);
        }
        case 'groupVersion': {
          const doc = apiResourceList(route.gv);
          if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
          return sendJson(res, 200, doc);
        }
        case 'resource': {
          const ctx: RequestContext = {
            site: this.site,
            req,
            res,
            query: url.searchParams,
            identity: identity as Identity,
            rt: route.rt,
            namespace: route.namespace,
            name: route.name,
            subresource: route.subresource,
            watchList: this.watchList,
          };
          return await handleResource(ctx);
        }
        case 'unknown':
          throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      }
    } catch (e) {
      sendError(res, e);
    }
  }

  /** pods/exec over WebSocket (the channel.k8s.io subprotocols). */
  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const fail = (e: unknown): void => {
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', String(e));
      const body = JSON.stringify(err.toStatus());
      socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const route = parsePath(url.pathname);
      const identity = this.authenticate(req, false) as Identity;
      if (route.type !== 'resource' || route.rt.plural !== 'pods' || route.subresource !== 'exec' || !route.name) {
        throw new ApiError(400, 'BadRequest', 'only pods/exec can be upgraded to a WebSocket on this server');
      }
      if (!allowed(identity.role, 'create', '', 'pods/exec')) {
        throw forbidden(identity.user, 'create', 'pods/exec', '', route.namespace, route.name);
      }
      const v = this.site.store.get(route.rt, route.namespace, route.name);
      if (!v) throw notFound('pods', route.name);
      const pod = JSON.parse(v.json) as KObject;
      const containers = ((pod.spec as { containers?: { name: string }[] }).containers ?? []).map((c) => c.name);
      const container = url.searchParams.get('container') ?? pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? containers[0];
      if (!container || !containers.includes(container)) throw new ApiError(400, 'BadRequest', `container ${container ?? ''} is not valid for pod ${route.name}`);
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase !== 'Running') throw new ApiError(400, 'BadRequest', `unable to upgrade connection: container not found ("${container}")`);
      if (url.searchParams.getAll('command').length === 0) throw new ApiError(400, 'BadRequest', 'you must specify at least 1 command');
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const protocol = negotiateProtocol(offered);
      if (!protocol) throw new ApiError(400, 'BadRequest', `unable to upgrade connection: no supported subprotocol among ${JSON.stringify(offered)}`);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.site.exec(ws, protocol, pod, container, url.searchParams);
      });
    } catch (e) {
      fail(e);
    }
  }
}
